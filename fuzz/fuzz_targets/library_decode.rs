//! `Library::from_bytes` on any bytes: never panics, and what it accepts is
//! canonical (it re-encodes to the same bytes) and valid.
#![no_main]

use avm_alu::{Host, Library, Limits, Program, Registers, Site};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(lib) = Library::from_bytes(bytes) else {
        return;
    };
    assert_eq!(lib.check(), Ok(()));
    assert_eq!(lib.to_bytes(), bytes);
    // A parsed library either starts (no imports, core ISA only) or names why not.
    if let Ok(p) = Program::new(
        [lib.clone()],
        Site {
            lib: lib.id(),
            pos: 0,
        },
        &Host::new(),
    ) {
        let limits = Limits {
            complexity: 10_000,
            ..Limits::default()
        };
        let out = p.run(&mut Registers::new(), &limits);
        assert!(out.ca0 <= limits.complexity);
    }
});
