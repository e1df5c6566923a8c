//! The `avm tx` script parser on any text: never panics; an error names a line of the
//! script and a column from 1; a parsed script's statements are in line order.
//!
//! The parser lives in the `avm` binary crate, which has no library target, so its module
//! file is compiled in here directly (it depends only on avm-obj and avm-vm).
#![no_main]

#[path = "../../crates/cli/src/commands/objects/script.rs"]
#[allow(dead_code)]
mod script;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let source = String::from_utf8_lossy(bytes);
    match script::parse(&source) {
        Ok(statements) => {
            assert!(statements.len() <= script::MAX_STATEMENTS);
            assert!(statements.windows(2).all(|w| w[0].line < w[1].line));
        }
        Err(e) => {
            assert!(e.line >= 1 && e.line <= source.lines().count().max(1), "{e:?}");
            let line = source.lines().nth(e.line - 1).unwrap_or("");
            assert!(e.col >= 1 && e.col <= line.chars().count() + 1, "{e:?}");
        }
    }
});
