//! The contract template of contracts-rs/template (what
//! `avm rv32 new --lang rust` is to create), built as contracts-rs/counter.elf.

mod chain;

use chain::*;

const COUNTER: &[u8] = include_bytes!("../../../contracts-rs/counter.elf");

#[test]
fn the_template_adds_and_reads_its_total() {
    let mut env = Env::new();
    let c = env.deploy(addr(1), COUNTER);
    let r = env.ok(addr(2), c, input(1, &[u256(5)]));
    assert_eq!(r.return_data, u256(5));
    let r = env.ok(addr(3), c, input(1, &[u256(7)]));
    assert_eq!(r.return_data, u256(12));
    assert_eq!(env.ok(addr(4), c, input(2, &[])).return_data, u256(12));
    let r = env.call(addr(2), c, input(1, &[U256_MAX]));
    assert_eq!(reason(&r), "overflow");
    assert_eq!(
        reason(&env.call(addr(2), c, input(3, &[]))),
        "unknown selector"
    );
    assert_eq!(env.ok(addr(4), c, input(2, &[])).return_data, u256(12));
}
