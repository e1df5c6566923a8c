//! `avm eval`: function values from text, files and sources, through the VM registry;
//! results, gas, JSON and exit codes.

mod common;

use common::{avm, examples_copy, scratch, write, Run};

/// The `result:` and `gas:` lines of an `eval` report.
fn result(run: &Run) -> (String, u64) {
    let r = run.field("result").expect("a result line");
    let g = run.field("gas").expect("a gas line").parse().expect("gas");
    (r, g)
}

#[test]
fn sources_become_functions_and_arguments_land_in_registers() {
    let dir = examples_copy("eval-sources");
    let gcd = dir.join("gcd.alu").display().to_string();
    let run = avm(&["eval", &gcd, "1071", "462", "--gas", "1000"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(result(&run).0, "21");

    let sum = dir.join("sum.alu").display().to_string();
    let run = avm(&["eval", &sum, "--gas", "1000"]);
    assert_eq!((run.code, result(&run)), (0, ("5050".into(), 608)));

    // A byte-string result prints in text form.
    let hello = dir.join("hello.alu").display().to_string();
    let run = avm(&["eval", &hello, "--gas", "100"]);
    assert_eq!(result(&run).0, "\"hello, world\"");
}

#[test]
fn imports_travel_with_the_function() {
    let dir = examples_copy("eval-imports");
    let calls = dir.join("calls.alu").display().to_string();
    let run = avm(&["eval", &calls, "--gas", "100"]);
    assert_eq!((run.code, result(&run)), (0, ("27".into(), 27)));

    // A library file: its entry `main`, else offset 0 (mathlib's `square`).
    let mathlib = dir.join("mathlib.alu").display().to_string();
    assert_eq!(avm(&["asm", &mathlib]).code, 0);
    let lib = dir.join("mathlib.lib").display().to_string();
    let run = avm(&["eval", &lib, "12", "--gas", "100"]);
    assert_eq!(result(&run).0, "144");
}

#[test]
fn no_result_exits_1_with_the_gas_used() {
    let dir = examples_copy("eval-none");
    let sum = dir.join("sum.alu").display().to_string();
    let run = avm(&["eval", &sum, "--gas", "607"]);
    assert_eq!(run.code, 1);
    let (r, gas) = result(&run);
    assert_eq!(r, "none");
    assert!(gas <= 607);
    // st0 = false: no result either.
    let fails = write(&dir, "fails.alu", "fail\n");
    let run = avm(&["eval", &fails, "--gas", "10"]);
    assert_eq!((run.code, result(&run)), (1, ("none".into(), 1)));
}

#[test]
fn values_in_text_form_and_in_files() {
    let dir = examples_copy("eval-text");
    // A function value written out: `avm eval --json` on the source gives the
    // same result as on the printed value of its library.
    let src = write(&dir, "concat.alu", "cat s[0], s[0], s[1]\nstop\n");
    assert_eq!(avm(&["asm", &src]).code, 0);
    let lib = std::fs::read(dir.join("concat.lib")).unwrap();
    let hex: String = lib.iter().map(|b| format!("{b:02x}")).collect();
    let function = format!("fn(0x300001, x\"{hex}\")");
    let file = write(
        &dir,
        "concat.txt",
        format!("// concatenation\n{function}\n"),
    );
    for f in [function.as_str(), &format!("@{file}"), &src] {
        let run = avm(&["eval", f, "\"ab\"", "x\"6364\"", "--gas", "10"]);
        assert_eq!((run.code, result(&run)), (0, ("\"abcd\"".into(), 3)), "{f}");
    }
    let arg = write(&dir, "arg.txt", "\"from a file\"");
    let run = avm(&["eval", &src, &format!("@{arg}"), "\"!\"", "--gas", "10"]);
    assert_eq!(result(&run).0, "\"from a file!\"");
}

#[test]
fn json_is_one_document() {
    let dir = examples_copy("eval-json");
    let sum = dir.join("sum.alu").display().to_string();
    let run = avm(&["eval", &sum, "--gas", "1000", "--json"]);
    assert_eq!(run.code, 0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(
        doc,
        serde_json::json!({"result": "5050", "gas": 608, "gas_limit": 1000, "vm": "0x300001"})
    );
    let run = avm(&["eval", &sum, "--gas", "10", "--json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["result"], serde_json::Value::Null);
    assert!(doc["gas"].as_u64().unwrap() <= 10);
}

#[test]
fn parse_errors_exit_2_with_the_offset() {
    let run = avm(&["eval", "(1, 2", "--gas", "10"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("at byte 5"), "{}", run.stderr);
    assert!(run.stderr.contains("  (1, 2\n       ^"), "{}", run.stderr);
    let dir = scratch("eval-parse");
    let file = write(&dir, "f.txt", "fn(0x300001,\n  x\"0\")");
    let run = avm(&["eval", &format!("@{file}"), "--gas", "10"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("f.txt:2:"), "{}", run.stderr);
    let run = avm(&["eval", "fn(0x300001, x\"\")", "1 2", "--gas", "10"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("argument 1"), "{}", run.stderr);
    // Not a function; no --gas.
    assert_eq!(avm(&["eval", "5", "--gas", "10"]).code, 2);
    assert_eq!(avm(&["eval", "5"]).code, 2);
}

#[test]
fn other_failures_have_their_exit_codes() {
    // Unknown VM number.
    let run = avm(&["eval", "fn(0x3fff99, x\"\")", "--gas", "10"]);
    assert_eq!(run.code, 8, "{}", run.stderr);
    assert!(run.stderr.contains("0x3fff99"));
    // Alu code that is no library.
    let run = avm(&["eval", "fn(0x300001, x\"00\")", "--gas", "10"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    // A library that imports another, without it.
    let dir = examples_copy("eval-missing");
    assert_eq!(
        avm(&["asm", &dir.join("calls.alu").display().to_string()]).code,
        0
    );
    let calls = std::fs::read(dir.join("calls.lib")).unwrap();
    let hex: String = calls.iter().map(|b| format!("{b:02x}")).collect();
    let run = avm(&["eval", &format!("fn(0x300001, x\"{hex}\")"), "--gas", "10"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    // A missing file.
    assert_eq!(avm(&["eval", "@/nonexistent/f.txt", "--gas", "10"]).code, 7);
    assert_eq!(avm(&["eval", "/nonexistent/f.alu", "--gas", "10"]).code, 7);
}
