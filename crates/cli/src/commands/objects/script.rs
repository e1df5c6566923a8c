//! `avm tx FILE`: the script format, a list of object operations run in one transaction.
//!
//! One statement a line; blank lines and lines whose first non-blank character is `#` are
//! ignored:
//!
//! ```text
//! create BEHAVIOUR [as NAME]   a new object (BEHAVIOUR as for `avm obj create`)
//! call OBJECT INPUT            send INPUT (a value in text form, the rest of the line)
//! destroy OBJECT
//! transfer OBJECT CONTROLLER   hand the object to a controller (`c2` or `2`)
//! ```
//!
//! OBJECT is an id (`obj3` or `3`) or `$NAME` of an object created earlier in the script.
//! Parsing checks the whole script before anything runs, so a typo on the last line
//! changes nothing.

use avm_obj::{ControllerId, ObjectId};
use avm_vm::{text, DataValue};
use std::collections::BTreeSet;

/// The most statements a script may hold.
pub const MAX_STATEMENTS: usize = 10_000;

/// An object as a statement names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjectRef {
    /// By id.
    Id(ObjectId),
    /// By the name a `create ... as NAME` gave it.
    Name(String),
}

/// What one statement does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `create BEHAVIOUR [as NAME]`.
    Create {
        /// The behaviour argument, resolved when the script runs.
        behaviour: String,
        /// The name to refer to the new object by.
        name: Option<String>,
    },
    /// `call OBJECT INPUT`.
    Call {
        /// The callee.
        object: ObjectRef,
        /// The message.
        input: DataValue,
    },
    /// `destroy OBJECT`.
    Destroy {
        /// The object.
        object: ObjectRef,
    },
    /// `transfer OBJECT CONTROLLER`.
    Transfer {
        /// The object.
        object: ObjectRef,
        /// Its new controller.
        to: ControllerId,
    },
}

/// A statement and the line it is on (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Its line.
    pub line: usize,
    /// What it does.
    pub op: Op,
}

/// A problem in a script: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// The line, from 1.
    pub line: usize,
    /// The column, in characters from 1.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses a whole script.
pub fn parse(source: &str) -> Result<Vec<Statement>, ScriptError> {
    let mut statements = Vec::new();
    let mut names = BTreeSet::new();
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if statements.len() == MAX_STATEMENTS {
            return Err(error(
                line,
                text,
                trimmed,
                "too many statements (at most 10000)",
            ));
        }
        let op = statement(line, text, trimmed, &names)?;
        if let Op::Create { name: Some(n), .. } = &op {
            if !names.insert(n.clone()) {
                return Err(error(
                    line,
                    text,
                    trimmed,
                    &format!("${n} is already defined"),
                ));
            }
        }
        statements.push(Statement { line, op });
    }
    Ok(statements)
}

/// A `ScriptError` at the start of `at`, a suffix of the line `text`.
fn error(line: usize, text: &str, at: &str, message: &str) -> ScriptError {
    let offset = text.len() - at.len();
    ScriptError {
        line,
        col: text[..offset].chars().count() + 1,
        message: message.to_owned(),
    }
}

/// Splits off the first word of `s` (no leading blanks), returning it and the rest with
/// its leading blanks removed.
fn word(s: &str) -> (&str, &str) {
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (&s[..end], s[end..].trim_start())
}

fn statement(
    line: usize,
    text: &str,
    trimmed: &str,
    names: &BTreeSet<String>,
) -> Result<Op, ScriptError> {
    let err = |at: &str, message: &str| error(line, text, at, message);
    let (verb, rest) = word(trimmed);
    let object = |at| object_arg(line, text, at, names);
    let end = |after: &str| {
        if after.is_empty() {
            Ok(())
        } else {
            Err(err(after, "unexpected text after the statement"))
        }
    };
    match verb {
        "create" => {
            let (behaviour, after) = word(rest);
            if behaviour.is_empty() {
                return Err(err(
                    rest,
                    "expected a behaviour: a .alu or .lib file, or a function value",
                ));
            }
            let name = match word(after) {
                ("", _) => None,
                ("as", name_part) => {
                    let (name, after) = word(name_part);
                    if !is_name(name) {
                        return Err(err(name_part, "expected a name: letters, digits and _"));
                    }
                    end(after)?;
                    Some(name.to_owned())
                }
                _ => return Err(err(after, "expected `as NAME` or the end of the line")),
            };
            Ok(Op::Create {
                behaviour: behaviour.to_owned(),
                name,
            })
        }
        "call" => {
            let (object, after) = object(rest)?;
            if after.is_empty() {
                return Err(err(after, "expected an input value after the object"));
            }
            let input = text::parse(after.trim_end()).map_err(|e| {
                let mut offset = e.offset.min(after.len());
                while !after.is_char_boundary(offset) {
                    offset -= 1;
                }
                err(&after[offset..], &format!("bad input value: {}", e.kind))
            })?;
            Ok(Op::Call { object, input })
        }
        "destroy" => {
            let (object, after) = object(rest)?;
            end(after)?;
            Ok(Op::Destroy { object })
        }
        "transfer" => {
            let (object, after) = object(rest)?;
            let (to, rest) = word(after);
            let to = controller(to).ok_or_else(|| err(after, "expected a controller: c2 or 2"))?;
            end(rest)?;
            Ok(Op::Transfer { object, to })
        }
        _ => Err(err(
            trimmed,
            &format!("unknown statement `{verb}`: expected create, call, destroy or transfer"),
        )),
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// An OBJECT argument at the start of `at` (part of the line `text`), and what follows it.
fn object_arg<'a>(
    line: usize,
    text: &str,
    at: &'a str,
    names: &BTreeSet<String>,
) -> Result<(ObjectRef, &'a str), ScriptError> {
    let (w, after) = word(at);
    let object = object_ref(w).ok_or_else(|| {
        error(
            line,
            text,
            at,
            "expected an object: an id like obj3 (or 3), or $NAME",
        )
    })?;
    if let ObjectRef::Name(n) = &object {
        if !names.contains(n) {
            let message = format!("${n} is not defined by an earlier `create ... as {n}`");
            return Err(error(line, text, at, &message));
        }
    }
    Ok((object, after))
}

/// `obj3`, `3` or `$name`.
pub fn object_ref(s: &str) -> Option<ObjectRef> {
    if let Some(name) = s.strip_prefix('$') {
        return is_name(name).then(|| ObjectRef::Name(name.to_owned()));
    }
    number(s.strip_prefix("obj").unwrap_or(s)).map(|n| ObjectRef::Id(ObjectId(n)))
}

/// `c2` or `2`.
pub fn controller(s: &str) -> Option<ControllerId> {
    number(s.strip_prefix('c').unwrap_or(s)).map(ControllerId)
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_bank_transfer_script_parses() {
        let script = "\
# move 30 from obj1 to obj2
call obj1 (2, 30)

   call 2 (1, 30)
create examples/objects/counter.alu as tally
call $tally ()
transfer $tally c2
destroy obj9
";
        let s = parse(script).unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s[0].line, 2);
        assert_eq!(
            s[1],
            Statement {
                line: 4,
                op: Op::Call {
                    object: ObjectRef::Id(ObjectId(2)),
                    input: text::parse("(1, 30)").unwrap()
                }
            }
        );
        assert_eq!(
            s[2].op,
            Op::Create {
                behaviour: "examples/objects/counter.alu".into(),
                name: Some("tally".into())
            }
        );
        assert_eq!(
            s[4].op,
            Op::Transfer {
                object: ObjectRef::Name("tally".into()),
                to: ControllerId(2)
            }
        );
        assert_eq!(
            s[5].op,
            Op::Destroy {
                object: ObjectRef::Id(ObjectId(9))
            }
        );
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let cases = [
            ("jump obj1", 1, 1, "unknown statement `jump`"),
            ("call objX 1", 1, 6, "expected an object"),
            ("call obj1", 1, 10, "expected an input value"),
            ("call obj1 (1, ", 1, 14, "bad input value: unexpected end"),
            ("\n  destroy obj1 now", 2, 16, "unexpected text"),
            ("call $nobody 1", 1, 6, "$nobody is not defined"),
            ("transfer obj1 boss", 1, 15, "expected a controller"),
            ("create f.alu as", 1, 16, "expected a name"),
            (
                "create f.alu as a\ncreate g.alu as a",
                2,
                1,
                "$a is already defined",
            ),
            ("create", 1, 7, "expected a behaviour"),
        ];
        for (script, line, col, message) in cases {
            let e = parse(script).unwrap_err();
            assert_eq!((e.line, e.col), (line, col), "{script:?}: {e:?}");
            assert!(e.message.contains(message), "{script:?}: {e:?}");
        }
    }

    #[test]
    fn refs_and_controllers() {
        assert_eq!(object_ref("obj12"), Some(ObjectRef::Id(ObjectId(12))));
        assert_eq!(object_ref("12"), Some(ObjectRef::Id(ObjectId(12))));
        assert_eq!(object_ref("$a_1"), Some(ObjectRef::Name("a_1".into())));
        for bad in ["", "obj", "obj-1", "$", "$a-b", "99999999999999999999999"] {
            assert_eq!(object_ref(bad), None, "{bad}");
        }
        assert_eq!(controller("c3"), Some(ControllerId(3)));
        assert_eq!(controller("cc3"), None);
    }

    proptest! {
        /// Any text parses or fails with a position on one of its lines; never a panic.
        #[test]
        fn any_text_parses_or_fails_in_place(source in "(\\PC|\n| ){0,200}") {
            if let Err(e) = parse(&source) {
                let lines = source.lines().count().max(1);
                prop_assert!(e.line >= 1 && e.line <= lines, "{e:?}");
                prop_assert!(e.col >= 1);
            }
        }

        /// Near-misses of real statements never panic either.
        #[test]
        fn near_statements_never_panic(
            verb in prop::sample::select(vec!["create", "call", "destroy", "transfer", "as"]),
            args in "[ a-z0-9$()\",#é]{0,30}",
        ) {
            let _ = parse(&format!("{verb} {args}"));
        }
    }
}
