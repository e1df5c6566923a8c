//! `avm fmt`'s layout: idempotent, and it changes only whitespace and the
//! place of comments, never what is read.

use avm_lang::format::format;
use avm_lang::reader::{read, Sexp, SexpKind};
use proptest::prelude::*;

/// A random source text: nested lists of atoms, with random spacing and comments.
fn source() -> impl Strategy<Value = String> {
    let atom = prop::sample::select(vec![
        "define",
        "main",
        "x",
        "(n u64)",
        "+",
        "-7",
        "0xff",
        "255u8",
        "\"a b\"",
        "true",
        "let",
        "very-long-name-for-a-variable-to-force-line-breaks",
    ])
    .prop_map(str::to_owned);
    let tree = atom.prop_recursive(5, 60, 6, |inner| {
        prop::collection::vec((inner, 0..4usize), 0..6).prop_map(|items| {
            let parts: Vec<String> = items
                .into_iter()
                .map(|(s, gap)| match gap {
                    0 => s,
                    1 => format!("\n  {s}"),
                    2 => format!("; note\n{s}"),
                    _ => format!("  {s}"),
                })
                .collect();
            format!("({})", parts.join(" "))
        })
    });
    prop::collection::vec(tree, 0..4).prop_map(|forms| forms.join("\n"))
}

fn shape(s: &Sexp, source: &str) -> String {
    match &s.kind {
        SexpKind::List(items) => {
            let inner: Vec<String> = items.iter().map(|i| shape(i, source)).collect();
            format!("({})", inner.join(" "))
        }
        _ => source[s.span.range()].to_owned(),
    }
}

fn shapes(source: &str) -> Vec<String> {
    read(source)
        .unwrap()
        .forms
        .iter()
        .map(|f| shape(f, source))
        .collect()
}

proptest! {
    #[test]
    fn formatting_is_idempotent_and_keeps_the_forms(src in source()) {
        let once = format(&src).unwrap();
        prop_assert_eq!(format(&once).unwrap(), once.clone());
        prop_assert_eq!(shapes(&once), shapes(&src));
        let comments = |s: &str| read(s).unwrap().comments.len();
        prop_assert_eq!(comments(&once), comments(&src));
    }
}

#[test]
fn the_examples_are_formatted() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/lang");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format(&src).unwrap(),
            src,
            "{} is not formatted",
            path.display()
        );
    }
}
