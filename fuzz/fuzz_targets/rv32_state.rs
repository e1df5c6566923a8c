#![no_main]
//! `StateStore::load` on a damaged RV32 state never panics: it returns a
//! state or an error naming the entry. A state it loads runs a call to some
//! of its accounts, saves back, and loads again to the same state root.
//!
//! The input damages a healthy state (an ERC-20 contract with its code, an
//! account and storage, made once): a list of entries, each a table byte
//! (its low two bits pick `rv32.meta`, `rv32.accounts`, `rv32.code` or
//! `rv32.storage`; bit 7 deletes instead of putting), a key length byte
//! (below 72), the key, a little-endian 2-byte value length, the value.

use avm_rv32::contract::chain::{Chain, Transaction, TxKind};
use avm_rv32::contract::store::{StateStore, ACCOUNTS, CODE, FORMAT, META, STORAGE};
use avm_store::{Batch, MemStore, Store};
use libfuzzer_sys::fuzz_target;

const TOKEN: [u8; 32] = [0x70; 32];
const HOLDER: [u8; 32] = [0xee; 32];

/// The healthy state's entries: nonce and balance (16 + 8 bytes), code, and
/// a storage entry.
fn healthy() -> Batch {
    let header =
        |nonce: u64, balance: u128| [&nonce.to_le_bytes()[..], &balance.to_le_bytes()].concat();
    let mut batch = Batch::new();
    batch
        .put(META, b"format".to_vec(), FORMAT.to_vec())
        .put(ACCOUNTS, TOKEN.to_vec(), header(1, 0))
        .put(ACCOUNTS, HOLDER.to_vec(), header(3, 1_000))
        .put(
            CODE,
            TOKEN.to_vec(),
            include_bytes!("../../contracts/erc20.elf").to_vec(),
        )
        .put(STORAGE, [&TOKEN[..], &HOLDER[..]].concat(), vec![7; 32]);
    batch
}

fuzz_target!(|input: &[u8]| {
    let tables = [META, ACCOUNTS, CODE, STORAGE];
    let mut store = MemStore::new();
    store.commit(healthy()).unwrap();
    let mut batch = Batch::new();
    let mut rest = input;
    while let [table, key_len, tail @ ..] = rest {
        let Some((key, tail)) = tail.split_at_checked(*key_len as usize % 72) else {
            break;
        };
        let Some(([a, b], tail)) = tail.split_first_chunk::<2>() else {
            break;
        };
        let len = (u16::from_le_bytes([*a, *b]) as usize).min(tail.len());
        let (value, tail) = tail.split_at(len);
        let name = tables[*table as usize % 4];
        if table & 0x80 != 0 {
            batch.delete(name, key.to_vec());
        } else {
            batch.put(name, key.to_vec(), value.to_vec());
        }
        rest = tail;
    }
    store.commit(batch).unwrap();
    let Ok(mut states) = StateStore::open(store, "fuzz") else {
        return;
    };
    let Ok(state) = states.load() else {
        return;
    };
    let callees: Vec<_> = state.accounts().keys().copied().take(4).collect();
    let mut chain = Chain::new(state);
    for to in callees {
        let nonce = chain.state().account(&HOLDER).map_or(0, |a| a.nonce);
        // balance_of(HOLDER) on the token; anything on other accounts.
        let input = [&5u32.to_le_bytes()[..], &HOLDER].concat();
        let tx = Transaction {
            sender: HOLDER,
            nonce,
            value: 0,
            gas_limit: 200_000,
            kind: TxKind::Call { to, input },
        };
        // A refusal (a sender nonce at its maximum, say) is an answer too.
        let _ = chain.execute(&tx);
    }
    let root = chain.state().root();
    states.save(chain.state_mut()).unwrap();
    assert_eq!(states.load().unwrap().root(), root);
});
