//! Submitting arbitrary intents: any code and data, committing to OBJ,
//! extracts to a well-formed intent or an error, within the step, path
//! and variable bounds (no panic, bounded time and memory); an intent
//! that extracts composes and solves with a timeout.
#![no_main]

use avm_alu::Library;
use avm_intent::extract::{extract, Limits};
use avm_intent::{solve, Options};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|input: &[u8]| {
    // The first byte says how many of the rest are data; the others are code.
    let (n, rest) = input.split_first().unwrap_or((&0, &[]));
    let (data, code) = rest.split_at(usize::from(*n).min(rest.len()));
    let (code, data) = (code.to_vec(), data.to_vec());
    let lib = Library {
        isa: vec!["OBJ".into()],
        libs: vec![],
        code,
        data,
        entries: vec![],
    };
    let limits = Limits {
        max_steps: 20_000,
        max_paths: 16,
        max_vars: 64,
    };
    if let Ok(x) = extract("fuzz", &lib, limits) {
        assert!(x.intent.validate().is_ok());
        let options = Options {
            timeout: Some(Duration::from_millis(200)),
            ..Options::default()
        };
        let _ = solve::solve(&[x.intent], options);
    }
});
