//! Code generation: typed expressions to the instruction stream.
//!
//! Every value lives in an A register of its type's width (`bool` in
//! `a8`). Registers are handed out in stack order within a function's
//! frame: a local takes the next free register of its width until its scope
//! ends, a temporary until the expression that needed it is done. Frames are
//! placed by [`crate::frame`] afterwards.

use avm_asm::Span;
use num_bigint::BigInt;

use crate::ast::{
    BinOp, CmpOp, Expr, ExprKind, FieldDomain, Function, HostForm, HostResult, PrimForm,
    PrimResult, UnOp,
};
use crate::emit::{Arg, Emitter, VReg};
use crate::types::{IntType, Type, INT_WIDTHS};

mod intents;

/// How many registers of each bank a function's frame needs: the A widths
/// by their index in [`INT_WIDTHS`], then the `s` registers, then the seven
/// F formats.
pub type FrameSize = [u32; BANKS];

/// The number of register banks: eight A widths, the byte strings, seven float formats.
pub const BANKS: usize = 16;

/// The bank index of a register code ([`Type::reg_bits`]): an A width, the
/// byte strings ([`crate::types::BYTES_BANK`]) or a float format.
pub fn bank(bits: u16) -> usize {
    match INT_WIDTHS.iter().position(|b| *b == bits) {
        Some(i) => i,
        None => 8 + usize::from(bits.min(7)),
    }
}

/// The registers holding a function's parameters and its result, which
/// come first in its frame, in order.
pub struct Interface {
    /// One register per parameter.
    pub params: Vec<VReg>,
    /// The result register (none for unit).
    pub result: Option<VReg>,
    /// The registers they take.
    pub size: FrameSize,
}

/// The parameter and result registers of function `func` of type `params -> ret`.
pub fn interface(func: usize, params: &[Type], ret: Type) -> Interface {
    let mut size = [0u32; BANKS];
    let mut take = |ty: Type| {
        ty.reg_bits().map(|bits| {
            let b = bank(bits);
            size[b] += 1;
            VReg {
                func,
                bits,
                idx: size[b] - 1,
            }
        })
    };
    let params = params.iter().filter_map(|t| take(*t)).collect();
    let result = take(ret);
    Interface {
        params,
        result,
        size,
    }
}

/// What code generation needs to know of the whole program.
pub struct Plan<'a> {
    /// Every function.
    pub functions: &'a [Function],
    /// Their parameter and result registers (the entry stub's last).
    pub interfaces: &'a [Interface],
    /// Their entry labels (the entry stub's last).
    pub entries: &'a [u32],
    /// Whether calls to each are expanded in place rather than made with `routine`.
    pub inline: &'a [bool],
}

/// Generates one function's code into `out`, returning its frame size.
pub struct FunctionGen<'a> {
    out: &'a mut Emitter,
    func: usize,
    /// The interfaces of every function, to place call arguments.
    interfaces: &'a [Interface],
    /// Labels of every function's entry.
    entries: &'a [u32],
    /// Every function, and whether calls to it are expanded in place.
    functions: &'a [Function],
    inline: &'a [bool],
    locals: Vec<Option<VReg>>,
    local_types: &'a [Type],
    next: FrameSize,
    max: FrameSize,
}

impl<'a> FunctionGen<'a> {
    /// Generates the body of function `func` after its entry label, leaving
    /// its result in its interface's result register; the caller of this
    /// adds the `ret` (or, for `main`, the entry stub's epilogue).
    pub fn generate(out: &'a mut Emitter, func: usize, program: &Plan<'a>) -> FrameSize {
        let f = &program.functions[func];
        let (interfaces, entries) = (program.interfaces, program.entries);
        let iface = &interfaces[func];
        let mut g = FunctionGen {
            out,
            func,
            interfaces,
            entries,
            functions: program.functions,
            inline: program.inline,
            locals: vec![None; f.locals.len()],
            local_types: &f.locals,
            next: iface.size,
            max: iface.size,
        };
        for (i, reg) in iface.params.iter().enumerate() {
            g.locals[i] = Some(*reg);
        }
        g.out.label(entries[func], f.span);
        g.value(&f.body, iface.result);
        g.max
    }

    fn alloc(&mut self, ty: Type) -> Option<VReg> {
        let bits = ty.reg_bits()?;
        let b = bank(bits);
        let idx = self.next[b];
        self.next[b] += 1;
        self.max[b] = self.max[b].max(self.next[b]);
        Some(VReg {
            func: self.func,
            bits,
            idx,
        })
    }

    /// The register for a value of type `ty`: `dst` if given, else a new one.
    fn target(&mut self, dst: Option<VReg>, ty: Type) -> Option<VReg> {
        dst.or_else(|| self.alloc(ty))
    }

    /// Computes `e`; returns where its value is (`dst` if given). Unit gives `None`.
    fn value(&mut self, e: &Expr, dst: Option<VReg>) -> Option<VReg> {
        let span = e.span;
        match &e.kind {
            ExprKind::Unit => None,
            ExprKind::Bytes(b) => {
                let r = self.target(dst, Type::Bytes)?;
                self.out
                    .plain("put", None, vec![Arg::Reg(r), Arg::Bytes(b.clone())], span);
                Some(r)
            }
            ExprKind::Prim(form, args) => self.prim(form, args, dst, span),
            ExprKind::Field(form, args) => {
                let r = self.target(dst, e.ty)?;
                let mark = self.next;
                let operands = self.operands(args);
                if form.domain == FieldDomain::Goldilocks {
                    let mut all = vec![Arg::Reg(r)];
                    all.extend(operands);
                    self.out.fallible(form.mnemonic, None, all, span);
                } else {
                    // In the `r` registers of the same width: scratch 0 for the
                    // result, 1.. for the operands (nothing else uses them).
                    let bits = r.bits;
                    let mut all = vec![Arg::Wide(bits, 0)];
                    for (i, op) in operands.into_iter().enumerate() {
                        let wide = Arg::Wide(bits, i as u8 + 1);
                        self.out.plain("cpy", None, vec![wide.clone(), op], span);
                        all.push(wide);
                    }
                    self.out.fallible(form.mnemonic, None, all, span);
                    self.out
                        .plain("cpy", None, vec![Arg::Reg(r), Arg::Wide(bits, 0)], span);
                }
                self.next = mark;
                Some(r)
            }
            ExprKind::Float(text) => {
                let r = self.target(dst, e.ty)?;
                self.out.plain(
                    "put",
                    None,
                    vec![Arg::Reg(r), Arg::Float(text.clone())],
                    span,
                );
                Some(r)
            }
            ExprKind::FloatOp {
                mnemonic,
                flag,
                args,
            } => {
                let r = self.target(dst, e.ty)?;
                let mark = self.next;
                let mut operands = self.operands(args);
                operands.insert(0, Arg::Reg(r));
                // An operation whose IEEE result is NaN, or a checked overflow, fails.
                self.out.fallible(mnemonic, *flag, operands, span);
                self.next = mark;
                Some(r)
            }
            ExprKind::Convert(flag, a) => {
                let r = self.target(dst, e.ty)?;
                let mark = self.next;
                let x = self.value(a, None)?;
                // Into a float: `cpy` reads an unsigned integer, `cnv` a signed one
                // or a float; into an integer: `cpy` gives an unsigned one, `cnv` a signed one.
                let signed = match (e.ty, a.ty) {
                    (Type::Float(_), Type::Int(t)) => t.signed,
                    (Type::Float(_), _) => true,
                    (Type::Int(t), _) => t.signed,
                    _ => false,
                };
                let m = if signed { "cnv" } else { "cpy" };
                self.out
                    .fallible(m, Some(flag), vec![Arg::Reg(r), Arg::Reg(x)], span);
                self.next = mark;
                Some(r)
            }
            ExprKind::Int(v) => {
                let r = self.target(dst, e.ty)?;
                let bits = match e.ty {
                    Type::Int(t) => t.bit_pattern(v),
                    _ => v.clone(),
                };
                self.out
                    .plain("put", None, vec![Arg::Reg(r), Arg::Int(bits)], span);
                Some(r)
            }
            ExprKind::Bool(b) => {
                let r = self.target(dst, Type::Bool)?;
                self.out.plain(
                    "put",
                    None,
                    vec![Arg::Reg(r), Arg::Int(BigInt::from(u8::from(*b)))],
                    span,
                );
                Some(r)
            }
            ExprKind::Local(id) => {
                let var = self.locals[*id]?;
                match dst {
                    Some(d) if d != var => {
                        self.out
                            .plain("dup", None, vec![Arg::Reg(d), Arg::Reg(var)], span);
                        Some(d)
                    }
                    _ => Some(var),
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.ty, dst, span),
            ExprKind::Unary(op, a) => {
                let r = self.target(dst, e.ty)?;
                let mark = self.next;
                let x = self.value(a, None)?;
                let (m, f) = match op {
                    UnOp::Neg => ("neg", Some("c")),
                    UnOp::Abs => ("abs", Some("c")),
                    UnOp::BitNot => ("not", None),
                };
                let args = vec![Arg::Reg(r), Arg::Reg(x)];
                if *op == UnOp::BitNot {
                    self.out.plain(m, f, args, span);
                } else {
                    self.out.fallible(m, f, args, span);
                }
                self.next = mark;
                Some(r)
            }
            ExprKind::Compare(op, a, b) => {
                let r = self.target(dst, Type::Bool)?;
                let mark = self.next;
                let negated = self.compare(*op, a, b, span);
                if negated {
                    self.out.invert(span);
                }
                self.out.store_st0(r, span);
                self.next = mark;
                Some(r)
            }
            ExprKind::Not(_) | ExprKind::And(..) | ExprKind::Or(..) => {
                let r = self.target(dst, Type::Bool)?;
                let (yes, end) = (self.out.new_label(), self.out.new_label());
                self.branch(e, yes, true);
                self.out.plain(
                    "put",
                    None,
                    vec![Arg::Reg(r), Arg::Int(BigInt::from(0))],
                    span,
                );
                self.out.jump(end, span);
                self.out.label(yes, span);
                self.out.plain(
                    "put",
                    None,
                    vec![Arg::Reg(r), Arg::Int(BigInt::from(1))],
                    span,
                );
                self.out.label(end, span);
                Some(r)
            }
            ExprKind::If(c, t, f) => {
                let r = self.target(dst, e.ty);
                let (other, end) = (self.out.new_label(), self.out.new_label());
                self.branch(c, other, false);
                self.into(t, r);
                self.out.jump(end, span);
                self.out.label(other, span);
                self.into(f, r);
                self.out.label(end, span);
                r
            }
            ExprKind::Let(binds, body) => {
                let r = self.target(dst, e.ty);
                let mark = self.next;
                for (id, value) in binds {
                    let reg = self.alloc(self.local_types[*id]);
                    if let Some(reg) = reg {
                        self.value(value, Some(reg));
                    } else {
                        self.discard(value);
                    }
                    self.locals[*id] = reg;
                }
                self.into(body, r);
                self.next = mark;
                r
            }
            ExprKind::Begin(es) => {
                let (last, init) = es.split_last()?;
                for e in init {
                    self.discard(e);
                }
                self.value(last, dst)
            }
            ExprKind::Set(id, value) => {
                let var = self.locals[*id];
                match var {
                    Some(var) => {
                        self.value(value, Some(var));
                    }
                    None => self.discard(value),
                }
                None
            }
            ExprKind::While(c, body) => {
                let (top, test) = (self.out.new_label(), self.out.new_label());
                self.out.jump(test, span);
                self.out.label(top, span);
                self.discard(body);
                self.out.label(test, span);
                self.branch(c, top, true);
                None
            }
            ExprKind::For {
                var,
                from,
                to,
                body,
            } => {
                self.for_loop(*var, from, to, body, span);
                None
            }
            ExprKind::Call(f, args) if self.inline[*f] => self.inline_call(*f, args, e.ty, dst),
            ExprKind::Call(f, args) => self.call(*f, args, e.ty, dst, span),
            ExprKind::Cast(to, a) => {
                let r = self.target(dst, Type::Int(*to))?;
                let mark = self.next;
                let x = self.value(a, None)?;
                let signed = matches!(a.ty, Type::Int(IntType { signed: true, .. }));
                let m = if signed { "cnv" } else { "cpy" };
                self.out
                    .fallible(m, None, vec![Arg::Reg(r), Arg::Reg(x)], span);
                self.next = mark;
                Some(r)
            }
            ExprKind::Host(form, args) => self.host(form, args, dst, span),
            ExprKind::Intent(op, args) => self.intent(op, args, e.ty, dst, span),
            ExprKind::Tx(c, body) => {
                let r = self.target(dst, Type::Bool)?;
                let mark = self.next;
                let t = self.alloc(Type::Int(IntType::new(64, false)))?;
                let c = self.value(c, None)?;
                self.out
                    .fallible("obeginc", None, vec![Arg::Reg(t), Arg::Reg(c)], span);
                self.discard(body);
                self.out.compare("ocommit", None, vec![Arg::Reg(t)], span);
                self.out.store_st0(r, span);
                self.next = mark;
                Some(r)
            }
            ExprKind::Assert(c) => {
                let ok = self.out.new_label();
                self.branch(c, ok, true);
                self.out.fail(span);
                self.out.label(ok, span);
                None
            }
        }
    }

    /// Computes `e` into `dst` (when `dst` is none, for its effects only).
    fn into(&mut self, e: &Expr, dst: Option<VReg>) {
        match dst {
            Some(_) => {
                let got = self.value(e, dst);
                debug_assert!(got == dst || got.is_none());
            }
            None => self.discard(e),
        }
    }

    /// Computes `e` for its effects, freeing its registers after.
    fn discard(&mut self, e: &Expr) {
        let mark = self.next;
        self.value(e, None);
        self.next = mark;
    }

    fn binary(
        &mut self,
        op: BinOp,
        a: &Expr,
        b: &Expr,
        ty: Type,
        dst: Option<VReg>,
        span: Span,
    ) -> Option<VReg> {
        let Type::Int(t) = ty else { return None };
        let r = self.target(dst, ty)?;
        let mark = self.next;
        // `x + k` and `x - k` with a constant step 1..=256: in place.
        if let (BinOp::Add { wrapping } | BinOp::Sub { wrapping }, ExprKind::Int(k)) = (op, &b.kind)
        {
            if *k >= BigInt::from(1) && *k <= BigInt::from(256) {
                self.value(a, Some(r));
                let m = if matches!(op, BinOp::Add { .. }) {
                    "inc"
                } else {
                    "dec"
                };
                let f = arith_flag(t, wrapping);
                let args = vec![Arg::Reg(r), Arg::Int(k.clone())];
                if wrapping {
                    self.out.plain(m, Some(f), args, span);
                } else {
                    self.out.fallible(m, Some(f), args, span);
                }
                self.next = mark;
                return Some(r);
            }
        }
        let x = self.operand(a, b)?;
        let y = self.value(b, None)?;
        let args = vec![Arg::Reg(r), Arg::Reg(x), Arg::Reg(y)];
        let sign = if t.signed { "s" } else { "u" };
        match op {
            BinOp::Add { wrapping } => self.arith("add", t, wrapping, args, span),
            BinOp::Sub { wrapping } => self.arith("sub", t, wrapping, args, span),
            BinOp::Mul { wrapping } => self.arith("mul", t, wrapping, args, span),
            BinOp::Div => self
                .out
                .fallible("div", Some(arith_flag(t, false)), args, span),
            BinOp::Rem => self.out.fallible("rem", Some(sign), args, span),
            BinOp::And => self.out.plain("and", None, args, span),
            BinOp::Or => self.out.plain("or", None, args, span),
            BinOp::Xor => self.out.plain("xor", None, args, span),
            BinOp::Shl => self.out.plain("shl", None, args, span),
            BinOp::Shr => {
                let m = if t.signed { "sar" } else { "shr" };
                self.out.plain(m, None, args, span)
            }
        }
        self.next = mark;
        Some(r)
    }

    /// Computes the left operand `a` of an operation whose right operand is
    /// `b`: a variable is read in place unless `b` assigns one.
    fn operand(&mut self, a: &Expr, b: &Expr) -> Option<VReg> {
        if b.has_set() {
            self.copy(a)
        } else {
            self.value(a, None)
        }
    }

    /// Computes `a` into a new register, never a variable's own.
    fn copy(&mut self, a: &Expr) -> Option<VReg> {
        let r = self.alloc(a.ty);
        self.value(a, r)
    }

    fn arith(&mut self, m: &'static str, t: IntType, wrapping: bool, args: Vec<Arg>, span: Span) {
        let f = Some(arith_flag(t, wrapping));
        if wrapping {
            self.out.plain(m, f, args, span);
        } else {
            self.out.fallible(m, f, args, span);
        }
    }

    /// Emits the comparison `a op b` into `st0`; returns whether `st0` holds its negation.
    fn compare(&mut self, op: CmpOp, a: &Expr, b: &Expr, span: Span) -> bool {
        // Against a constant zero: `ifz`, without loading the zero.
        if let (CmpOp::Eq | CmpOp::Ne, Type::Int(_)) = (op, a.ty) {
            let zero = |e: &Expr| matches!(&e.kind, ExprKind::Int(v) if v.sign() == num_bigint::Sign::NoSign);
            let other = if zero(b) {
                Some(a)
            } else if zero(a) {
                Some(b)
            } else {
                None
            };
            if let Some(Some(x)) = other.map(|o| self.value(o, None)) {
                self.out.compare("ifz", None, vec![Arg::Reg(x)], span);
                return op == CmpOp::Ne;
            }
        }
        let x = self.operand(a, b);
        let y = self.value(b, None);
        let (Some(x), Some(y)) = (x, y) else {
            return false;
        };
        let signed = matches!(a.ty, Type::Int(IntType { signed: true, .. }));
        // Float comparisons take no signedness flag.
        let order = match a.ty {
            Type::Float(_) => None,
            _ => Some(if signed { "s" } else { "u" }),
        };
        let (m, f, negated) = match op {
            CmpOp::Eq => ("eq", Some("e"), false),
            CmpOp::Ne => ("eq", Some("e"), true),
            CmpOp::Lt => ("lt", order, false),
            CmpOp::Ge => ("lt", order, true),
            CmpOp::Gt => ("gt", order, false),
            CmpOp::Le => ("gt", order, true),
        };
        self.out.compare(m, f, vec![Arg::Reg(x), Arg::Reg(y)], span);
        negated
    }

    /// Jumps to `label` if the boolean `e` is `when`; falls through otherwise.
    fn branch(&mut self, e: &Expr, label: u32, when: bool) {
        let span = e.span;
        let mark = self.next;
        let negated = match &e.kind {
            ExprKind::Bool(b) => {
                if *b == when {
                    self.out.jump(label, span);
                }
                return;
            }
            ExprKind::Not(a) => return self.branch(a, label, !when),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                // `and` jumps on true only if both are; `or` jumps on false only if both are.
                let both = matches!(e.kind, ExprKind::And(..)) == when;
                if both {
                    let skip = self.out.new_label();
                    self.branch(a, skip, !when);
                    self.branch(b, label, when);
                    self.out.label(skip, span);
                } else {
                    self.branch(a, label, when);
                    self.branch(b, label, when);
                }
                return;
            }
            ExprKind::Compare(op, a, b) => self.compare(*op, a, b, span),
            ExprKind::Prim(form, args) if form.result == PrimResult::Status => {
                let args = self.operands(args);
                self.out.compare(form.mnemonic, None, args, span);
                false
            }
            ExprKind::Host(form, args) if form.result == HostResult::Status => {
                let args = self.operands(args);
                self.out.compare(form.mnemonic, None, args, span);
                false
            }
            _ => {
                let Some(r) = self.value(e, None) else { return };
                self.out.compare("ifz", None, vec![Arg::Reg(r)], span);
                true
            }
        };
        if negated == when {
            self.out.invert(span);
        }
        self.out.jump_if(label, span);
        self.next = mark;
    }

    /// Computes each operand into a register; an operand assigned by a later
    /// one is copied first.
    fn operands(&mut self, args: &[Expr]) -> Vec<Arg> {
        let mut regs = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let later_sets = args[k + 1..].iter().any(Expr::has_set);
            let r = if later_sets {
                self.copy(a)
            } else {
                self.value(a, None)
            };
            regs.extend(r.map(Arg::Reg));
        }
        regs
    }

    fn prim(
        &mut self,
        form: &PrimForm,
        args: &[Expr],
        dst: Option<VReg>,
        span: Span,
    ) -> Option<VReg> {
        let ty = match form.result {
            PrimResult::Value(t) => t,
            PrimResult::Digest(_, t) => Type::Int(t),
            PrimResult::Status => Type::Bool,
        };
        let r = self.target(dst, ty)?;
        let mark = self.next;
        let mut operands = self.operands(args);
        match form.result {
            PrimResult::Value(_) => {
                operands.insert(0, Arg::Reg(r));
                self.out.fallible(form.mnemonic, None, operands, span);
            }
            PrimResult::Digest(bits, _) => {
                // The wide register is a scratch: nothing else uses R registers.
                let wide = Arg::Wide(bits, 0);
                operands.insert(0, wide.clone());
                self.out.plain(form.mnemonic, None, operands, span);
                self.out.plain("cpy", None, vec![Arg::Reg(r), wide], span);
            }
            PrimResult::Status => {
                self.out.compare(form.mnemonic, None, operands, span);
                self.out.store_st0(r, span);
            }
        }
        self.next = mark;
        Some(r)
    }

    fn host(
        &mut self,
        form: &HostForm,
        args: &[Expr],
        dst: Option<VReg>,
        span: Span,
    ) -> Option<VReg> {
        let r = match form.result {
            HostResult::Unit => None,
            HostResult::Value => self.target(dst, Type::Int(IntType::new(64, false))),
            HostResult::Status => self.target(dst, Type::Bool),
        };
        let mark = self.next;
        let mut operands = self.operands(args);
        match form.result {
            HostResult::Unit => self.out.fallible(form.mnemonic, None, operands, span),
            HostResult::Value => {
                operands.insert(0, Arg::Reg(r?));
                self.out.fallible(form.mnemonic, None, operands, span);
            }
            HostResult::Status => {
                self.out.compare(form.mnemonic, None, operands, span);
                self.out.store_st0(r?, span);
            }
        }
        self.next = mark;
        r
    }

    fn for_loop(&mut self, var: usize, from: &Expr, to: &Expr, body: &Expr, span: Span) {
        let Type::Int(t) = from.ty else { return };
        let mark = self.next;
        let (Some(i), Some(end)) = (self.alloc(from.ty), self.alloc(from.ty)) else {
            return;
        };
        self.value(from, Some(i));
        self.value(to, Some(end));
        self.locals[var] = Some(i);
        let (top, done) = (self.out.new_label(), self.out.new_label());
        let order = Some(if t.signed { "s" } else { "u" });
        self.out
            .compare("gt", order, vec![Arg::Reg(i), Arg::Reg(end)], span);
        self.out.jump_if(done, span);
        self.out.label(top, span);
        self.discard(body);
        // i < end, then i += 1 (it cannot overflow then; inc leaves st0), then loop.
        self.out
            .compare("lt", order, vec![Arg::Reg(i), Arg::Reg(end)], span);
        let step = Some(if t.signed { "sw" } else { "uw" });
        self.out.plain(
            "inc",
            step,
            vec![Arg::Reg(i), Arg::Int(BigInt::from(1))],
            span,
        );
        self.out.jump_if(top, span);
        self.out.label(done, span);
        self.next = mark;
    }

    /// A call expanded in place: the arguments in new registers of this frame
    /// (or, when the callee never assigns the parameter, the variable passed),
    /// then the callee's body.
    fn inline_call(
        &mut self,
        f: usize,
        args: &[Expr],
        ty: Type,
        dst: Option<VReg>,
    ) -> Option<VReg> {
        let callee = &self.functions[f];
        let r = self.target(dst, ty);
        let mark = self.next;
        let mut regs = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let assigned = callee.body.assigns(k);
            let later_sets = args[k + 1..].iter().any(Expr::has_set);
            let v = match a.kind {
                ExprKind::Local(_) if !assigned && !later_sets => self.value(a, None),
                _ => self.copy(a),
            };
            regs.push(v);
        }
        let outer = std::mem::replace(&mut self.locals, vec![None; callee.locals.len()]);
        let outer_types = std::mem::replace(&mut self.local_types, &callee.locals);
        for (k, v) in regs.into_iter().enumerate() {
            self.locals[k] = v;
        }
        self.into(&callee.body, r);
        self.locals = outer;
        self.local_types = outer_types;
        self.next = mark;
        r
    }

    fn call(
        &mut self,
        f: usize,
        args: &[Expr],
        ty: Type,
        dst: Option<VReg>,
        span: Span,
    ) -> Option<VReg> {
        let r = self.target(dst, ty);
        let mark = self.next;
        let params = &self.interfaces[f].params;
        // Arguments that call functions could overwrite the callee's
        // parameter registers, so then every argument waits in a temporary.
        let via_temps = args.iter().any(Expr::has_call);
        let mut staged = Vec::new();
        let mut p = params.iter();
        for (k, a) in args.iter().enumerate() {
            let param = if a.ty.reg_bits().is_some() {
                p.next().copied()
            } else {
                None
            };
            if via_temps {
                let later_sets = args[k + 1..].iter().any(Expr::has_set);
                let v = if later_sets {
                    self.copy(a)
                } else {
                    self.value(a, None)
                };
                if let Some(v) = v {
                    staged.push((param, v));
                }
            } else {
                self.into(a, param);
            }
        }
        for (param, v) in staged {
            if let Some(param) = param {
                if param != v {
                    self.out
                        .plain("dup", None, vec![Arg::Reg(param), Arg::Reg(v)], span);
                }
            }
        }
        self.out
            .control("routine", vec![Arg::Label(self.entries[f])], span);
        if let (Some(r), Some(result)) = (r, self.interfaces[f].result) {
            self.out
                .plain("dup", None, vec![Arg::Reg(r), Arg::Reg(result)], span);
        }
        self.next = mark;
        r
    }
}

fn arith_flag(t: IntType, wrapping: bool) -> &'static str {
    match (t.signed, wrapping) {
        (false, false) => "uc",
        (false, true) => "uw",
        (true, false) => "sc",
        (true, true) => "sw",
    }
}
