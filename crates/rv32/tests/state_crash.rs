//! Crash safety of the RV32 state on disk: a child process runs ERC-20
//! transactions against a state directory, saving each one, and is killed
//! with SIGKILL at pseudo-random points. After every kill the stored state
//! must be exactly the state after some whole number of transactions, at
//! least every one the child acknowledged: never part of one.

mod chain;

use avm_rv32::contract::store::StateStore;
use avm_rv32::contract::{Chain, Transaction, TxKind};
use avm_store::crash;
use chain::{addr, input, u256, ERC20, GAS};
use std::path::Path;
use std::time::Duration;

/// The one sender: its nonce is the number of transactions stored.
const SENDER: u8 = 1;

/// Transaction `n` of the workload: deploy the token (its constructor
/// mints the supply to the sender), then transfers of `n` to one of five
/// holders (a nonce, two storage entries and an event each).
fn tx(n: u64) -> Transaction {
    let token = avm_rv32::contract::deploy_address(&addr(SENDER), 0);
    let kind = match n {
        0 => TxKind::Deploy {
            code: ERC20.to_vec(),
            input: u256(u128::MAX).to_vec(),
        },
        n => TxKind::Call {
            to: token,
            input: input(2, &[addr(2 + (n % 5) as u8), u256(n.into())]),
        },
    };
    Transaction {
        sender: addr(SENDER),
        nonce: n,
        value: 0,
        gas_limit: GAS,
        kind,
    }
}

/// How many transactions a chain has run.
fn done(chain: &Chain) -> u64 {
    chain.state().account(&addr(SENDER)).map_or(0, |a| a.nonce)
}

/// The child: reopen, carry on from the stored nonce, save each
/// transaction, acknowledge it.
#[test]
fn crash_child() {
    let Some(dir) = crash::child_dir() else {
        return;
    };
    let mut store = StateStore::open_dir(&dir).expect("reopen after a crash");
    let mut chain = Chain::new(store.load().expect("load after a crash"));
    for _ in 0..1_000_000 {
        let n = done(&chain);
        chain.execute(&tx(n)).expect("accepted");
        store.save(chain.state_mut()).expect("save");
        crash::ack(n);
    }
}

#[test]
fn a_transaction_is_all_or_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    // The same transactions in memory, advanced as the stored state grows.
    let mut model = Chain::default();
    let check = |dir: &Path, acked: &[u64]| -> Result<(), String> {
        let store = StateStore::open_dir(dir).map_err(|e| format!("reopen: {e}"))?;
        let stored = store.load().map_err(|e| format!("load: {e}"))?;
        let n = stored.account(&addr(SENDER)).map_or(0, |a| a.nonce);
        if let Some(&last) = acked.last() {
            if n <= last {
                return Err(format!(
                    "transaction {last} was acknowledged; {n} are stored"
                ));
            }
        }
        while done(&model) < n {
            let next = done(&model);
            model.execute(&tx(next)).map_err(|e| e.to_string())?;
        }
        if stored.root() != model.state().root() {
            return Err(format!(
                "the stored state is not the state after {n} transactions"
            ));
        }
        Ok(())
    };
    let plan = crash::Plan {
        runs: 40,
        max_delay: Duration::from_millis(200),
        ..crash::Plan::default()
    };
    let report = crash::run(&plan, "crash_child", dir.path(), check);
    assert!(report.acks > 0, "{report:?}");
    assert!(report.kills > report.killed_before_first_ack, "{report:?}");
}
