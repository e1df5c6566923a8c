//! The forms of the runtime and the built-in families: object forms, byte
//! strings, digests and signature checks.

use super::*;

impl Checker {
    pub(super) fn host(&mut self, sexp: &Sexp, form: &'static HostForm, args: &[Sexp]) -> Checked {
        let span = sexp.span;
        let name = form.name;
        if args.len() != form.operands.len() {
            let shape: Vec<String> = form.operands.iter().map(Type::to_string).collect();
            return self.fail(
                format!("`{name}` takes `({name} {})`", shape.join(" ")),
                span,
            );
        }
        let u64t = Type::Int(IntType::new(64, false));
        let mut types = form.operands.iter();
        let args = self.all(args, |c, a| c.expr(a, types.next().copied()))?;
        let ty = match form.result {
            HostResult::Value => u64t,
            HostResult::Unit => Type::Unit,
            HostResult::Status => Type::Bool,
        };
        Ok(Expr {
            kind: ExprKind::Host(form, args),
            ty,
            span,
        })
    }

    pub(super) fn prim(&mut self, sexp: &Sexp, form: &'static PrimForm, args: &[Sexp]) -> Checked {
        let span = sexp.span;
        let name = form.name;
        if args.len() != form.operands.len() {
            let shape: Vec<String> = form.operands.iter().map(Type::to_string).collect();
            return self.fail(
                format!("`{name}` takes `({name} {})`", shape.join(" ")),
                span,
            );
        }
        let mut types = form.operands.iter();
        let args = self.all(args, |c, a| c.expr(a, types.next().copied()))?;
        let ty = match form.result {
            PrimResult::Value(t) => t,
            PrimResult::Digest(_, t) => Type::Int(t),
            PrimResult::Status => Type::Bool,
        };
        Ok(Expr {
            kind: ExprKind::Prim(form, args),
            ty,
            span,
        })
    }
}
