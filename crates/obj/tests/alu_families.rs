//! Every family of the host interface used from Alu through the OBJ
//! extension's opcodes 0xCE..=0xE2: receive, the current machine,
//! reflection, reification, pure functions, machines, controllers, and
//! create/begin with a controller, refusals included.

mod common;

use avm_obj::native::native;
use avm_obj::request::Filter;
use avm_obj::{
    AvmError, Config, ControllerError, ControllerId, MachineError, MachineId, ObjectHost, ObjectId,
    ObjectMeta, PureError, ReflectError, ReifiedContext, ReifyError, Runtime, Space, SpaceHandle,
};
use avm_vm::{codec, DataValue};
use common::alu;

const C1: ControllerId = ControllerId(1);
const C2: ControllerId = ControllerId(2);
const M1: MachineId = MachineId(1);

/// Two controllers and two machines.
fn space() -> SpaceHandle {
    Space::new()
        .with_controller(C1)
        .with_controller(C2)
        .with_machine(M1)
        .shared()
}

/// A runtime over `space`, with the unsafe permission if `allow_unsafe`,
/// and the native `echo`.
fn runtime(space: &SpaceHandle, allow_unsafe: bool) -> Runtime {
    let config = Config {
        allow_unsafe,
        ..Config::default()
    };
    let mut rt = Runtime::with_config(space.clone(), common::registry(), config);
    rt.register_native("echo", |host| host.input().map(Some));
    rt.set_gas(1_000_000);
    rt
}

/// An Alu behaviour: `.data` byte strings, then `body` and `stop`.
fn program(data: &[(&str, Vec<u8>)], body: &str) -> DataValue {
    let mut src = String::from(".isa OBJ\n");
    for (name, bytes) in data {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        src.push_str(&format!(".data {name} x\"{hex}\"\n"));
    }
    src.push_str(".entry main\nmain:\n");
    src.push_str(body);
    src.push_str("\n    stop\n");
    alu(&src)
}

/// Creates a behaviour under `controller` and calls it with `input`.
fn run_with(
    rt: &mut Runtime,
    controller: Option<ControllerId>,
    input: DataValue,
    behaviour: DataValue,
) -> Result<Option<DataValue>, AvmError> {
    let o = rt.create_obj(behaviour, controller)?;
    rt.call(o, input)
}

/// Runs `body` (with `data`) in a fresh object without a controller.
fn run(
    rt: &mut Runtime,
    data: &[(&str, Vec<u8>)],
    body: &str,
) -> Result<Option<DataValue>, AvmError> {
    run_with(rt, None, DataValue::unit(), program(data, body))
}

/// An `s` result holding a canonical encoding, decoded.
fn decoded(out: Option<DataValue>) -> DataValue {
    match out {
        Some(DataValue::Bytes(b)) => codec::decode(&b).unwrap(),
        other => panic!("expected bytes, got {other:?}"),
    }
}

fn nat(n: u64) -> Option<DataValue> {
    Some(DataValue::nat(n))
}

#[test]
fn receive_gives_the_message_and_machine_the_current_machine() {
    let space = space();
    let mut rt = runtime(&space, false);
    let hi = DataValue::bytes(b"hi".to_vec());
    let got = run_with(
        &mut rt,
        None,
        hi.clone(),
        program(&[], "    ext 0xCE, x\"00\"  ; oreceive s[0]"),
    );
    assert_eq!(got.unwrap(), Some(hi));
    let got = run(&mut rt, &[], "    ext 0xCF, x\"00\"  ; omachine a64[0]");
    assert_eq!(got.unwrap(), nat(MachineId::LOCAL.0));
}

#[test]
fn reflect_needs_the_permission_and_gives_the_metadata() {
    let space = space();
    let target = {
        let mut rt = runtime(&space, false);
        rt.create_obj(native("echo"), Some(C1)).unwrap()
    };
    let body = format!(
        "    put a64[1], {}\n    ext 0xD0, x\"0001\"  ; oreflect s[0], a64[1]",
        target.0
    );
    let err = run(&mut runtime(&space, false), &[], &body).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Reflect(ReflectError::NotPermitted("reflect"))
        ),
        "{err}"
    );
    let meta = ObjectMeta {
        object: target,
        machine: MachineId::LOCAL,
        creating_controller: Some(C1),
        current_controller: Some(C1),
    };
    let out = run(&mut runtime(&space, true), &[], &body).unwrap();
    assert_eq!(decoded(out), meta.to_value());
    // A missing object has no metadata: the instruction fails.
    let body = "    put a64[1], 999\n    ext 0xD0, x\"0001\"";
    assert!(run(&mut runtime(&space, true), &[], body).is_err());
}

/// `oscrym s[0], s[1]` with the filter's encoding in `s[1]`.
fn scry(opcode: &str, filter: &Filter) -> (Vec<(&'static str, Vec<u8>)>, String) {
    (
        vec![("f", codec::encode(&filter.to_value()))],
        format!("    put s[1], f\n    ext {opcode}, x\"0001\""),
    )
}

#[test]
fn scry_meta_filters_by_controller_and_pays_per_object() {
    let space = space();
    let mut rt = runtime(&space, true);
    let a = rt.create_obj(native("echo"), Some(C1)).unwrap();
    rt.create_obj(native("echo"), Some(C2)).unwrap();
    let b = rt.create_obj(native("echo"), Some(C1)).unwrap();
    let (data, body) = scry("0xD1", &Filter::Controller(C1));
    let behaviour = program(&data, &body);
    let out = run_with(&mut rt, None, DataValue::unit(), behaviour.clone()).unwrap();
    let metas: Vec<DataValue> = [a, b]
        .into_iter()
        .map(|o| rt.reflect(o).unwrap().unwrap().to_value())
        .collect();
    assert_eq!(decoded(out), DataValue::Tuple(metas));
    // Three more objects to scan cost three times the per-object gas more.
    let cost = |rt: &mut Runtime| {
        let o = rt.create_obj(behaviour.clone(), None).unwrap();
        let before = rt.gas_left();
        rt.call(o, DataValue::unit()).unwrap();
        before - rt.gas_left()
    };
    let small = cost(&mut rt);
    for _ in 0..2 {
        rt.create_obj(native("echo"), None).unwrap();
    }
    // `cost` itself created one more.
    assert_eq!(cost(&mut rt) - small, 3 * avm_obj::gas::SCAN_PER_OBJECT);
    // Without the permission, refused.
    let err = run_with(
        &mut runtime(&space, false),
        None,
        DataValue::unit(),
        behaviour,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Reflect(ReflectError::NotPermitted("scryMeta"))
        ),
        "{err}"
    );
    // scryMeta cannot see behaviours: a behaviour filter fails the instruction.
    let (data, body) = scry("0xD1", &Filter::Behaviour(native("echo")));
    assert!(run(&mut rt, &data, &body).is_err());
}

#[test]
fn scry_deep_filters_by_behaviour_name() {
    let space = space();
    let mut rt = runtime(&space, true);
    let echo = rt.create_obj(native("echo"), Some(C2)).unwrap();
    rt.create_obj(native("other"), None).unwrap();
    let (data, body) = scry("0xD2", &Filter::Behaviour(native("echo")));
    let out = run(&mut rt, &data, &body).unwrap();
    let meta = rt.reflect(echo).unwrap().unwrap().to_value();
    assert_eq!(
        decoded(out),
        DataValue::tuple([DataValue::tuple([meta, native("echo")])])
    );
    let err = run(&mut runtime(&space, false), &data, &body).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Reflect(ReflectError::NotPermitted("scryDeep"))
        ),
        "{err}"
    );
    // A filter that is not one fails the instruction.
    let body = "    put s[1], f\n    ext 0xD2, x\"0001\"";
    assert!(run(&mut rt, &[("f", vec![0xff, 0x00])], body).is_err());
}

#[test]
fn reification_gives_the_context_the_tx_state_and_the_constraints() {
    let space = space();
    let mut rt = runtime(&space, false);
    let o = rt
        .create_obj(program(&[], "    ext 0xD3, x\"00\"  ; octx s[0]"), None)
        .unwrap();
    // A byte string lands in s[0] (a natural would land in a64[0] and be
    // the result).
    let hey = DataValue::bytes(b"hey".to_vec());
    let out = rt.call(o, hey.clone()).unwrap();
    let context = ReifiedContext {
        self_id: o,
        input: hey,
        sender: None,
        machine: MachineId::LOCAL,
        controller: None,
    };
    assert_eq!(decoded(out), context.to_value());

    // The transaction state: unsafe, and only inside a transaction.
    let begin = "    ext 0xCB, x\"05\"  ; obegin a64[5]
    ext 0xD4, x\"00\"  ; otxstate s[0]";
    let err = run(&mut rt, &[], begin).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Reify(ReifyError::NotPermitted("reifyTxState"))
        ),
        "{err}"
    );
    // The call that began the transaction ended, so it was aborted.
    assert_eq!(rt.open_tx(), None);
    let mut rt = runtime(&space, true);
    let in_tx = format!("{begin}\n    ext 0xCC, x\"05\"  ; ocommit a64[5]");
    let state = decoded(run(&mut rt, &[], &in_tx).unwrap());
    let DataValue::Tuple(fields) = state else {
        panic!("{state:?}")
    };
    assert_eq!(fields.len(), 5);
    assert!(fields[0].as_u64().is_some());
    assert!(run(&mut rt, &[], "    ext 0xD4, x\"00\"").is_err());

    let constraints = "    ext 0xD5, x\"00\"  ; oconstr s[0]";
    let out = run(&mut rt, &[], constraints).unwrap();
    assert_eq!(
        decoded(out),
        avm_obj::ReifiedConstraints::default().to_value()
    );
    let err = run(&mut runtime(&space, false), &[], constraints).unwrap_err();
    assert!(
        matches!(err, AvmError::Reify(ReifyError::NotPermitted(_))),
        "{err}"
    );
}

/// An Alu function (no OBJ) that answers `n`.
fn constant(n: u64) -> Vec<u8> {
    codec::encode(&alu(&format!(
        ".entry main\nmain:\n    put a64[0], {n}\n    stop\n"
    )))
}

#[test]
fn pure_functions_are_registered_called_and_updated() {
    let space = space();
    let name = ("n", b"seven".to_vec());
    let args = ("a", codec::encode(&DataValue::tuple([])));
    let register = "    put s[1], n
    put s[2], f
    ext 0xD6, x\"0102\"  ; opreg s[1], s[2]";
    let call = "    put s[1], n
    put s[3], a
    ext 0xD7, x\"000103\"  ; opcall s[0], s[1], s[3]";
    let data = [name.clone(), ("f", constant(7)), args.clone()];
    let err = run(&mut runtime(&space, false), &data, register).unwrap_err();
    assert!(
        matches!(err, AvmError::Pure(PureError::NotPermitted)),
        "{err}"
    );

    let mut rt = runtime(&space, true);
    let out = run(&mut rt, &data, &format!("{register}\n{call}")).unwrap();
    assert_eq!(decoded(out), DataValue::nat(7u8));
    // Registering the name again is refused.
    let err = run(&mut rt, &data, register).unwrap_err();
    assert!(
        matches!(err, AvmError::Pure(PureError::AlreadyRegistered(_))),
        "{err}"
    );
    // Updating needs no permission, and bumps the version.
    let update = "    put s[1], n
    put s[2], f
    ext 0xD8, x\"0102\"  ; opupd s[1], s[2]";
    let data = [name, ("f", constant(8)), args];
    let out = run(
        &mut runtime(&space, false),
        &data,
        &format!("{update}\n{call}"),
    )
    .unwrap();
    assert_eq!(decoded(out), DataValue::nat(8u8));
    assert_eq!(space.lock().pure("seven").unwrap().version, 1);
    // An unknown name answers nothing: the instruction fails.
    let unknown = [
        ("n", b"none".to_vec()),
        ("a", codec::encode(&DataValue::tuple([]))),
    ];
    assert!(run(&mut rt, &unknown, call).is_err());
}

#[test]
fn machines_get_teleport_move_and_fetch() {
    let space = space();
    let mut rt = runtime(&space, false);
    let target = rt.create_obj(native("echo"), None).unwrap();
    let get = format!(
        "    put a64[1], {}\n    ext 0xD9, x\"0001\"  ; ogetm",
        target.0
    );
    assert_eq!(run(&mut rt, &[], &get).unwrap(), nat(0));
    assert!(run(&mut rt, &[], "    put a64[1], 999\n    ext 0xD9, x\"0001\"").is_err());
    // An undefined operand fails the instruction without asking the host:
    // the behaviour just gives no result.
    let err = run(&mut rt, &[], "    ext 0xD9, x\"0001\"").unwrap_err();
    assert!(
        matches!(err, AvmError::Obj(avm_obj::ObjError::RejectedCall { .. })),
        "{err}"
    );

    let teleport = "    put a64[1], 1
    ext 0xDA, x\"01\"  ; oteleport a64[1]
    ext 0xCF, x\"00\"  ; omachine a64[0]";
    assert_eq!(run(&mut rt, &[], teleport).unwrap(), nat(1));
    let nowhere = "    put a64[1], 7\n    ext 0xDA, x\"01\"";
    let err = run(&mut rt, &[], nowhere).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Machine(MachineError::Unreachable(MachineId(7)))
        ),
        "{err}"
    );
    // Not inside a transaction.
    let in_tx = format!("    ext 0xCB, x\"05\"\n{teleport}");
    let err = run(&mut rt, &[], &in_tx).unwrap_err();
    assert!(
        matches!(err, AvmError::Machine(MachineError::TeleportDuringTx(M1))),
        "{err}"
    );
    // The call that began the transaction ended, so it was aborted.
    assert_eq!(rt.open_tx(), None);

    let move_it = format!(
        "    put a64[1], {}\n    put a64[2], 1\n    ext 0xDB, x\"0102\"  ; omove a64[1], a64[2]",
        target.0
    );
    run(&mut rt, &[], &move_it).unwrap();
    assert_eq!(rt.get_machine(target).unwrap(), Some(M1));
    let fetch = format!(
        "    put a64[1], {}\n    ext 0xDC, x\"01\"  ; ofetch a64[1]",
        target.0
    );
    run(&mut rt, &[], &fetch).unwrap();
    assert_eq!(rt.get_machine(target).unwrap(), Some(MachineId::LOCAL));
    // A missing object is not fetched: st0 is cleared.
    assert!(run(&mut rt, &[], "    put a64[1], 999\n    ext 0xDC, x\"01\"").is_err());
}

#[test]
fn controllers_current_of_transfer_and_freeze() {
    let space = space();
    let mut rt = runtime(&space, false);
    let mine = rt.create_obj(native("echo"), Some(C1)).unwrap();
    let free = rt.create_obj(native("echo"), None).unwrap();

    let current = "    put a64[1], 1
    ext 0xE2, x\"0501\"  ; obeginc a64[5], a64[1]
    ext 0xDD, x\"00\"    ; octl a64[0]
    ext 0xCC, x\"05\"    ; ocommit a64[5]";
    assert_eq!(run(&mut rt, &[], current).unwrap(), nat(1));
    assert!(run(&mut rt, &[], "    ext 0xDD, x\"00\"").is_err());
    let unknown = "    put a64[1], 9\n    ext 0xE2, x\"0501\"";
    let err = run(&mut rt, &[], unknown).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Controller(ControllerError::Unreachable(ControllerId(9)))
        ),
        "{err}"
    );

    let of = |o: ObjectId| format!("    put a64[1], {}\n    ext 0xDE, x\"0001\"  ; octlof", o.0);
    assert_eq!(run(&mut rt, &[], &of(mine)).unwrap(), nat(1));
    assert!(run(&mut rt, &[], &of(free)).is_err());

    let transfer = |o: ObjectId, to: ControllerId| {
        format!(
            "    put a64[1], {}\n    put a64[2], {}\n    ext 0xDF, x\"0102\"  ; otransfer",
            o.0, to.0
        )
    };
    run(&mut rt, &[], &transfer(mine, C2)).unwrap();
    assert_eq!(rt.get_controller(mine).unwrap(), Some(C2));
    // Inside a transaction bound to c1, an object of c2 is refused.
    let cross = format!(
        "    put a64[3], 1\n    ext 0xE2, x\"0503\"\n{}",
        transfer(mine, C1)
    );
    let err = run(&mut rt, &[], &cross).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Controller(ControllerError::CrossControllerTx { object, .. }) if object == mine
        ),
        "{err}"
    );
    // The call that began the transaction ended, so it was aborted.
    assert_eq!(rt.open_tx(), None);
    assert_eq!(rt.get_controller(mine).unwrap(), Some(C2));

    let freeze = |o: u64| format!("    put a64[1], {o}\n    ext 0xE0, x\"0001\"  ; ofreeze");
    assert_eq!(run(&mut rt, &[], &freeze(mine.0)).unwrap(), nat(1));
    assert_eq!(run(&mut rt, &[], &freeze(999)).unwrap(), nat(0));
    assert!(run(&mut rt, &[], &freeze(free.0)).is_err());
}

#[test]
fn create_under_a_controller() {
    let space = space();
    let mut rt = runtime(&space, false);
    let create = "    put s[1], b
    put a64[1], 2
    ext 0xE1, x\"000101\"  ; ocreatec a64[0], s[1], a64[1]";
    let data = [("b", codec::encode(&native("echo")))];
    let made = run(&mut rt, &data, create).unwrap().unwrap();
    let made = ObjectId::from_value(&made).unwrap();
    assert_eq!(rt.get_controller(made).unwrap(), Some(C2));
    assert_eq!(
        rt.call(made, DataValue::nat(3u8)).unwrap(),
        Some(DataValue::nat(3u8))
    );
    // Inside a transaction bound to c1, creating under c2 is refused.
    let cross = format!("    put a64[3], 1\n    ext 0xE2, x\"0503\"\n{create}");
    let err = run(&mut rt, &data, &cross).unwrap_err();
    assert!(
        matches!(
            err,
            AvmError::Controller(ControllerError::CrossControllerTx {
                object_controller: Some(C2),
                tx_controller: Some(C1),
                ..
            })
        ),
        "{err}"
    );
    if let Some(tx) = rt.open_tx() {
        rt.abort_tx(tx).unwrap();
    }
}

#[test]
fn the_new_opcodes_disassemble_to_their_mnemonics() {
    let src = ".isa OBJ
.entry main
main:
    ext 0xCE, x\"00\"
    ext 0xD0, x\"0001\"
    ext 0xD7, x\"000102\"
    ext 0xE1, x\"000101\"
    ext 0xE2, x\"0001\"
    stop
";
    let lib = avm_asm::assemble("d.alu", src, &avm_asm::NoLibs)
        .unwrap()
        .library;
    let names: Vec<String> = avm_alu::isa::disassemble(&lib.code, avm_obj::alu::resolve)
        .into_iter()
        .map(|(_, instr)| match instr {
            avm_alu::Instr::Ext(e) => avm_obj::alu::resolve(e.opcode)
                .unwrap()
                .mnemonic(e.opcode)
                .to_owned(),
            other => other.mnemonic().to_owned(),
        })
        .collect();
    assert_eq!(
        names,
        ["oreceive", "oreflect", "opcall", "ocreatec", "obeginc", "stop"]
    );
    // avm-asm prints them by name, and reads the names back given OBJ.
    let text = avm_asm::disassemble_with(
        &lib,
        &avm_asm::ImportNames::default(),
        avm_obj::alu::resolve,
    );
    assert!(
        text.contains("    oreceive s[0]\n    oreflect s[0], a64[1]\n"),
        "{text}"
    );
    let again =
        avm_asm::assemble_with("e.alu", &text, &avm_asm::NoLibs, &[&avm_obj::alu::ObjIsa]).unwrap();
    assert_eq!(again.library, lib);
}
