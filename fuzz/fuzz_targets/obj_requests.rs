//! Requests from VMs to the object runtime, on any bytes: the bytes decode
//! as a tuple of requests (else nothing happens), which a runtime with a
//! few objects serves inside one object's call. Nothing panics, gas never
//! exceeds the budget, the trace stays decodable, and the store holds what
//! memory shows (every call, a failed nested one included, written or undone
//! whole).
#![no_main]

use std::rc::Rc;
use std::sync::{Arc, Mutex};

use avm_obj::native::native;
use avm_obj::request::{self, Request};
use avm_obj::{ControllerId, ObjectHost, Runtime, Space, Trace};
use avm_store::MemStore;
use avm_vm::{codec, DataValue, Limits, Registry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let limits = Limits {
        max_depth: 16,
        max_size: 1 << 12,
        max_values: 1 << 10,
    };
    let Ok(DataValue::Tuple(items)) = codec::decode_with(bytes, &limits) else {
        return;
    };
    let requests: Vec<Request> = items
        .iter()
        .filter_map(|v| Request::from_value(v).ok())
        .collect();
    let store = Arc::new(Mutex::new(MemStore::new()));
    let space = Space::open(Arc::clone(&store))
        .unwrap()
        .with_controller(ControllerId(1))
        .shared();
    let mut rt = Runtime::new(space.clone(), Rc::new(Registry::new()));
    rt.register_native("counter", |host| {
        let n = host.get_state()?.len() as u64;
        host.set_state(vec![DataValue::nat(n + 1)])?;
        Ok(Some(DataValue::nat(n + 1)))
    });
    rt.register_native("driver", move |host| {
        for r in &requests {
            let _ = request::serve(host, r.clone());
        }
        Ok(None)
    });
    rt.set_gas(100_000);
    let counter = rt.create_obj(native("counter"), Some(ControllerId(1))).unwrap();
    let driver = rt.create_obj(native("driver"), None).unwrap();
    let _ = rt.call(counter, DataValue::unit());
    let _ = rt.call(driver, DataValue::unit());
    assert!(rt.gas_left() <= 100_000);
    let trace = rt.trace();
    assert_eq!(&Trace::decode(&trace.encode()).unwrap(), trace);
    let reloaded = Space::open(store).unwrap();
    assert!(space.lock().objects().eq(reloaded.objects()));
});

