//! Every documented exit code, produced by bad input; and no input makes `avm` panic.

mod common;

use common::{avm, example, examples_copy, scratch, write};

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// A well-formed library container around `code`.
fn container(code: &[u8], data: &[u8]) -> Vec<u8> {
    let mut b = b"AVML".to_vec();
    b.extend([1, 0, 0]);
    b.extend((code.len() as u16).to_le_bytes());
    b.extend(code);
    b.extend((data.len() as u16).to_le_bytes());
    b.extend(data);
    b.push(0);
    b
}

#[test]
fn exit_0_and_1_follow_st0() {
    let dir = scratch("st0");
    let ok = write(&dir, "ok.alu", "    stop\n");
    assert_eq!(avm(&["run", &ok]).code, 0);
    let inv = write(&dir, "inv.alu", "    inv st0\n    stop\n");
    let r = avm(&["run", &inv]);
    assert_eq!(r.code, 1);
    assert!(r.field("stop").unwrap().starts_with("stopped"));
    assert_eq!(r.field("st0").as_deref(), Some("false"));
    let fail = write(&dir, "fail.alu", "    fail\n");
    let r = avm(&["run", &fail]);
    assert_eq!(r.code, 1);
    assert!(r.field("stop").unwrap().starts_with("failed"));
}

#[test]
fn exit_2_for_usage_errors() {
    let sum = example("sum.alu");
    for args in [
        vec!["run"],
        vec!["frobnicate"],
        vec!["run", &sum, "--gas", "lots"],
        vec!["run", &sum, "--set", "a64[0]=abc"],
        vec!["run", &sum, "--set", "a8[0]=256"],
        vec!["run", &sum, "--set", "a64[40]=1"],
        vec!["run", &sum, "--set", "s[0]=\"unclosed"],
        vec!["run", &sum, "--set", "nonsense"],
        vec!["run", &sum, "--entry", "nowhere"],
        vec!["run", &sum, "--entry", "70000"],
    ] {
        let r = avm(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error:"), "{args:?}: {}", r.stderr);
    }
    let r = avm(&["run", &sum, "--entry", "nowhere"]);
    assert!(r.stderr.contains("labels: loop, main"), "{}", r.stderr);
}

#[test]
fn exit_3_for_assembly_errors_with_file_line_col_and_caret() {
    let dir = scratch("asm-errors");
    let src = write(
        &dir,
        "bad.alu",
        "main:\n    put a64[0], 1\n    add.uc a64[2], a64[0], a64[33]\n    put s[0], \"open\n",
    );
    for cmd in ["run", "asm"] {
        let r = avm(&[cmd, &src]);
        assert_eq!(r.code, 3, "{cmd}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(
            r.stderr.contains(&format!("--> {src}:3:")),
            "{cmd}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("^"), "{}", r.stderr);
        assert!(r.stderr.contains(&format!("{src}:4:")), "{}", r.stderr);
        assert!(r.stderr.contains("due to 2 errors"), "{}", r.stderr);
    }
    assert!(!dir.join("bad.lib").exists());
    // Errors found while lowering: every one is reported, with its caret.
    let src = write(
        &dir,
        "lower.alu",
        "main:\n    frob a64[0]\n    jmp nowhere\n",
    );
    let r = avm(&["asm", &src]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "error: unknown mnemonic `frob`\n --> {src}:2:5\n  |\n2 |     frob a64[0]\n  |     ^^^^"
        )),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&format!("--> {src}:3:9")), "{}", r.stderr);
    // Not text at all.
    let bin = write(&dir, "bin.alu", [0xff, 0xfe, 0x00, 0x80]);
    let r = avm(&["run", &bin]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    assert!(r.stderr.contains("not UTF-8"), "{}", r.stderr);
}

#[test]
fn exit_4_for_malformed_libraries() {
    let dir = scratch("malformed");
    let mut rng = Rng(0x5eed);
    for i in 0..20 {
        let len = (rng.next() % 300) as usize;
        let lib = write(&dir, &format!("g{i}.lib"), rng.bytes(len));
        for cmd in ["run", "inspect", "disasm"] {
            let r = avm(&[cmd, &lib]);
            assert_eq!(r.code, 4, "{cmd} g{i}: {}", r.stderr);
            assert!(r.stderr.starts_with("error:"), "{}", r.stderr);
            assert!(r.stderr.contains("malformed library"), "{}", r.stderr);
        }
    }
    // A truncated real container.
    let whole = container(&[0x08], &[]);
    let lib = write(&dir, "cut.lib", &whole[..whole.len() - 2]);
    let r = avm(&["inspect", &lib]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("truncated"), "{}", r.stderr);
    // An import found by name that is not a library.
    write(&dir, "broken.lib", b"not a library");
    let src = write(&dir, "uses.alu", ".import broken\n    stop\n");
    let r = avm(&["run", &src]);
    assert_eq!(r.code, 4, "{}", r.stderr);
}

#[test]
fn exit_5_for_missing_libraries() {
    let dir = scratch("missing");
    let src = write(&dir, "p.alu", ".import nowhere\n    call f @ nowhere\n");
    let r = avm(&["run", &src]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("nowhere"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("{src}:1:")), "{}", r.stderr);
    assert_eq!(avm(&["asm", &src]).code, 5);
    // An import by id that no library on the search path has.
    let id = "alu1wgtqrdatthgpk4arwxpjwxy9w88q7zf0hy445v8eu67c0mg8refq8kzlsh";
    let src = write(&dir, "by_id.alu", format!(".import m {id}\n    stop\n"));
    let r = avm(&["run", &src]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("library {id} is missing")),
        "{}",
        r.stderr
    );

    // A compiled program whose import is gone.
    let copy = examples_copy("missing-lib");
    let calls = copy.join("calls.alu").display().to_string();
    assert_eq!(
        avm(&["asm", &copy.join("mathlib.alu").display().to_string()]).code,
        0
    );
    assert_eq!(avm(&["asm", &calls]).code, 0);
    std::fs::remove_file(copy.join("mathlib.lib")).unwrap();
    std::fs::remove_file(copy.join("mathlib.alu")).unwrap();
    let r = avm(&["run", &copy.join("calls.lib").display().to_string()]);
    assert_eq!(r.code, 5, "{}", r.stderr);
    assert!(r.stderr.contains("is missing"), "{}", r.stderr);
}

#[test]
fn exit_6_for_unsupported_isa_extensions() {
    let dir = scratch("isa");
    let src = write(&dir, "zzz.alu", ".isa ZZZ\n    stop\n");
    let r = avm(&["run", &src]);
    assert_eq!(r.code, 6, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("ZZZ"), "{}", r.stderr);
    // Assembling is fine: the host is only asked when the program runs.
    let a = avm(&["asm", &src]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let i = avm(&["inspect", &dir.join("zzz.lib").display().to_string()]);
    assert!(i.stdout.contains("ZZZ"), "{}", i.stdout);
}

#[test]
fn exit_7_for_io_errors() {
    let dir = scratch("io");
    let missing = dir.join("absent.alu").display().to_string();
    for cmd in ["run", "asm"] {
        let r = avm(&[cmd, &missing]);
        assert_eq!(r.code, 7, "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    }
    let r = avm(&["inspect", &dir.join("absent.lib").display().to_string()]);
    assert_eq!(r.code, 7);
    // Writing into a directory that does not exist.
    let src = write(&dir, "ok.alu", "    stop\n");
    let out = dir.join("no/such/dir/ok.lib").display().to_string();
    let r = avm(&["asm", &src, "-o", &out]);
    assert_eq!(r.code, 7, "{}", r.stderr);
    assert!(r.stderr.contains("cannot write"), "{}", r.stderr);
    // A directory given as the file.
    assert_eq!(avm(&["run", &dir.display().to_string()]).code, 7);
}

#[test]
fn random_code_in_valid_containers_never_crashes() {
    let dir = scratch("fuzz");
    let mut rng = Rng(42);
    for i in 0..40 {
        let len = 1 + (rng.next() % 64) as usize;
        let code = rng.bytes(len);
        let data_len = (rng.next() % 16) as usize;
        let data = rng.bytes(data_len);
        let lib = write(&dir, &format!("r{i}.lib"), container(&code, &data));
        let r = avm(&["run", &lib, "--gas", "100000", "--trace"]);
        assert!(r.code == 0 || r.code == 1, "r{i}: {} {}", r.code, r.stderr);
        assert!(r.field("stop").is_some(), "r{i}: {}", r.stdout);
        let d = avm(&["disasm", &lib]);
        assert_eq!(d.code, 0, "r{i}: {}", d.stderr);
        let i_ = avm(&["inspect", "--json", &lib]);
        assert_eq!(i_.code, 0);
    }
}

#[test]
fn random_text_never_crashes_the_assembler() {
    let dir = scratch("fuzz-src");
    let mut rng = Rng(7);
    let words = [
        "add.uc",
        "a64[0]",
        ",",
        "s[1]",
        "\"x",
        "x\"0",
        ".import",
        ".isa",
        ".entry",
        "main:",
        "@",
        "jif",
        "put",
        "0x",
        "-",
        "1e9",
        "\n",
        "\t",
        "[",
        "]",
        ";",
        "r8192[31]",
        "call",
    ];
    for i in 0..40 {
        let n = (rng.next() % 30) as usize;
        let text: Vec<&str> = (0..n)
            .map(|_| words[(rng.next() % words.len() as u64) as usize])
            .collect();
        let src = write(&dir, &format!("t{i}.alu"), text.join(" "));
        let r = avm(&["run", &src, "--gas", "10000"]);
        assert!((0..=7).contains(&r.code), "t{i}: {} {}", r.code, r.stderr);
    }
}
