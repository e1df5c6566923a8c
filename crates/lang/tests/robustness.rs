//! No text makes the compiler panic, whatever compiles runs, and its intent
//! extraction (docs/intents.md) never panics either. The same
//! property as the `lang_compile` fuzz target, on random text and on token
//! soup built from Alma's own vocabulary (which reaches the checker and the
//! code generator far more often than random bytes do).

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use proptest::prelude::*;

fn compile_and_run(source: &str) {
    let Ok(compiled) = avm_lang::compile("soup.alma", source) else {
        return;
    };
    let mut registry = Registry::new();
    registry.register(AluVm::new()).unwrap();
    let args = [DataValue::nat(3u8), DataValue::nat(1u8)];
    registry
        .multievaluate(&compiled.function, &args, 10_000)
        .expect("a compiled program is an Alu function");
    // Extraction refuses what it does not follow, by name, and never panics.
    let _ = avm_intent::extract::extract("soup", &compiled.library, Default::default());
}

const TOKENS: &[&str] = &[
    "(",
    "(",
    "(",
    ")",
    ")",
    ")",
    "define",
    "main",
    "f",
    "x",
    "y",
    "n",
    "(n u64)",
    "(x i8)",
    "(y bool)",
    "let",
    "((x 1))",
    "((y u8 2))",
    "if",
    "cond",
    "else",
    "when",
    "unless",
    "begin",
    "set!",
    "while",
    "for",
    "(i 1 3)",
    "as",
    "u8",
    "i1024",
    "assert",
    "+",
    "-",
    "*",
    "/",
    "rem",
    "+%",
    "-%",
    "*%",
    "bit-and",
    "bit-or",
    "bit-xor",
    "bit-not",
    "shl",
    "shr",
    "abs",
    "not",
    "and",
    "or",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "0",
    "1",
    "-1",
    "255u8",
    "-128i8",
    "0xff",
    "true",
    "false",
    "\"s\"",
    ";c\n",
    "1.5",
    "-2.0e3",
    "1.0f32",
    "(z f64)",
    "f64",
    "sqrt",
    "+.z",
    "*.uc",
    "as.d",
    "floor",
    "min",
    "x\"ab\"",
    "(b bytes)",
    "sha256",
    "concat",
    "bytes-len",
    "state-get",
    "self",
    "tx",
    "choose",
    "(range 0 3)",
    "(one-of 1 -2)",
    "require",
    "new-var",
    "(q var)",
    "q",
    "narrow",
    "label",
    "post",
    "(all-different q q)",
    "(element (1 2) q q)",
    "consume",
    "produce",
    "offer",
    "i64",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(0..TOKENS.len(), 0..60).prop_map(|picks| {
        picks
            .iter()
            .map(|i| TOKENS[*i])
            .collect::<Vec<_>>()
            .join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn token_soup_never_panics(body in soup()) {
        compile_and_run(&body);
        compile_and_run(&format!("(define (main (n u64) (x i8)) {body})"));
    }

    #[test]
    fn any_text_never_panics(text in ".{0,200}") {
        compile_and_run(&text);
    }
}

#[test]
fn limits_hold_on_hostile_inputs() {
    // Deep nesting, long chains and many functions are refused or compiled, never a crash.
    let deep = format!(
        "(define (main) {}1{})",
        "(+ 1 ".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(avm_lang::compile("deep.alma", &deep).is_err());
    let long = format!("(define (main) (+ {}))", "1 ".repeat(1000));
    assert!(avm_lang::compile("long.alma", &long).is_err());
    let mut many = String::new();
    for i in 0..2000 {
        many.push_str(&format!("(define (g{i} (x u64)) (+ x 1))\n"));
    }
    many.push_str("(define (main (n u64)) (g1999 n))");
    assert!(avm_lang::compile("many.alma", &many).is_ok());
    compile_and_run(&many);
    // A call chain deeper than the registers of one width is refused by name.
    // (Single-use functions are expanded in place, so a chain of them compiles.)
    let mut chain = String::from("(define (g0 (x u64)) x)\n");
    for i in 1..40 {
        // Each is called twice, so none is expanded in place.
        let j = i - 1;
        chain.push_str(&format!("(define (g{i} (x u64)) (+% (g{j} x) (g{j} x)))\n"));
    }
    chain.push_str("(define (main (n u64)) (g39 n))");
    let errors = avm_lang::compile("chain.alma", &chain).unwrap_err();
    assert!(
        errors[0].message.contains("spilling"),
        "{}",
        errors[0].message
    );
}
