//! Every message lowering can report, in one place.

use thiserror::Error;

/// What went wrong while lowering; the span and file are added by [`crate::Diagnostic`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub(crate) enum LowerError {
    #[error("unknown mnemonic `{0}`")]
    UnknownMnemonic(String),
    #[error("{0}")]
    Shape(String),
    #[error("no form of `{mnemonic}` takes these operands; its forms are: {forms}")]
    NoForm { mnemonic: String, forms: String },
    #[error("expected {expected}, found {found}")]
    Expected { expected: String, found: String },
    #[error("`{0}` takes no flag suffix")]
    NoFlags(&'static str),
    #[error("undefined name `{0}`")]
    Undefined(String),
    #[error("undefined label `{0}`")]
    UndefinedLabel(String),
    #[error("unknown library `{0}`: it needs an `.import`")]
    UndefinedImport(String),
    #[error("library `{lib}` has no entry point `{name}`")]
    NoSuchEntry { lib: String, name: String },
    #[error("`{name}` is {is}, not {expected}")]
    WrongKind {
        name: String,
        is: &'static str,
        expected: &'static str,
    },
    #[error("{value} does not fit in {what}")]
    DoesNotFit { value: String, what: String },
    #[error("{what} is {len} bytes long, but `{reg}` reads {width}")]
    WrongLength {
        what: String,
        len: usize,
        reg: String,
        width: usize,
    },
    #[error("a float literal cannot be loaded into the integer register `{0}`")]
    FloatIntoInt(String),
    #[error("{0}")]
    Float(String),
    #[error("data range ends before it starts")]
    BackwardRange,
    #[error("the code segment exceeds 65535 bytes")]
    CodeTooLarge,
    #[error("the data segment exceeds 65535 bytes")]
    DataTooLarge,
    #[error("invalid library id: {0}")]
    BadLibId(String),
    #[error("{0}")]
    Import(String),
    #[error("library {id} is already imported as `{first}`")]
    DuplicateImport { id: String, first: String },
    #[error("too many {what}: at most {max}")]
    TooMany { what: &'static str, max: usize },
    #[error("`{0}` is not a valid entry name: 1 to 64 characters of A-Z, a-z, 0-9 and _")]
    BadEntryName(String),
    #[error("an extension opcode is in 0xc0..=0xff, not {0:#04x}")]
    ExtOpcode(u16),
    #[error("an extension instruction has at most {max} operand bytes, not {len}")]
    ExtOperands { len: usize, max: usize },
    #[error("invalid library: {0}")]
    Library(String),
}

impl LowerError {
    /// Whether this error may only be the consequence of a line that did not
    /// parse (a name defined there), so it is not reported beside syntax errors.
    pub(crate) fn may_follow_from_a_bad_line(&self) -> bool {
        matches!(
            self,
            LowerError::Undefined(_)
                | LowerError::UndefinedLabel(_)
                | LowerError::UndefinedImport(_)
        )
    }
}
