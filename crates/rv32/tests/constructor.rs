//! Constructors: a deploy runs the contract's entry once with a2 = 1 and
//! the deploy's input (contracts/probe.c's `deploy`), and installs the code
//! only if that succeeds.

mod chain;

use avm_rv32::contract::{deploy_address, Event, Receipt, Status, TxKind};
use avm_rv32::gas::Gas;
use chain::*;

/// Gas for the code of a deploy of the probe.
const PROBE_CODE_GAS: Gas = 10 * PROBE.len() as Gas;

fn topic(name: &str) -> [u8; 32] {
    let mut t = [0; 32];
    t[..name.len()].copy_from_slice(name.as_bytes());
    t
}

/// Deploys the probe from addr(1) with `value`, `input` and `gas`.
fn deploy_probe(env: &mut Env, value: u128, input: &[u8], gas: Gas) -> Receipt {
    let kind = TxKind::Deploy {
        code: PROBE.to_vec(),
        input: input.to_vec(),
    };
    env.send_with_gas(addr(1), value, gas, kind)
}

#[test]
fn constructor_storage_events_and_value_persist() {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 100);
    let at = deploy_address(&addr(1), 0);
    let r = deploy_probe(&mut env, 7, b"hello", GAS);
    assert_eq!(r.status, Status::Success, "{r:?}");
    assert_eq!(r.return_data, at, "the receipt names the new address");
    assert_eq!(
        r.events,
        vec![Event {
            address: at,
            topics: vec![topic("Deployed")],
            data: b"hello".to_vec(),
        }]
    );
    // The code is charged per byte, the constructor's run on top.
    assert!(r.gas_used > PROBE_CODE_GAS);
    let state = env.chain.state();
    let account = state.account(&at).unwrap();
    assert_eq!(&*account.code, PROBE);
    assert_eq!(account.balance, 7);
    assert_eq!(state.storage(&at, b"init"), Some(&b"hello"[..]));
    assert_eq!(state.storage(&at, b"value"), Some(&7u128.to_le_bytes()[..]));
    assert_eq!(state.balance(&addr(1)), 93);
    assert_eq!(state.account(&addr(1)).unwrap().nonce, 1);
    // A call runs main, never the constructor, whatever its input.
    let r = env.call(addr(2), at, b"rrrr".to_vec());
    assert_eq!(reason(&r), "unknown selector");
    assert_eq!(env.chain.state().storage(&at, b"init"), Some(&b"hello"[..]));
}

#[test]
fn during_construction_the_new_address_has_no_code() {
    let mut env = Env::new();
    let r = deploy_probe(&mut env, 0, b"c", GAS);
    assert_eq!(r.status, Status::Success, "{r:?}");
    let at = deploy_address(&addr(1), 0);
    // Calling itself was a plain transfer (status 0) that ran nothing: the
    // constructor ran once (one event, not two).
    let status = env.chain.state().storage(&at, b"self call").unwrap();
    assert_eq!(status, 0u32.to_le_bytes());
    assert_eq!(r.events.len(), 1);
}

/// Runs a deploy of the probe (with value 7) that must fail, and checks it
/// left nothing but the sender's nonce: no account, code or balance at the
/// new address, the value back with the sender, no events. Returns the
/// receipt.
fn fails_leaving_only_the_nonce(input: &[u8], gas: Gas) -> Receipt {
    let mut env = Env::new();
    env.chain.state_mut().set_balance(&addr(1), 100);
    let at = deploy_address(&addr(1), 0);
    let mut expected = env.chain.state().clone();
    let r = deploy_probe(&mut env, 7, input, gas);
    assert_ne!(r.status, Status::Success);
    assert!(r.events.is_empty());
    assert_eq!(env.chain.state().account(&at), None);
    expected.set_nonce(&addr(1), 1);
    assert_eq!(env.chain.state().root(), expected.root());
    // The next deploy uses the next nonce, so another address.
    let next = deploy_probe(&mut env, 0, b"", GAS);
    assert_eq!(next.status, Status::Success);
    assert_eq!(next.return_data, deploy_address(&addr(1), 1));
    r
}

#[test]
fn a_reverting_constructor_leaves_only_the_nonce() {
    let r = fails_leaving_only_the_nonce(b"r", GAS);
    assert_eq!(r.status, Status::Reverted);
    assert_eq!(r.return_data, b"constructor reverted", "the revert data");
    assert!(r.gas_used > PROBE_CODE_GAS && r.gas_used < GAS);
}

#[test]
fn a_faulting_constructor_leaves_only_the_nonce() {
    let r = fails_leaving_only_the_nonce(b"f", GAS);
    match r.status {
        Status::Faulted { cause, .. } => assert_eq!(cause, "load from 0x4 denied"),
        other => panic!("{other:?}"),
    }
    assert!(r.return_data.is_empty());
}

#[test]
fn a_constructor_out_of_gas_uses_the_whole_limit_and_leaves_only_the_nonce() {
    let r = fails_leaving_only_the_nonce(b"s", 1_000_000);
    assert_eq!((r.status, r.gas_used), (Status::OutOfGas, 1_000_000));
    // Gas for the code and none left for the constructor.
    let r = fails_leaving_only_the_nonce(b"", PROBE_CODE_GAS);
    assert_eq!((r.status, r.gas_used), (Status::OutOfGas, PROBE_CODE_GAS));
    // Not even that.
    let r = fails_leaving_only_the_nonce(b"", PROBE_CODE_GAS - 1);
    assert_eq!(
        (r.status, r.gas_used),
        (Status::OutOfGas, PROBE_CODE_GAS - 1)
    );
}

#[test]
fn a_failed_constructor_leaves_an_earlier_balance_at_the_address_alone() {
    let mut env = Env::new();
    let at = deploy_address(&addr(1), 0);
    env.chain.state_mut().set_balance(&at, 5);
    let r = deploy_probe(&mut env, 0, b"r", GAS);
    assert_eq!(r.status, Status::Reverted);
    let account = env.chain.state().account(&at).unwrap();
    assert_eq!((account.balance, account.code.len()), (5, 0));
    assert!(account.storage.is_empty());
}

#[test]
fn a_deploy_whose_value_the_sender_lacks_runs_no_constructor() {
    let mut env = Env::new();
    let r = deploy_probe(&mut env, 7, b"", GAS);
    assert_eq!(r.status, Status::Reverted);
    assert_eq!(r.gas_used, PROBE_CODE_GAS, "only the code is charged");
    assert!(r.events.is_empty());
    assert_eq!(
        env.chain.state().account(&deploy_address(&addr(1), 0)),
        None
    );
}
