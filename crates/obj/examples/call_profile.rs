//! A driver for instruction-count profiles of the object call path (the same three
//! workloads as `cargo bench -p avm-bench --bench objects`, without criterion):
//!
//! ```text
//! cargo build --release -p avm-obj --example call_profile
//! valgrind --tool=callgrind target/release/examples/call_profile bare 10000
//! ```
//!
//! The first argument is `bare` (a `Registry::multievaluate` of the two-instruction
//! behaviour), `call` (an object call on a space in memory) or `tx` (begin, one call,
//! commit); the second is the number of repetitions.

use avm_obj::{ObjectHost, Runtime, Space};
use avm_vm::DataValue;
use std::rc::Rc;

const GAS: u64 = 1_000;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "call".into());
    let n: u32 = args.next().map_or(10_000, |s| s.parse().expect("a count"));
    let source = ".entry main\nmain:\n    inc.uc a64[0], 1\n    stop\n";
    let lib = avm_asm::assemble("inc.alu", source, &avm_asm::NoLibs)
        .expect("assembles")
        .library;
    let f = avm_alu::binding::function(&lib, []).expect("a function");
    let registry = Rc::new(avm_obj::alu::registry());
    let mut rt = Runtime::new(Space::new().shared(), registry.clone());
    rt.set_gas(GAS);
    let id = rt.create_obj(f.clone(), None).expect("created");
    let arg = [DataValue::nat(41u8)];
    for _ in 0..n {
        match what.as_str() {
            "bare" => {
                let e = registry.multievaluate(&f, &arg, GAS).expect("evaluates");
                assert_eq!(e.result, Some(DataValue::nat(42u8)));
            }
            "call" | "tx" => {
                let tx = (what == "tx").then(|| rt.begin_tx(None).expect("begins"));
                rt.set_gas(GAS);
                let out = rt.call(id, arg[0].clone()).expect("a call");
                assert_eq!(out, Some(DataValue::nat(42u8)));
                rt.take_trace();
                if let Some(tx) = tx {
                    assert!(rt.commit_tx(tx).expect("commits"));
                }
            }
            other => panic!("unknown workload {other}: bare, call or tx"),
        }
    }
}
