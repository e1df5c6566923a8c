//! Numbers: integer and float operators, conversions, and the modular and
//! field forms.

use super::*;

/// The rounding flags of float operations (docs/isa.md): nearest, toward
/// zero, down, up, and their checked forms (an overflow fails).
pub(super) const ROUNDINGS: [&str; 8] = ["n", "z", "d", "u", "nc", "zc", "dc", "uc"];

/// A float form: its name, instruction, operand count, and default rounding
/// (none: it takes no rounding).
pub(super) type FloatForm = (&'static str, &'static str, usize, Option<&'static str>);

/// The float forms beyond the operators.
pub(super) const FLOAT_UNARY: [FloatForm; 7] = [
    ("sqrt", "sqrt", 1, Some("n")),
    ("round", "rnd", 1, Some("n")),
    ("floor", "rnd", 1, Some("d")),
    ("ceil", "rnd", 1, Some("u")),
    ("trunc", "rnd", 1, Some("z")),
    ("min", "min", 2, None),
    ("max", "max", 2, None),
];

impl Checker {
    pub(super) fn binary(
        &mut self,
        sexp: &Sexp,
        name: &str,
        op: BinOp,
        args: &[Sexp],
        expect: Option<Type>,
        rounding: Option<&'static str>,
    ) -> Checked {
        let span = sexp.span;
        if args.len() < 2 || args.len() > MAX_CHAIN || (args.len() > 2 && !chains(op)) {
            let n = if chains(op) {
                format!("2 to {MAX_CHAIN}")
            } else {
                "2".into()
            };
            return self.fail(format!("`{name}` takes {n} operands"), span);
        }
        let expect = expect.filter(|t| matches!(t, Type::Int(_) | Type::Float(_)));
        if matches!(op, BinOp::Shl | BinOp::Shr) {
            let value = self.expr(&args[0], expect);
            let amount = self.expr(&args[1], value.as_ref().ok().map(|v| v.ty));
            let (value, amount) = (value?, amount?);
            return self.int_result(sexp, name, op_expr(op, value, amount, span));
        }
        // The type: the expected one, else the first operand that is not a bare literal's.
        let fixed = match expect {
            Some(_) => None,
            None => args.iter().position(|a| !is_flexible(a)),
        };
        let first = fixed.map(|k| (k, self.expr(&args[k], None)));
        let ty = match &first {
            Some((_, Ok(e))) if !matches!(e.ty, Type::Int(_) | Type::Float(_)) => {
                let message = format!(
                    "`{name}` works on numbers, not {}: in {}",
                    e.ty,
                    describe(sexp)
                );
                return self.fail(message, span);
            }
            Some((_, Ok(e))) => Some(e.ty),
            Some((_, Err(Reported))) => return Err(Reported),
            None => expect,
        };
        let mut first = first;
        let mut k = 0;
        let parts = self.all(args, |c, a| {
            let r = match &mut first {
                Some((f, done)) if *f == k => std::mem::replace(done, Err(Reported)),
                _ => c.expr(a, ty),
            };
            k += 1;
            r
        })?;
        if let Some(other) = parts.iter().find(|p| p.ty != parts[0].ty) {
            let message = format!(
                "the operands of `{name}` have different types, {} and {}: convert one with `as`",
                parts[0].ty, other.ty
            );
            return self.fail(message, span);
        }
        let mut it = parts.into_iter();
        let first = it.next().ok_or(Reported)?;
        if let Type::Float(_) = first.ty {
            let (mnemonic, flag) = match (op, rounding) {
                (BinOp::Add { wrapping: false }, r) => ("add", Some(r.unwrap_or("n"))),
                (BinOp::Sub { wrapping: false }, r) => ("sub", Some(r.unwrap_or("n"))),
                (BinOp::Mul { wrapping: false }, r) => ("mul", Some(r.unwrap_or("n"))),
                (BinOp::Div, r) => ("div", Some(r.unwrap_or("n"))),
                (BinOp::Rem, None) => ("rem", None),
                _ => {
                    return self.fail(
                        format!("`{name}` does not work on floats: in {}", describe(sexp)),
                        span,
                    )
                }
            };
            let ty = first.ty;
            return Ok(it.fold(first, |acc, e| Expr {
                kind: ExprKind::FloatOp {
                    mnemonic,
                    flag,
                    args: vec![acc, e],
                },
                ty,
                span,
            }));
        }
        if rounding.is_some() {
            return self.fail(
                format!("`{name}` rounds floats; {} is not a float", describe(sexp)),
                span,
            );
        }
        let expr = it.fold(first, |acc, e| op_expr(op, acc, e, span));
        self.int_result(sexp, name, expr)
    }

    /// A float form of one or two operands: `sqrt`, `round`, `min`, ...
    pub(super) fn float_unary(
        &mut self,
        sexp: &Sexp,
        form: FloatForm,
        rounding: Option<&'static str>,
        args: &[Sexp],
        expect: Option<Type>,
    ) -> Checked {
        let (name, mnemonic, operands, default) = form;
        let span = sexp.span;
        if args.len() != operands {
            return self.fail(
                format!(
                    "`{name}` takes {operands} operand{}",
                    if operands == 1 { "" } else { "s" }
                ),
                span,
            );
        }
        let flag = match (default, rounding) {
            (Some(_), Some(r)) if r.len() == 1 => Some(r),
            (Some(d), None) => Some(d),
            (None, None) => None,
            _ => {
                return self.fail(
                    format!(
                        "`{}` takes no such rounding",
                        sexp.list()
                            .and_then(|l| l.first())
                            .and_then(Sexp::symbol)
                            .unwrap_or(name)
                    ),
                    span,
                )
            }
        };
        let expect = expect.filter(|t| matches!(t, Type::Float(_)));
        let parts = if operands == 2 {
            let (a, b) = self.same_type(args, expect)?;
            vec![a, b]
        } else {
            vec![self.expr(&args[0], expect)?]
        };
        let ty = parts[0].ty;
        if !matches!(ty, Type::Float(_)) {
            return self.fail(
                format!("`{name}` works on floats, not {ty}: in {}", describe(sexp)),
                span,
            );
        }
        Ok(Expr {
            kind: ExprKind::FloatOp {
                mnemonic,
                flag,
                args: parts,
            },
            ty,
            span,
        })
    }

    /// `(as T x)` where `T` or `x` is a float, rounded as `rounding` says (to nearest if not).
    pub(super) fn convert(
        &mut self,
        sexp: &Sexp,
        args: &[Sexp],
        rounding: Option<&'static str>,
    ) -> Checked {
        let span = sexp.span;
        if args.len() != 2 {
            return self.fail("write `(as TYPE value)`", span);
        }
        let Some(to @ (Type::Int(_) | Type::Float(_))) = args[0].symbol().and_then(Type::from_name)
        else {
            return self.fail(
                "`as` converts to an integer type such as u8, or a float format such as f64",
                args[0].span,
            );
        };
        let value = self.expr(&args[1], None)?;
        let from_float = matches!(value.ty, Type::Float(_));
        match (value.ty, to) {
            (Type::Int(_) | Type::Float(_), Type::Float(_)) | (Type::Float(_), Type::Int(_)) => {}
            (Type::Int(_), Type::Int(_)) => {
                return self.fail(
                    "`as` between integers does not round: write `(as TYPE value)`",
                    span,
                )
            }
            (ty, _) => {
                return self.fail(
                    format!(
                        "`as` converts numbers; {} has type {ty}",
                        describe(&args[1])
                    ),
                    args[1].span,
                )
            }
        }
        let flag = rounding.unwrap_or("n");
        // Into an integer, an overflow is always a failure: no checked flags.
        if from_float && matches!(to, Type::Int(_)) && flag.len() > 1 {
            return self.fail(
                format!("`as.{flag}` rounds into a float; into an integer use .n, .z, .d or .u"),
                span,
            );
        }
        Ok(Expr {
            kind: ExprKind::Convert(flag, Box::new(value)),
            ty: to,
            span,
        })
    }

    pub(super) fn int_result(&mut self, sexp: &Sexp, name: &str, expr: Expr) -> Checked {
        match expr.ty {
            Type::Int(_) => Ok(expr),
            ty => self.fail(
                format!(
                    "`{name}` works on integers, not {ty}: in {}",
                    describe(sexp)
                ),
                sexp.span,
            ),
        }
    }

    pub(super) fn unary(
        &mut self,
        sexp: &Sexp,
        op: UnOp,
        arg: &Sexp,
        expect: Option<Type>,
    ) -> Checked {
        let expect = expect.filter(|t| matches!(t, Type::Int(_) | Type::Float(_)));
        let a = self.expr(arg, expect)?;
        let ty = a.ty;
        if let (Type::Float(_), UnOp::Neg | UnOp::Abs) = (ty, op) {
            let mnemonic = if op == UnOp::Neg { "neg" } else { "abs" };
            let kind = ExprKind::FloatOp {
                mnemonic,
                flag: None,
                args: vec![a],
            };
            return Ok(Expr {
                kind,
                ty,
                span: sexp.span,
            });
        }
        match (op, ty) {
            (UnOp::BitNot, Type::Int(_)) => {}
            (_, Type::Int(t)) if t.signed => {}
            _ => {
                return self.fail(
                    format!("{} needs a signed integer, not {ty}", describe(sexp)),
                    sexp.span,
                )
            }
        }
        Ok(Expr {
            kind: ExprKind::Unary(op, Box::new(a)),
            ty,
            span: sexp.span,
        })
    }

    pub(super) fn field(
        &mut self,
        sexp: &Sexp,
        form: &'static FieldForm,
        args: &[Sexp],
        expect: Option<Type>,
    ) -> Checked {
        let span = sexp.span;
        let name = form.name;
        let allowed: &[u16] = match form.domain {
            FieldDomain::Modular => &[128, 256, 512, 1024],
            FieldDomain::Goldilocks => &[64],
            FieldDomain::F25519 => &[256],
        };
        let shape = || {
            allowed
                .iter()
                .map(|b| format!("u{b}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if args.len() != form.arity {
            return self.fail(
                format!(
                    "`{name}` takes {} operands of one type ({})",
                    form.arity,
                    shape()
                ),
                span,
            );
        }
        // One type for all: the expected one, else the first operand that is not a bare literal's.
        let expect = expect.filter(|t| matches!(t, Type::Int(_)));
        let fixed = match expect {
            Some(_) => None,
            None => args.iter().position(|a| !is_flexible(a)),
        };
        let mut first = fixed.map(|k| (k, self.expr(&args[k], None)));
        let ty = match &first {
            Some((_, Ok(e))) => Some(e.ty),
            Some((_, Err(Reported))) => return Err(Reported),
            None => expect.or(Some(Type::Int(IntType::new(allowed[0], false)))),
        };
        let mut k = 0;
        let parts = self.all(args, |c, a| {
            let r = match &mut first {
                Some((f, done)) if *f == k => std::mem::replace(done, Err(Reported)),
                _ => c.expr(a, ty),
            };
            k += 1;
            r
        })?;
        let ty = parts[0].ty;
        let ok = matches!(ty, Type::Int(t) if !t.signed && allowed.contains(&t.bits));
        if !ok || parts.iter().any(|p| p.ty != ty) {
            return self.fail(
                format!(
                    "`{name}` works on {}, not {ty}: in {}",
                    shape(),
                    describe(sexp)
                ),
                span,
            );
        }
        Ok(Expr {
            kind: ExprKind::Field(form, parts),
            ty,
            span,
        })
    }
}

pub(super) fn op_expr(op: BinOp, a: Expr, b: Expr, span: Span) -> Expr {
    let ty = a.ty;
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        ty,
        span,
    }
}

/// Whether an operator takes more than two operands, folded from the left.
pub(super) fn chains(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add { .. } | BinOp::Mul { .. } | BinOp::And | BinOp::Or | BinOp::Xor
    )
}

pub(super) fn binop(name: &str) -> Option<BinOp> {
    Some(match name {
        "+" => BinOp::Add { wrapping: false },
        "+%" => BinOp::Add { wrapping: true },
        "-" => BinOp::Sub { wrapping: false },
        "-%" => BinOp::Sub { wrapping: true },
        "*" => BinOp::Mul { wrapping: false },
        "*%" => BinOp::Mul { wrapping: true },
        "/" => BinOp::Div,
        "rem" => BinOp::Rem,
        "bit-and" => BinOp::And,
        "bit-or" => BinOp::Or,
        "bit-xor" => BinOp::Xor,
        "shl" => BinOp::Shl,
        "shr" => BinOp::Shr,
        _ => return None,
    })
}

pub(super) fn cmpop(name: &str) -> Option<CmpOp> {
    Some(match name {
        "=" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        _ => return None,
    })
}
