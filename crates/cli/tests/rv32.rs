//! `avm rv32`: running ELF programs, deploying and calling contracts in a
//! state directory, input syntax and errors.

mod common;

use common::{avm, scratch};
use std::path::Path;

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn run_reports_exit_code_and_gas_and_traces_the_same_run() {
    let elf = repo("crates/rv32/tests/fixtures/checksum.elf");
    let run = avm(&["rv32", "run", &elf]);
    assert_eq!(run.code, 1, "a non-zero exit code: {}", run.stderr);
    assert!(
        run.stdout.starts_with("exit 3876608269\n"),
        "{}",
        run.stdout
    );
    let gas = run.field("gas used").unwrap();
    let traced = avm(&["rv32", "run", &elf, "--trace"]);
    assert_eq!(traced.field("gas used").unwrap(), gas);
    assert!(traced.stdout.contains("ecall"));
    let starved = avm(&["rv32", "run", &elf, "--gas", "100"]);
    assert!(starved.stdout.contains("out of gas"), "{}", starved.stdout);
    // It stops before the first instruction it cannot pay for.
    let used: u64 = starved.field("gas used").unwrap().parse().unwrap();
    assert!(used <= 100);
}

#[test]
fn a_trace_cut_by_gas_ends_where_the_run_does() {
    let elf = repo("crates/rv32/tests/fixtures/checksum.elf");
    // Limits that end the run at instructions of every cost, some with gas
    // left that cannot pay for the next one (a trace used to spin there).
    for gas in (120..200).step_by(7) {
        let gas = gas.to_string();
        let run = avm(&["rv32", "run", &elf, "--gas", &gas]);
        let traced = avm(&["rv32", "run", &elf, "--gas", &gas, "--trace"]);
        assert_eq!(traced.code, run.code, "{}", traced.stderr);
        assert_eq!(
            traced.field("gas used"),
            run.field("gas used"),
            "--gas {gas}"
        );
        let fault = |out: &str| {
            out.lines()
                .find(|l| l.starts_with("fault"))
                .map(str::to_owned)
        };
        assert_eq!(fault(&traced.stdout), fault(&run.stdout), "--gas {gas}");
    }
}

#[test]
fn deploy_and_call_an_erc20_in_a_state_directory() {
    let dir = scratch("rv32-erc20");
    let state = dir.display().to_string();
    let deployed = avm(&[
        "rv32",
        "deploy",
        &repo("contracts/erc20.elf"),
        "u256:1000",
        "--state",
        &state,
    ]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    // The constructor minted the supply to the sender.
    assert!(deployed.stdout.contains("event 0"), "{}", deployed.stdout);
    let token = deployed.field("address").unwrap();
    let call = |input: &str| avm(&["rv32", "call", &token, input, "--state", &state]);
    let bob = "02".repeat(32);
    let sent = call(&format!("u32:2,addr:{bob},u256:250"));
    assert_eq!(sent.code, 0, "{}", sent.stdout);
    assert!(sent.stdout.contains("event 0"));
    let balance = call(&format!("u32:5,addr:{bob}"));
    assert_eq!(
        balance.field("return data").unwrap(),
        format!("fa{}", "00".repeat(31))
    );
    let over = call(&format!("u32:2,addr:{bob},u256:1001"));
    assert_eq!(over.code, 1);
    assert!(over.stdout.contains("status: reverted"));
    assert!(over.stdout.contains("\"insufficient balance\""));
}

#[test]
fn a_deploy_whose_constructor_fails_installs_nothing() {
    let dir = scratch("rv32-constructor");
    let state = dir.display().to_string();
    let erc20 = repo("contracts/erc20.elf");
    let deploy = |input: &str| avm(&["rv32", "deploy", &erc20, input, "--state", &state]);
    // The ERC-20's constructor needs the supply.
    let failed = deploy("");
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed.stdout.contains("status: reverted"),
        "{}",
        failed.stdout
    );
    assert!(failed.stdout.contains("\"missing argument\""));
    assert!(!failed.stdout.contains("address:"));
    let bad = deploy("u256:x");
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("input item \"u256:x\""),
        "{}",
        bad.stderr
    );
    // The failed deploy used nonce 0; the next one lands at nonce 1's address.
    let ok = deploy("u256:5");
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    let first = ok.field("address").unwrap();
    let again = deploy("u256:5");
    assert_ne!(again.field("address").unwrap(), first);
}

#[test]
fn bad_input_addresses_and_state_files_are_clear_errors() {
    let dir = scratch("rv32-errors");
    let state = dir.display().to_string();
    let addr = "01".repeat(32);
    let bad = avm(&["rv32", "call", &addr, "u32:x", "--state", &state]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("input item \"u32:x\""),
        "{}",
        bad.stderr
    );
    let bad = avm(&["rv32", "call", "abcd", "", "--state", &state]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("expected 32"), "{}", bad.stderr);
    // A file that is not a store: the store layer's error (10), naming it.
    let foreign = scratch("rv32-foreign");
    std::fs::write(foreign.join("store.redb"), b"not a database").unwrap();
    let bad = avm(&[
        "rv32",
        "call",
        &addr,
        "",
        "--state",
        &foreign.display().to_string(),
    ]);
    assert_eq!(bad.code, 10, "{}", bad.stderr);
    assert!(bad.stderr.contains("store.redb"), "{}", bad.stderr);
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);
    // A store that is not an RV32 state: the state's error (9), naming it.
    let other = scratch("rv32-other-format");
    {
        let mut store =
            avm_store::RedbStore::open(&other, avm_rv32::contract::store::KIND).unwrap();
        let mut batch = avm_store::Batch::new();
        batch.put("rv32.meta", *b"format", *b"avm-rv32-state 1");
        avm_store::Store::commit(&mut store, batch).unwrap();
    }
    let bad = avm(&[
        "rv32",
        "fund",
        &addr,
        "1",
        "--state",
        &other.display().to_string(),
    ]);
    assert_eq!(bad.code, 9, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("store.redb: not an avm-rv32 state"),
        "{}",
        bad.stderr
    );
    let not_elf = dir.join("x.elf");
    std::fs::write(&not_elf, b"hello").unwrap();
    let bad = avm(&[
        "rv32",
        "deploy",
        &not_elf.display().to_string(),
        "--state",
        &state,
    ]);
    assert_eq!(bad.code, 9);
    assert!(bad.stderr.contains("code to deploy"), "{}", bad.stderr);
    // Run's input file is not a transaction: a file that is not an ELF is
    // malformed input (4), as for `avm rv32 test`.
    let bad = avm(&["rv32", "run", &not_elf.display().to_string()]);
    assert_eq!(bad.code, 4, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("not a loadable RV32 ELF"),
        "{}",
        bad.stderr
    );
}

#[test]
fn fund_mints_to_an_account_and_changes_the_root() {
    let dir = scratch("rv32-fund");
    let state = dir.display().to_string();
    let (alice, bob) = ("0a".repeat(32), "0b".repeat(32));
    let fund = |who: &str, amount: &str| avm(&["rv32", "fund", who, amount, "--state", &state]);
    let first = fund(&alice, "1000");
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.field("balance").unwrap(), "1000");
    let second = fund(&alice, "5");
    assert_eq!(second.field("balance").unwrap(), "1005");
    assert_ne!(second.field("state root"), first.field("state root"));
    // The minted tokens are spendable: a call to an account without code
    // only moves its value.
    let sent = avm(&[
        "rv32", "call", &bob, "", "--from", &alice, "--value", "300", "--state", &state,
    ]);
    assert_eq!(sent.code, 0, "{}", sent.stdout);
    assert_eq!(fund(&bob, "0").field("balance").unwrap(), "300");
    // Funding nothing changes nothing.
    let left = fund(&alice, "0");
    assert_eq!(left.field("balance").unwrap(), "705");
    assert_eq!(
        left.field("state root"),
        fund(&alice, "0").field("state root")
    );
    // Past u128: refused (9), and the state stays as it was.
    let over = fund(&alice, &u128::MAX.to_string());
    assert_eq!(over.code, 9, "{}", over.stderr);
    assert!(over.stderr.contains("over 2^128 - 1"), "{}", over.stderr);
    assert_eq!(fund(&alice, "0").field("balance").unwrap(), "705");
    let bad = fund(&alice, "-1");
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn call_sees_the_block_context_given() {
    let dir = scratch("rv32-block");
    let state = dir.display().to_string();
    let deployed = avm(&[
        "rv32",
        "deploy",
        &repo("contracts/probe.elf"),
        "--state",
        &state,
        "--height",
        "7",
    ]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    let probe = deployed.field("address").unwrap();
    let info = |extra: &[&str]| {
        let mut args = vec!["rv32", "call", &probe, "u32:1", "--state", &state];
        args.extend_from_slice(extra);
        avm(&args).field("return data").unwrap()
    };
    let le = |n: u64| hex(&n.to_le_bytes());
    let context = info(&[
        "--height",
        "7",
        "--timestamp",
        "1700000000",
        "--chain-id",
        "42",
    ]);
    // height u64, timestamp u64, chain id u64, then the origin (the default sender).
    let expected = format!(
        "{}{}{}{}01",
        le(7),
        le(1_700_000_000),
        le(42),
        "00".repeat(31)
    );
    assert!(context.starts_with(&expected), "{context}");
    // Without the flags, all three are 0.
    assert!(info(&[]).starts_with(&format!("{}{}01", "00".repeat(24), "00".repeat(31))));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A state directory with the ERC-20 deployed by the default sender, and the
/// token's address.
fn erc20(name: &str, supply: &str) -> (String, String) {
    let state = scratch(name).display().to_string();
    let deployed = avm(&[
        "rv32",
        "deploy",
        &repo("contracts/erc20.elf"),
        &format!("u256:{supply}"),
        "--state",
        &state,
    ]);
    assert_eq!(deployed.code, 0, "{}", deployed.stderr);
    (state, deployed.field("address").unwrap())
}

const SENDER: &str = "0000000000000000000000000000000000000000000000000000000000000001";

#[test]
fn returns_prints_values_and_refuses_data_that_does_not_fit() {
    let (state, token) = erc20("rv32-returns", "1000000");
    let call = |input: &str, returns: &str| {
        avm(&[
            "rv32",
            "call",
            &token,
            input,
            "--returns",
            returns,
            "--state",
            &state,
        ])
    };
    let supply = call("u32:7", "u256");
    assert_eq!(supply.code, 0, "{}", supply.stderr);
    assert_eq!(supply.field("returns").unwrap(), "1000000");
    let raw = call("u32:7", "bytes");
    assert_eq!(
        raw.field("returns").unwrap(),
        format!("40420f{}", "00".repeat(29))
    );
    let split = call("u32:7", "u32,u32,bytes");
    assert_eq!(
        split.field("returns").unwrap(),
        format!("1000000, 0, {}", "00".repeat(24))
    );
    let short = call("u32:7", "u32");
    assert_eq!(short.code, 2);
    assert!(
        short.stderr.contains("28 more than u32 takes"),
        "{}",
        short.stderr
    );
    let unknown = call("u32:7", "u128");
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown type \"u128\""),
        "{}",
        unknown.stderr
    );
    // A revert's data is its reason, not a value: printed as before, exit 1.
    let reverted = call("u32:99", "u256");
    assert_eq!(reverted.code, 1);
    assert!(reverted.field("returns").is_none(), "{}", reverted.stdout);
}

#[test]
fn view_changes_nothing_and_account_and_contracts_show_the_state() {
    let (state, token) = erc20("rv32-view", "1000000");
    let account = |addr: &str| avm(&["rv32", "account", addr, "--state", &state]);
    let before = account(SENDER);
    assert_eq!(before.field("nonce").unwrap(), "1", "{}", before.stdout);
    let view = avm(&[
        "rv32",
        "view",
        &token,
        &format!("u32:5,addr:{SENDER}"),
        "--returns",
        "u256",
        "--state",
        &state,
    ]);
    assert_eq!(view.code, 0, "{}", view.stderr);
    assert_eq!(view.field("returns").unwrap(), "1000000");
    assert!(view.field("state root").is_none(), "{}", view.stdout);
    // A view that transfers changes nothing either: no nonce, no balance.
    let bob = "02".repeat(32);
    let transfer = format!("u32:2,addr:{bob},u256:250");
    let moved = avm(&["rv32", "view", &token, &transfer, "--state", &state]);
    assert!(moved.stdout.contains("event 0"), "{}", moved.stdout);
    assert_eq!(account(SENDER).stdout, before.stdout);
    let bob_balance = avm(&[
        "rv32",
        "view",
        &token,
        &format!("u32:5,addr:{bob}"),
        "--returns",
        "u256",
        "--state",
        &state,
    ]);
    assert_eq!(bob_balance.field("returns").unwrap(), "0");
    // The same through `call` does change them.
    avm(&["rv32", "call", &token, &transfer, "--state", &state]);
    assert_eq!(account(SENDER).field("nonce").unwrap(), "2");

    let contract = account(&token);
    assert_eq!(contract.field("nonce").unwrap(), "0");
    let code = contract.field("code").unwrap();
    let elf = std::fs::read(repo("contracts/erc20.elf")).unwrap();
    assert!(
        code.starts_with(&format!("{} bytes, blake3 ", elf.len())),
        "{code}"
    );
    assert_eq!(account(&"0c".repeat(32)).field("code").unwrap(), "none");
    let listed = avm(&["rv32", "contracts", "--state", &state]);
    assert_eq!(listed.stdout.lines().count(), 1, "{}", listed.stdout);
    assert!(listed
        .stdout
        .starts_with(&format!("{token}  {} bytes  blake3 ", elf.len())));
    let hash = code.rsplit(' ').next().unwrap();
    assert!(
        listed.stdout.trim_end().ends_with(hash),
        "{}",
        listed.stdout
    );
    let empty = scratch("rv32-empty").display().to_string();
    assert_eq!(
        avm(&["rv32", "contracts", "--state", &empty]).stdout,
        "no contracts\n"
    );
}

#[test]
fn exit_code_passes_the_programs_code_on() {
    let elf = repo("crates/rv32/tests/fixtures/checksum.elf");
    let run = avm(&["rv32", "run", &elf, "--exit-code"]);
    assert_eq!(run.code, (3876608269u32 % 256) as i32, "{}", run.stderr);
    assert!(run.stdout.starts_with("exit 3876608269\n"));
    let faulted = avm(&["rv32", "run", &elf, "--exit-code", "--gas", "100"]);
    assert_eq!(faulted.code, 1, "{}", faulted.stdout);
}
