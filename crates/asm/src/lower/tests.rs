//! Lowering: every directive, every operand form, every error with its line and column.

use std::collections::HashMap;

use avm_alu::isa::{decode, no_ext, Instr};
use avm_alu::library::{LibId, Library};

use crate::*;

/// A resolver over an in-memory set of named libraries.
#[derive(Default)]
struct MapResolver(HashMap<String, Library>);

impl LibResolver for MapResolver {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no library `{name}` here"))
    }

    fn by_id(&self, id: &LibId) -> Option<Library> {
        self.0.values().find(|l| l.id() == *id).cloned()
    }
}

fn std_lib() -> Library {
    Library {
        code: vec![0x08; 20],
        entries: vec![("sha".into(), 4), ("zero".into(), 0)],
        ..Library::default()
    }
}

fn resolver() -> MapResolver {
    let mut map = HashMap::new();
    map.insert("std".to_owned(), std_lib());
    map.insert(
        "other".to_owned(),
        Library {
            code: vec![0x07],
            ..Library::default()
        },
    );
    MapResolver(map)
}

fn ok(src: &str) -> Assembled {
    match assemble("t.alu", src, &resolver()) {
        Ok(out) => out,
        Err(diags) => panic!("{}", render_all(&diags, src)),
    }
}

fn lib(src: &str) -> Library {
    ok(src).library
}

/// Every diagnostic as (message, line, col).
fn errors(src: &str) -> Vec<(String, usize, usize)> {
    let diags = assemble("t.alu", src, &resolver()).expect_err("should fail");
    diags
        .iter()
        .map(|d| {
            let (line, col) = d.line_col(src);
            (d.message.clone(), line, col)
        })
        .collect()
}

fn error(src: &str) -> (String, usize, usize) {
    let mut all = errors(src);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn err(msg: &str, line: usize, col: usize) -> (String, usize, usize) {
    (msg.to_owned(), line, col)
}

/// The instructions of a code segment.
fn instrs(code: &[u8]) -> Vec<String> {
    avm_alu::isa::disassemble(code, no_ext)
        .into_iter()
        .map(|(_, i)| {
            let ops: Vec<String> = i.operands().iter().map(ToString::to_string).collect();
            let sfx = i.suffix().map(|s| format!(".{s}")).unwrap_or_default();
            format!("{}{sfx} {}", i.mnemonic(), ops.join(", "))
                .trim_end()
                .to_owned()
        })
        .collect()
}

#[test]
fn empty_source_is_an_empty_library() {
    assert_eq!(lib(""), Library::default());
    assert_eq!(lib("; nothing\n\n"), Library::default());
}

#[test]
fn instructions_and_labels() {
    let out =
        ok("start:\n    add.uc a64[2], a64[0], a64[1]\nloop: jif loop\n    jmp start\nend:\n");
    assert_eq!(
        instrs(&out.library.code),
        ["add.uc a64[2], a64[0], a64[1]", "jif 0x0004", "jmp 0x0000"]
    );
    assert_eq!(out.labels["start"], 0);
    assert_eq!(out.labels["loop"], 4);
    assert_eq!(out.labels["end"], 10);
}

#[test]
fn forward_labels_and_integer_positions() {
    let code = lib("jmp fwd\nnop\nfwd: jmp 0x1234\n").code;
    assert_eq!(instrs(&code), ["jmp 0x0004", "nop", "jmp 0x1234"]);
}

#[test]
fn put_integers_little_endian_at_the_register_width() {
    let l = lib("put a64[0], 10\nput a8[1], -1\nput a16[2], 0xbeef\nput r160[0], 1\n");
    let mut want = 10u64.to_le_bytes().to_vec();
    want.push(0xff);
    want.extend([0xef, 0xbe]);
    let mut r = vec![0u8; 20];
    r[0] = 1;
    want.extend(r);
    assert_eq!(l.data, want);
    assert_eq!(
        instrs(&l.code),
        [
            "put a64[0], data[0]",
            "put a8[1], data[8]",
            "put a16[2], data[9]",
            "put r160[0], data[11]"
        ]
    );
}

#[test]
fn floats_are_rounded_to_the_format() {
    let l = lib("put f32[0], 1.5\nput f64[1], -2.0\nput f16[2], 1\nput bf16[3], inf\n");
    let mut want = 1.5f32.to_le_bytes().to_vec();
    want.extend((-2.0f64).to_le_bytes());
    want.extend([0x00, 0x3c, 0x80, 0x7f]);
    assert_eq!(l.data, want);
}

#[test]
fn data_layout_entries_first_then_deduplicated_literals() {
    let src = "\
put s[0], \"hi\"
put a16[0], 0x6968
.data msg \"hi\"
.data n 300
.data again \"hi\"
put s[1], msg
put s[2], \"new\"
put s[3], \"new\"
put a16[1], n
put a64[0], n
";
    let l = lib(src);
    // msg (2) | n (2, smallest width) | again (2) | "new" | n at a64 width.
    let mut want = b"hi".to_vec();
    want.extend(300u16.to_le_bytes());
    want.extend(b"hi");
    want.extend(b"new");
    want.extend(300u64.to_le_bytes());
    assert_eq!(l.data, want);
    assert_eq!(
        instrs(&l.code),
        [
            "put s[0], data[0..2]",
            "put a16[0], data[0]",
            "put s[1], data[0..2]",
            "put s[2], data[6..9]",
            "put s[3], data[6..9]",
            "put a16[1], data[2]",
            "put a64[0], data[9]",
        ]
    );
}

#[test]
fn raw_data_references() {
    let src = ".data blob x\"00 01 02 03\"\nput a16[0], data[1]\nput s[0], data[1..4]\nput s[1], data[100..200]\n";
    let l = lib(src);
    assert_eq!(l.data, [0, 1, 2, 3]);
    assert_eq!(
        instrs(&l.code),
        [
            "put a16[0], data[1]",
            "put s[0], data[1..4]",
            "put s[1], data[100..200]"
        ]
    );
}

#[test]
fn consts_wherever_an_integer_is() {
    let l = lib(
        ".const n 5\n.const target 0\ninc.uc a64[0], n\nput a8[0], n\njmp target\nreserved n\n",
    );
    assert_eq!(
        instrs(&l.code)[..3],
        ["inc.uc a64[0], 5", "put a8[0], data[0]", "jmp 0x0000"]
    );
    assert_eq!(l.code.last(), Some(&5));
    assert_eq!(l.data, [5]);
}

#[test]
fn entries_sorted_with_targets() {
    let l = lib(".entry main\n.entry alias main\n.entry at 77\nnop\nmain: stop\n");
    assert_eq!(
        l.entries,
        [
            ("alias".to_owned(), 1),
            ("at".to_owned(), 77),
            ("main".to_owned(), 1)
        ]
    );
    // A reserved word can be an entry name, given a target.
    assert_eq!(lib(".entry inf 0\n").entries, [("inf".to_owned(), 0)]);
}

#[test]
fn isa_ids_sorted() {
    assert_eq!(lib(".isa ZK ALU\n.isa BPF\n").isa, ["ALU", "BPF", "ZK"]);
}

#[test]
fn imports_by_name_and_id_and_sites() {
    let std_id = std_lib().id();
    let src = format!(".import s {std_id}\n.import other\ncall sha @ s\nexec 9 @ other\n");
    let l = lib(&src);
    assert_eq!(l.libs, [std_id, resolver().0["other"].id()]);
    let (call, _) = decode(&l.code, no_ext);
    assert_eq!(call.operands()[0].to_string(), "0x0004 @ 0");
    assert_eq!(instrs(&l.code)[1], "exec 0x0009 @ 1");
}

#[test]
fn raw_forms() {
    let l = lib("reserved 0xff\next 0xc3, x\"01 02\"\n.bytes x\"05 00\"\nend:\n");
    assert_eq!(l.code, [0xff, 0xc3, 1, 2, 5, 0]);
    assert_eq!(decode(&l.code, no_ext).0, Instr::Reserved(0xff));
    assert_eq!(
        ok("reserved 0xff\n.bytes x\"05 00\"\nend:\n").labels["end"],
        3
    );
}

#[test]
fn unknown_mnemonic_suggests() {
    let diags = assemble("t.alu", "    ad a64[0]\n", &NoLibs).unwrap_err();
    assert_eq!(diags[0].message, "unknown mnemonic `ad`");
    assert_eq!(
        diags[0].label.as_deref(),
        Some("did you mean one of `add`, `and`?")
    );
    assert_eq!(diags[0].line_col("    ad a64[0]\n"), (1, 5));
    let diags = assemble("t.alu", "mvo a64[0], a64[1]\n", &NoLibs).unwrap_err();
    assert_eq!(diags[0].label.as_deref(), Some("did you mean `mov`?"));
    let diags = assemble("t.alu", "frobnicate\n", &NoLibs).unwrap_err();
    assert_eq!(diags[0].label, None);
}

#[test]
fn operand_errors() {
    assert_eq!(
        error("add.uc a64[0], 5, a64[1]"),
        err(
            "expected an integer register, found an integer literal",
            1,
            16
        )
    );
    assert_eq!(
        error("add.uc a64[0], a64[1]"),
        err("expected an integer register, found end of operands", 1, 22)
    );
    assert_eq!(
        error("nop a64[0]"),
        err("too many operands: expected no operands", 1, 5)
    );
    assert_eq!(
        error("add.uc a64[0], a64[1], a32[2]"),
        err(
            "all integer register operands must have the same width",
            1,
            24
        )
    );
    assert_eq!(
        error("add.xx a64[0], a64[1], a64[2]"),
        err("unknown flag `.xx`", 1, 5)
    );
    assert_eq!(
        error("add a64[0], a64[1], a64[2]"),
        err(
            "this instruction needs a flag suffix: one of .uc .uw .sc .sw",
            1,
            1
        )
    );
    assert_eq!(
        error("nop.uc"),
        err("this instruction takes no flag suffix", 1, 5)
    );
    assert_eq!(
        error("len a32[0], s[0]"),
        err("expected an a16 register, found an integer register", 1, 5)
    );
    assert_eq!(
        error("inc.uc a64[0], 300"),
        err("step 300 is out of range 1..=256", 1, 16)
    );
    assert_eq!(
        error("put st0, 1"),
        err(
            "no form of `put` takes these operands; its forms are: a(width, reg), data(off) | f(format, reg), data(off) | r(width, reg), data(off) | s(reg), range(off, len)",
            1,
            1
        )
    );
    assert_eq!(
        error("jmp s[0]"),
        err(
            "expected a label or code position, found a byte-string register",
            1,
            5
        )
    );
    assert_eq!(
        error("call 5"),
        err(
            "expected an external site `label @ library`, found an integer literal",
            1,
            6
        )
    );
}

#[test]
fn value_errors() {
    assert_eq!(
        error("put a8[0], 256"),
        err("256 does not fit in 8 bits (-128..=255)", 1, 12)
    );
    assert_eq!(
        error("put a8[0], -129"),
        err("-129 does not fit in 8 bits (-128..=255)", 1, 12)
    );
    assert_eq!(
        error("put a64[0], 1.5"),
        err(
            "a float literal cannot be loaded into the integer register `a64[0]`",
            1,
            13
        )
    );
    assert_eq!(error("put f16[0], 1e6"), err("`1e6` overflows f16", 1, 13));
    assert_eq!(
        error("put a16[0], \"abc\""),
        err("the string is 3 bytes long, but `a16[0]` reads 2", 1, 13)
    );
    assert_eq!(
        error(".data d \"abc\"\nput a16[0], d"),
        err("data `d` is 3 bytes long, but `a16[0]` reads 2", 2, 13)
    );
    assert_eq!(
        error("jmp 65536"),
        err("65536 does not fit in a code offset (0..=65535)", 1, 5)
    );
    assert_eq!(
        error("put s[0], data[5..4]"),
        err("data range ends before it starts", 1, 11)
    );
    assert_eq!(
        error("put s[0], data[0..65536]"),
        err(
            "a range of 65536 bytes does not fit in a byte string (at most 65535 bytes)",
            1,
            11
        )
    );
    assert_eq!(
        error("put a8[0], data[1..2]"),
        err(
            "expected a value or `data[OFFSET]`, found a data range",
            1,
            12
        )
    );
    assert_eq!(
        error("put s[0], data[1]"),
        err(
            "expected a byte string or `data[START..END]`, found a data offset",
            1,
            11
        )
    );
    assert_eq!(
        error("reserved 256"),
        err("256 does not fit in a byte (0..=255)", 1, 10)
    );
    assert_eq!(
        error("reserved"),
        err("expected an opcode byte, found end of operands", 1, 9)
    );
    assert_eq!(
        error("ext 0x10, x\"\""),
        err("an extension opcode is in 0xc0..=0xff, not 0x10", 1, 5)
    );
    assert_eq!(
        error("ext 0xc0, x\"0102030405060708\""),
        err(
            "an extension instruction has at most 7 operand bytes, not 8",
            1,
            11
        )
    );
    assert_eq!(
        error("ext.x 0xc0, x\"\""),
        err("`ext` takes no flag suffix", 1, 5)
    );
}

#[test]
fn name_errors() {
    assert_eq!(error("jmp nowhere"), err("undefined label `nowhere`", 1, 5));
    assert_eq!(
        error("put a8[0], nothing"),
        err("undefined name `nothing`", 1, 12)
    );
    assert_eq!(
        error(".data d 1\njmp d"),
        err("`d` is data, not a label", 2, 5)
    );
    assert_eq!(
        error("l: put a8[0], l"),
        err("`l` is a label, not a value", 1, 15)
    );
    assert_eq!(
        error("l: inc.uc a8[0], l"),
        err("`l` is a label, not an integer", 1, 18)
    );
    assert_eq!(
        error(".const c 1\nput s[0], c"),
        err("`c` is a constant, not a byte string", 2, 11)
    );
    assert_eq!(
        error("call f @ nolib"),
        err("unknown library `nolib`: it needs an `.import`", 1, 10)
    );
    assert_eq!(
        error(".import std\ncall nope @ std"),
        err("library `std` has no entry point `nope`", 2, 6)
    );
    assert_eq!(error(".entry main"), err("undefined label `main`", 1, 8));
    assert_eq!(
        error(".entry e nowhere"),
        err("undefined label `nowhere`", 1, 10)
    );
    let long = "x".repeat(65);
    assert_eq!(
        error(&format!(".entry {long} 0")).0,
        format!("`{long}` is not a valid entry name: 1 to 64 characters of A-Z, a-z, 0-9 and _")
    );
}

#[test]
fn import_errors() {
    assert_eq!(
        error(".import missing"),
        err("no library `missing` here", 1, 9)
    );
    assert!(error(".import x alu1qqqq")
        .0
        .starts_with("invalid library id: "));
    let unknown = LibId([7; 32]);
    assert_eq!(
        error(&format!(".import x {unknown}")),
        err(&format!("library {unknown} not found"), 1, 11)
    );
    let std_id = std_lib().id();
    assert_eq!(
        error(&format!(".import std\n.import again {std_id}")),
        err(
            &format!("library {std_id} is already imported as `std`"),
            2,
            15
        )
    );
    let diags = assemble("t.alu", ".import std", &NoLibs).unwrap_err();
    assert_eq!(
        diags[0].message,
        "library `std` not found: no library search path"
    );
}

#[test]
fn segment_limits() {
    let big = format!(
        ".data a x\"{}\"\n.data b x\"{}\"\n",
        "00".repeat(40000),
        "11".repeat(30000)
    );
    assert_eq!(
        error(&big),
        err("the data segment exceeds 65535 bytes", 2, 9)
    );
    let literals = format!(
        ".data a x\"{}\"\nput s[0], x\"{}\"\nput s[1], x\"{}\"\n",
        "00".repeat(40000),
        "11".repeat(30000),
        "22".repeat(30000)
    );
    assert_eq!(
        errors(&literals),
        [err("the data segment exceeds 65535 bytes", 2, 11)]
    );
    let code = format!(
        "{}\n.bytes x\"00\"\nnop\n",
        ".bytes x\"".to_owned() + &"00".repeat(65535) + "\""
    );
    assert_eq!(
        error(&code),
        err("the code segment exceeds 65535 bytes", 2, 1)
    );
}

#[test]
fn several_errors_in_source_order() {
    let src = "jmp a\nfoo\nput a8[0], 999\n";
    assert_eq!(
        errors(src),
        [
            err("undefined label `a`", 1, 5),
            err("unknown mnemonic `foo`", 2, 1),
            err("999 does not fit in 8 bits (-128..=255)", 3, 12),
        ]
    );
}

#[test]
fn syntax_errors_come_first() {
    assert_eq!(
        error("put a64[99], 1"),
        err(
            "register index out of range: `a64` has indices 0..=31",
            1,
            9
        )
    );
}

#[test]
fn dir_resolver_reads_libs_and_sources() {
    let dir = std::env::temp_dir().join(format!("avm-asm-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("base.lib"), std_lib().to_bytes()).unwrap();
    std::fs::write(
        dir.join("mid.alu"),
        ".import base\n.entry go\ngo: call sha @ base\n",
    )
    .unwrap();
    std::fs::write(dir.join("loop_a.alu"), ".import loop_b\n").unwrap();
    std::fs::write(dir.join("loop_b.alu"), ".import loop_a\n").unwrap();
    std::fs::write(dir.join("broken.alu"), "nop\nbad\n").unwrap();
    let resolver = DirResolver::new(vec![dir.clone()]);

    let out = assemble("top.alu", ".import mid\ncall go @ mid\n", &resolver).unwrap();
    let mid = resolver.by_name("mid").unwrap();
    assert_eq!(out.library.libs, [mid.id()]);
    assert_eq!(mid.libs, [std_lib().id()]);
    assert_eq!(resolver.by_id(&std_lib().id()), Some(std_lib()));
    assert_eq!(resolver.by_id(&mid.id()), Some(mid));
    assert_eq!(resolver.by_id(&LibId([0; 32])), None);

    let cycle = assemble("top.alu", ".import loop_a\n", &resolver).unwrap_err();
    assert!(
        cycle[0]
            .message
            .contains("import cycle: loop_a -> loop_b -> loop_a"),
        "{}",
        cycle[0].message
    );
    let broken = assemble("top.alu", ".import broken\n", &resolver).unwrap_err();
    assert!(
        broken[0]
            .message
            .ends_with("broken.alu:2:1: unknown mnemonic `bad`"),
        "{}",
        broken[0].message
    );
    let missing = assemble("top.alu", ".import nope\n", &resolver).unwrap_err();
    assert!(missing[0]
        .message
        .starts_with("library `nope` not found: no `nope.lib` or `nope.alu` in "));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn built_in_extensions_are_listed_when_used() {
    assert!(lib("stop\n").isa.is_empty());
    assert_eq!(
        lib("sha256 r256[0], s[0]\nstop\n").isa,
        vec!["DIGEST".to_string()]
    );
    // Listing it by hand as well gives the same library.
    assert_eq!(
        lib(".isa DIGEST\nsha256 r256[0], s[0]\n"),
        lib("sha256 r256[0], s[0]\n")
    );
    // Raw reserved bytes commit to nothing.
    assert!(lib("reserved 0xa0\n").isa.is_empty());
}

#[test]
fn a_line_that_does_not_parse_does_not_hide_the_errors_of_the_others() {
    let src = "main:\n    mov a99[0], 1\n    add a64[0], a64[1], a64[2]\n    mov a64[0], zz\n    jmp main\n";
    let got = errors(src);
    let messages: Vec<&str> = got.iter().map(|(m, ..)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown register `a99`",
            "this instruction needs a flag suffix: one of .uc .uw .sc .sw",
            "expected an integer register, found `zz`",
        ]
    );
    assert_eq!(got.iter().map(|e| e.1).collect::<Vec<_>>(), [2, 3, 4]);
    // A name whose definition may be on the bad line is not reported...
    let got = errors("    jmp there\nthere: mov a99[0], 1\n    jmp nowhere\n");
    assert_eq!(got, [err("unknown register `a99`", 2, 12)]);
    // ...but is once every line parses.
    let got = errors("    jmp there\nthere: stop\n    jmp nowhere\n");
    assert_eq!(got, [err("undefined label `nowhere`", 3, 9)]);
}
