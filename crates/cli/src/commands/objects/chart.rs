//! A trace as a sequence chart: who is on stage (lifelines) and what happens, row by row.
//! Mermaid and SVG both draw this one model, so they show the same thing.

use avm_obj::trace::{Entry, Event};
use avm_obj::{MachineId, ObjectId, Trace};
use avm_vm::{text, DataValue};
use std::collections::BTreeMap;

/// The lifeline of whoever runs the top-level calls (the specification's "no sender").
pub const DRIVER: &str = "driver";

/// The longest label drawn, in characters; longer ones end in "...".
pub const MAX_LABEL: usize = 40;

/// One row of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    /// An arrow between two lifelines (indexes into [`Chart::lifelines`]).
    Message {
        /// Where it starts.
        from: usize,
        /// Where it ends.
        to: usize,
        /// What it carries.
        label: String,
        /// A return (dashed), rather than a call (solid).
        reply: bool,
    },
    /// A note over the lifelines `first..=last`.
    Note {
        /// The leftmost lifeline it covers.
        first: usize,
        /// The rightmost.
        last: usize,
        /// What it says.
        text: String,
    },
}

/// Lifelines and rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// The driver first, then each object in the order it first appears.
    pub lifelines: Vec<String>,
    /// What happens, top to bottom.
    pub rows: Vec<Row>,
}

impl Chart {
    /// The chart of `trace`.
    pub fn of(trace: &Trace) -> Chart {
        let mut objects: Vec<ObjectId> = Vec::new();
        for entry in trace.entries() {
            for id in objects_in(&entry.event) {
                if !objects.contains(&id) {
                    objects.push(id);
                }
            }
        }
        let lane = |id: Option<ObjectId>| {
            id.and_then(|id| objects.iter().position(|&o| o == id))
                .map_or(0, |i| i + 1)
        };
        let last = objects.len();
        let rows = trace
            .entries()
            .iter()
            .map(|entry| row(entry, &lane, last))
            .collect();
        let mut lifelines = vec![DRIVER.to_owned()];
        lifelines.extend(objects.iter().map(ObjectId::to_string));
        Chart { lifelines, rows }
    }
}

impl Chart {
    /// The same chart with each object's lifeline named with its machine, `obj3@m2`, for
    /// the objects `machines` knows (a run across nodes).
    pub fn with_machines(mut self, machines: &BTreeMap<ObjectId, MachineId>) -> Chart {
        for (object, machine) in machines {
            let name = object.to_string();
            if let Some(l) = self.lifelines.iter_mut().find(|l| **l == name) {
                *l = format!("{name}@{machine}");
            }
        }
        self
    }
}

/// The objects an event shows on stage.
pub fn objects_in(event: &Event) -> Vec<ObjectId> {
    match event {
        Event::ObjectCalled { sender, callee, .. }
        | Event::ObjectReturned { callee, sender, .. } => {
            sender.iter().copied().chain([*callee]).collect()
        }
        Event::ObjectCreated { object, .. }
        | Event::ObjectDestroyed { object }
        | Event::MessageReceived { object, .. }
        | Event::ObjectMoved { object, .. }
        | Event::ObjectFetched { object, .. }
        | Event::ObjectTransferred { object, .. }
        | Event::ObjectFrozen { object } => vec![*object],
        Event::ExecutionMoved { .. }
        | Event::FunctionRegistered { .. }
        | Event::FunctionUpdated { .. }
        | Event::TxStarted { .. }
        | Event::TxCommitted { .. }
        | Event::TxAborted { .. }
        | Event::Error { .. } => Vec::new(),
    }
}

fn row(entry: &Entry, lane: &dyn Fn(Option<ObjectId>) -> usize, last: usize) -> Row {
    let over = |id: ObjectId, text: String| Row::Note {
        first: lane(Some(id)),
        last: lane(Some(id)),
        text,
    };
    let across = |text: String| Row::Note {
        first: 0,
        last,
        text,
    };
    let in_tx = entry
        .controller
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    match &entry.event {
        Event::ObjectCalled {
            sender,
            callee,
            input,
        } => Row::Message {
            from: lane(*sender),
            to: lane(Some(*callee)),
            label: value_label(input),
            reply: false,
        },
        Event::ObjectReturned {
            callee,
            sender,
            output,
        } => Row::Message {
            from: lane(Some(*callee)),
            to: lane(*sender),
            label: output
                .as_ref()
                .map_or_else(|| "none".to_owned(), value_label),
            reply: true,
        },
        Event::ObjectCreated {
            object,
            behaviour,
            controller,
        } => {
            let by = controller.map(|c| format!(", {c}")).unwrap_or_default();
            let hash = behaviour.to_string();
            over(*object, format!("created ({}..{by}){in_tx}", &hash[..8]))
        }
        Event::ObjectDestroyed { object } => over(*object, format!("destroyed{in_tx}")),
        Event::MessageReceived { object, input } => {
            over(*object, format!("received {}", value_label(input)))
        }
        Event::ObjectMoved { object, to } => over(*object, format!("moved to {to}")),
        Event::ObjectFetched { object, machine } => over(*object, format!("fetched to {machine}")),
        Event::ObjectTransferred { object, to } => {
            over(*object, format!("transferred to {to}{in_tx}"))
        }
        Event::ObjectFrozen { object } => over(*object, "frozen".to_owned()),
        Event::ExecutionMoved { from, to } => across(format!("execution moved {from} -> {to}")),
        Event::FunctionRegistered {
            name,
            version,
            hash,
        } => across(format!(
            "pure {} v{version} registered ({}..)",
            clip(name),
            &hash.to_string()[..8]
        )),
        Event::FunctionUpdated {
            name,
            version,
            hash,
        } => across(format!(
            "pure {} updated to v{version} ({}..)",
            clip(name),
            &hash.to_string()[..8]
        )),
        Event::TxStarted { tx, controller } => {
            let by = controller.map(|c| format!(" ({c})")).unwrap_or_default();
            across(format!("{tx} begins{by}"))
        }
        Event::TxCommitted { tx } => across(format!("{tx} commits{in_tx}")),
        Event::TxAborted { tx } => across(format!("{tx} aborts{in_tx}")),
        Event::Error { layer, message } => across(format!("error ({layer}): {}", clip(message))),
    }
}

/// A value in avm's text form, clipped to [`MAX_LABEL`] characters.
pub fn value_label(value: &DataValue) -> String {
    clip(&text::print(value))
}

/// `s` on one line, at most [`MAX_LABEL`] characters.
fn clip(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= MAX_LABEL {
        return one_line;
    }
    let kept: String = one_line.chars().take(MAX_LABEL - 3).collect();
    format!("{kept}...")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use avm_obj::{ControllerId, TxId};
    use avm_vm::ContentId;

    /// A ping-pong exchange inside a transaction.
    pub fn ping_pong() -> Trace {
        let (ping, pong) = (ObjectId(1), ObjectId(2));
        let mut t = Trace::default();
        let behaviour = ContentId([0xab; 32]);
        let created = |object| Event::ObjectCreated {
            object,
            behaviour,
            controller: Some(ControllerId(1)),
        };
        t.push(None, created(ping));
        t.push(None, created(pong));
        let c = Some(ControllerId(1));
        t.push(
            c,
            Event::TxStarted {
                tx: TxId(1),
                controller: c,
            },
        );
        t.push(
            c,
            Event::ObjectCalled {
                sender: None,
                callee: ping,
                input: DataValue::nat(2u8),
            },
        );
        t.push(
            c,
            Event::ObjectCalled {
                sender: Some(ping),
                callee: pong,
                input: DataValue::string("ping"),
            },
        );
        t.push(
            c,
            Event::ObjectReturned {
                callee: pong,
                sender: Some(ping),
                output: Some(DataValue::string("pong")),
            },
        );
        t.push(
            c,
            Event::ObjectReturned {
                callee: ping,
                sender: None,
                output: None,
            },
        );
        t.push(c, Event::TxCommitted { tx: TxId(1) });
        t
    }

    #[test]
    fn lifelines_are_the_driver_then_objects_in_order_of_appearance() {
        let chart = Chart::of(&ping_pong());
        assert_eq!(chart.lifelines, ["driver", "obj1", "obj2"]);
        assert_eq!(chart.rows.len(), 8);
        assert_eq!(
            chart.rows[4],
            Row::Message {
                from: 1,
                to: 2,
                label: "\"ping\"".into(),
                reply: false
            }
        );
        assert_eq!(
            chart.rows[6],
            Row::Message {
                from: 1,
                to: 0,
                label: "none".into(),
                reply: true
            }
        );
        assert_eq!(
            chart.rows[2],
            Row::Note {
                first: 0,
                last: 2,
                text: "tx1 begins (c1)".into()
            }
        );
    }

    #[test]
    fn labels_are_one_clipped_line() {
        let long = DataValue::string(&"x".repeat(500));
        let label = value_label(&long);
        assert_eq!(label.chars().count(), MAX_LABEL);
        assert!(label.ends_with("..."));
        assert_eq!(clip("a\nb\tc"), "a b c");
    }

    #[test]
    fn an_empty_trace_has_only_the_driver() {
        let chart = Chart::of(&Trace::default());
        assert_eq!(chart.lifelines, ["driver"]);
        assert!(chart.rows.is_empty());
    }
}
