//! Golden tests of the compiler's diagnostics: each `tests/golden/NAME.alma`
//! must give exactly the rendered errors in `tests/golden/NAME.txt`.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test -p avm-lang --test diagnostics`.

use std::path::Path;

fn golden(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let source = std::fs::read_to_string(dir.join(format!("{name}.alma"))).unwrap();
    let errors = avm_lang::compile(&format!("{name}.alma"), &source)
        .expect_err("the golden programs are wrong");
    let rendered = avm_lang::render_all(&errors, &source);
    let expected_path = dir.join(format!("{name}.txt"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(rendered, expected, "rendered:\n{rendered}");
}

#[test]
fn syntax_errors_are_all_reported() {
    golden("syntax");
}

#[test]
fn type_errors_name_the_expression() {
    golden("types");
}

#[test]
fn intent_errors_name_the_expression() {
    golden("intents");
}

#[test]
fn a_post_whose_handles_are_unknown_is_named() {
    golden("handles");
}
