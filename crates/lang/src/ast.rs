//! The checked program: every expression typed, every name resolved.

use avm_asm::Span;
use avm_intent::{Constraint, Domain};
use num_bigint::BigInt;

use crate::types::{IntType, Type};

/// A checked program: its functions in definition order (a function only
/// calls functions defined before it) and which one is `main`.
#[derive(Clone, Debug)]
pub struct Program {
    /// Every function, in definition order.
    pub functions: Vec<Function>,
    /// The index of `main` in `functions`.
    pub main: usize,
}

/// A checked function.
#[derive(Clone, Debug)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Its parameters, as locals `0..params.len()`.
    pub params: Vec<Type>,
    /// The type of its result.
    pub ret: Type,
    /// Its body.
    pub body: Expr,
    /// The type of every local, parameters first, by [`LocalId`].
    pub locals: Vec<Type>,
    /// The `define` form.
    pub span: Span,
}

/// A local variable: an index into [`Function::locals`].
pub type LocalId = usize;

/// A typed expression with its span.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Its type.
    pub ty: Type,
    /// Where it was written.
    pub span: Span,
}

/// Binary integer operations, each with its Alu instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+` (checked) and `+%` (wrapping): `add`.
    Add {
        /// Modulo 2^w instead of failing on overflow.
        wrapping: bool,
    },
    /// `-` and `-%`: `sub`.
    Sub {
        /// Modulo 2^w instead of failing on overflow.
        wrapping: bool,
    },
    /// `*` and `*%`: `mul`.
    Mul {
        /// Modulo 2^w instead of failing on overflow.
        wrapping: bool,
    },
    /// `/`, rounding toward zero: `div`, checked (zero divisor, `MIN / -1`).
    Div,
    /// `rem`, with the sign of the dividend: `rem`; a zero divisor fails.
    Rem,
    /// `bit-and`.
    And,
    /// `bit-or`.
    Or,
    /// `bit-xor`.
    Xor,
    /// `shl`: an amount of the width or more gives 0.
    Shl,
    /// `shr`: logical for unsigned types, arithmetic (`sar`) for signed ones.
    Shr,
}

/// Integer comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// Unary integer operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `(- x)`, signed types only, checked: `neg.c`.
    Neg,
    /// `(abs x)`, signed types only, checked: `abs.c`.
    Abs,
    /// `(bit-not x)`: `not`.
    BitNot,
}

/// The kinds of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// An integer constant of the expression's type.
    Int(BigInt),
    /// `true` or `false`.
    Bool(bool),
    /// The unit value (an empty `begin`, a `when` whose test is false).
    Unit,
    /// A float constant of the expression's format: the literal's text,
    /// rounded to the format (to nearest) when the library is built.
    Float(String),
    /// A float operation: the instruction, its rounding flag, the operands.
    FloatOp {
        /// e.g. `add`, `sqrt`, `min`.
        mnemonic: &'static str,
        /// The rounding, e.g. `n` (none for `neg abs min max rem`).
        flag: Option<&'static str>,
        /// The operands, of the expression's format.
        args: Vec<Expr>,
    },
    /// A conversion to or from a float, to the expression's type, rounded by `flag`.
    Convert(&'static str, Box<Expr>),
    /// A modular or prime-field operation on operands of the expression's type.
    Field(&'static FieldForm, Vec<Expr>),
    /// A byte-string constant, `"text"` or `x"hex"`.
    Bytes(Vec<u8>),
    /// A byte-string, digest or signature form.
    Prim(&'static PrimForm, Vec<Expr>),
    /// A local variable's value.
    Local(LocalId),
    /// A binary operation on two operands of the expression's type (`Shl`/`Shr`: any amount type).
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A unary operation.
    Unary(UnOp, Box<Expr>),
    /// A comparison of two operands of one type.
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// Logical negation.
    Not(Box<Expr>),
    /// Short-circuit conjunction.
    And(Box<Expr>, Box<Expr>),
    /// Short-circuit disjunction.
    Or(Box<Expr>, Box<Expr>),
    /// `(if c then else)`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Sequential bindings, then the body.
    Let(Vec<(LocalId, Expr)>, Box<Expr>),
    /// Each in turn; the value of the last.
    Begin(Vec<Expr>),
    /// `(set! x e)`.
    Set(LocalId, Box<Expr>),
    /// `(while c body)`.
    While(Box<Expr>, Box<Expr>),
    /// `(for (i from to) body)`: `i` from `from` to `to`, both included.
    For {
        /// The counter.
        var: LocalId,
        /// Its first value.
        from: Box<Expr>,
        /// Its last value.
        to: Box<Expr>,
        /// The body.
        body: Box<Expr>,
    },
    /// A call of the function with that index.
    Call(usize, Vec<Expr>),
    /// `(as T e)`: zero-extends an unsigned, sign-extends a signed value; fails if it does not fit.
    Cast(IntType, Box<Expr>),
    /// `(assert c)`: the run fails unless `c`.
    Assert(Box<Expr>),
    /// An object-runtime form, one OBJ extension instruction; every operand is `u64`.
    Host(&'static HostForm, Vec<Expr>),
    /// `(tx controller body ...)`: begins a transaction with that controller,
    /// runs the body, and commits; the value says whether it committed.
    Tx(Box<Expr>, Box<Expr>),
    /// An intent form (docs/intents.md): one of the OBJ extension's intent
    /// instructions, on these operands.
    Intent(IntentOp, Vec<Expr>),
}

/// The intent forms and what each compiles to. Chosen values, bounds and
/// quantities are `i64`; kinds and offers are `bytes`; a finite-domain
/// variable is a `var`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntentOp {
    /// `(choose (range lo hi))`: `ochoose` between the operands `lo` and `hi`.
    ChooseRange,
    /// `(choose (one-of v ...))`: `ochooses` over this constant domain.
    ChooseIn(Domain),
    /// `(require c)`: `c` into `st0`, then `orequire`.
    Require,
    /// `(new-var domain)`: `onewvar`, a handle to a variable of this domain.
    NewVar(Domain),
    /// `(narrow v domain)`: `onarrow` on the operand `v`, then `orequire`.
    Narrow(Domain),
    /// `(post c)`: `opost`, then `orequire`. The checker writes the
    /// constraint's variables as the local ids of the `var` names it uses;
    /// [`crate::handles`] renumbers them to the handles those variables have
    /// at run time before code is generated.
    Post(Box<Constraint>),
    /// `(label v)`: `olabel`, the value of the operand `v`.
    Label,
    /// `(consume kind q)` (`oconsume`) and `(produce kind q)` (`oproduce`).
    Flow {
        /// `produce`: the intent creates the resource.
        create: bool,
    },
    /// `(offer o)`: `ooffer`, the intent spends the use-once offer `o`.
    Offer,
}

impl IntentOp {
    /// Whether the form makes a variable, and so takes the next handle.
    pub fn makes_variable(&self) -> bool {
        matches!(
            self,
            IntentOp::ChooseRange | IntentOp::ChooseIn(_) | IntentOp::NewVar(_)
        )
    }
}

/// What a byte-string, digest or signature form gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrimResult {
    /// A value of this type in the instruction's destination register.
    Value(Type),
    /// A digest: the instruction writes the `r` register of this width, read
    /// big-endian, which is copied into an integer of the result type.
    Digest(u16, IntType),
    /// A `bool`, the instruction's `st0` (the signature checks).
    Status,
}

/// A byte-string, digest or signature form and the Alu instruction it compiles to.
#[derive(Debug, PartialEq, Eq)]
pub struct PrimForm {
    /// The form's name, e.g. `sha256`.
    pub name: &'static str,
    /// The instruction, e.g. `sha256`.
    pub mnemonic: &'static str,
    /// The operands' types.
    pub operands: &'static [Type],
    /// What it gives.
    pub result: PrimResult,
}

const BYTES: Type = Type::Bytes;
const U16: Type = Type::Int(IntType::new(16, false));
const U256: IntType = IntType::new(256, false);

const fn prim(
    name: &'static str,
    mnemonic: &'static str,
    operands: &'static [Type],
    result: PrimResult,
) -> PrimForm {
    PrimForm {
        name,
        mnemonic,
        operands,
        result,
    }
}

/// Every byte-string, digest and signature form.
pub const PRIM_FORMS: [PrimForm; 11] = [
    prim("bytes-len", "len", &[BYTES], PrimResult::Value(U16)),
    prim("concat", "cat", &[BYTES, BYTES], PrimResult::Value(BYTES)),
    prim(
        "slice",
        "extr",
        &[BYTES, U16, U16],
        PrimResult::Value(BYTES),
    ),
    prim("sha256", "sha256", &[BYTES], PrimResult::Digest(256, U256)),
    prim(
        "sha512",
        "sha512",
        &[BYTES],
        PrimResult::Digest(512, IntType::new(512, false)),
    ),
    prim("blake3", "blake3", &[BYTES], PrimResult::Digest(256, U256)),
    prim(
        "keccak256",
        "keccak256",
        &[BYTES],
        PrimResult::Digest(256, U256),
    ),
    prim(
        "ripemd160",
        "ripemd160",
        &[BYTES],
        PrimResult::Digest(160, U256),
    ),
    prim(
        "ed25519-verify",
        "ed25519",
        &[BYTES, BYTES, BYTES],
        PrimResult::Status,
    ),
    prim(
        "schnorr-verify",
        "schnorr",
        &[BYTES, BYTES, BYTES],
        PrimResult::Status,
    ),
    prim(
        "ecdsa-verify",
        "ecdsa",
        &[BYTES, BYTES, BYTES],
        PrimResult::Status,
    ),
];

/// Where a modular or field form computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldDomain {
    /// Modulo its last operand, on `u128 u256 u512 u1024`, in the `r` registers of that
    /// width (the operands are copied there and the result back).
    Modular,
    /// The Goldilocks field (p = 2^64 - 2^32 + 1) on `u64`, in the `a64` registers.
    Goldilocks,
    /// The field p = 2^255 - 19 on `u256`, in `r256` registers.
    F25519,
}

/// A modular or field form and the Alu instruction it compiles to (docs/modular.md).
#[derive(Debug, PartialEq, Eq)]
pub struct FieldForm {
    /// The form's name, e.g. `mulmod`.
    pub name: &'static str,
    /// The instruction, e.g. `mulmod`.
    pub mnemonic: &'static str,
    /// How many operands it takes (all of the result's type).
    pub arity: usize,
    /// Where it computes.
    pub domain: FieldDomain,
}

const fn field(
    name: &'static str,
    mnemonic: &'static str,
    arity: usize,
    domain: FieldDomain,
) -> FieldForm {
    FieldForm {
        name,
        mnemonic,
        arity,
        domain,
    }
}

/// Every modular and field form.
pub const FIELD_FORMS: [FieldForm; 15] = [
    field("addmod", "addmod", 3, FieldDomain::Modular),
    field("submod", "submod", 3, FieldDomain::Modular),
    field("mulmod", "mulmod", 3, FieldDomain::Modular),
    field("powmod", "powmod", 3, FieldDomain::Modular),
    field("invmod", "invmod", 2, FieldDomain::Modular),
    field("gl-add", "addgl", 2, FieldDomain::Goldilocks),
    field("gl-sub", "subgl", 2, FieldDomain::Goldilocks),
    field("gl-mul", "mulgl", 2, FieldDomain::Goldilocks),
    field("gl-neg", "neggl", 1, FieldDomain::Goldilocks),
    field("gl-inv", "invgl", 1, FieldDomain::Goldilocks),
    field("f25519-add", "add25519", 2, FieldDomain::F25519),
    field("f25519-sub", "sub25519", 2, FieldDomain::F25519),
    field("f25519-mul", "mul25519", 2, FieldDomain::F25519),
    field("f25519-neg", "neg25519", 1, FieldDomain::F25519),
    field("f25519-inv", "inv25519", 1, FieldDomain::F25519),
];

/// What an object-runtime form gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostResult {
    /// A `u64` in the instruction's destination register.
    Value,
    /// Nothing.
    Unit,
    /// A `bool`, the instruction's `st0`.
    Status,
}

/// An object-runtime form and the OBJ instruction it compiles to (docs/objects.md).
#[derive(Debug, PartialEq, Eq)]
pub struct HostForm {
    /// The form's name, e.g. `state-get`.
    pub name: &'static str,
    /// The instruction, e.g. `oget`.
    pub mnemonic: &'static str,
    /// The operands' types: `u64` (ids, state keys and values) or `bytes` (a behaviour).
    pub operands: &'static [Type],
    /// What it gives.
    pub result: HostResult,
}

const fn host(
    name: &'static str,
    mnemonic: &'static str,
    operands: &'static [Type],
    result: HostResult,
) -> HostForm {
    HostForm {
        name,
        mnemonic,
        operands,
        result,
    }
}

const U64: Type = Type::Int(IntType::new(64, false));

/// Every object-runtime form.
pub const HOST_FORMS: [HostForm; 15] = [
    host("self", "oself", &[], HostResult::Value),
    host("sender", "osender", &[], HostResult::Value),
    host("input", "oinput", &[], HostResult::Value),
    host("machine", "omachine", &[], HostResult::Value),
    host("controller", "octl", &[], HostResult::Value),
    host("state-len", "olen", &[], HostResult::Value),
    host("state-get", "oget", &[U64], HostResult::Value),
    host("state-set!", "oset", &[U64, U64], HostResult::Unit),
    host("call", "ocall", &[U64, U64], HostResult::Value),
    host("create", "ocreate", &[BYTES], HostResult::Value),
    host("create-with", "ocreatec", &[BYTES, U64], HostResult::Value),
    host("destroy", "odestroy", &[U64], HostResult::Status),
    host("begin-tx", "obegin", &[], HostResult::Value),
    host("commit", "ocommit", &[U64], HostResult::Status),
    host("abort", "oabort", &[U64], HostResult::Unit),
];

impl Expr {
    /// Whether the expression (or one inside it) calls a function.
    pub fn has_call(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e.kind, ExprKind::Call(..)));
        found
    }

    /// Whether the expression (or one inside it) assigns a variable.
    pub fn has_set(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e.kind, ExprKind::Set(..)));
        found
    }

    /// Whether the expression assigns the local `id` (`set!`).
    pub fn assigns(&self, id: LocalId) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e.kind, ExprKind::Set(x, _) if x == id));
        found
    }

    /// Calls `f` on this expression and every one inside it.
    pub fn visit(&self, f: &mut dyn FnMut(&Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Int(_)
            | ExprKind::Bool(_)
            | ExprKind::Unit
            | ExprKind::Bytes(_)
            | ExprKind::Float(_)
            | ExprKind::Local(_) => {}
            ExprKind::FloatOp { args, .. } | ExprKind::Field(_, args) => {
                args.iter().for_each(|e| e.visit(f))
            }
            ExprKind::Convert(_, a) => a.visit(f),
            ExprKind::Binary(_, a, b)
            | ExprKind::Compare(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::While(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            ExprKind::Unary(_, a)
            | ExprKind::Not(a)
            | ExprKind::Set(_, a)
            | ExprKind::Cast(_, a)
            | ExprKind::Assert(a) => a.visit(f),
            ExprKind::If(c, t, e) => {
                c.visit(f);
                t.visit(f);
                e.visit(f);
            }
            ExprKind::Let(binds, body) => {
                binds.iter().for_each(|(_, e)| e.visit(f));
                body.visit(f);
            }
            ExprKind::Begin(es)
            | ExprKind::Call(_, es)
            | ExprKind::Host(_, es)
            | ExprKind::Intent(_, es)
            | ExprKind::Prim(_, es) => es.iter().for_each(|e| e.visit(f)),
            ExprKind::Tx(c, body) => {
                c.visit(f);
                body.visit(f);
            }
            ExprKind::For { from, to, body, .. } => {
                from.visit(f);
                to.visit(f);
                body.visit(f);
            }
        }
    }
}
