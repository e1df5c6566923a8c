//! Constant folding, with exactly the run-time semantics: an operation on
//! constants is replaced by its result only when the run would give one (a
//! checked overflow or a zero divisor is left for the run to fail on).

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use crate::ast::{BinOp, CmpOp, Expr, ExprKind, UnOp};
use crate::types::{IntType, Type};

/// Folds every constant operation in `expr`.
pub fn fold(mut expr: Expr) -> Expr {
    expr.kind = match expr.kind {
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (fold(*a), fold(*b));
            match (&a.kind, &b.kind, expr.ty) {
                (ExprKind::Int(x), ExprKind::Int(y), Type::Int(t)) => {
                    match binary(op, t, x, y, b.ty) {
                        Some(v) => ExprKind::Int(v),
                        None => ExprKind::Binary(op, Box::new(a), Box::new(b)),
                    }
                }
                _ => ExprKind::Binary(op, Box::new(a), Box::new(b)),
            }
        }
        ExprKind::Unary(op, a) => {
            let a = fold(*a);
            match (&a.kind, expr.ty) {
                (ExprKind::Int(x), Type::Int(t)) => match unary(op, t, x) {
                    Some(v) => ExprKind::Int(v),
                    None => ExprKind::Unary(op, Box::new(a)),
                },
                _ => ExprKind::Unary(op, Box::new(a)),
            }
        }
        ExprKind::Compare(op, a, b) => {
            let (a, b) = (fold(*a), fold(*b));
            match (&a.kind, &b.kind) {
                (ExprKind::Int(x), ExprKind::Int(y)) => ExprKind::Bool(compare(op, x, y)),
                (ExprKind::Bool(x), ExprKind::Bool(y)) => {
                    ExprKind::Bool(compare(op, &BigInt::from(*x), &BigInt::from(*y)))
                }
                _ => ExprKind::Compare(op, Box::new(a), Box::new(b)),
            }
        }
        ExprKind::Not(a) => match fold(*a) {
            Expr {
                kind: ExprKind::Bool(x),
                ..
            } => ExprKind::Bool(!x),
            a => ExprKind::Not(Box::new(a)),
        },
        ExprKind::And(a, b) => match fold(*a) {
            Expr {
                kind: ExprKind::Bool(true),
                ..
            } => fold(*b).kind,
            Expr {
                kind: ExprKind::Bool(false),
                ..
            } => ExprKind::Bool(false),
            a => ExprKind::And(Box::new(a), Box::new(fold(*b))),
        },
        ExprKind::Or(a, b) => match fold(*a) {
            Expr {
                kind: ExprKind::Bool(true),
                ..
            } => ExprKind::Bool(true),
            Expr {
                kind: ExprKind::Bool(false),
                ..
            } => fold(*b).kind,
            a => ExprKind::Or(Box::new(a), Box::new(fold(*b))),
        },
        ExprKind::If(c, t, e) => match fold(*c) {
            Expr {
                kind: ExprKind::Bool(true),
                ..
            } => fold(*t).kind,
            Expr {
                kind: ExprKind::Bool(false),
                ..
            } => fold(*e).kind,
            c => ExprKind::If(Box::new(c), Box::new(fold(*t)), Box::new(fold(*e))),
        },
        ExprKind::Cast(to, a) => {
            let a = fold(*a);
            match (&a.kind, a.ty) {
                (ExprKind::Int(x), Type::Int(from)) => match cast(from, to, x) {
                    Some(v) => ExprKind::Int(v),
                    None => ExprKind::Cast(to, Box::new(a)),
                },
                _ => ExprKind::Cast(to, Box::new(a)),
            }
        }
        ExprKind::Let(binds, body) => ExprKind::Let(
            binds.into_iter().map(|(id, e)| (id, fold(e))).collect(),
            Box::new(fold(*body)),
        ),
        ExprKind::Begin(es) => ExprKind::Begin(es.into_iter().map(fold).collect()),
        ExprKind::Set(id, e) => ExprKind::Set(id, Box::new(fold(*e))),
        ExprKind::While(c, body) => ExprKind::While(Box::new(fold(*c)), Box::new(fold(*body))),
        ExprKind::For {
            var,
            from,
            to,
            body,
        } => ExprKind::For {
            var,
            from: Box::new(fold(*from)),
            to: Box::new(fold(*to)),
            body: Box::new(fold(*body)),
        },
        ExprKind::Call(f, args) => ExprKind::Call(f, args.into_iter().map(fold).collect()),
        ExprKind::Assert(c) => ExprKind::Assert(Box::new(fold(*c))),
        ExprKind::Host(form, args) => ExprKind::Host(form, args.into_iter().map(fold).collect()),
        ExprKind::Prim(form, args) => ExprKind::Prim(form, args.into_iter().map(fold).collect()),
        ExprKind::Tx(c, body) => ExprKind::Tx(Box::new(fold(*c)), Box::new(fold(*body))),
        ExprKind::Intent(op, args) => ExprKind::Intent(op, args.into_iter().map(fold).collect()),
        kind @ (ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Unit
        | ExprKind::Bytes(_)
        | ExprKind::Float(_)
        | ExprKind::Local(_)) => kind,
        // Floats are never folded: the compiler does no host float arithmetic.
        ExprKind::FloatOp {
            mnemonic,
            flag,
            args,
        } => ExprKind::FloatOp {
            mnemonic,
            flag,
            args: args.into_iter().map(fold).collect(),
        },
        ExprKind::Convert(flag, a) => ExprKind::Convert(flag, Box::new(fold(*a))),
        ExprKind::Field(form, args) => ExprKind::Field(form, args.into_iter().map(fold).collect()),
    };
    expr
}

/// `x op y` in type `t` (`amount` is the type of `y` for shifts), or `None` if the run fails.
fn binary(op: BinOp, t: IntType, x: &BigInt, y: &BigInt, amount: Type) -> Option<BigInt> {
    let checked = |v: BigInt| t.contains(&v).then_some(v);
    let shift = || -> Option<u32> {
        let Type::Int(at) = amount else { return None };
        let amt = at.bit_pattern(y);
        Some(if amt >= BigInt::from(t.bits) {
            u32::from(t.bits)
        } else {
            amt.try_into().ok()?
        })
    };
    match op {
        BinOp::Add { wrapping: false } => checked(x + y),
        BinOp::Add { wrapping: true } => Some(t.wrap(&(x + y))),
        BinOp::Sub { wrapping: false } => checked(x - y),
        BinOp::Sub { wrapping: true } => Some(t.wrap(&(x - y))),
        BinOp::Mul { wrapping: false } => checked(x * y),
        BinOp::Mul { wrapping: true } => Some(t.wrap(&(x * y))),
        BinOp::Div => (!y.is_zero()).then(|| x / y).and_then(checked),
        BinOp::Rem => (!y.is_zero()).then(|| x % y),
        BinOp::And => Some(t.wrap(&(t.bit_pattern(x) & t.bit_pattern(y)))),
        BinOp::Or => Some(t.wrap(&(t.bit_pattern(x) | t.bit_pattern(y)))),
        BinOp::Xor => Some(t.wrap(&(t.bit_pattern(x) ^ t.bit_pattern(y)))),
        BinOp::Shl => {
            let s = shift()?;
            Some(if s >= u32::from(t.bits) {
                BigInt::zero()
            } else {
                t.wrap(&(t.bit_pattern(x) << s))
            })
        }
        BinOp::Shr => {
            let s = shift()?;
            Some(match (t.signed, s >= u32::from(t.bits)) {
                (false, true) => BigInt::zero(),
                (true, true) if x.is_negative() => BigInt::from(-1),
                (true, true) => BigInt::zero(),
                _ => x >> s,
            })
        }
    }
}

fn unary(op: UnOp, t: IntType, x: &BigInt) -> Option<BigInt> {
    let v = match op {
        UnOp::Neg => -x,
        UnOp::Abs => x.abs(),
        UnOp::BitNot => return Some(t.wrap(&(-x - 1))),
    };
    t.contains(&v).then_some(v)
}

fn compare(op: CmpOp, x: &BigInt, y: &BigInt) -> bool {
    match op {
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
    }
}

/// `(as to x)` for `x` of type `from`: Alu's `cpy` (unsigned source) or `cnv`
/// (signed source) into `to`'s width, read back in `to`.
pub fn cast(from: IntType, to: IntType, x: &BigInt) -> Option<BigInt> {
    let fits = IntType::new(to.bits, from.signed).contains(x);
    fits.then(|| to.wrap(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u8t() -> IntType {
        IntType::new(8, false)
    }

    #[test]
    fn checked_overflow_and_zero_divisors_are_not_folded() {
        let t = u8t();
        let ty = Type::Int(t);
        let b = |v: i32| BigInt::from(v);
        assert_eq!(
            binary(BinOp::Add { wrapping: false }, t, &b(200), &b(55), ty),
            Some(b(255))
        );
        assert_eq!(
            binary(BinOp::Add { wrapping: false }, t, &b(200), &b(56), ty),
            None
        );
        assert_eq!(
            binary(BinOp::Add { wrapping: true }, t, &b(200), &b(56), ty),
            Some(b(0))
        );
        assert_eq!(binary(BinOp::Div, t, &b(7), &b(0), ty), None);
        let i8t = IntType::new(8, true);
        let ity = Type::Int(i8t);
        assert_eq!(binary(BinOp::Div, i8t, &b(-128), &b(-1), ity), None);
        assert_eq!(binary(BinOp::Rem, i8t, &b(-7), &b(2), ity), Some(b(-1)));
        assert_eq!(binary(BinOp::Shr, i8t, &b(-128), &b(100), ity), Some(b(-1)));
        assert_eq!(binary(BinOp::Shl, t, &b(255), &b(4), ty), Some(b(240)));
    }

    #[test]
    fn casts_follow_cpy_and_cnv() {
        let (u8t, i8t, u64t) = (u8t(), IntType::new(8, true), IntType::new(64, false));
        assert_eq!(cast(u64t, i8t, &BigInt::from(200)), Some(BigInt::from(-56)));
        assert_eq!(cast(u64t, u8t, &BigInt::from(256)), None);
        assert_eq!(cast(i8t, u64t, &BigInt::from(-1)), Some(u64t.max()));
        assert_eq!(unary(UnOp::Neg, i8t, &BigInt::from(-128)), None);
    }
}
