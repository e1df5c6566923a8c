//! `parse` never panics, whatever the input, and stays fast on adversarial input.

use avm_asm::*;
use proptest::collection::vec;
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Parses `src`; checks that diagnostics render and that a successful parse prints to
/// source that parses back to the same module.
fn check(src: &str) {
    match parse("fuzz.s", src) {
        Ok(mut module) => {
            let printed = module.to_string();
            let mut again = parse("printed.s", &printed).unwrap_or_else(|diags| {
                panic!(
                    "{}\n--- printed ---\n{printed}",
                    render_all(&diags, &printed)
                )
            });
            module.clear_spans();
            again.clear_spans();
            assert_eq!(module, again);
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                assert!(d.span.start <= d.span.end && d.span.end <= src.len());
                assert!(d.render(src).starts_with("error: "));
                let (line, col) = d.line_col(src);
                assert!(d.render(src).contains(&format!("fuzz.s:{line}:{col}")));
            }
            render_all(&diags, src);
        }
    }
}

const PIECES: &[&str] = &[
    "a64[", "a8", "bf16", "f80", "r160[", "s[", "st0", "]", "[", "0", "31", "32", "15", "0x", "ff",
    "0b1", "1_0", "-", "1.5", "e-3", "inf", "nan", "\"", "\\", "\\x", "\\n", "x\"", "de ad", "@",
    "lib", ":", ",", ".", ".isa", " ALU64", ".import", " alu1qq", ".entry", ".data", ".const",
    ".bogus", "add", ".uc", "Mov", "label", " ", "\t", "\n", "\r\n", ";", "é", "\u{0}", "#",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings(src in any::<String>()) {
        check(&src);
    }

    #[test]
    fn arbitrary_bytes(bytes in vec(any::<u8>(), 0..256)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup(pieces in vec(proptest::sample::select(PIECES), 0..40)) {
        check(&pieces.concat());
    }

    /// Assembling goes on past lines that do not parse (lowering the rest); its
    /// diagnostics still come in source order and point into the source.
    #[test]
    fn assembling_token_soup_reports_in_order(
        lines in vec(vec(proptest::sample::select(PIECES), 0..12), 0..8)
    ) {
        let src = lines.iter().map(|l| l.concat()).collect::<Vec<_>>().join("\n");
        if let Err(diags) = assemble("fuzz.s", &src, &NoLibs) {
            prop_assert!(!diags.is_empty());
            prop_assert!(diags.windows(2).all(|w| w[0].span.start <= w[1].span.start));
            for d in &diags {
                prop_assert!(d.span.start <= d.span.end && d.span.end <= src.len());
            }
            render_all(&diags, &src);
        }
    }
}

/// Fails if `src` takes long enough to parse to suggest superlinear work.
fn fast(src: &str) {
    let start = Instant::now();
    let _ = parse("big.s", src);
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(5),
        "{} bytes took {took:?}",
        src.len()
    );
}

#[test]
fn large_inputs_stay_linear() {
    fast(&"9".repeat(1 << 20));
    fast(&format!("put a64[0], {}", "0".repeat(1 << 20)));
    fast(&format!("put a64[0], 0x{}", "f".repeat(1 << 20)));
    fast(&format!(
        "{}x:\n{}",
        " ".repeat(1 << 20),
        "x:\n".repeat(100_000)
    ));
    fast(&"nop a64[99]\n".repeat(100_000));
    fast(&format!("put s[0], \"{}\"", "\\x41".repeat(1 << 18)));
    let many_errors = "bad a64[99]\n".repeat(50_000);
    let diags = parse("big.s", &many_errors).unwrap_err();
    let start = Instant::now();
    render_all(&diags, &many_errors);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_source_over_the_limit_is_refused_before_parsing() {
    let diags = parse("big.s", &" ".repeat(MAX_SOURCE + 1)).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.contains("more than the 4194304"),
        "{}",
        diags[0].message
    );
    assert!(parse("big.s", &" ".repeat(MAX_SOURCE)).is_ok());
}

#[test]
fn errors_past_the_limit_are_counted_not_kept() {
    let src = "bad a64[99]\n".repeat(MAX_DIAGNOSTICS + 400);
    let diags = parse("big.s", &src).unwrap_err();
    assert_eq!(diags.len(), MAX_DIAGNOSTICS + 1);
    let last = diags.last().unwrap();
    assert_eq!(last.message, "400 more errors not shown");
    assert_eq!(last.line_col(&src), (MAX_DIAGNOSTICS + 1, 9));
}

/// A huge unknown mnemonic (once 15 s a megabyte: the did-you-mean distance compared it
/// whole with every mnemonic) gets a short message, a short excerpt and no suggestion.
#[test]
fn a_huge_unknown_mnemonic_gets_a_bounded_report() {
    for name in [
        "x".repeat(MAX_SOURCE - 16),
        format!("ad{}", "d".repeat(1 << 20)),
    ] {
        let src = format!("{name} a64[0]\n");
        let diags = assemble("big.s", &src, &NoLibs).unwrap_err();
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.starts_with("unknown mnemonic `xx")
                || diags[0].message.starts_with("unknown mnemonic `ad")
        );
        assert!(diags[0].message.chars().count() <= MAX_MESSAGE);
        assert_eq!(diags[0].label, None);
        let rendered = diags[0].render(&src);
        assert!(
            rendered.len() < 4 * (MAX_MESSAGE + MAX_EXCERPT),
            "{rendered}"
        );
    }
}
