//! The intent forms (docs/intents.md): `choose`, `require`, the
//! finite-domain family `new-var`, `narrow`, `post` and `label`, and
//! `consume`, `produce` and `offer`.
//!
//! Chosen values, bounds and quantities are `i64` (the intent opcodes read
//! `a64` registers as two's complement); kinds and offers are `bytes`; a
//! finite-domain variable is a `var`. A domain is written in place, as
//! `(range lo hi)` or `(one-of v ...)`; the constraint of `post` is written
//! in its own small syntax over `var` names (see [`Checker::constraint`]).

use avm_intent::{Cmp, Constraint, Domain, Intent, Linear, VarId};

use super::*;
use crate::ast::IntentOp;

/// The names of the intent forms.
pub(super) const INTENT_FORMS: [&str; 9] = [
    "choose", "require", "new-var", "narrow", "post", "label", "consume", "produce", "offer",
];

const I64: Type = Type::Int(IntType::new(64, true));

/// The comparisons of a constraint, by name.
fn constraint_cmp(name: &str) -> Option<Cmp> {
    Some(match name {
        "=" => Cmp::Eq,
        "!=" => Cmp::Neq,
        "<" => Cmp::Lt,
        "<=" => Cmp::Leq,
        ">" => Cmp::Gt,
        ">=" => Cmp::Geq,
        _ => return None,
    })
}

/// Whether `d` is a domain a variable may have: non-empty and within the
/// intents' value limit. The error says what is wrong.
fn check_domain(d: &Domain) -> Result<(), String> {
    let mut probe = Intent::new("probe");
    probe.var("x", d.clone());
    probe.validate().map_err(|e| e.what)
}

impl Checker {
    /// An intent form; `name` is one of [`INTENT_FORMS`].
    pub(super) fn intent(&mut self, sexp: &Sexp, name: &str, args: &[Sexp]) -> Checked {
        let span = sexp.span;
        let shape = match name {
            "choose" | "new-var" => "domain",
            "require" => "test",
            "narrow" => "var domain",
            "post" => "constraint",
            "label" => "var",
            "offer" => "offer",
            _ => "kind quantity",
        };
        if args.len() != shape.split(' ').count() {
            return self.fail(format!("write `({name} {shape})`"), span);
        }
        let var = |c: &mut Checker, a: &Sexp| c.expr(a, Some(Type::Var));
        let (op, operands, ty) = match name {
            "choose" => match self.domain_head(&args[0]) {
                Some("range") => {
                    let bounds = self.range_bounds(&args[0])?;
                    if let [Expr {
                        kind: ExprKind::Int(lo),
                        ..
                    }, Expr {
                        kind: ExprKind::Int(hi),
                        ..
                    }] = bounds.as_slice()
                    {
                        // Constant bounds are checked now rather than at extraction.
                        let d = Domain::Range {
                            lo: i64::try_from(lo).unwrap_or(i64::MAX),
                            hi: i64::try_from(hi).unwrap_or(i64::MAX),
                        };
                        if let Err(what) = check_domain(&d) {
                            return self.fail(format!("`(range ...)`: {what}"), args[0].span);
                        }
                    }
                    (IntentOp::ChooseRange, bounds, I64)
                }
                _ => (IntentOp::ChooseIn(self.domain(&args[0])?), vec![], I64),
            },
            "require" => (
                IntentOp::Require,
                vec![self.expr(&args[0], Some(Type::Bool))?],
                Type::Unit,
            ),
            "new-var" => (IntentOp::NewVar(self.domain(&args[0])?), vec![], Type::Var),
            "narrow" => {
                let v = var(self, &args[0]);
                let d = self.domain(&args[1]);
                (IntentOp::Narrow(d?), vec![v?], Type::Unit)
            }
            // Its shape is checked once its variables are handles (crate::handles).
            "post" => (
                IntentOp::Post(Box::new(self.constraint(&args[0])?)),
                vec![],
                Type::Unit,
            ),
            "label" => (IntentOp::Label, vec![var(self, &args[0])?], I64),
            "offer" => (
                IntentOp::Offer,
                vec![self.expr(&args[0], Some(Type::Bytes))?],
                Type::Unit,
            ),
            _ => {
                let kind = self.expr(&args[0], Some(Type::Bytes));
                let q = self.expr(&args[1], Some(I64));
                let create = name == "produce";
                (IntentOp::Flow { create }, vec![kind?, q?], Type::Unit)
            }
        };
        Ok(Expr {
            kind: ExprKind::Intent(op, operands),
            ty,
            span,
        })
    }

    /// The head of a domain form, if it is one.
    fn domain_head<'s>(&self, sexp: &'s Sexp) -> Option<&'s str> {
        sexp.list()
            .and_then(|l| l.first())
            .and_then(Sexp::symbol)
            .filter(|h| matches!(*h, "range" | "one-of"))
    }

    /// The bounds of `(range lo hi)`, as `i64` expressions.
    fn range_bounds(&mut self, sexp: &Sexp) -> Result<Vec<Expr>, Reported> {
        match sexp.list() {
            Some([_, lo, hi]) => {
                let lo = self.expr(lo, Some(I64));
                let hi = self.expr(hi, Some(I64));
                Ok(vec![crate::fold::fold(lo?), crate::fold::fold(hi?)])
            }
            _ => self.fail("write `(range lo hi)`: lo to hi, both included", sexp.span),
        }
    }

    /// The integer constant `sexp` computes, of type `i64`.
    fn constant_i64(&mut self, sexp: &Sexp, what: &str) -> Result<i64, Reported> {
        let e = crate::fold::fold(self.expr(sexp, Some(I64))?);
        match e.kind {
            ExprKind::Int(v) => Ok(i64::try_from(&v).unwrap_or(i64::MAX)),
            _ => self.fail(
                format!(
                    "{} is not a constant: {what} must be computable when compiling",
                    describe(sexp)
                ),
                sexp.span,
            ),
        }
    }

    /// A constant domain: `(range lo hi)` or `(one-of v ...)`.
    fn domain(&mut self, sexp: &Sexp) -> Result<Domain, Reported> {
        let what = "a domain's value";
        let d = match (self.domain_head(sexp), sexp.list()) {
            (Some("range"), Some([_, lo, hi])) => {
                let lo = self.constant_i64(lo, what);
                let hi = self.constant_i64(hi, what);
                Domain::Range { lo: lo?, hi: hi? }
            }
            (Some("one-of"), Some([_, values @ ..])) if !values.is_empty() => {
                let values: Vec<Result<i64, Reported>> =
                    values.iter().map(|v| self.constant_i64(v, what)).collect();
                Domain::set(values.into_iter().collect::<Result<Vec<_>, _>>()?)
            }
            _ => {
                return self.fail(
                    format!(
                        "{} is not a domain: write `(range lo hi)` or `(one-of v ...)`",
                        describe(sexp)
                    ),
                    sexp.span,
                )
            }
        };
        match check_domain(&d) {
            Ok(()) => Ok(d),
            Err(what) => self.fail(format!("{}: {what}", describe(sexp)), sexp.span),
        }
    }

    /// The local `sexp` names, if it is a name in scope.
    fn local_named(&self, sexp: &Sexp) -> Option<LocalId> {
        let name = sexp.symbol()?;
        self.scope
            .iter()
            .rev()
            .find(|(n, _, _)| n == name)
            .map(|(_, id, _)| *id)
    }

    /// Whether `sexp` is the name of a `var` (or of a binding that failed to check).
    fn is_var_name(&self, sexp: &Sexp) -> bool {
        self.local_named(sexp)
            .is_some_and(|id| id == POISONED || self.locals.get(id) == Some(&Type::Var))
    }

    /// The local a `var` name stands for, as a constraint variable.
    fn constraint_var(&mut self, sexp: &Sexp) -> Result<VarId, Reported> {
        match self.local_named(sexp) {
            Some(POISONED) => Err(Reported),
            Some(id) if self.locals.get(id) == Some(&Type::Var) => Ok(VarId(id as u32)),
            _ => self.fail(
                format!(
                    "{} is not a `var`: a constraint names variables made by `new-var`",
                    describe(sexp)
                ),
                sexp.span,
            ),
        }
    }

    /// A constraint of `post`, over the local ids of the `var` names it uses:
    ///
    /// - `(all-different v ...)`;
    /// - `(element (k ...) i v)`: `v` is element `i` of the constants (from 0);
    /// - `(table (v ...) (k ...) ...)`: the variables' values are one of the rows;
    /// - `(= a b)`, `!=`, `<`, `<=`, `>`, `>=` on linear terms: a `var`, an
    ///   integer constant, `(+ t ...)`, `(- t)`, `(- t u)`, `(* k t)`;
    /// - `(and c ...)`, `(or c ...)`, `(not c)`.
    fn constraint(&mut self, sexp: &Sexp) -> Result<Constraint, Reported> {
        let shape = "a constraint is `(all-different v ...)`, `(element (k ...) i v)`, \
                     `(table (v ...) (k ...) ...)`, a comparison of linear terms, \
                     or `and`, `or`, `not` of constraints";
        let Some((head, args)) = sexp.list().and_then(|l| l.split_first()) else {
            return self.fail(format!("{}: {shape}", describe(sexp)), sexp.span);
        };
        let head = head.symbol().unwrap_or_default();
        if let Some(op) = constraint_cmp(head) {
            let [a, b] = args else {
                return self.fail(format!("write `({head} a b)`"), sexp.span);
            };
            let (a, b) = (self.linear(a), self.linear(b));
            return Ok(Constraint::compare(a?, op, b?));
        }
        match (head, args) {
            ("all-different", vars) => {
                let vars: Vec<_> = vars.iter().map(|v| self.constraint_var(v)).collect();
                Ok(Constraint::AllDifferent(
                    vars.into_iter().collect::<Result<_, _>>()?,
                ))
            }
            ("element", [array, index, value]) => {
                let array = self.constants(array);
                let (index, value) = (self.constraint_var(index), self.constraint_var(value));
                Ok(Constraint::Element {
                    index: index?,
                    array: array?,
                    value: value?,
                })
            }
            ("table", [vars, rows @ ..]) => {
                let vars: Vec<_> = match vars.list() {
                    Some(vs) => vs.iter().map(|v| self.constraint_var(v)).collect(),
                    None => return self.fail("write `(table (v ...) (k ...) ...)`", vars.span),
                };
                let rows: Vec<_> = rows.iter().map(|r| self.constants(r)).collect();
                Ok(Constraint::Table {
                    vars: vars.into_iter().collect::<Result<_, _>>()?,
                    rows: rows.into_iter().collect::<Result<_, _>>()?,
                })
            }
            ("and" | "or", cs) | ("not", cs @ [_]) => {
                let cs: Vec<_> = cs.iter().map(|c| self.constraint(c)).collect();
                let cs = cs.into_iter().collect::<Result<Vec<_>, _>>()?;
                Ok(match head {
                    "and" => Constraint::And(cs),
                    "or" => Constraint::Or(cs),
                    _ => Constraint::Not(Box::new(cs.into_iter().next().ok_or(Reported)?)),
                })
            }
            _ => self.fail(format!("{}: {shape}", describe(sexp)), sexp.span),
        }
    }

    /// A list of integer constants, `(k ...)`.
    fn constants(&mut self, sexp: &Sexp) -> Result<Vec<i64>, Reported> {
        let Some(items) = sexp.list() else {
            return self.fail(
                format!("{} is not a list of constants `(k ...)`", describe(sexp)),
                sexp.span,
            );
        };
        let values: Vec<_> = items
            .iter()
            .map(|k| self.constant_i64(k, "a constraint's constant"))
            .collect();
        values.into_iter().collect()
    }

    /// A linear term of a constraint.
    fn linear(&mut self, sexp: &Sexp) -> Result<Linear, Reported> {
        let overflow =
            |c: &mut Checker| c.fail(format!("{} overflows 64 bits", describe(sexp)), sexp.span);
        if self.is_var_name(sexp) {
            return Ok(Linear::var(self.constraint_var(sexp)?));
        }
        let list = sexp.list().and_then(|l| l.split_first());
        let Some((head, args)) = list
            .filter(|(h, _)| matches!(h.symbol(), Some("+" | "-" | "*")) && self.names_var(sexp))
        else {
            return Ok(Linear::constant(
                self.constant_i64(sexp, "a term without variables")?,
            ));
        };
        let terms: Vec<_> = args.iter().map(|a| self.linear(a)).collect();
        let terms = terms.into_iter().collect::<Result<Vec<_>, _>>()?;
        let result = match (head.symbol(), terms.as_slice()) {
            (Some("+"), [first, rest @ ..]) => rest
                .iter()
                .try_fold(first.clone(), |acc, t| acc.checked_combine(t, 1)),
            (Some("-"), [t]) => Linear::constant(0).checked_combine(t, -1),
            (Some("-"), [a, b]) => a.checked_combine(b, -1),
            (Some("*"), [a, b]) => match (a.terms(), b.terms()) {
                ([], _) => b.checked_scale(a.offset()),
                (_, []) => a.checked_scale(b.offset()),
                _ => {
                    return self.fail(
                        format!(
                            "{} multiplies two variables: a constraint's terms are linear",
                            describe(sexp)
                        ),
                        sexp.span,
                    )
                }
            },
            _ => {
                return self.fail(
                    format!(
                        "{}: a term is `(+ t ...)`, `(- t)`, `(- t u)` or `(* k t)`",
                        describe(sexp)
                    ),
                    sexp.span,
                )
            }
        };
        match result {
            Some(l) => Ok(l),
            None => overflow(self),
        }
    }

    /// Whether `sexp` names a `var` anywhere in it.
    fn names_var(&self, sexp: &Sexp) -> bool {
        match &sexp.kind {
            SexpKind::List(items) => items.iter().any(|i| self.names_var(i)),
            _ => self.is_var_name(sexp),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::{Expr, ExprKind, IntentOp};
    use crate::types::Type;
    use avm_intent::{Cmp, Constraint, Domain, Linear, VarId};

    /// The intent forms of `main`'s body with their types, or the errors.
    fn forms(body: &str) -> Result<Vec<(IntentOp, Type)>, Vec<String>> {
        let src = format!("(define (main) {body})");
        let read = crate::reader::read(&src).unwrap();
        let program = crate::check::check(&read.forms)
            .map_err(|e| e.into_iter().map(|e| e.message).collect::<Vec<_>>())?;
        let mut out = Vec::new();
        program.functions[program.main].body.visit(&mut |e: &Expr| {
            if let ExprKind::Intent(op, _) = &e.kind {
                out.push((op.clone(), e.ty));
            }
        });
        Ok(out)
    }

    const I64: Type = super::I64;

    #[test]
    fn the_forms_and_their_types() {
        let got = forms(
            "(let ((x (choose (range 0 5))) (y (choose (one-of 3 1 3))) (v (new-var (range 1 (+ 2 3))))) \
             (require (< x y)) (narrow v (one-of 2)) (consume \"a\" (label v)) (produce \"b\" 1) \
             (offer \"o\"))",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let ops: Vec<(IntentOp, Type)> = vec![
            (IntentOp::ChooseRange, I64),
            (IntentOp::ChooseIn(Domain::Set(vec![1, 3])), I64),
            (IntentOp::NewVar(Domain::Range { lo: 1, hi: 5 }), Type::Var),
            (IntentOp::Require, Type::Unit),
            (IntentOp::Narrow(Domain::Set(vec![2])), Type::Unit),
            (IntentOp::Flow { create: false }, Type::Unit),
            (IntentOp::Label, I64),
            (IntentOp::Flow { create: true }, Type::Unit),
            (IntentOp::Offer, Type::Unit),
        ];
        assert_eq!(got, ops);
    }

    #[test]
    fn constraints_are_parsed_into_the_ir() {
        let got = forms(
            "(let ((a (new-var (range 0 3))) (b (new-var (range 0 3)))) \
             (post (or (<= (+ a (* 2 b) -1) (- 7 a)) (not (element (4 5) a b)) \
             (table (a b) (0 1) (1 0)))))",
        )
        .unwrap();
        let (a, b) = (VarId(0), VarId(1));
        let want = Constraint::Or(vec![
            Constraint::compare(
                Linear::new([(1, a), (2, b)], -1),
                Cmp::Leq,
                Linear::new([(-1, a)], 7),
            ),
            Constraint::Not(Box::new(Constraint::Element {
                index: a,
                array: vec![4, 5],
                value: b,
            })),
            Constraint::Table {
                vars: vec![a, b],
                rows: vec![vec![0, 1], vec![1, 0]],
            },
        ]);
        assert_eq!(got[2].0, IntentOp::Post(Box::new(want)));
    }

    #[test]
    fn errors_name_the_expression() {
        let cases = [
            ("(choose 1 2)", "write `(choose domain)`"),
            (
                "(new-var (range 0 (as i64 (input))))",
                "`(as ...)` is not a constant",
            ),
            ("(new-var (one-of))", "is not a domain"),
            ("(choose (range 3 1))", "the range 3..=1 is empty"),
            ("(label 3)", "`3` has type u64, but var is expected here"),
            ("(post (= 1 2 3))", "write `(= a b)`"),
            ("(post (foo))", "a constraint is `(all-different v ...)`"),
            (
                "(let ((a (new-var (range 0 1)))) (post (< (* a a) 1)))",
                "multiplies two variables",
            ),
            (
                "(let ((a (new-var (range 0 1)))) (< a a))",
                "does not compare `var`s",
            ),
        ];
        for (body, want) in cases {
            let e = forms(body).unwrap_err();
            assert!(e.iter().any(|e| e.contains(want)), "{body}: {e:?}");
        }
        let main_var = crate::reader::read("(define (main (q var)) 1)").unwrap();
        let e = crate::check::check(&main_var.forms).unwrap_err();
        assert!(e[0].message.contains("a `var` does not"), "{e:?}");
    }
}
