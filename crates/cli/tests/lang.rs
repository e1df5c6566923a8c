//! Alma sources through the built `avm`: `eval`, `run` (with the source
//! line of a failure and in the trace), `build`, `fmt`, and `obj create`.

mod common;

use common::{avm, example, scratch, write};

#[test]
fn eval_compiles_and_evaluates_the_examples() {
    let r = avm(&[
        "eval",
        &example("lang/gcd.alma"),
        "1071",
        "462",
        "--gas",
        "10000",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("result: 21"), "{}", r.stdout);
    let r = avm(&["eval", &example("lang/sum.alma"), "100", "--gas", "10000"]);
    assert!(r.stdout.contains("result: 5050"), "{}", r.stdout);
}

#[test]
fn a_failed_run_points_at_the_source() {
    let dir = scratch("alma-fail");
    let file = write(
        &dir,
        "ov.alma",
        "(define (main (n u8))\n  (let ((x (* n 3)))\n    (+ x 1)))\n",
    );
    let r = avm(&["run", &file, "--set", "a64[0]=100"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.field("source"),
        Some(format!("{file}:2:12: (let ((x (* n 3)))"))
    );
    let r = avm(&["run", &file, "--set", "a64[0]=10", "--trace"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.lines().any(|l| l.starts_with("0x")
            && l.contains("mul.uc")
            && l.ends_with("ov.alma:2:12: (let ((x (* n 3)))")),
        "{}",
        r.stdout
    );
    assert_eq!(r.reg("a64[0]"), "31");
}

#[test]
fn compile_errors_exit_3_with_carets() {
    let dir = scratch("alma-err");
    let file = write(
        &dir,
        "bad.alma",
        "(define (main) (+ 1 true))\n(define (f) x)\n",
    );
    let r = avm(&["build", &file]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("bad.alma:1:16"), "{}", r.stderr);
    assert!(r.stderr.contains("`x` is not defined"), "{}", r.stderr);
    assert!(r.stderr.contains("due to 2 errors"), "{}", r.stderr);
}

#[test]
fn build_writes_a_library_eval_runs() {
    let dir = scratch("alma-build");
    let src = std::fs::read_to_string(example("lang/factorial.alma")).unwrap();
    let file = write(&dir, "factorial.alma", src);
    let r = avm(&["build", &file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("alu1"));
    let lib = dir.join("factorial.lib").display().to_string();
    let r = avm(&["eval", &lib, "20", "--gas", "100000"]);
    assert!(
        r.stdout.contains("result: 2432902008176640000"),
        "{}",
        r.stdout
    );
}

#[test]
fn fmt_rewrites_and_checks() {
    let dir = scratch("alma-fmt");
    let file = write(&dir, "f.alma", "(define (main)\n        (+ 1\n 2))");
    let r = avm(&["fmt", "--check", &file]);
    assert_eq!(r.code, 1);
    let r = avm(&["fmt", &file]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "(define (main)\n  (+ 1 2))\n"
    );
    assert_eq!(avm(&["fmt", "--check", &file]).code, 0);
}

#[test]
fn an_alma_counter_runs_as_an_object() {
    let dir = scratch("alma-obj");
    let store = dir.join("store").display().to_string();
    let r = avm(&[
        "obj",
        "create",
        &example("lang/counter.alma"),
        "--store",
        &store,
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let id = r
        .stdout
        .split_whitespace()
        .find(|w| w.starts_with("obj"))
        .unwrap()
        .to_owned();
    avm(&["obj", "call", &id, "()", "--store", &store]);
    let r = avm(&["obj", "call", &id, "()", "--store", &store]);
    assert!(r.stdout.contains("output: 2"), "{}{}", r.stdout, r.stderr);
}
