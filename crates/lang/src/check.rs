//! The checker: S-expressions to a typed [`Program`], or every error found.
//!
//! Types are inferred bottom-up with one rule for literals: an integer
//! literal without a suffix takes the type its context expects (the other
//! operand of an operator, the variable it is assigned to, the parameter it
//! is passed to), and `u64` (`i64` if negative) when nothing says. A
//! function may only call functions defined before it, so there is no
//! recursion and every call depth is bounded by the number of functions.

use std::collections::HashMap;

use avm_asm::Span;

use crate::ast::{
    BinOp, CmpOp, Expr, ExprKind, FieldDomain, FieldForm, Function, HostForm, HostResult, LocalId,
    PrimForm, PrimResult, Program, UnOp, FIELD_FORMS, HOST_FORMS, PRIM_FORMS,
};
use crate::reader::{Sexp, SexpKind};

mod builtins;
mod intents;
mod numbers;

use crate::types::{IntType, Type};
use avm_asm::FloatFormat;
use intents::INTENT_FORMS;
use numbers::{binop, cmpop, FLOAT_UNARY, ROUNDINGS};

/// The local id of a name whose binding failed to check.
const POISONED: LocalId = LocalId::MAX;

/// The most operands of one n-ary operator and clauses of one `cond`, so
/// that desugared expressions stay shallow.
pub const MAX_CHAIN: usize = 16;

/// A checking error: what and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    /// What is wrong, naming the expression.
    pub message: String,
    /// The expression at fault.
    pub span: Span,
}

/// Marks an expression whose error is already reported.
struct Reported;

type Checked = Result<Expr, Reported>;

/// A top-level value: a constant.
#[derive(Clone)]
enum Global {
    Const(ExprKind, Type),
    Function(usize),
}

struct Signature {
    params: Vec<Type>,
    ret: Type,
}

struct Checker {
    errors: Vec<CheckError>,
    globals: HashMap<String, Global>,
    signatures: Vec<Signature>,
    /// The function being checked: its locals' types, and the names in scope.
    locals: Vec<Type>,
    scope: Vec<(String, LocalId, bool)>,
}

/// Checks the top-level forms of a program.
pub fn check(forms: &[Sexp]) -> Result<Program, Vec<CheckError>> {
    let mut c = Checker {
        errors: Vec::new(),
        globals: HashMap::new(),
        signatures: Vec::new(),
        locals: Vec::new(),
        scope: Vec::new(),
    };
    let mut functions = Vec::new();
    for form in forms {
        if let Some(f) = c.top_level(form) {
            functions.push(f);
        }
    }
    let main = functions.iter().position(|f| f.name == "main");
    if main.is_none() && c.errors.is_empty() {
        c.error(
            "no `main` function: a program runs `(define (main ...) ...)`",
            Span::new(0, 0),
        );
    }
    if let Some(m) = main {
        let f = &functions[m];
        if f.params
            .iter()
            .chain([&f.ret])
            .any(|t| matches!(t, Type::Float(_)))
        {
            c.error(
                "`main`'s parameters and result cross as naturals: convert floats with `as`",
                f.span,
            );
        }
        if f.params.iter().chain([&f.ret]).any(|t| *t == Type::Var) {
            c.error(
                "`main`'s parameters and result cross as naturals: a `var` does not (give its value with `label`)",
                f.span,
            );
        }
        if functions[m].params.len() > 16 {
            c.error(
                "`main` takes at most 16 parameters (one per argument register)",
                functions[m].span,
            );
        }
    }
    if let (Some(main), true) = (main, c.errors.is_empty()) {
        let mut program = Program { functions, main };
        c.errors = crate::handles::number(&mut program);
        if c.errors.is_empty() {
            return Ok(program);
        }
    }
    c.errors.sort_by_key(|e| e.span.start);
    Err(c.errors)
}

fn describe(sexp: &Sexp) -> String {
    match &sexp.kind {
        SexpKind::List(items) => match items.first().and_then(Sexp::symbol) {
            Some(head) => format!("`({head} ...)`"),
            None => "this list".into(),
        },
        SexpKind::Int { value, .. } => format!("`{value}`"),
        SexpKind::Float { text, .. } => format!("`{text}`"),
        SexpKind::Symbol(s) => format!("`{s}`"),
        SexpKind::Bytes(_) => "this string".into(),
    }
}

impl Checker {
    fn error(&mut self, message: impl Into<String>, span: Span) {
        self.errors.push(CheckError {
            message: message.into(),
            span,
        });
    }

    fn fail<T>(&mut self, message: impl Into<String>, span: Span) -> Result<T, Reported> {
        self.error(message, span);
        Err(Reported)
    }

    /// A top-level form: a function (returned) or a constant (recorded).
    fn top_level(&mut self, form: &Sexp) -> Option<Function> {
        let items = match form.list() {
            Some(items) if items.first().and_then(Sexp::symbol) == Some("define") => items,
            _ => {
                self.error(
                    format!(
                        "{} at the top level: only `(define ...)` forms may be here",
                        describe(form)
                    ),
                    form.span,
                );
                return None;
            }
        };
        match items.get(1).map(|s| &s.kind) {
            Some(SexpKind::List(head)) => self.function(form, head, &items[2..]),
            Some(SexpKind::Symbol(name)) if items.len() == 3 => {
                self.constant(name, &items[1], &items[2]);
                None
            }
            _ => {
                self.error(
                    "write `(define (name (param type) ...) body ...)` or `(define NAME value)`",
                    form.span,
                );
                None
            }
        }
    }

    fn declare_global(&mut self, name: &str, span: Span, global: Global) -> bool {
        if is_reserved(name) || Type::from_name(name).is_some() {
            self.error(format!("`{name}` is a built-in name"), span);
            return false;
        }
        if self.globals.contains_key(name) {
            self.error(format!("`{name}` is defined twice"), span);
            return false;
        }
        self.globals.insert(name.to_owned(), global);
        true
    }

    fn constant(&mut self, name: &str, name_sexp: &Sexp, value: &Sexp) {
        self.locals.clear();
        self.scope.clear();
        let Ok(expr) = self.expr(value, None) else {
            return;
        };
        let expr = crate::fold::fold(expr);
        match expr.kind {
            kind @ (ExprKind::Int(_) | ExprKind::Bool(_)) => {
                self.declare_global(name, name_sexp.span, Global::Const(kind, expr.ty));
            }
            _ => self.error(
                format!("the value of `{name}` is not a constant: a top-level value must be computable when compiling"),
                value.span,
            ),
        }
    }

    fn function(&mut self, form: &Sexp, head: &[Sexp], body: &[Sexp]) -> Option<Function> {
        let Some((name_sexp, params)) = head.split_first() else {
            self.error(
                "a function needs a name: `(define (name ...) ...)`",
                form.span,
            );
            return None;
        };
        let Some(name) = name_sexp.symbol() else {
            self.error("a function's name must be a symbol", name_sexp.span);
            return None;
        };
        self.locals.clear();
        self.scope.clear();
        let mut ok = true;
        for param in params {
            match param.list() {
                Some([p, t]) if p.symbol().is_some() && t.symbol().is_some() => {
                    let (p, t) = (
                        p.symbol().unwrap_or_default(),
                        t.symbol().unwrap_or_default(),
                    );
                    match Type::from_name(t) {
                        Some(Type::Unit) | None => {
                            self.error(format!("`{t}` is not a parameter type: use u8 .. u1024, i8 .. i1024 or bool"), param.span);
                            ok = false;
                        }
                        Some(ty) => {
                            ok &= self.bind(p, ty, param.span, true).is_ok();
                        }
                    }
                }
                _ => {
                    self.error(
                        "a parameter is written `(name type)`, e.g. `(n u64)`",
                        param.span,
                    );
                    ok = false;
                }
            }
        }
        let params: Vec<Type> = self.locals.clone();
        if body.is_empty() {
            self.error(format!("`{name}` has no body"), form.span);
            return None;
        }
        let body = self.sequence(body, form.span, None);
        let index = self.signatures.len();
        let (body, ok) = match body {
            Ok(body) => (body, ok),
            Err(Reported) => return None,
        };
        if !self.declare_global(name, name_sexp.span, Global::Function(index)) || !ok {
            return None;
        }
        self.signatures.push(Signature {
            params: params.clone(),
            ret: body.ty,
        });
        Some(Function {
            name: name.to_owned(),
            params,
            ret: body.ty,
            body: crate::fold::fold(body),
            locals: std::mem::take(&mut self.locals),
            span: form.span,
        })
    }

    /// Adds a local named `name` to the scope.
    fn bind(
        &mut self,
        name: &str,
        ty: Type,
        span: Span,
        mutable: bool,
    ) -> Result<LocalId, Reported> {
        if is_reserved(name) || Type::from_name(name).is_some() {
            return self.fail(format!("`{name}` is a built-in name"), span);
        }
        let id = self.locals.len();
        self.locals.push(ty);
        self.scope.push((name.to_owned(), id, mutable));
        Ok(id)
    }

    /// Checks `sexp`, whose type must be `expect` if given.
    fn expr(&mut self, sexp: &Sexp, expect: Option<Type>) -> Checked {
        let expr = self.infer(sexp, expect)?;
        match expect {
            Some(t) if t != expr.ty => self.fail(
                format!(
                    "{} has type {}, but {} is expected here",
                    describe(sexp),
                    expr.ty,
                    t
                ),
                sexp.span,
            ),
            _ => Ok(expr),
        }
    }

    fn infer(&mut self, sexp: &Sexp, expect: Option<Type>) -> Checked {
        let span = sexp.span;
        let mk = |kind, ty| Ok(Expr { kind, ty, span });
        match &sexp.kind {
            SexpKind::Float { text, suffix } => {
                let format = match (suffix, expect) {
                    (Some(f), _) => *f,
                    (None, Some(Type::Float(f))) => f,
                    _ => FloatFormat::F64,
                };
                mk(ExprKind::Float(text.clone()), Type::Float(format))
            }
            SexpKind::Int { value, suffix } => {
                let ty = match (suffix, expect) {
                    (Some(t), _) => *t,
                    (None, Some(Type::Int(t))) => t,
                    (None, _) if value.sign() == num_bigint::Sign::Minus => IntType::new(64, true),
                    (None, _) => IntType::new(64, false),
                };
                if !ty.contains(value) {
                    return self.fail(
                        format!(
                            "`{value}` does not fit {ty} ({} ..= {})",
                            ty.min(),
                            ty.max()
                        ),
                        span,
                    );
                }
                mk(ExprKind::Int(value.clone()), Type::Int(ty))
            }
            SexpKind::Bytes(bytes) if bytes.len() > usize::from(u16::MAX) => self.fail(
                format!(
                    "this string is {} bytes; a byte string holds at most 65535",
                    bytes.len()
                ),
                span,
            ),
            SexpKind::Bytes(bytes) => mk(ExprKind::Bytes(bytes.clone()), Type::Bytes),
            SexpKind::Symbol(name) => match name.as_str() {
                "true" => mk(ExprKind::Bool(true), Type::Bool),
                "false" => mk(ExprKind::Bool(false), Type::Bool),
                _ => {
                    if let Some((_, id, _)) = self.scope.iter().rev().find(|(n, _, _)| n == name) {
                        let id = *id;
                        // A variable whose binding failed: already reported.
                        let ty = *self.locals.get(id).ok_or(Reported)?;
                        return mk(ExprKind::Local(id), ty);
                    }
                    match self.globals.get(name).cloned() {
                        Some(Global::Const(kind, ty)) => mk(kind, ty),
                        Some(Global::Function(_)) => self.fail(
                            format!("`{name}` is a function: call it as `({name} ...)`"),
                            span,
                        ),
                        None => self.fail(format!("`{name}` is not defined"), span),
                    }
                }
            },
            SexpKind::List(items) => self.form(sexp, items, expect),
        }
    }

    fn form(&mut self, sexp: &Sexp, items: &[Sexp], expect: Option<Type>) -> Checked {
        let span = sexp.span;
        let Some((head, args)) = items.split_first() else {
            return self.fail("`()` is not an expression", span);
        };
        let Some(name) = head.symbol() else {
            return self.fail(
                format!(
                    "{} cannot be called: the head of a form is a name",
                    describe(head)
                ),
                head.span,
            );
        };
        let arity = |c: &mut Checker, n: usize, shape: &str| -> Result<(), Reported> {
            if args.len() == n {
                Ok(())
            } else {
                c.fail(
                    format!(
                        "`{name}` takes {n} operand{}: `({name} {shape})`",
                        if n == 1 { "" } else { "s" }
                    ),
                    span,
                )
            }
        };
        if name == "-" && args.len() == 1 {
            return self.unary(sexp, UnOp::Neg, &args[0], expect);
        }
        if let Some(op) = binop(name) {
            return self.binary(sexp, name, op, args, expect, None);
        }
        // A float operation with its rounding: `+.z`, `sqrt.u`, `as.d`, ...
        let (base, rounding) = match name.split_once('.') {
            Some((base, flag)) => match ROUNDINGS.iter().find(|r| **r == flag) {
                Some(r) => (base, Some(*r)),
                None => (name, None),
            },
            None => (name, None),
        };
        if let (Some(op), Some(_)) = (binop(base), rounding) {
            return self.binary(sexp, name, op, args, expect, rounding);
        }
        if let Some(f) = FLOAT_UNARY.iter().find(|f| f.0 == base) {
            return self.float_unary(sexp, *f, rounding, args, expect);
        }
        if base == "as" && rounding.is_some() {
            return self.convert(sexp, args, rounding);
        }
        if let Some(op) = cmpop(name) {
            arity(self, 2, "a b")?;
            let (a, b) = self.same_type(args, None)?;
            let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
            if a.ty == Type::Var {
                return self.fail(
                    format!("`{name}` does not compare `var`s: compare their values, `(label v)`"),
                    span,
                );
            }
            if a.ty == Type::Unit || (matches!(a.ty, Type::Bool | Type::Bytes) && !equality) {
                return self.fail(
                    format!("`{name}` does not compare values of type {}", a.ty),
                    span,
                );
            }
            return Ok(Expr {
                kind: ExprKind::Compare(op, Box::new(a), Box::new(b)),
                ty: Type::Bool,
                span,
            });
        }
        match name {
            "abs" => {
                arity(self, 1, "x")?;
                self.unary(sexp, UnOp::Abs, &args[0], expect)
            }
            "bit-not" => {
                arity(self, 1, "x")?;
                self.unary(sexp, UnOp::BitNot, &args[0], expect)
            }
            "not" => {
                arity(self, 1, "b")?;
                let a = self.expr(&args[0], Some(Type::Bool))?;
                Ok(Expr {
                    kind: ExprKind::Not(Box::new(a)),
                    ty: Type::Bool,
                    span,
                })
            }
            "and" | "or" => {
                if args.is_empty() || args.len() > MAX_CHAIN {
                    return self.fail(format!("`{name}` takes 1 to {MAX_CHAIN} operands"), span);
                }
                let parts = self.all(args, |c, a| c.expr(a, Some(Type::Bool)))?;
                let mut it = parts.into_iter();
                let first = it.next().ok_or(Reported)?;
                Ok(it.fold(first, |acc, e| {
                    let span = acc.span.to(e.span);
                    let kind = if name == "and" {
                        ExprKind::And(Box::new(acc), Box::new(e))
                    } else {
                        ExprKind::Or(Box::new(acc), Box::new(e))
                    };
                    Expr {
                        kind,
                        ty: Type::Bool,
                        span,
                    }
                }))
            }
            "if" => {
                arity(self, 3, "test then else")?;
                let c = self.expr(&args[0], Some(Type::Bool));
                let t = self.expr(&args[1], expect);
                let t_ty = t.as_ref().ok().map(|t| t.ty).or(expect);
                let e = self.expr(&args[2], t_ty);
                let (c, t, e) = (c?, t?, e?);
                Ok(Expr {
                    ty: t.ty,
                    kind: ExprKind::If(Box::new(c), Box::new(t), Box::new(e)),
                    span,
                })
            }
            "when" | "unless" => {
                if args.len() < 2 {
                    return self.fail(format!("`({name} test body ...)` needs a body"), span);
                }
                let c = self.expr(&args[0], Some(Type::Bool));
                let body = self.sequence(&args[1..], span, None);
                let (c, body) = (c?, body?);
                let c = if name == "unless" {
                    Expr {
                        span: c.span,
                        ty: Type::Bool,
                        kind: ExprKind::Not(Box::new(c)),
                    }
                } else {
                    c
                };
                let unit = Expr {
                    kind: ExprKind::Unit,
                    ty: Type::Unit,
                    span,
                };
                let body = self.discard(body);
                Ok(Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(body), Box::new(unit)),
                    ty: Type::Unit,
                    span,
                })
            }
            "cond" => self.cond(sexp, args, expect),
            "begin" => {
                if args.is_empty() {
                    return Ok(Expr {
                        kind: ExprKind::Unit,
                        ty: Type::Unit,
                        span,
                    });
                }
                self.sequence(args, span, expect)
            }
            "let" => self.let_form(sexp, args, expect),
            "set!" => {
                arity(self, 2, "name value")?;
                let Some(var) = args[0].symbol() else {
                    return self.fail(
                        "`set!` assigns a variable: `(set! name value)`",
                        args[0].span,
                    );
                };
                let Some((_, id, mutable)) =
                    self.scope.iter().rev().find(|(n, _, _)| n == var).cloned()
                else {
                    return self.fail(format!("`{var}` is not a local variable"), args[0].span);
                };
                if id == POISONED {
                    return Err(Reported);
                }
                if !mutable {
                    return self.fail(
                        format!("`{var}` is a loop counter and cannot be assigned"),
                        args[0].span,
                    );
                }
                if self.locals.get(id) == Some(&Type::Var) {
                    return self.fail(
                        format!(
                            "`{var}` is a `var`, which names one variable and cannot be assigned"
                        ),
                        args[0].span,
                    );
                }
                let value = self.expr(&args[1], Some(self.locals[id]))?;
                Ok(Expr {
                    kind: ExprKind::Set(id, Box::new(value)),
                    ty: Type::Unit,
                    span,
                })
            }
            "while" => {
                if args.len() < 2 {
                    return self.fail("`(while test body ...)` needs a body", span);
                }
                let c = self.expr(&args[0], Some(Type::Bool));
                let body = self.sequence(&args[1..], span, None);
                let (c, body) = (c?, body?);
                let body = self.discard(body);
                Ok(Expr {
                    kind: ExprKind::While(Box::new(c), Box::new(body)),
                    ty: Type::Unit,
                    span,
                })
            }
            "for" => self.for_form(sexp, args),
            "as" => {
                arity(self, 2, "type value")?;
                let to_float = matches!(
                    args[0].symbol().and_then(Type::from_name),
                    Some(Type::Float(_))
                );
                if to_float {
                    return self.convert(sexp, args, None);
                }
                let Some(Type::Int(to)) = args[0].symbol().and_then(Type::from_name) else {
                    return self.fail(
                        "`as` converts to an integer type such as u8 or i1024",
                        args[0].span,
                    );
                };
                let value = self.expr(&args[1], None)?;
                if matches!(value.ty, Type::Float(_)) {
                    let kind = ExprKind::Convert("n", Box::new(value));
                    return Ok(Expr {
                        kind,
                        ty: Type::Int(to),
                        span,
                    });
                }
                if !matches!(value.ty, Type::Int(_)) {
                    return self.fail(
                        format!(
                            "`as` converts integers; {} has type {}",
                            describe(&args[1]),
                            value.ty
                        ),
                        args[1].span,
                    );
                }
                Ok(Expr {
                    kind: ExprKind::Cast(to, Box::new(value)),
                    ty: Type::Int(to),
                    span,
                })
            }
            "assert" => {
                arity(self, 1, "test")?;
                let c = self.expr(&args[0], Some(Type::Bool))?;
                Ok(Expr {
                    kind: ExprKind::Assert(Box::new(c)),
                    ty: Type::Unit,
                    span,
                })
            }
            "tx" => {
                if args.len() < 2 {
                    return self.fail("write `(tx controller body ...)`", span);
                }
                let u64t = Type::Int(IntType::new(64, false));
                let c = self.expr(&args[0], Some(u64t));
                let body = self.sequence(&args[1..], span, None);
                let (c, body) = (c?, body?);
                let body = self.discard(body);
                Ok(Expr {
                    kind: ExprKind::Tx(Box::new(c), Box::new(body)),
                    ty: Type::Bool,
                    span,
                })
            }
            _ => {
                if INTENT_FORMS.contains(&name) {
                    return self.intent(sexp, name, args);
                }
                if let Some(form) = HOST_FORMS.iter().find(|h| h.name == name) {
                    return self.host(sexp, form, args);
                }
                if let Some(form) = PRIM_FORMS.iter().find(|p| p.name == name) {
                    return self.prim(sexp, form, args);
                }
                if let Some(form) = FIELD_FORMS.iter().find(|p| p.name == name) {
                    return self.field(sexp, form, args, expect);
                }
                self.call(sexp, name, args)
            }
        }
    }

    /// Checks every item, reporting all errors, and fails if any did.
    fn all(
        &mut self,
        items: &[Sexp],
        mut f: impl FnMut(&mut Checker, &Sexp) -> Checked,
    ) -> Result<Vec<Expr>, Reported> {
        let results: Vec<Checked> = items.iter().map(|s| f(self, s)).collect();
        results.into_iter().collect()
    }

    /// A body whose value is thrown away: typed unit.
    fn discard(&self, body: Expr) -> Expr {
        if body.ty == Type::Unit {
            return body;
        }
        let span = body.span;
        let unit = Expr {
            kind: ExprKind::Unit,
            ty: Type::Unit,
            span,
        };
        Expr {
            kind: ExprKind::Begin(vec![body, unit]),
            ty: Type::Unit,
            span,
        }
    }

    /// `body ...` in sequence; the last gives the value.
    fn sequence(&mut self, body: &[Sexp], span: Span, expect: Option<Type>) -> Checked {
        let Some((last, init)) = body.split_last() else {
            return Ok(Expr {
                kind: ExprKind::Unit,
                ty: Type::Unit,
                span,
            });
        };
        let mut parts = self.all(init, |c, s| c.expr(s, None));
        let last = self.expr(last, expect);
        let last = last?;
        if init.is_empty() {
            return Ok(last);
        }
        if let Ok(p) = &mut parts {
            let ty = last.ty;
            p.push(last);
            return Ok(Expr {
                kind: ExprKind::Begin(std::mem::take(p)),
                ty,
                span,
            });
        }
        Err(Reported)
    }

    /// Two operands of one type: a literal takes the other's type.
    fn same_type(&mut self, args: &[Sexp], expect: Option<Type>) -> Result<(Expr, Expr), Reported> {
        let (a, b) = (&args[0], &args[1]);
        if expect.is_none() && is_flexible(a) && !is_flexible(b) {
            let b = self.expr(b, None)?;
            let a = self.expr(a, Some(b.ty))?;
            return Ok((a, b));
        }
        let a = self.expr(a, expect);
        let b = self.expr(b, a.as_ref().ok().map(|a| a.ty).or(expect));
        Ok((a?, b?))
    }

    fn cond(&mut self, sexp: &Sexp, clauses: &[Sexp], expect: Option<Type>) -> Checked {
        let span = sexp.span;
        if clauses.is_empty() || clauses.len() > MAX_CHAIN {
            return self.fail(
                format!("`cond` takes 1 to {MAX_CHAIN} clauses `(test body ...)`"),
                span,
            );
        }
        let mut ty = expect;
        let mut checked = Vec::new();
        let mut failed = false;
        for (i, clause) in clauses.iter().enumerate() {
            let Some([test, body @ ..]) = clause.list() else {
                self.error("a `cond` clause is `(test body ...)`", clause.span);
                failed = true;
                continue;
            };
            if body.is_empty() {
                self.error("this `cond` clause has no body", clause.span);
                failed = true;
                continue;
            }
            let is_else = test.symbol() == Some("else");
            if is_else && i + 1 != clauses.len() {
                self.error("`else` must be the last clause", test.span);
                failed = true;
            }
            let test = if is_else {
                Ok(None)
            } else {
                self.expr(test, Some(Type::Bool)).map(Some)
            };
            let body = self.sequence(body, clause.span, ty);
            if let Ok(b) = &body {
                ty = Some(b.ty);
            }
            match (test, body) {
                (Ok(t), Ok(b)) => checked.push((t, b)),
                _ => failed = true,
            }
        }
        if failed {
            return Err(Reported);
        }
        let mut rest = match checked.last() {
            Some((None, _)) => checked.pop().map(|(_, b)| b).ok_or(Reported)?,
            _ => {
                // Without `else`, the value is unit.
                if ty != Some(Type::Unit) {
                    return self.fail("a `cond` without `else` has no value: add an `else` clause, or make every clause unit", span);
                }
                Expr {
                    kind: ExprKind::Unit,
                    ty: Type::Unit,
                    span,
                }
            }
        };
        while let Some((test, body)) = checked.pop() {
            let test = test.ok_or(Reported)?;
            rest = Expr {
                ty: body.ty,
                kind: ExprKind::If(Box::new(test), Box::new(body), Box::new(rest)),
                span,
            };
        }
        Ok(rest)
    }

    fn let_form(&mut self, sexp: &Sexp, args: &[Sexp], expect: Option<Type>) -> Checked {
        let span = sexp.span;
        let Some((Some(bindings), body)) = args.split_first().map(|(b, rest)| (b.list(), rest))
        else {
            return self.fail("write `(let ((name value) ...) body ...)`", span);
        };
        if body.is_empty() {
            return self.fail("this `let` has no body", span);
        }
        let depth = self.scope.len();
        let mut binds = Vec::new();
        let mut failed = false;
        for binding in bindings {
            let (name, ty, value) = match binding.list() {
                Some([n, v]) if n.symbol().is_some() => (n, None, v),
                Some([n, t, v])
                    if n.symbol().is_some() && t.symbol().and_then(Type::from_name).is_some() =>
                {
                    (n, t.symbol().and_then(Type::from_name), v)
                }
                _ => {
                    self.error(
                        "a binding is `(name value)` or `(name type value)`",
                        binding.span,
                    );
                    failed = true;
                    continue;
                }
            };
            let value = self.expr(value, ty);
            match value {
                Ok(v) => {
                    match self.bind(name.symbol().unwrap_or_default(), v.ty, name.span, true) {
                        Ok(id) => binds.push((id, v)),
                        Err(Reported) => failed = true,
                    }
                }
                Err(Reported) => {
                    // Uses of the name are not errors of their own.
                    let name = name.symbol().unwrap_or_default().to_owned();
                    self.scope.push((name, POISONED, false));
                    failed = true;
                }
            }
        }
        let body = self.sequence(body, span, expect);
        self.scope.truncate(depth);
        let body = body?;
        if failed {
            return Err(Reported);
        }
        Ok(Expr {
            ty: body.ty,
            kind: ExprKind::Let(binds, Box::new(body)),
            span,
        })
    }

    fn for_form(&mut self, sexp: &Sexp, args: &[Sexp]) -> Checked {
        let span = sexp.span;
        let shape = "write `(for (i from to) body ...)`: i goes from `from` to `to`, both included";
        let Some(([var, from, to], body)) = args
            .split_first()
            .and_then(|(h, b)| Some((h.list()?, b)))
            .and_then(|(h, b)| Some((<&[Sexp; 3]>::try_from(h).ok()?, b)))
        else {
            return self.fail(shape, span);
        };
        let Some(name) = var.symbol() else {
            return self.fail(shape, var.span);
        };
        if body.is_empty() {
            return self.fail("this `for` has no body", span);
        }
        let (from, to) = self.same_type(&[from.clone(), to.clone()], None)?;
        let Type::Int(_) = from.ty else {
            return self.fail(
                format!("a `for` counter is an integer, not {}", from.ty),
                from.span,
            );
        };
        let depth = self.scope.len();
        let var = self.bind(name, from.ty, var.span, false);
        let body = self.sequence(body, span, None);
        self.scope.truncate(depth);
        let (var, body) = (var?, body?);
        let body = self.discard(body);
        Ok(Expr {
            kind: ExprKind::For {
                var,
                from: Box::new(from),
                to: Box::new(to),
                body: Box::new(body),
            },
            ty: Type::Unit,
            span,
        })
    }

    fn call(&mut self, sexp: &Sexp, name: &str, args: &[Sexp]) -> Checked {
        let span = sexp.span;
        let index = match self.globals.get(name) {
            Some(Global::Function(i)) => *i,
            Some(Global::Const(..)) => {
                return self.fail(format!("`{name}` is a constant, not a function"), sexp.span)
            }
            None => {
                let hint = if self.scope.iter().any(|(n, _, _)| n == name) {
                    " (it is a variable)"
                } else {
                    " (a function can only call functions defined above it)"
                };
                return self.fail(format!("unknown form or function `{name}`{hint}"), span);
            }
        };
        let params = self.signatures[index].params.clone();
        if params.len() != args.len() {
            return self.fail(
                format!(
                    "`{name}` takes {} argument{}, not {}",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    args.len()
                ),
                span,
            );
        }
        let mut i = 0;
        let args = self.all(args, |c, a| {
            let r = c.expr(a, Some(params[i]));
            i += 1;
            r
        })?;
        Ok(Expr {
            kind: ExprKind::Call(index, args),
            ty: self.signatures[index].ret,
            span,
        })
    }
}

/// A bare integer literal, or an operator applied to only such: its type comes from context.
fn is_flexible(sexp: &Sexp) -> bool {
    match &sexp.kind {
        SexpKind::Int { suffix, .. } => suffix.is_none(),
        SexpKind::Float { suffix, .. } => suffix.is_none(),
        SexpKind::List(items) => match items.split_first() {
            Some((head, args)) => {
                head.symbol()
                    .is_some_and(|h| binop(h).is_some() || h == "-")
                    && args.iter().all(is_flexible)
            }
            None => false,
        },
        _ => false,
    }
}

/// The names of the forms, which no definition may take.
const FORMS: &[&str] = &[
    "define", "if", "when", "unless", "cond", "else", "begin", "let", "set!", "while", "for", "as",
    "assert", "not", "and", "or", "abs", "bit-not", "true", "false",
];

fn is_reserved(name: &str) -> bool {
    FORMS.contains(&name)
        || name == "tx"
        || INTENT_FORMS.contains(&name)
        || FLOAT_UNARY.iter().any(|f| f.0 == name)
        || FIELD_FORMS.iter().any(|f| f.name == name)
        || HOST_FORMS.iter().any(|h| h.name == name)
        || PRIM_FORMS.iter().any(|p| p.name == name)
        || binop(name).is_some()
        || cmpop(name).is_some()
}
