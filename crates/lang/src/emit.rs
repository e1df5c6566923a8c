//! The instruction stream of one program, before registers get their final
//! numbers, and the bookkeeping of `st0` that makes checked arithmetic cheap.
//!
//! Alma's rule is that a failed checked operation fails the run. Alu clears
//! `st0` on such a failure and nothing but a comparison sets it back, so one
//! `test` before the next comparison or jump checks every operation since
//! the last one. The emitter keeps two facts: whether a `test` is owed, and
//! what `st0` holds (true, known false on the fall-through of a `jif`, or a
//! comparison's unknown result). Before a checked operation, a jump, a label,
//! a call or a return it makes `st0` true again (`inv st0` or an always-true
//! comparison), so every block starts with `st0` true.

use avm_asm::Span;
use num_bigint::BigInt;

/// A register of a function's frame: its width and its index in the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VReg {
    /// The function whose frame holds it (the entry stub is the last).
    pub func: usize,
    /// The A register width.
    pub bits: u16,
    /// The index from the frame's base.
    pub idx: u32,
}

/// An operand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A frame register.
    Reg(VReg),
    /// A fixed register `a<bits>[idx]` (the calling convention's).
    Fixed(u16, u8),
    /// A byte-string register `s[idx]`.
    Str(u8),
    /// A fixed wide register `r<bits>[idx]` (digests land there).
    Wide(u16, u8),
    /// A byte string (placed in the data segment).
    Bytes(Vec<u8>),
    /// A float literal's text (rounded to the register's format when lowered).
    Float(String),
    /// A non-negative integer (a constant's bits, or a step).
    Int(BigInt),
    /// A label.
    Label(u32),
    /// The status register.
    St0,
}

/// One instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ins {
    /// The mnemonic, e.g. `add`.
    pub mnemonic: &'static str,
    /// The flag, e.g. `uc`.
    pub flag: Option<&'static str>,
    /// The operands, destination first.
    pub args: Vec<Arg>,
    /// The source expression it implements.
    pub span: Span,
}

/// An item of the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// An instruction.
    Ins(Ins),
    /// A label, by number.
    Label(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum St0 {
    True,
    False,
    Unknown,
}

/// The instruction stream being built.
pub struct Emitter {
    /// Everything emitted so far.
    pub items: Vec<Item>,
    st0: St0,
    /// The operations a `test` is owed for, from the first to the last (its span).
    owed: Option<Span>,
    labels: u32,
}

impl Default for Emitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Emitter {
    /// An empty stream.
    pub fn new() -> Self {
        Emitter {
            items: Vec::new(),
            st0: St0::True,
            owed: None,
            labels: 0,
        }
    }

    /// A fresh label number.
    pub fn new_label(&mut self) -> u32 {
        self.labels += 1;
        self.labels
    }

    fn push(
        &mut self,
        mnemonic: &'static str,
        flag: Option<&'static str>,
        args: Vec<Arg>,
        span: Span,
    ) {
        self.items.push(Item::Ins(Ins {
            mnemonic,
            flag,
            args,
            span,
        }));
    }

    /// Makes `st0` true if it may not be (a failure owed stays owed).
    fn make_true(&mut self, span: Span) {
        match self.st0 {
            St0::True => {}
            St0::False => self.push("inv", None, vec![Arg::St0], span),
            St0::Unknown => self.push(
                "eq",
                Some("n"),
                vec![Arg::Fixed(8, 0), Arg::Fixed(8, 0)],
                span,
            ),
        }
        self.st0 = St0::True;
    }

    /// Pays an owed `test` and makes `st0` true: the state at a block boundary.
    fn settle(&mut self, span: Span) {
        self.pay_test();
        self.make_true(span);
    }

    /// Emits the owed `test`, mapped to the operations it checks.
    fn pay_test(&mut self) {
        if let Some(owed) = self.owed.take() {
            self.push("test", None, vec![], owed);
        }
    }

    /// An instruction that neither reads nor writes `st0` on defined operands.
    pub fn plain(
        &mut self,
        mnemonic: &'static str,
        flag: Option<&'static str>,
        args: Vec<Arg>,
        span: Span,
    ) {
        self.push(mnemonic, flag, args, span);
    }

    /// An instruction that may fail: it clears `st0`, which a later `test` checks.
    pub fn fallible(
        &mut self,
        mnemonic: &'static str,
        flag: Option<&'static str>,
        args: Vec<Arg>,
        span: Span,
    ) {
        self.make_true(span);
        self.push(mnemonic, flag, args, span);
        self.owed = Some(self.owed.map_or(span, |o| o.to(span)));
    }

    /// A comparison: writes `st0`, so an owed `test` is paid first.
    pub fn compare(
        &mut self,
        mnemonic: &'static str,
        flag: Option<&'static str>,
        args: Vec<Arg>,
        span: Span,
    ) {
        self.pay_test();
        self.push(mnemonic, flag, args, span);
        self.st0 = St0::Unknown;
    }

    /// `inv st0`, right after a comparison.
    pub fn invert(&mut self, span: Span) {
        self.push("inv", None, vec![Arg::St0], span);
        self.st0 = match self.st0 {
            St0::True => St0::False,
            St0::False => St0::True,
            St0::Unknown => St0::Unknown,
        };
    }

    /// `orequire`, right after a comparison: the run is valid only where
    /// `st0` holds, and `st0` is true after it.
    pub fn require(&mut self, span: Span) {
        self.push("orequire", None, vec![], span);
        self.st0 = St0::True;
    }

    /// `st.s a8[..]`: the comparison's result as 0 or 1.
    pub fn store_st0(&mut self, dst: VReg, span: Span) {
        self.push("st", Some("s"), vec![Arg::Reg(dst)], span);
    }

    /// `jif label`, right after a comparison; the fall-through has `st0` false.
    pub fn jump_if(&mut self, label: u32, span: Span) {
        self.push("jif", None, vec![Arg::Label(label)], span);
        self.st0 = St0::False;
    }

    /// `jmp label`.
    pub fn jump(&mut self, label: u32, span: Span) {
        self.settle(span);
        self.push("jmp", None, vec![Arg::Label(label)], span);
    }

    /// Places a label; every path into it has `st0` true.
    pub fn label(&mut self, label: u32, span: Span) {
        self.settle(span);
        self.items.push(Item::Label(label));
    }

    /// A call, return or stop: a block boundary.
    pub fn control(&mut self, mnemonic: &'static str, args: Vec<Arg>, span: Span) {
        self.settle(span);
        self.push(mnemonic, None, args, span);
    }

    /// `fail`: the run ends here, failed; what follows is reached only by a jump.
    pub fn fail(&mut self, span: Span) {
        self.push("fail", None, vec![], span);
        self.owed = None;
        self.st0 = St0::True;
    }
}
