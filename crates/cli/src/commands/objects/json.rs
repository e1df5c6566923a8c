//! A trace as one JSON document: its hash and every entry with its fields. Values are in
//! avm's text form, ids as printed (`obj1`, `c1`, `m0`, `tx1`), hashes in hex.

use avm_obj::trace::Event;
use avm_obj::Trace;
use avm_vm::{text, DataValue};
use serde_json::{json, Map, Value};

/// The document.
pub fn render(trace: &Trace) -> Value {
    let entries: Vec<Value> = trace
        .entries()
        .iter()
        .map(|entry| {
            let mut fields = Map::new();
            fields.insert("seq".into(), json!(entry.seq));
            fields.insert(
                "controller".into(),
                json!(entry.controller.map(|c| c.to_string())),
            );
            fields.insert("event".into(), json!(entry.event.name()));
            fields.extend(event_fields(&entry.event));
            Value::Object(fields)
        })
        .collect();
    json!({ "hash": trace.hash().to_string(), "entries": entries })
}

fn event_fields(event: &Event) -> Map<String, Value> {
    let id = |s: &dyn ToString| json!(s.to_string());
    let opt = |s: Option<String>| json!(s);
    let value = |v: &DataValue| json!(text::print(v));
    let fields = match event {
        Event::ObjectCreated {
            object,
            behaviour,
            controller,
        } => json!({"object": id(object), "behaviour": id(behaviour),
                    "object_controller": opt(controller.map(|c| c.to_string()))}),
        Event::ObjectDestroyed { object } | Event::ObjectFrozen { object } => {
            json!({"object": id(object)})
        }
        Event::ObjectCalled {
            sender,
            callee,
            input,
        } => json!({"sender": opt(sender.map(|s| s.to_string())), "callee": id(callee),
                    "input": value(input)}),
        Event::ObjectReturned {
            callee,
            sender,
            output,
        } => json!({"callee": id(callee), "sender": opt(sender.map(|s| s.to_string())),
                    "output": output.as_ref().map(text::print)}),
        Event::MessageReceived { object, input } => {
            json!({"object": id(object), "input": value(input)})
        }
        Event::ObjectMoved { object, to } => json!({"object": id(object), "to": id(to)}),
        Event::ExecutionMoved { from, to } => json!({"from": id(from), "to": id(to)}),
        Event::ObjectFetched { object, machine } => {
            json!({"object": id(object), "machine": id(machine)})
        }
        Event::ObjectTransferred { object, to } => json!({"object": id(object), "to": id(to)}),
        Event::FunctionRegistered {
            name,
            version,
            hash,
        }
        | Event::FunctionUpdated {
            name,
            version,
            hash,
        } => json!({"name": name, "version": version, "hash": id(hash)}),
        Event::TxStarted { tx, controller } => {
            json!({"tx": id(tx), "tx_controller": opt(controller.map(|c| c.to_string()))})
        }
        Event::TxCommitted { tx } | Event::TxAborted { tx } => json!({"tx": id(tx)}),
        Event::Error { layer, message } => json!({"layer": layer, "message": message}),
    };
    match fields {
        Value::Object(map) => map,
        _ => unreachable!("every arm builds an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::chart::tests::ping_pong;
    use super::*;

    #[test]
    fn ping_pong_as_json() {
        let trace = ping_pong();
        let doc = render(&trace);
        assert_eq!(doc["hash"], json!(trace.hash().to_string()));
        let entries = doc["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 8);
        assert_eq!(
            entries[4],
            json!({"seq": 4, "controller": "c1", "event": "ObjectCalled",
                   "sender": "obj1", "callee": "obj2", "input": "\"ping\""})
        );
        assert_eq!(entries[6]["output"], Value::Null);
        assert_eq!(entries[2]["event"], json!("TransactionStarted"));
    }
}
