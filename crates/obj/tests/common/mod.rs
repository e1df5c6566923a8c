//! Shared setup of the example tests: natives behaviours and an Alu
//! registry with the OBJ extension.

#![allow(dead_code)] // each test file uses part of it

use std::rc::Rc;

use avm_obj::{AvmResult, ObjError, ObjectHost, Runtime, SpaceHandle};
use avm_vm::{DataValue, Registry};

/// A registry with Alu and the OBJ extension.
pub fn registry() -> Rc<Registry> {
    Rc::new(avm_obj::alu::registry())
}

/// The function value of an Alu assembly source.
pub fn alu(source: &str) -> DataValue {
    let lib = avm_asm::assemble_with(
        "behaviour.alu",
        source,
        &avm_asm::NoLibs,
        &[&avm_obj::alu::ObjIsa],
    )
    .unwrap_or_else(|e| panic!("{e:?}"))
    .library;
    avm_alu::binding::function(&lib, []).unwrap()
}

/// The first state value as a natural, 0 if there is none.
pub fn first_nat(host: &mut dyn ObjectHost) -> AvmResult<u64> {
    Ok(host
        .get_state()?
        .first()
        .and_then(DataValue::as_u64)
        .unwrap_or(0))
}

/// Counter: adds one to its state and answers the new count.
pub fn counter(host: &mut dyn ObjectHost) -> AvmResult<Option<DataValue>> {
    let n = first_nat(host)? + 1;
    host.set_state(vec![DataValue::nat(n)])?;
    Ok(Some(DataValue::nat(n)))
}

/// Player of ping-pong: the first input is its partner's id; then on
/// input n it answers 0 if n is 0, else calls its partner with n - 1 and
/// answers one more than the partner's answer.
pub fn player(host: &mut dyn ObjectHost) -> AvmResult<Option<DataValue>> {
    let input = host.input()?;
    let state = host.get_state()?;
    let Some(partner) = state.first().and_then(DataValue::as_u64) else {
        host.set_state(vec![input.clone()])?;
        return Ok(Some(input));
    };
    let n = input.as_u64().unwrap_or(0);
    if n == 0 {
        return Ok(Some(DataValue::nat(0u8)));
    }
    let answer = host.call(avm_obj::ObjectId(partner), DataValue::nat(n - 1))?;
    Ok(Some(DataValue::nat(
        answer.and_then(|a| a.as_u64()).unwrap_or(0) + 1,
    )))
}

/// Bank account: input `(0)` answers the balance, `(1, n)` deposits n,
/// `(2, n)` withdraws n (rejected when the balance is short).
pub fn account(host: &mut dyn ObjectHost) -> AvmResult<Option<DataValue>> {
    let balance = first_nat(host)?;
    let me = host.self_id()?;
    let input = host.input()?;
    let (op, amount) = match &input {
        DataValue::Tuple(items) => (
            items.first().and_then(DataValue::as_u64),
            items.get(1).and_then(DataValue::as_u64).unwrap_or(0),
        ),
        _ => (None, 0),
    };
    let balance = match op {
        Some(0) => return Ok(Some(DataValue::nat(balance))),
        Some(1) => balance + amount,
        Some(2) if amount <= balance => balance - amount,
        Some(2) => {
            return Err(ObjError::RejectedCall {
                object: me,
                reason: format!("cannot withdraw {amount} from a balance of {balance}"),
            }
            .into())
        }
        _ => {
            return Err(ObjError::InvalidInput {
                object: me,
                reason: "expected (0), (1, n) or (2, n)".into(),
            }
            .into())
        }
    };
    host.set_state(vec![DataValue::nat(balance)])?;
    Ok(Some(DataValue::nat(balance)))
}

/// Spins reading its state until gas runs out.
pub fn spinner(host: &mut dyn ObjectHost) -> AvmResult<Option<DataValue>> {
    loop {
        host.get_state()?;
    }
}

/// Forwards its input to the object whose id is its first state value
/// (set by the first call, as for the player).
pub fn forwarder(host: &mut dyn ObjectHost) -> AvmResult<Option<DataValue>> {
    let input = host.input()?;
    match host.get_state()?.first().and_then(DataValue::as_u64) {
        None => {
            host.set_state(vec![input.clone()])?;
            Ok(Some(input))
        }
        Some(target) => host.call(avm_obj::ObjectId(target), input),
    }
}

/// A runtime over `space` with every native behaviour above.
pub fn runtime(space: &SpaceHandle) -> Runtime {
    let mut rt = Runtime::new(space.clone(), registry());
    rt.register_native("counter", counter);
    rt.register_native("player", player);
    rt.register_native("account", account);
    rt.register_native("spinner", spinner);
    rt.register_native("forwarder", forwarder);
    rt.register_native("echo", |host| host.input().map(Some));
    rt.set_gas(1_000_000);
    rt
}

/// `(op, amount)` for the account.
pub fn op(op: u64, amount: u64) -> DataValue {
    DataValue::tuple([DataValue::nat(op), DataValue::nat(amount)])
}
