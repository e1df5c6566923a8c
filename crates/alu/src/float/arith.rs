//! Arithmetic on unpacked values: each operation computes its exact result
//! (or enough bits of it plus a sticky bit) in a `W` wide enough for
//! the format, then rounds once. `None` means the operation is impossible
//! (IEEE's invalid operation: the result would be NaN).

use super::layout::{Layout, Num};
use super::round::{round, shift_right, Rounded, Rounding};
use super::working::Working;

/// The sign of an exact zero sum of operands with different signs.
fn zero_sum_sign(mode: Rounding) -> bool {
    mode == Rounding::Down
}

/// `a + b` for finite non-zero terms given as (sign, significand, exponent),
/// each significand narrower than `W` by two bits.
#[inline(always)]
fn add_finite<W: Working>(
    l: Layout,
    a: (bool, W, i32),
    b: (bool, W, i32),
    mode: Rounding,
) -> Rounded {
    let top = |t: &(bool, W, i32)| t.2 as i64 + t.1.bit_width() as i64;
    let (hi, lo) = if top(&a) >= top(&b) { (a, b) } else { (b, a) };
    // Put hi's top bit just under the top of the word; lo follows to the same
    // exponent, and bits it loses fold into its lowest bit: they lie far below
    // the rounding position of any result, so rounding still sees them.
    let up = W::BITS - 2 - hi.1.bit_width();
    let exp = hi.2 - up as i32;
    let x = hi.1 << up;
    let gap = i64::from(lo.2) - i64::from(exp);
    let y = if gap >= 0 {
        lo.1 << gap as u32
    } else {
        let (k, half, rest) = shift_right(lo.1, gap.unsigned_abs().min(u64::from(u32::MAX)) as u32);
        if half || rest {
            k | W::ONE
        } else {
            k
        }
    };
    if hi.0 == lo.0 {
        return round(l, hi.0, x + y, exp, false, mode);
    }
    match x.cmp(&y) {
        core::cmp::Ordering::Equal => Rounded::exact(l.zero(zero_sum_sign(mode))),
        core::cmp::Ordering::Greater => round(l, hi.0, x - y, exp, false, mode),
        core::cmp::Ordering::Less => round(l, lo.0, y - x, exp, false, mode),
    }
}

/// Rounds a value that is already exact in the layout (an operand passed
/// through), so the result is canonical.
#[inline]
fn pass<W: Working>(l: Layout, v: Num<W>) -> Rounded {
    match v {
        Num::Zero(neg) => Rounded::exact(l.zero(neg)),
        Num::Inf(neg) => Rounded::exact(l.inf(neg)),
        Num::Finite { neg, sig, exp } => round(l, neg, sig, exp, false, Rounding::NearestEven),
    }
}

/// `a + b`.
#[inline(always)]
pub(crate) fn add<W: Working>(l: Layout, a: Num<W>, b: Num<W>, mode: Rounding) -> Option<Rounded> {
    Some(match (a, b) {
        (Num::Inf(x), Num::Inf(y)) if x != y => return None,
        (Num::Inf(x), _) | (_, Num::Inf(x)) => Rounded::exact(l.inf(x)),
        (Num::Zero(x), Num::Zero(y)) => {
            Rounded::exact(l.zero(if x == y { x } else { zero_sum_sign(mode) }))
        }
        (Num::Zero(_), v) | (v, Num::Zero(_)) => pass(l, v),
        (
            Num::Finite {
                neg: sa,
                sig: ma,
                exp: ea,
            },
            Num::Finite {
                neg: sb,
                sig: mb,
                exp: eb,
            },
        ) => add_finite(l, (sa, ma, ea), (sb, mb, eb), mode),
    })
}

/// `-a`.
#[inline]
pub(crate) fn negate<W: Working>(a: Num<W>) -> Num<W> {
    match a {
        Num::Zero(n) => Num::Zero(!n),
        Num::Inf(n) => Num::Inf(!n),
        Num::Finite { neg, sig, exp } => Num::Finite {
            neg: !neg,
            sig,
            exp,
        },
    }
}

/// The exact product, as a value (`None` for zero times infinity).
#[inline(always)]
fn product<W: Working>(a: Num<W>, b: Num<W>) -> Option<Num<W>> {
    Some(match (a, b) {
        (Num::Inf(_), Num::Zero(_)) | (Num::Zero(_), Num::Inf(_)) => return None,
        (Num::Inf(x), v) | (v, Num::Inf(x)) => Num::Inf(x ^ sign(v)),
        (Num::Zero(x), v) | (v, Num::Zero(x)) => Num::Zero(x ^ sign(v)),
        (
            Num::Finite {
                neg: sa,
                sig: ma,
                exp: ea,
            },
            Num::Finite {
                neg: sb,
                sig: mb,
                exp: eb,
            },
        ) => Num::Finite {
            neg: sa ^ sb,
            sig: ma * mb,
            exp: ea + eb,
        },
    })
}

#[inline]
fn sign<W: Working>(v: Num<W>) -> bool {
    match v {
        Num::Zero(n) | Num::Inf(n) | Num::Finite { neg: n, .. } => n,
    }
}

/// `a * b`.
#[inline(always)]
pub(crate) fn mul<W: Working>(l: Layout, a: Num<W>, b: Num<W>, mode: Rounding) -> Option<Rounded> {
    Some(match product(a, b)? {
        Num::Finite { neg, sig, exp } => round(l, neg, sig, exp, false, mode),
        v => pass(l, v),
    })
}

/// `a * b + c` with one rounding.
#[inline(always)]
pub(crate) fn fma<W: Working>(
    l: Layout,
    a: Num<W>,
    b: Num<W>,
    c: Num<W>,
    mode: Rounding,
) -> Option<Rounded> {
    let p = product(a, b)?;
    match (p, c) {
        (
            Num::Finite { neg, sig, exp },
            Num::Finite {
                neg: sc,
                sig: mc,
                exp: ec,
            },
        ) => Some(add_finite(l, (neg, sig, exp), (sc, mc, ec), mode)),
        (Num::Finite { neg, sig, exp }, Num::Zero(_)) => Some(round(l, neg, sig, exp, false, mode)),
        _ => add(l, p, c, mode),
    }
}

/// `a / b`; a finite non-zero `a` over zero is a signed infinity.
#[inline]
pub(crate) fn div<W: Working>(l: Layout, a: Num<W>, b: Num<W>, mode: Rounding) -> Option<Rounded> {
    let neg = sign(a) ^ sign(b);
    Some(match (a, b) {
        (Num::Zero(_), Num::Zero(_)) | (Num::Inf(_), Num::Inf(_)) => return None,
        (Num::Inf(_), _) | (Num::Finite { .. }, Num::Zero(_)) => Rounded::exact(l.inf(neg)),
        (Num::Zero(_), _) | (_, Num::Inf(_)) => Rounded::exact(l.zero(neg)),
        (
            Num::Finite {
                sig: ma, exp: ea, ..
            },
            Num::Finite {
                sig: mb, exp: eb, ..
            },
        ) => {
            // Scale the dividend so the quotient has at least precision + 2 bits.
            let k = (l.precision() as i32 + 3 + mb.bit_width() as i32 - ma.bit_width() as i32)
                .max(0) as u32;
            let num = ma << k;
            let (q, r) = (num / mb, num % mb);
            round(l, neg, q, ea - eb - k as i32, !r.is_zero(), mode)
        }
    })
}

/// The square root; of a negative non-zero number it is impossible.
#[inline]
pub(crate) fn sqrt<W: Working>(l: Layout, a: Num<W>, mode: Rounding) -> Option<Rounded> {
    Some(match a {
        Num::Finite { neg: true, .. } | Num::Inf(true) => return None,
        Num::Zero(_) | Num::Inf(false) => pass(l, a),
        Num::Finite { sig, exp, .. } => {
            // sig * 2^exp = (sig << k) * 2^(exp - k) with exp - k even and sig << k
            // of at least 2 * precision + 4 bits, so the root has precision + 2.
            let want = 2 * l.precision() as i32 + 4;
            let mut k = (want - sig.bit_width() as i32).max(0);
            if (exp - k) % 2 != 0 {
                k += 1;
            }
            let s = sig << k as u32;
            let r = s.isqrt();
            round(l, false, r, (exp - k) / 2, r * r != s, mode)
        }
    })
}

/// `value mod m` for `value = x * 2^e`, by square-and-multiply on `2^e`.
fn mod_pow2<W: Working>(x: W, e: u32, m: W) -> W {
    let mut result = x % m;
    let mut base = W::from_u64(2) % m;
    let mut e = e;
    while e > 0 {
        if e & 1 == 1 {
            result = result * base % m;
        }
        base = base * base % m;
        e >>= 1;
    }
    result
}

/// The IEEE remainder `a - n * b`, `n` the integer nearest `a / b` (ties to
/// even); always exact.
pub(crate) fn rem<W: Working>(l: Layout, a: Num<W>, b: Num<W>) -> Option<Rounded> {
    Some(match (a, b) {
        (Num::Inf(_), _) | (_, Num::Zero(_)) => return None,
        (Num::Zero(_), _) | (_, Num::Inf(_)) => pass(l, a),
        (
            Num::Finite {
                neg,
                sig: ma,
                exp: ea,
            },
            Num::Finite {
                sig: mb, exp: eb, ..
            },
        ) => {
            let p = l.precision() as i32;
            let (x, y, exp) = if ea >= eb {
                // x * 2^(ea-eb) reduced modulo 2y keeps the quotient's parity.
                (mod_pow2(ma, (ea - eb) as u32, mb << 1), mb, eb)
            } else if eb - ea > p + 1 {
                // |a| < 2^(ea + p) <= |b| / 4: a is its own remainder.
                return Some(pass(l, a));
            } else {
                let y = mb << (eb - ea) as u32;
                (ma % (y << 1), y, ea)
            };
            let odd = x >= y;
            let r = if odd { x - y } else { x };
            let twice = r << 1;
            let (neg, mag) = if twice > y || (twice == y && odd) {
                (!neg, y - r)
            } else {
                (neg, r)
            };
            if mag.is_zero() {
                return Some(Rounded::exact(l.zero(sign(a))));
            }
            round(l, neg, mag, exp, false, Rounding::NearestEven)
        }
    })
}

/// The integer `|a|` rounds to, with `a`'s sign; `None` for infinities.
pub(crate) fn to_integral<W: Working>(a: Num<W>, mode: Rounding) -> Option<(bool, W, i32)> {
    match a {
        Num::Inf(_) => None,
        Num::Zero(neg) => Some((neg, W::ZERO, 0)),
        Num::Finite { neg, sig, exp } if exp >= 0 => Some((neg, sig, exp)),
        Num::Finite { neg, sig, exp } => {
            let (mut k, half, rest) = shift_right(sig, exp.unsigned_abs());
            if mode.away(neg, k.bit(0), half, rest) {
                k += W::ONE;
            }
            Some((neg, k, 0))
        }
    }
}

/// Rounds to an integral value in the same format.
pub(crate) fn round_integral<W: Working>(l: Layout, a: Num<W>, mode: Rounding) -> Rounded {
    match to_integral(a, mode) {
        None => pass(l, a),
        Some((neg, sig, exp)) => round(l, neg, sig, exp, false, Rounding::NearestEven),
    }
}
