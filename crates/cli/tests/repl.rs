//! `avm repl` driven through standard input (not a terminal: no prompts).

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `avm repl` with `input` on stdin: (exit code, stdout, stderr).
fn repl(input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_avm"))
        .args(["repl", "--gas", "100000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the avm binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn definitions_persist_and_values_print_with_gas() {
    let (code, out, err) = repl(
        "(define (sq (x i64)) (* x x))\n\
         (define LIMIT 10i64)\n\
         (- (sq 3) LIMIT)\n\
         (let ((n 0u64))\n  (for (i 1 10) (set! n (+ n i)))\n  n)\n\
         ; only a comment\n\
         (= (sha256 \"abc\") 0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad)\n\
         (as u8 300)\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[..3], ["defined sq", "defined LIMIT", "-1 : i64"]);
    assert!(lines[3].starts_with("gas: "), "{out}");
    assert_eq!(lines[4], "55 : u64", "{out}");
    assert_eq!(lines[6], "true : bool", "{out}");
    assert_eq!(lines[8], "none: the run failed", "{out}");
    assert_eq!(lines.len(), 10, "{out}");
}

#[test]
fn errors_point_into_the_entry_and_the_session_goes_on() {
    let (code, out, err) = repl("(+ 1 true)\n(define (f) (g))\n(f)\n(* 6 7)\n:quit\n(+ 1 1)\n");
    assert_eq!(code, 0);
    assert!(err.contains("`+` works on numbers, not bool"), "{err}");
    assert!(err.contains(" --> <repl>:1:1\n"), "{err}");
    // `f` did not compile, so it was not defined.
    assert!(err.contains("unknown form or function `f`"), "{err}");
    assert_eq!(out.lines().next(), Some("42 : u64"), "{out}");
    assert_eq!(out.lines().count(), 2, "`:quit` ends the session: {out}");
    let (_, _, err) = repl("(+ 1\n");
    assert!(err.contains("ended inside a list"), "{err}");
}

#[test]
fn an_intent_entry_shows_the_intent_it_states() {
    let (code, out, err) =
        repl("(let ((b (choose (range 0 9))))\n  (require (>= b 4))\n  (produce \"banana\" b))\n");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "intent repl\n  var c0 in 0..=9\n  require not(c0 < 4)\n  create c0 banana (repl)\n"
    );
}
