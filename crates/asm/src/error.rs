//! Every message the syntax layer can report, in one place.

use thiserror::Error;

/// What went wrong; the span and file are added by [`crate::Diagnostic`].
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub(crate) enum SyntaxError {
    #[error("unexpected character `{0}`")]
    UnexpectedChar(char),
    #[error("unterminated string literal")]
    UnterminatedString,
    #[error("unknown escape `\\{0}` in string literal")]
    UnknownEscape(char),
    #[error("`\\x` must be followed by two hex digits")]
    BadHexEscape,
    #[error("invalid character `{0}` in hex string")]
    BadHexStringChar(char),
    #[error("odd number of hex digits in hex string")]
    OddHexDigits,
    #[error("invalid digit `{0}` in {1} literal")]
    BadDigit(char, &'static str),
    #[error("{0} literal has no digits")]
    NoDigits(&'static str),
    #[error("integer literal does not fit in 8192 bits")]
    IntTooLarge,
    #[error("underscores are not allowed in float literals")]
    FloatUnderscore,
    #[error("there is no NaN in avm; use an undefined register")]
    NaN,
    #[error("expected {expected}, found {found}")]
    Expected {
        expected: &'static str,
        found: String,
    },
    #[error("mnemonic `{0}` must be lowercase")]
    UppercaseMnemonic(String),
    #[error("an instruction takes at most two flags")]
    TooManyFlags,
    #[error("unknown register `{0}`")]
    UnknownRegister(String),
    #[error("register index out of range: `{name}` has indices 0..={max}")]
    RegIndexRange { name: String, max: u8 },
    #[error("unknown directive `.{0}`")]
    UnknownDirective(String),
    #[error("`.isa` needs at least one extension id")]
    EmptyIsa,
    #[error("invalid ISA extension id `{0}`: expected 2 to 8 characters of A-Z and 0-9, starting with a letter")]
    BadIsaId(String),
    #[error("invalid library id `{0}`: expected bech32m text starting with `alu1`")]
    BadLibId(String),
    #[error("`{0}` is a reserved word and cannot be used as a name")]
    ReservedName(String),
    #[error("duplicate definition of `{0}`")]
    Duplicate(String),
    #[error("duplicate {what} `{name}`")]
    DuplicateUse { what: &'static str, name: String },
}
