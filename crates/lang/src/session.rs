//! A read-eval-print session, for `avm repl`: definitions are kept from
//! one entry to the next, and an expression is compiled with them as the
//! body of `main` and run through the VM registry.
//!
//! An entry is the text of one or more complete forms. If every form is a
//! `(define ...)`, they are added to the session once the session's
//! definitions with them compile; otherwise the entry is one expression,
//! whose value is printed in its type with the gas the run used (or, when
//! it uses intent forms, the intent it states). Errors are rendered against
//! the entry's own text, file `<repl>`.

use avm_asm::{render_all, Diagnostic, Span};
use avm_intent::extract::{extract, Limits};
use avm_vm::{text, DataValue, Gas, Registry};
use num_bigint::{BigInt, BigUint};

use crate::reader::{read, SexpKind};
use crate::types::Type;

/// The file name diagnostics give an entry.
pub const FILE: &str = "<repl>";

/// What an entry did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entered {
    /// Nothing but blanks and comments.
    Nothing,
    /// A list is still open: the entry goes on on the next line.
    Incomplete,
    /// These definitions were added, by name.
    Defined(Vec<String>),
    /// The expression ran: its value in its type (none when the run failed)
    /// and the gas it used.
    Value {
        /// The value, e.g. `-3 : i64`.
        value: Option<String>,
        /// The gas used.
        gas: Gas,
    },
    /// The expression uses intent forms: the intent it states, extracted
    /// (docs/intents.md), in its text form.
    Intent(String),
    /// The entry did not compile: the rendered errors.
    Errors(String),
}

/// A session: its definitions and how it runs expressions.
pub struct Session {
    /// The source of every definition accepted so far.
    definitions: String,
    registry: Registry,
    gas: Gas,
}

impl Session {
    /// A session whose expressions run with at most `gas`, through the
    /// registry of the object runtime's Alu (so a program using the `OBJ`
    /// extension runs, and fails where it asks for a host).
    pub fn new(gas: Gas) -> Session {
        Session {
            definitions: String::new(),
            registry: avm_obj::alu::registry(),
            gas,
        }
    }

    /// Reads, compiles and, for an expression, runs `entry`.
    pub fn enter(&mut self, entry: &str) -> Entered {
        let forms = match read(entry) {
            Ok(read) => read.forms,
            Err(errors) => {
                // An unclosed list at the end waits for more lines.
                if errors.iter().all(|e| e.message.contains("is never closed")) {
                    return Entered::Incomplete;
                }
                let diags = errors
                    .into_iter()
                    .map(|e| diagnostic(e.message, e.span))
                    .collect::<Vec<_>>();
                return Entered::Errors(render_all(&diags, entry));
            }
        };
        let names: Option<Vec<String>> = forms
            .iter()
            .map(|f| match f.list()?.split_first()? {
                (head, [name, ..]) if head.symbol() == Some("define") => match &name.kind {
                    SexpKind::Symbol(s) => Some(s.clone()),
                    SexpKind::List(items) => items.first()?.symbol().map(str::to_owned),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        match names {
            _ if forms.is_empty() => Entered::Nothing,
            Some(names) => self.define(entry, names),
            None => self.evaluate(entry),
        }
    }

    fn define(&mut self, entry: &str, names: Vec<String>) -> Entered {
        if names.iter().any(|n| n == "main") {
            let span = Span::new(0, entry.len());
            let d = diagnostic(
                "`main` is the session's: enter an expression to evaluate it".into(),
                span,
            );
            return Entered::Errors(render_all(&[d], entry));
        }
        let prefix = format!("{}\n", self.definitions);
        let source = format!("{prefix}{entry}\n(define (main) 0)\n");
        match crate::compile(FILE, &source) {
            Ok(_) => {
                self.definitions = format!("{prefix}{entry}");
                Entered::Defined(names)
            }
            Err(diags) => Entered::Errors(relative(diags, prefix.len(), entry)),
        }
    }

    fn evaluate(&mut self, entry: &str) -> Entered {
        let prefix = format!("{}\n(define (main)\n", self.definitions);
        let source = format!("{prefix}{entry}\n)\n");
        let compiled = match crate::compile(FILE, &source) {
            Ok(c) => c,
            Err(diags) => return Entered::Errors(relative(diags, prefix.len(), entry)),
        };
        if compiled.intent {
            // An intent runs under an intent host; what it states is shown.
            return match extract("repl", &compiled.library, Limits::default()) {
                Ok(x) => Entered::Intent(x.intent.to_string()),
                Err(e) => Entered::Errors(format!("error: not an intent: {e}\n")),
            };
        }
        match self
            .registry
            .multievaluate(&compiled.function, &[], self.gas)
        {
            Ok(run) => Entered::Value {
                value: run.result.map(|v| show(&v, compiled.ret)),
                gas: run.gas_used,
            },
            Err(e) => Entered::Errors(format!("error: the program did not run: {e}\n")),
        }
    }
}

fn diagnostic(message: String, span: Span) -> Diagnostic {
    Diagnostic {
        message,
        span,
        label: None,
        file: FILE.to_owned(),
    }
}

/// The diagnostics of a source whose entry starts at `offset`, rendered
/// against the entry: a span outside it (the wrapper around it) covers it all.
fn relative(diags: Vec<Diagnostic>, offset: usize, entry: &str) -> String {
    let diags: Vec<Diagnostic> = diags
        .into_iter()
        .map(|mut d| {
            d.span = match (
                d.span.start.checked_sub(offset),
                d.span.end.checked_sub(offset),
            ) {
                (Some(s), Some(e)) if e <= entry.len() => Span::new(s, e),
                _ => Span::new(0, entry.len()),
            };
            d
        })
        .collect();
    render_all(&diags, entry)
}

/// A result as a value of the expression's type, `value : type`.
fn show(value: &DataValue, ty: Type) -> String {
    let shown = match (value, ty) {
        (_, Type::Unit) => "()".to_owned(),
        (DataValue::Nat(n), Type::Bool) => (n != &BigUint::from(0u8)).to_string(),
        (DataValue::Nat(n), Type::Int(t)) => {
            let mut v = BigInt::from(n.clone());
            if t.signed && v > t.max() {
                v -= BigInt::from(1) << t.bits;
            }
            v.to_string()
        }
        _ => text::print(value),
    };
    format!("{shown} : {ty}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &mut Session, entry: &str) -> String {
        match s.enter(entry) {
            Entered::Value { value, .. } => value.unwrap_or_else(|| "none".into()),
            other => panic!("{entry}: {other:?}"),
        }
    }

    #[test]
    fn definitions_persist_and_expressions_print_in_their_type() {
        let mut s = Session::new(10_000);
        assert_eq!(s.enter("  ; nothing\n"), Entered::Nothing);
        assert_eq!(
            s.enter("(define (sq (x i64)) (* x x)) (define K 7i64)"),
            Entered::Defined(vec!["sq".into(), "K".into()])
        );
        assert_eq!(value(&mut s, "(- (sq 3) (+ K 5))"), "-3 : i64");
        assert_eq!(value(&mut s, "(< K 8)"), "true : bool");
        assert_eq!(value(&mut s, "(concat \"ab\" \"c\")"), "\"abc\" : bytes");
        assert_eq!(value(&mut s, "(while false 1)"), "() : unit");
        // A failed run has no value, and still reports its gas.
        let Entered::Value { value, gas } = s.enter("(* 4294967296 4294967296)") else {
            panic!()
        };
        assert_eq!((value, gas > 0), (None, true));
    }

    #[test]
    fn an_intent_shows_what_it_states() {
        let mut s = Session::new(10_000);
        let e = s.enter("(let ((b (choose (range 0 9)))) (require (> b 3)) (produce \"x\" b))");
        assert_eq!(
            e,
            Entered::Intent(
                "intent repl\n  var c0 in 0..=9\n  require c0 > 3\n  create c0 x (repl)\n".into()
            )
        );
        let Entered::Errors(e) = s.enter("(produce \"x\" (/ (choose (range 0 9)) 2))") else {
            panic!()
        };
        assert!(e.contains("not an intent: `div`"), "{e}");
    }

    #[test]
    fn an_open_list_waits_and_errors_point_into_the_entry() {
        let mut s = Session::new(10_000);
        assert_eq!(s.enter("(+ 1\n"), Entered::Incomplete);
        assert_eq!(value(&mut s, "(+ 1\n 2)"), "3 : u64");
        let Entered::Errors(e) = s.enter("(+ 1 true)") else {
            panic!()
        };
        assert!(
            e.contains("<repl>:1:1") && e.contains("1 | (+ 1 true)"),
            "{e}"
        );
        // A definition that does not compile is not kept.
        assert!(matches!(s.enter("(define (f) (g))"), Entered::Errors(_)));
        assert!(matches!(s.enter("(f)"), Entered::Errors(_)));
        assert!(matches!(s.enter("(define (main) 1)"), Entered::Errors(_)));
        assert!(matches!(s.enter(")"), Entered::Errors(_)));
    }
}
