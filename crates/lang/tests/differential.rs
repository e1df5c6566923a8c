//! Compiled Alma against a reference interpreter.
//!
//! A generator writes random well-typed programs as source text and as a
//! small tree of its own; the tree is evaluated here by a tree-walking
//! interpreter that shares no code with the compiler (its arithmetic follows
//! docs/isa.md directly), and the source is compiled and run through the VM
//! registry. Every result must agree, including failures: a checked
//! overflow, a zero divisor or a failed cast gives no result in both.

use std::collections::HashMap;

use avm_alu::AluVm;
use avm_vm::{DataValue, Registry};
use num_bigint::{BigInt, BigUint};
use proptest::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ty {
    bits: u32,
    signed: bool,
}

impl Ty {
    fn name(self) -> String {
        format!("{}{}", if self.signed { 'i' } else { 'u' }, self.bits)
    }
    fn min(self) -> BigInt {
        if self.signed {
            -(BigInt::from(1) << (self.bits - 1))
        } else {
            BigInt::from(0)
        }
    }
    fn max(self) -> BigInt {
        (BigInt::from(1) << (self.bits - u32::from(self.signed))) - 1
    }
    fn fits(self, v: &BigInt) -> bool {
        *v >= self.min() && *v <= self.max()
    }
    /// The bits of `v` as an unsigned number.
    fn pattern(self, v: &BigInt) -> BigInt {
        let m = BigInt::from(1) << self.bits;
        ((v % &m) + &m) % &m
    }
    /// `v` modulo 2^bits, read in this type.
    fn wrap(self, v: &BigInt) -> BigInt {
        let p = self.pattern(v);
        if self.signed && p > self.max() {
            p - (BigInt::from(1) << self.bits)
        } else {
            p
        }
    }
}

/// The generator's own program tree.
#[derive(Clone, Debug)]
enum E {
    Lit(BigInt, Ty),
    Bool(bool),
    Var(String),
    Bin(&'static str, Box<E>, Box<E>, Ty),
    Un(&'static str, Box<E>, Ty),
    Cmp(&'static str, Box<E>, Box<E>),
    Logic(&'static str, Vec<E>),
    If(Box<E>, Box<E>, Box<E>),
    Let(String, Box<E>, Box<E>),
    /// `(let ((acc init)) (for (i lo hi) (set! acc (op acc i))) acc)`.
    Fold(String, &'static str, Box<E>, i64, i64, Ty),
    Cast(Ty, Box<E>, Ty),
    /// `(let ((k lo) (acc init)) (while (< k hi) (set! acc (op acc k)) (set! k (+ k 1))) acc)`.
    Count(u32, &'static str, Box<E>, i64, i64, Ty),
    Call(Vec<E>),
}

fn print(e: &E) -> String {
    match e {
        E::Lit(v, t) => format!("{v}{}", t.name()),
        E::Bool(b) => b.to_string(),
        E::Var(v) => v.clone(),
        E::Bin(op, a, b, _) | E::Cmp(op, a, b) => format!("({op} {} {})", print(a), print(b)),
        E::Un(op, a, _) => format!("({op} {})", print(a)),
        E::Logic(op, es) => {
            let parts: Vec<String> = es.iter().map(print).collect();
            format!("({op} {})", parts.join(" "))
        }
        E::If(c, t, f) => format!("(if {} {} {})", print(c), print(t), print(f)),
        E::Let(x, v, body) => format!("(let (({x} {})) {})", print(v), print(body)),
        E::Fold(acc, op, init, lo, hi, t) => {
            let n = t.name();
            format!(
                "(let (({acc} {})) (for (i {lo}{n} {hi}{n}) (set! {acc} ({op} {acc} i))) {acc})",
                print(init)
            )
        }
        E::Cast(to, a, _) => format!("(as {} {})", to.name(), print(a)),
        E::Count(id, op, init, lo, hi, t) => {
            let n = t.name();
            format!(
                "(let ((k{id} {lo}{n}) (c{id} {})) (while (< k{id} {hi}{n}) (set! c{id} ({op} c{id} k{id})) (set! k{id} (+ k{id} 1))) c{id})",
                print(init)
            )
        }
        E::Call(args) => {
            let parts: Vec<String> = args.iter().map(print).collect();
            format!("(helper {})", parts.join(" "))
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum V {
    Int(BigInt),
    Bool(bool),
}

/// `None` is a failed run.
fn eval(e: &E, env: &mut HashMap<String, V>, helper: &(Vec<String>, E)) -> Option<V> {
    Some(match e {
        E::Lit(v, _) => V::Int(v.clone()),
        E::Bool(b) => V::Bool(*b),
        E::Var(x) => env[x].clone(),
        E::Bin(op, a, b, t) => {
            let x = int(eval(a, env, helper)?);
            let y = int(eval(b, env, helper)?);
            V::Int(binary(op, &x, &y, *t)?)
        }
        E::Un(op, a, t) => {
            let x = int(eval(a, env, helper)?);
            let v = match *op {
                "-" => -x,
                "abs" => x.magnitude().clone().into(),
                _ => t.wrap(&(-x - 1)),
            };
            if !t.fits(&v) {
                return None;
            }
            V::Int(v)
        }
        E::Cmp(op, a, b) => {
            let x = eval(a, env, helper)?;
            let y = eval(b, env, helper)?;
            let (x, y) = match (x, y) {
                (V::Int(x), V::Int(y)) => (x, y),
                (V::Bool(x), V::Bool(y)) => (BigInt::from(x as u8), BigInt::from(y as u8)),
                _ => unreachable!(),
            };
            V::Bool(match *op {
                "=" => x == y,
                "!=" => x != y,
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                _ => x >= y,
            })
        }
        E::Logic(op, es) => {
            if *op == "not" {
                return Some(V::Bool(!boolean(eval(&es[0], env, helper)?)));
            }
            let stop_on = *op == "or";
            for e in es {
                if boolean(eval(e, env, helper)?) == stop_on {
                    return Some(V::Bool(stop_on));
                }
            }
            V::Bool(!stop_on)
        }
        E::If(c, t, f) => {
            if boolean(eval(c, env, helper)?) {
                eval(t, env, helper)?
            } else {
                eval(f, env, helper)?
            }
        }
        E::Let(x, v, body) => {
            let v = eval(v, env, helper)?;
            let old = env.insert(x.clone(), v);
            let r = eval(body, env, helper);
            restore(env, x, old);
            r?
        }
        E::Fold(_, op, init, lo, hi, t) => {
            let mut acc = int(eval(init, env, helper)?);
            let mut i = *lo;
            while i <= *hi {
                acc = binary(op, &acc, &BigInt::from(i), *t)?;
                i += 1;
            }
            V::Int(acc)
        }
        E::Count(_, op, init, lo, hi, t) => {
            let mut acc = int(eval(init, env, helper)?);
            for k in *lo..*hi {
                acc = binary(op, &acc, &BigInt::from(k), *t)?;
            }
            V::Int(acc)
        }
        E::Cast(to, a, from) => {
            let x = int(eval(a, env, helper)?);
            // cpy (unsigned source) or cnv (signed): the value must fit the
            // destination width read with the source's signedness.
            let width = Ty {
                bits: to.bits,
                signed: from.signed,
            };
            if !width.fits(&x) {
                return None;
            }
            V::Int(to.wrap(&x))
        }
        E::Call(args) => {
            let mut inner = HashMap::new();
            for (name, a) in helper.0.iter().zip(args) {
                inner.insert(name.clone(), eval(a, env, helper)?);
            }
            eval(&helper.1, &mut inner, helper)?
        }
    })
}

fn restore(env: &mut HashMap<String, V>, x: &str, old: Option<V>) {
    match old {
        Some(v) => env.insert(x.to_owned(), v),
        None => env.remove(x),
    };
}

fn int(v: V) -> BigInt {
    match v {
        V::Int(x) => x,
        V::Bool(_) => unreachable!("typed"),
    }
}

fn boolean(v: V) -> bool {
    match v {
        V::Bool(b) => b,
        V::Int(_) => unreachable!("typed"),
    }
}

fn binary(op: &str, x: &BigInt, y: &BigInt, t: Ty) -> Option<BigInt> {
    let checked = |v: BigInt| t.fits(&v).then_some(v);
    let zero = BigInt::from(0);
    let shift = |y: &BigInt| -> Option<usize> {
        let amount = t.pattern(y);
        if amount >= BigInt::from(t.bits) {
            None
        } else {
            usize::try_from(&amount).ok()
        }
    };
    match op {
        "+" => checked(x + y),
        "-" => checked(x - y),
        "*" => checked(x * y),
        "+%" => Some(t.wrap(&(x + y))),
        "-%" => Some(t.wrap(&(x - y))),
        "*%" => Some(t.wrap(&(x * y))),
        "/" => {
            if *y == zero {
                return None;
            }
            // Round toward zero.
            let q = x.magnitude() / y.magnitude();
            let q = BigInt::from(q);
            checked(if (x < &zero) != (y < &zero) { -q } else { q })
        }
        "rem" => {
            if *y == zero {
                return None;
            }
            let r = BigInt::from(x.magnitude() % y.magnitude());
            Some(if *x < zero { -r } else { r })
        }
        "bit-and" => Some(t.wrap(&(t.pattern(x) & t.pattern(y)))),
        "bit-or" => Some(t.wrap(&(t.pattern(x) | t.pattern(y)))),
        "bit-xor" => Some(t.wrap(&(t.pattern(x) ^ t.pattern(y)))),
        "shl" => Some(match shift(y) {
            Some(s) => t.wrap(&(t.pattern(x) << s)),
            None => zero,
        }),
        "shr" => Some(match (shift(y), t.signed) {
            (Some(s), false) => x >> s,
            (Some(s), true) => {
                // Arithmetic: floor division by 2^s.
                let d = BigInt::from(1) << s;
                let q = x / &d;
                if x < &zero && &q * &d != *x {
                    q - 1
                } else {
                    q
                }
            }
            (None, true) if *x < zero => BigInt::from(-1),
            (None, _) => zero,
        }),
        _ => unreachable!("{op}"),
    }
}

/// A small deterministic generator driven by a seed from proptest.
struct Gen {
    state: u64,
    vars: Vec<(String, Ty)>,
    fresh: u32,
    main: Ty,
    helper_calls: bool,
}

const WIDTHS: [u32; 8] = [8, 16, 32, 64, 128, 256, 512, 1024];
const INT_OPS: [&str; 13] = [
    "+", "-", "*", "+%", "-%", "*%", "/", "rem", "bit-and", "bit-or", "bit-xor", "shl", "shr",
];

impl Gen {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn ty(&mut self) -> Ty {
        Ty {
            bits: WIDTHS[self.below(8) as usize],
            signed: self.below(2) == 1,
        }
    }
    fn lit(&mut self, t: Ty) -> BigInt {
        match self.below(6) {
            0 => t.min(),
            1 => t.max(),
            2 => BigInt::from(0),
            3 => BigInt::from(1),
            4 if t.signed => BigInt::from(-1),
            _ => {
                let v = BigInt::from(self.next() >> self.below(64));
                t.wrap(&v)
            }
        }
    }
    fn int(&mut self, t: Ty, depth: u32) -> E {
        let vars: Vec<String> = self
            .vars
            .iter()
            .filter(|(_, vt)| *vt == t)
            .map(|(n, _)| n.clone())
            .collect();
        if depth == 0 || self.below(4) == 0 {
            if !vars.is_empty() && self.below(2) == 0 {
                return E::Var(vars[self.below(vars.len() as u64) as usize].clone());
            }
            return E::Lit(self.lit(t), t);
        }
        match self.below(10) {
            0..=3 => {
                let op = INT_OPS[self.below(INT_OPS.len() as u64) as usize];
                E::Bin(
                    op,
                    Box::new(self.int(t, depth - 1)),
                    Box::new(self.int(t, depth - 1)),
                    t,
                )
            }
            4 => {
                let op = match (t.signed, self.below(3)) {
                    (true, 0) => "-",
                    (true, 1) => "abs",
                    _ => "bit-not",
                };
                E::Un(op, Box::new(self.int(t, depth - 1)), t)
            }
            5 => E::If(
                Box::new(self.boolean(depth - 1)),
                Box::new(self.int(t, depth - 1)),
                Box::new(self.int(t, depth - 1)),
            ),
            6 => {
                self.fresh += 1;
                let x = format!("x{}", self.fresh);
                let vt = if self.below(2) == 0 { t } else { self.ty() };
                let v = self.int(vt, depth - 1);
                self.vars.push((x.clone(), vt));
                let body = self.int(t, depth - 1);
                self.vars.pop();
                E::Let(x, Box::new(v), Box::new(body))
            }
            7 => {
                let from = self.ty();
                E::Cast(t, Box::new(self.int(from, depth - 1)), from)
            }
            8 => {
                self.fresh += 1;
                let op = ["+", "*", "+%", "-%", "bit-xor"][self.below(5) as usize];
                let lo = 1 + self.below(3) as i64;
                let hi = lo + self.below(4) as i64 - 1;
                E::Fold(
                    format!("acc{}", self.fresh),
                    op,
                    Box::new(self.int(t, depth - 1)),
                    lo,
                    hi,
                    t,
                )
            }
            9 if self.below(2) == 0 => {
                self.fresh += 1;
                let op = ["+", "-%", "*%", "bit-or"][self.below(4) as usize];
                let lo = self.below(3) as i64;
                let hi = lo + self.below(4) as i64;
                E::Count(self.fresh, op, Box::new(self.int(t, depth - 1)), lo, hi, t)
            }
            _ if self.helper_calls && t == self.main => {
                let args = vec![self.int(t, depth - 1), self.int(t, depth - 1)];
                E::Call(args)
            }
            _ => E::Lit(self.lit(t), t),
        }
    }
    fn boolean(&mut self, depth: u32) -> E {
        if depth == 0 || self.below(5) == 0 {
            return E::Bool(self.below(2) == 0);
        }
        match self.below(4) {
            0 | 1 => {
                let op = ["=", "!=", "<", "<=", ">", ">="][self.below(6) as usize];
                let t = if self.below(2) == 0 {
                    self.main
                } else {
                    self.ty()
                };
                E::Cmp(
                    op,
                    Box::new(self.int(t, depth - 1)),
                    Box::new(self.int(t, depth - 1)),
                )
            }
            2 => {
                let op = ["and", "or"][self.below(2) as usize];
                let n = 1 + self.below(3) as usize;
                E::Logic(op, (0..n).map(|_| self.boolean(depth - 1)).collect())
            }
            _ => E::Logic("not", vec![self.boolean(depth - 1)]),
        }
    }
}

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register(AluVm::new()).unwrap();
    r
}

fn check_one(seed: u64, depth: u32) {
    let mut g = Gen {
        state: seed | 1,
        vars: Vec::new(),
        fresh: 0,
        main: Ty {
            bits: 64,
            signed: false,
        },
        helper_calls: false,
    };
    let t = g.ty();
    g.main = t;
    // The helper: (define (helper (p t) (q t)) ...), calling nothing.
    g.vars = vec![("p".into(), t), ("q".into(), t)];
    let helper_body = g.int(t, depth.min(3));
    g.vars = vec![("a".into(), t), ("b".into(), t)];
    g.helper_calls = true;
    // Half the programs answer a bool (0 or 1), the others an integer.
    let answers_bool = g.below(2) == 0;
    let body = if answers_bool {
        g.boolean(depth)
    } else {
        g.int(t, depth)
    };
    let n = t.name();
    let source = format!(
        "(define (helper (p {n}) (q {n})) {})\n(define (main (a {n}) (b {n})) {})\n",
        print(&helper_body),
        print(&body)
    );
    let a = g.lit(t);
    let b = g.lit(t);
    let helper = (vec!["p".to_string(), "q".to_string()], helper_body);
    let mut env = HashMap::from([
        ("a".to_string(), V::Int(a.clone())),
        ("b".to_string(), V::Int(b.clone())),
    ]);
    let expected = eval(&body, &mut env, &helper).map(|v| match v {
        V::Int(x) => DataValue::Nat(BigUint::try_from(t.pattern(&x)).unwrap()),
        V::Bool(b) => DataValue::nat(u8::from(b)),
    });

    let compiled = avm_lang::compile("gen.alma", &source)
        .unwrap_or_else(|d| panic!("{source}\n{}", avm_lang::render_all(&d, &source)));
    let args = [
        DataValue::Nat(BigUint::try_from(t.pattern(&a)).unwrap()),
        DataValue::Nat(BigUint::try_from(t.pattern(&b)).unwrap()),
    ];
    let got = registry()
        .multievaluate(&compiled.function, &args, 10_000_000)
        .unwrap();
    assert_eq!(got.result, expected, "a = {a}, b = {b}\n{source}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn compiled_programs_agree_with_the_interpreter(seed in any::<u64>(), depth in 1u32..6) {
        check_one(seed, depth);
    }
}

#[test]
fn bool_results_and_parameters() {
    let source = "(define (main (x bool) (n i8)) (and x (< n 0i8)))";
    let compiled = avm_lang::compile("b.alma", source).unwrap();
    let r = registry();
    let run = |args: &[DataValue]| {
        r.multievaluate(&compiled.function, args, 1000)
            .unwrap()
            .result
    };
    assert_eq!(
        run(&[DataValue::nat(1u8), DataValue::nat(255u8)]),
        Some(DataValue::nat(1u8))
    );
    assert_eq!(
        run(&[DataValue::nat(1u8), DataValue::nat(1u8)]),
        Some(DataValue::nat(0u8))
    );
    // A bool argument is 0 or 1; an i8 argument is its bit pattern, below 256.
    assert_eq!(run(&[DataValue::nat(2u8), DataValue::nat(1u8)]), None);
    assert_eq!(run(&[DataValue::nat(1u8), DataValue::nat(256u16)]), None);
    assert_eq!(run(&[DataValue::nat(1u8)]), None);
}
