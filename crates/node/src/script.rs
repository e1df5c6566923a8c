//! A script of object operations run in one transaction (`avm tx`), on a local runtime or
//! on a node: [`run`] and the [`Outcome`] both report from.

use std::collections::BTreeMap;

use avm_obj::shape::{option, Fields};
use avm_obj::{AvmError, ControllerId, ObjectHost, ObjectId, Runtime, TxId};
use avm_vm::DataValue;

/// An object as a step names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// By id.
    Id(ObjectId),
    /// By the name an earlier `Create` gave it.
    Name(String),
}

/// One operation of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A new object, named if `name` is given.
    Create {
        /// Its behaviour.
        behaviour: DataValue,
        /// The name later steps use.
        name: Option<String>,
    },
    /// A call.
    Call {
        /// The callee.
        object: Target,
        /// The message.
        input: DataValue,
    },
    /// A destruction.
    Destroy(Target),
    /// A transfer to another controller.
    Transfer {
        /// The object.
        object: Target,
        /// Its new controller.
        to: ControllerId,
    },
}

/// What a step that succeeded gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    /// The new object.
    Created(ObjectId),
    /// The call's output.
    Called(Option<DataValue>),
    /// The object was destroyed.
    Destroyed,
    /// The object was handed to this controller.
    Transferred(ControllerId),
}

/// How a script ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    /// Committed, having used this much gas.
    Committed(u64),
    /// The step after the last done one failed; the transaction was aborted.
    Failed(AvmError),
    /// The step after the last done one ended the transaction (the runtime refuses a call
    /// that tries, but a report must say what happened): nothing is reported committed.
    Ended,
    /// The commit did not happen.
    NotCommitted,
    /// The commit failed.
    CommitFailed(AvmError),
}

/// What running a script did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Its transaction.
    pub tx: TxId,
    /// What each step that succeeded gave, in order.
    pub done: Vec<Done>,
    /// How it ended.
    pub end: End,
}

/// Runs `steps` in one transaction bound to `controller` (or to the first object's),
/// with the gas the runtime has. Fails only if the transaction cannot begin, or a failed
/// one cannot be aborted.
pub fn run(
    rt: &mut Runtime,
    controller: Option<ControllerId>,
    steps: &[Step],
) -> Result<Outcome, AvmError> {
    let start = rt.gas_left();
    let tx = rt.begin_tx(controller)?;
    let mut names: BTreeMap<&str, ObjectId> = BTreeMap::new();
    let mut done = Vec::with_capacity(steps.len());
    for step in steps {
        let resolve = |t: &Target, names: &BTreeMap<&str, ObjectId>| match t {
            Target::Id(id) => Ok(*id),
            Target::Name(n) => names.get(n.as_str()).copied().ok_or_else(|| {
                AvmError::from(avm_obj::ObjError::InvalidInput {
                    object: ObjectId(0),
                    reason: format!("no earlier step creates an object named `{n}`"),
                })
            }),
        };
        let result = match step {
            Step::Create { behaviour, name } => rt.create_obj(behaviour.clone(), None).map(|id| {
                if let Some(n) = name {
                    names.insert(n, id);
                }
                Done::Created(id)
            }),
            Step::Call { object, input } => resolve(object, &names)
                .and_then(|o| rt.call(o, input.clone()))
                .map(Done::Called),
            Step::Destroy(object) => resolve(object, &names)
                .and_then(|o| rt.destroy_obj(o))
                .map(|_| Done::Destroyed),
            Step::Transfer { object, to } => resolve(object, &names)
                .and_then(|o| rt.transfer_object(o, *to))
                .map(|_| Done::Transferred(*to)),
        };
        if result.is_ok() && rt.open_tx() != Some(tx) {
            return Ok(Outcome {
                tx,
                done,
                end: End::Ended,
            });
        }
        match result {
            Ok(d) => done.push(d),
            Err(e) => {
                // A failed step leaves the transaction aborted (or to be aborted).
                if rt.open_tx() == Some(tx) {
                    rt.abort_tx(tx)?;
                }
                return Ok(Outcome {
                    tx,
                    done,
                    end: End::Failed(e),
                });
            }
        }
    }
    let used = start - rt.gas_left();
    let end = match rt.commit_tx(tx) {
        Ok(true) => End::Committed(used),
        Ok(false) => End::NotCommitted,
        Err(e) => End::CommitFailed(e),
    };
    Ok(Outcome { tx, done, end })
}

fn error_value(e: &AvmError) -> DataValue {
    DataValue::tuple([
        DataValue::string(e.layer()),
        DataValue::string(&e.to_string()),
    ])
}

fn error_of(v: &DataValue) -> Result<AvmError, String> {
    let mut f = Fields::of(v, 2, "the error")?;
    Ok(AvmError::remote(&f.text("layer")?, f.text("message")?))
}

fn target_value(t: &Target) -> DataValue {
    match t {
        Target::Id(id) => DataValue::option(0, id.to_value()),
        Target::Name(n) => DataValue::option(1, DataValue::string(n)),
    }
}

fn target_of(v: &DataValue) -> Result<Target, String> {
    match v {
        DataValue::Option { index: 0, value } => ObjectId::from_value(value)
            .map(Target::Id)
            .ok_or_else(|| "an object id is not a natural".to_string()),
        DataValue::Option { index: 1, value } => {
            let mut f = Fields::items(std::slice::from_ref(value.as_ref()));
            f.text("name").map(Target::Name)
        }
        _ => Err("an object is not #0:id or #1:name".into()),
    }
}

impl Step {
    /// The step as a value: `(0, behaviour, name?)`, `(1, target, input)`,
    /// `(2, target)`, `(3, target, controller)`; a target is `#0:id` or `#1:name`.
    pub fn to_value(&self) -> DataValue {
        let n = |x: u64| DataValue::nat(x);
        match self {
            Step::Create { behaviour, name } => DataValue::tuple([
                n(0),
                behaviour.clone(),
                option(name.as_deref().map(DataValue::string)),
            ]),
            Step::Call { object, input } => {
                DataValue::tuple([n(1), target_value(object), input.clone()])
            }
            Step::Destroy(object) => DataValue::tuple([n(2), target_value(object)]),
            Step::Transfer { object, to } => {
                DataValue::tuple([n(3), target_value(object), to.to_value()])
            }
        }
    }

    /// The step a value stands for.
    pub fn from_value(value: &DataValue) -> Result<Step, String> {
        let (op, mut f) = Fields::tagged(value, "the step")?;
        let arity = match op {
            0 | 1 | 3 => 2,
            2 => 1,
            _ => return Err(format!("unknown step {op}")),
        };
        f.expect(arity, "the step")?;
        Ok(match op {
            0 => Step::Create {
                behaviour: f.value("behaviour")?.clone(),
                name: f
                    .option("name")?
                    .map(|v| {
                        let mut n = Fields::items(std::slice::from_ref(v));
                        n.text("name")
                    })
                    .transpose()?,
            },
            1 => Step::Call {
                object: target_of(f.value("object")?)?,
                input: f.value("input")?.clone(),
            },
            2 => Step::Destroy(target_of(f.value("object")?)?),
            _ => Step::Transfer {
                object: target_of(f.value("object")?)?,
                to: ControllerId(f.u64("to")?),
            },
        })
    }
}

impl Outcome {
    /// The outcome as a value: `(tx, (done...), end)`.
    pub fn to_value(&self) -> DataValue {
        let done = self.done.iter().map(|d| match d {
            Done::Created(id) => DataValue::option(0, id.to_value()),
            Done::Called(out) => DataValue::option(1, option(out.clone())),
            Done::Destroyed => DataValue::option(2, DataValue::unit()),
            Done::Transferred(c) => DataValue::option(3, c.to_value()),
        });
        let end = match &self.end {
            End::Committed(gas) => DataValue::option(0, DataValue::nat(*gas)),
            End::Failed(e) => DataValue::option(1, error_value(e)),
            End::Ended => DataValue::option(2, DataValue::unit()),
            End::NotCommitted => DataValue::option(3, DataValue::unit()),
            End::CommitFailed(e) => DataValue::option(4, error_value(e)),
        };
        DataValue::tuple([self.tx.to_value(), DataValue::Tuple(done.collect()), end])
    }

    /// The outcome a value stands for (errors come back as [`AvmError::Remote`]).
    pub fn from_value(value: &DataValue) -> Result<Outcome, String> {
        let mut f = Fields::of(value, 3, "the outcome")?;
        let tx = TxId(f.u64("tx")?);
        let done = f
            .list("done")?
            .iter()
            .map(|d| match d {
                DataValue::Option { index: 0, value } => ObjectId::from_value(value)
                    .map(Done::Created)
                    .ok_or_else(|| "a created id is not a natural".to_string()),
                DataValue::Option { index: 1, value } => {
                    let mut o = Fields::items(std::slice::from_ref(value.as_ref()));
                    Ok(Done::Called(o.option("output")?.cloned()))
                }
                DataValue::Option { index: 2, .. } => Ok(Done::Destroyed),
                DataValue::Option { index: 3, value } => ControllerId::from_value(value)
                    .map(Done::Transferred)
                    .ok_or_else(|| "a controller is not a natural".to_string()),
                _ => Err("a step's result is not #0..#3".to_string()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let end = match f.value("end")? {
            DataValue::Option { index: 0, value } => End::Committed(
                value
                    .as_u64()
                    .ok_or("the gas used is not a natural below 2^64")?,
            ),
            DataValue::Option { index: 1, value } => End::Failed(error_of(value)?),
            DataValue::Option { index: 2, .. } => End::Ended,
            DataValue::Option { index: 3, .. } => End::NotCommitted,
            DataValue::Option { index: 4, value } => End::CommitFailed(error_of(value)?),
            _ => return Err("the end is not #0..#4".into()),
        };
        Ok(Outcome { tx, done, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_obj::native::native;
    use avm_obj::Space;
    use std::rc::Rc;

    fn runtime() -> Runtime {
        let space = Space::new().with_controller(ControllerId(1)).shared();
        let mut rt = Runtime::new(space, Rc::new(avm_vm::Registry::new()));
        rt.register_native("echo", |host| host.input().map(Some));
        rt.set_gas(10_000);
        rt
    }

    #[test]
    fn a_script_commits_or_stops_at_the_failing_step_and_outcomes_round_trip() {
        let mut rt = runtime();
        let steps = [
            Step::Create {
                behaviour: native("echo"),
                name: Some("e".into()),
            },
            Step::Call {
                object: Target::Name("e".into()),
                input: DataValue::nat(4u8),
            },
            Step::Transfer {
                object: Target::Name("e".into()),
                to: ControllerId(1),
            },
        ];
        let out = run(&mut rt, Some(ControllerId(1)), &steps).unwrap();
        assert_eq!(
            out.done,
            [
                Done::Created(ObjectId(1)),
                Done::Called(Some(DataValue::nat(4u8))),
                Done::Transferred(ControllerId(1))
            ]
        );
        assert!(matches!(out.end, End::Committed(_)));
        assert_eq!(Outcome::from_value(&out.to_value()), Ok(out));

        let bad = [
            Step::Destroy(Target::Id(ObjectId(1))),
            Step::Call {
                object: Target::Name("nobody".into()),
                input: DataValue::unit(),
            },
        ];
        let out = run(&mut rt, None, &bad).unwrap();
        assert_eq!(out.done, [Done::Destroyed]);
        let End::Failed(e) = &out.end else {
            panic!("{out:?}");
        };
        assert!(e.to_string().contains("named `nobody`"), "{e}");
        assert!(rt.state_of(ObjectId(1)).is_ok(), "the destroy was aborted");
        let back = Outcome::from_value(&out.to_value()).unwrap();
        assert_eq!(
            back.end.clone(),
            End::Failed(AvmError::remote("object", e.to_string()))
        );
        for s in steps.iter().chain(&bad) {
            assert_eq!(Step::from_value(&s.to_value()).as_ref(), Ok(s));
        }
    }
}
