//! Handles: the numbers a `post` gives the variables it names.
//!
//! At run time a `var` is a handle: 0, 1, ... in the order in which the
//! program's `choose` and `new-var` forms run on its path (docs/intents.md).
//! `opost` takes its constraint as a constant, written when compiling, so the
//! handle of every variable a `post` names must be known then. This pass
//! follows `main` in the order its code runs, counting the variables made for
//! as long as the count is certain: after a branch whose arms make different
//! numbers of them, a loop or a short-circuit operand that makes one, or a
//! call of a function that makes one, it is unknown; in the other functions
//! it is unknown from the start. A `post` naming a variable whose handle is
//! not known is an error.

use avm_intent::{Domain, Intent, VarId};

use crate::ast::{Expr, ExprKind, IntentOp, LocalId, Program};
use crate::check::CheckError;

/// Renumbers the variables of every `post` from local ids to handles; the
/// errors name each `post` whose variables are not all known.
pub fn number(program: &mut Program) -> Vec<CheckError> {
    let mut makes = Vec::with_capacity(program.functions.len());
    for f in &program.functions {
        let m = makes_variable(&f.body, &makes);
        makes.push(m);
    }
    let mut errors = Vec::new();
    let main = program.main;
    for (i, f) in program.functions.iter_mut().enumerate() {
        let mut n = Numbering {
            makes: &makes,
            handles: vec![None; f.locals.len()],
            errors: &mut errors,
        };
        n.walk(&mut f.body, (i == main).then_some(0));
    }
    errors
}

/// Whether `e` makes a variable when it runs (`makes` says which of the
/// functions it may call do).
fn makes_variable(e: &Expr, makes: &[bool]) -> bool {
    let mut found = false;
    e.visit(&mut |e| {
        found |= match &e.kind {
            ExprKind::Intent(op, _) => op.makes_variable(),
            ExprKind::Call(g, _) => makes.get(*g).copied().unwrap_or(false),
            _ => false,
        }
    });
    found
}

struct Numbering<'a> {
    makes: &'a [bool],
    /// The handle of each local of type `var`, where it is known.
    handles: Vec<Option<u32>>,
    errors: &'a mut Vec<CheckError>,
}

impl Numbering<'_> {
    fn makes(&self, e: &Expr) -> bool {
        makes_variable(e, self.makes)
    }

    /// Follows `e` from a point where `count` variables were made (if
    /// known); returns the count after it.
    fn walk(&mut self, e: &mut Expr, count: Option<u32>) -> Option<u32> {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::Unit
            | ExprKind::Bytes(_)
            | ExprKind::Float(_)
            | ExprKind::Local(_) => count,
            ExprKind::Convert(_, a)
            | ExprKind::Unary(_, a)
            | ExprKind::Not(a)
            | ExprKind::Set(_, a)
            | ExprKind::Cast(_, a)
            | ExprKind::Assert(a) => self.walk(a, count),
            ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::Tx(a, b) => {
                let count = self.walk(a, count);
                self.walk(b, count)
            }
            ExprKind::FloatOp { args, .. }
            | ExprKind::Field(_, args)
            | ExprKind::Prim(_, args)
            | ExprKind::Host(_, args)
            | ExprKind::Begin(args) => self.sequence(args, count),
            ExprKind::Call(g, args) => {
                let count = self.sequence(args, count);
                if self.makes.get(*g).copied().unwrap_or(false) {
                    None
                } else {
                    count
                }
            }
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let count = self.walk(a, count);
                let after = self.walk(b, count);
                if after == count {
                    count
                } else {
                    None
                }
            }
            ExprKind::If(c, t, f) => {
                let count = self.walk(c, count);
                let (t, f) = (self.walk(t, count), self.walk(f, count));
                if t == f {
                    t
                } else {
                    None
                }
            }
            ExprKind::While(c, body) => {
                let count = self.looped(count, [&**c, &**body]);
                let count = self.walk(c, count);
                self.walk(body, count)
            }
            ExprKind::For { from, to, body, .. } => {
                let count = self.walk(from, count);
                let count = self.walk(to, count);
                let count = self.looped(count, [&**body]);
                self.walk(body, count)
            }
            ExprKind::Let(binds, body) => {
                let mut count = count;
                for (id, value) in binds.iter_mut() {
                    let before = count;
                    count = self.walk(value, count);
                    let handle = match &value.kind {
                        ExprKind::Intent(op, _) if op.makes_variable() => before,
                        ExprKind::Local(src) => self.handles.get(*src).copied().flatten(),
                        _ => None,
                    };
                    self.set_handle(*id, handle);
                }
                self.walk(body, count)
            }
            ExprKind::Intent(op, args) => {
                let count = self.sequence(args, count);
                if let IntentOp::Post(c) = op {
                    self.post(c, span);
                }
                if op.makes_variable() {
                    count.and_then(|c| c.checked_add(1))
                } else {
                    count
                }
            }
        }
    }

    fn sequence(&mut self, es: &mut [Expr], mut count: Option<u32>) -> Option<u32> {
        for e in es {
            count = self.walk(e, count);
        }
        count
    }

    /// The count inside a loop: unknown if its parts make variables.
    fn looped<const N: usize>(&self, count: Option<u32>, parts: [&Expr; N]) -> Option<u32> {
        if parts.iter().any(|p| self.makes(p)) {
            None
        } else {
            count
        }
    }

    fn set_handle(&mut self, id: LocalId, handle: Option<u32>) {
        if let Some(h) = self.handles.get_mut(id) {
            *h = handle;
        }
    }

    /// Renumbers the constraint of a `post` at `span`.
    fn post(&mut self, c: &mut avm_intent::Constraint, span: avm_asm::Span) {
        let mut unknown = false;
        let numbered = c.map_vars(
            &mut |v| match self.handles.get(v.index()).copied().flatten() {
                Some(h) => VarId(h),
                None => {
                    unknown = true;
                    v
                }
            },
        );
        if unknown {
            self.errors.push(CheckError {
                message: "this `post` names a `var` whose handle is not known when compiling: \
                          `post` names variables made by `new-var` in `main`, not in a branch, \
                          a loop or a function, nor after a variable made there"
                    .into(),
                span,
            });
            return;
        }
        // Renumbering may merge terms: the constraint is checked again.
        let mut vars = Vec::new();
        numbered.vars(&mut vars);
        let n = vars.iter().map(|v| v.0 + 1).max().unwrap_or(0);
        let mut probe = Intent::new("probe");
        for i in 0..n {
            probe.var(&format!("v{i}"), Domain::Range { lo: 0, hi: 0 });
        }
        probe.require(numbered.clone());
        match probe.validate() {
            Ok(()) => *c = numbered,
            Err(e) => self.errors.push(CheckError {
                message: format!("this `post`'s constraint: {}", e.what),
                span,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The constraints of the `post`s of `main`, numbered, or the errors.
    fn posts(src: &str) -> Result<Vec<String>, Vec<String>> {
        let read = crate::reader::read(src).unwrap();
        let program = crate::check::check(&read.forms)
            .map_err(|e| e.into_iter().map(|e| e.message).collect::<Vec<_>>())?;
        let mut out = Vec::new();
        program.functions[program.main].body.visit(&mut |e| {
            if let ExprKind::Intent(IntentOp::Post(c), _) = &e.kind {
                out.push(format!("{c:?}"));
            }
        });
        Ok(out)
    }

    #[test]
    fn handles_count_the_choices_and_variables_before() {
        let src = "(define (main) (let ((x (choose (range 0 9))) (a (new-var (range 0 3))) \
                   (b (new-var (range 0 3))) (c b)) (post (all-different c a))))";
        assert_eq!(posts(src).unwrap(), ["AllDifferent([VarId(2), VarId(1)])"]);
    }

    #[test]
    fn branches_that_make_as_many_variables_keep_the_count() {
        let src = "(define (main) (let ((x (choose (range 0 1)))) \
                   (if (= x 0) (choose (range 0 1)) (choose (range 2 3))) \
                   (let ((a (new-var (range 0 3)))) (post (= a 2)))))";
        assert_eq!(posts(src).unwrap().len(), 1);
        assert!(posts(src).unwrap()[0].contains("VarId(2)"));
    }

    #[test]
    fn loops_calls_and_uneven_branches_lose_it() {
        let after = |before: &str| {
            format!(
                "(define (f) (choose (range 0 1))) \
                 (define (main) (let ((x (choose (range 0 1)))) {before} \
                 (let ((a (new-var (range 0 3)))) (post (= a 2)))))"
            )
        };
        for before in [
            "(while (< x 0) (choose (range 0 1)))",
            "(f)",
            "(when (= x 0) (choose (range 0 1)))",
            "(and (= x 0) (= (choose (range 0 1)) 1))",
        ] {
            let e = posts(&after(before)).unwrap_err();
            assert!(e[0].contains("handle is not known"), "{before}: {e:?}");
        }
        // Before them, it is known.
        let src = "(define (main) (let ((a (new-var (range 0 3)))) (post (= a 2)) \
                   (for (i 1 3) (choose (range 0 1)))))";
        assert!(posts(src).is_ok());
    }

    #[test]
    fn merged_terms_are_checked_again() {
        let src = "(define (main) (let ((a (new-var (range 0 3))) (b a)) \
                   (post (= (+ (* 1048576 a) (* 1048576 b)) 0))))";
        let e = posts(src).unwrap_err();
        assert!(e[0].contains("this `post`'s constraint"), "{e:?}");
    }
}
