//! The opcode table: the single source of truth of the instruction set.
//!
//! Each row names an opcode byte, the instruction's variant, mnemonic,
//! operand shape, family, complexity and a one-line meaning. The
//! [`Instr`] type, its decoder and encoder, the mnemonics the assembler
//! accepts, the complexity the interpreter charges and `docs/isa.md` all
//! come from this table.

use super::ext::ExtInstr;
use super::shape::*;

/// The instruction families, each executed by its own module.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Family {
    /// Jumps, calls and stops.
    Control,
    /// Constants, copies and conversions between registers.
    Movement,
    /// Comparisons; they write st0.
    Comparison,
    /// Integer arithmetic.
    Arithmetic,
    /// Bitwise logic, shifts and rotations.
    Bitwise,
    /// Byte-string operations.
    ByteString,
    /// Cryptographic digests of byte strings into R registers.
    Digest,
    /// Elliptic-curve signature checks (they write st0) and point arithmetic.
    Curve,
    /// Modular arithmetic on R registers.
    Modular,
    /// Prime-field arithmetic (the FGL64 and F25519 extensions).
    Field,
    /// Soft-float arithmetic on F registers.
    Float,
}

impl Family {
    /// Human-readable family name.
    pub fn name(self) -> &'static str {
        match self {
            Family::Control => "control",
            Family::Movement => "movement",
            Family::Comparison => "comparison",
            Family::Arithmetic => "integer arithmetic",
            Family::Bitwise => "bitwise",
            Family::ByteString => "byte strings",
            Family::Digest => "digests",
            Family::Curve => "elliptic curves",
            Family::Modular => "modular arithmetic",
            Family::Field => "prime fields",
            Family::Float => "float arithmetic",
        }
    }
}

/// How an instruction's complexity (gas) follows from its operands.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Cost {
    /// A fixed cost.
    Flat(u64),
    /// The cost times the number of 64-bit limbs of the widest operand.
    Linear(u64),
    /// The cost times the square of the number of 64-bit limbs.
    Quadratic(u64),
    /// A polynomial in the number of 64-bit limbs `l`: `c0 + c1 l + c2 l² + c3 l³`
    /// with the coefficients in order. Modular arithmetic has a fixed part
    /// that dominates narrow widths and a power of `l` that dominates wide ones.
    Poly([u64; 4]),
    /// A fixed cost plus, per 64 bytes of byte-string data the instruction
    /// reads or writes at run time, the second number of units.
    Bytes(u64, u64),
    /// A fixed cost plus [`FRAME`] for the call frame the instruction pushes
    /// (`routine`, `call`): a deep recursion pays for the stack it holds.
    Frame(u64),
}

/// The complexity of one call frame, charged by the instruction that pushes it
/// ([`Cost::Frame`]), on top of the instruction's own cost. A frame holds 16 bytes of
/// the call stack (a return site) until its `ret`; one unit per frame is four times the
/// rate byte-string data pays (one unit per 64 bytes), so the deepest stack any run may
/// hold (65535 frames, 1 MiB) costs 65535 units beyond its calls' dispatch.
pub const FRAME: u64 = 1;

/// One row of the opcode table.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// The opcode byte.
    pub opcode: u8,
    /// The mnemonic.
    pub mnemonic: &'static str,
    /// The operand template (see [`shape`](super::shape)).
    pub template: &'static str,
    /// Number of bytes including the opcode.
    pub len: usize,
    /// The family.
    pub family: Family,
    /// The complexity rule.
    pub cost: Cost,
    /// What the instruction does.
    pub doc: &'static str,
}

/// Opcode ranges allocated to families whose instructions are specified
/// elsewhere; until a release defines them, their opcodes decode as
/// [`Instr::Reserved`] and execute as `fail`.
pub const ALLOCATED: &[(u8, u8, &str)] = &[
    (0x94, 0x9F, "further float operations"),
    (0xA5, 0xA7, "further digests"),
    (0xC0, 0xFF, "host ISA extensions"),
];

/// A built-in ISA extension: an opcode range of this instruction set that
/// a library may use only if it lists the extension's id. The core (`ALU`)
/// is everything outside these ranges and below [`EXT_FIRST`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinIsa {
    /// The id a library lists.
    pub id: &'static str,
    /// First opcode of the range.
    pub first: u8,
    /// Last opcode of the range.
    pub last: u8,
    /// What the extension holds.
    pub what: &'static str,
}

/// The built-in ISA extensions. An instruction of one of these ranges in a
/// library that does not list the id executes as `fail`, like a reserved
/// opcode; decoding (and so disassembly) does not depend on the list.
pub const BUILTIN_ISA: &[BuiltinIsa] = &[
    BuiltinIsa {
        id: "FLOAT",
        first: 0x80,
        last: 0x9F,
        what: "soft-float arithmetic in F registers",
    },
    BuiltinIsa {
        id: "DIGEST",
        first: 0xA0,
        last: 0xA7,
        what: "cryptographic digests of byte strings",
    },
    BuiltinIsa {
        id: "CURVE",
        first: 0xA8,
        last: 0xAF,
        what: "secp256k1 and ed25519 signatures and points",
    },
    BuiltinIsa {
        id: "FGL64",
        first: 0xB0,
        last: 0xB7,
        what: "arithmetic in the Goldilocks field, p = 2^64 - 2^32 + 1",
    },
    BuiltinIsa {
        id: "F25519",
        first: 0xB8,
        last: 0xBF,
        what: "arithmetic in the field p = 2^255 - 19",
    },
];

/// The built-in extension whose range holds `opcode`, if any.
pub fn builtin_isa(opcode: u8) -> Option<&'static BuiltinIsa> {
    BUILTIN_ISA
        .iter()
        .find(|b| (b.first..=b.last).contains(&opcode))
}

/// Whether a template's first operand (after its flag) takes `op`'s kind of
/// register; `false` when either is not a register.
fn first_operand_fits(template: &str, op: Option<&Operand>) -> bool {
    let first = template
        .split("),")
        .map(str::trim)
        .find(|t| !t.starts_with("flag"))
        .unwrap_or("");
    let kind = first.split('(').next().unwrap_or("").trim();
    match op {
        Some(Operand::A(_)) => kind.starts_with('a'),
        Some(Operand::F(_)) => kind == "f",
        Some(Operand::R(_)) => kind.starts_with('r') && kind != "range",
        Some(Operand::S(_)) => kind == "s",
        _ => false,
    }
}

/// First opcode of the range that host ISA extensions may claim.
pub const EXT_FIRST: u8 = 0xC0;

macro_rules! isa {
    ($(
        $op:literal $variant:ident $mnemonic:literal $shape:ident $family:ident $cost:expr, $doc:literal;
    )*) => {
        /// An instruction. Every byte string decodes to a sequence of these.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Instr {
            $(#[doc = $doc] $variant($shape),)*
            /// An opcode no row of the table defines, or one whose operand bits
            /// are not canonical; it is one byte long and executes as `fail`.
            Reserved(u8),
            /// An instruction of a host ISA extension.
            Ext(ExtInstr),
        }

        /// The opcode table, in opcode order.
        pub const OPCODES: &[OpInfo] = &[
            $(OpInfo {
                opcode: $op,
                mnemonic: $mnemonic,
                template: $shape::TEMPLATE,
                len: 1 + $shape::LEN,
                family: Family::$family,
                cost: $cost,
                doc: $doc,
            },)*
        ];

        impl Instr {
            /// The opcode byte.
            pub fn opcode(&self) -> u8 {
                match self {
                    $(Instr::$variant(_) => $op,)*
                    Instr::Reserved(op) => *op,
                    Instr::Ext(e) => e.opcode,
                }
            }

            /// The table row, for instructions of the core set.
            pub fn info(&self) -> Option<&'static OpInfo> {
                match self {
                    Instr::Reserved(_) | Instr::Ext(_) => None,
                    _ => OPCODES.iter().find(|i| i.opcode == self.opcode()),
                }
            }

            /// Decodes the core instruction with opcode `op` from the operand bytes
            /// that follow it; `None` if no row has this opcode or the operands
            /// are not canonical.
            pub fn decode_core(op: u8, operands: &[u8]) -> Option<(Instr, usize)> {
                match op {
                    $($op => $shape::decode(operands).map(|s| (Instr::$variant(s), 1 + $shape::LEN)),)*
                    _ => None,
                }
            }

            /// Appends the instruction's bytes.
            pub fn encode(&self, out: &mut Vec<u8>) {
                out.push(self.opcode());
                match self {
                    $(Instr::$variant(s) => s.encode(out),)*
                    Instr::Reserved(_) => {}
                    Instr::Ext(e) => out.extend_from_slice(e.operands()),
                }
            }

            /// The mnemonic.
            pub fn mnemonic(&self) -> &'static str {
                match self {
                    $(Instr::$variant(_) => $mnemonic,)*
                    Instr::Reserved(_) => "reserved",
                    Instr::Ext(_) => "ext",
                }
            }

            /// The flag suffix, if any.
            pub fn suffix(&self) -> Option<&'static str> {
                match self {
                    $(Instr::$variant(s) => s.suffix(),)*
                    Instr::Reserved(_) | Instr::Ext(_) => None,
                }
            }

            /// The operands as written in assembly (empty for reserved and
            /// extension instructions, which print their raw bytes).
            pub fn operands(&self) -> Vec<Operand> {
                let mut out = Vec::new();
                match self {
                    $(Instr::$variant(s) => s.operands(&mut out),)*
                    Instr::Reserved(_) | Instr::Ext(_) => {}
                }
                out
            }

            /// Builds the core instruction of the row with opcode `op` from its
            /// flag suffix and operands.
            pub fn from_opcode(op: u8, suffix: Option<&str>, operands: &[Operand]) -> Result<Instr, ShapeError> {
                match op {
                    $($op => $shape::from_operands(suffix, operands).map(Instr::$variant),)*
                    _ => Err(ShapeError(format!("no instruction has opcode {op:#04x}"))),
                }
            }

            /// Builds a core instruction from its mnemonic, flag suffix and
            /// operands, trying every row with that mnemonic.
            pub fn from_parts(mnemonic: &str, suffix: Option<&str>, operands: &[Operand]) -> Result<Instr, ShapeError> {
                let mut errors: Vec<(&'static str, ShapeError)> = Vec::new();
                $(
                    if mnemonic == $mnemonic {
                        match $shape::from_operands(suffix, operands) {
                            Ok(s) => return Ok(Instr::$variant(s)),
                            Err(e) => errors.push(($shape::TEMPLATE, e)),
                        }
                    }
                )*
                // Of several forms, the only one whose first operand has the kind
                // given explains the error best (`add` on A or on F registers).
                if errors.len() > 1 {
                    let fitting: Vec<usize> = (0..errors.len())
                        .filter(|&i| first_operand_fits(errors[i].0, operands.first()))
                        .collect();
                    if let [i] = fitting[..] {
                        return Err(errors.remove(i).1);
                    }
                }
                match errors.len() {
                    0 => Err(ShapeError(format!("unknown instruction `{mnemonic}`"))),
                    1 => Err(errors.remove(0).1),
                    _ => Err(ShapeError(format!(
                        "no form of `{mnemonic}` takes these operands; its forms are: {}",
                        errors.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" | ")
                    ))),
                }
            }
        }
    };
}

isa! {
    // Control.
    0x00 Fail "fail" Nullary Control Cost::Flat(1), "st0 := false; stop.";
    0x01 Test "test" Nullary Control Cost::Flat(1), "If st0 is false, stop (the run fails); otherwise do nothing.";
    0x02 Jmp "jmp" Pos Control Cost::Flat(2), "Jump to a code offset; counts one jump in cy0.";
    0x03 Jif "jif" Pos Control Cost::Flat(2), "Jump to a code offset if st0 is true; a taken jump counts in cy0.";
    0x04 Routine "routine" Pos Control Cost::Frame(3), "Push the next instruction's site on the call stack and jump; counts in cy0.";
    0x05 Call "call" Site Control Cost::Frame(4), "Push the next instruction's site and jump into an imported library; counts in cy0.";
    0x06 Exec "exec" Site Control Cost::Flat(3), "Jump into an imported library without returning; counts in cy0.";
    0x07 Ret "ret" Nullary Control Cost::Flat(2), "Return to the site on top of the call stack; with an empty stack, stop.";
    0x08 Stop "stop" Nullary Control Cost::Flat(1), "Stop; the run ends with st0 as it is.";
    0x09 Nop "nop" Nullary Control Cost::Flat(1), "Do nothing.";
    // Movement.
    0x10 ClrA "clr" A1 Movement Cost::Flat(1), "Make an integer register undefined.";
    0x11 ClrF "clr" F1 Movement Cost::Flat(1), "Make a float register undefined.";
    0x12 ClrR "clr" R1 Movement Cost::Flat(1), "Make a wide register undefined.";
    0x13 ClrS "clr" S1 Movement Cost::Flat(1), "Make a byte-string register undefined.";
    0x14 PutA "put" AData Movement Cost::Linear(2), "Load the register's width of little-endian bytes from the data segment; past its end: undefined, st0 := false.";
    0x15 PutF "put" FData Movement Cost::Linear(2), "Load a float's bits from the data segment; past its end, or bits that are no number (NaN): undefined, st0 := false.";
    0x16 PutR "put" RData Movement Cost::Linear(2), "Load a wide register from the data segment; past its end: undefined, st0 := false.";
    0x17 PutS "put" SData Movement Cost::Bytes(2, 1), "Load a byte string from a data range; past its end: undefined, st0 := false.";
    0x18 PutifA "putif" AData Movement Cost::Linear(2), "Like put, but only if the register is undefined.";
    0x19 PutifF "putif" FData Movement Cost::Linear(2), "Like put, but only if the register is undefined.";
    0x1A PutifR "putif" RData Movement Cost::Linear(2), "Like put, but only if the register is undefined.";
    0x1B MovA "mov" A2 Movement Cost::Linear(1), "Move: dst := src, then src becomes undefined.";
    0x1C DupA "dup" A2 Movement Cost::Linear(1), "Duplicate: dst := src.";
    0x1D SwpA "swp" A2 Movement Cost::Linear(1), "Swap two registers.";
    0x1E MovF "mov" F2 Movement Cost::Linear(1), "Move: dst := src, then src becomes undefined.";
    0x1F DupF "dup" F2 Movement Cost::Linear(1), "Duplicate: dst := src.";
    0x20 SwpF "swp" F2 Movement Cost::Linear(1), "Swap two registers.";
    0x21 MovR "mov" R2 Movement Cost::Linear(1), "Move: dst := src, then src becomes undefined.";
    0x22 DupR "dup" R2 Movement Cost::Linear(1), "Duplicate: dst := src.";
    0x23 SwpR "swp" R2 Movement Cost::Linear(1), "Swap two registers.";
    0x24 MovS "mov" S2 Movement Cost::Flat(1), "Move: dst := src, then src becomes undefined.";
    0x25 DupS "dup" S2 Movement Cost::Bytes(1, 1), "Duplicate: dst := src.";
    0x26 SwpS "swp" S2 Movement Cost::Flat(1), "Swap two registers.";
    0x27 CpyA "cpy" AA Movement Cost::Linear(1), "Copy as unsigned between widths (zero-extend); a value that does not fit: undefined, st0 := false.";
    0x28 CnvA "cnv" AA Movement Cost::Linear(1), "Copy as signed between widths (sign-extend); a value that does not fit: undefined, st0 := false.";
    0x29 CpyR "cpy" RR Movement Cost::Linear(1), "Copy between wide widths (zero-extend); a value that does not fit: undefined, st0 := false.";
    0x2A CpyRA "cpy" RA Movement Cost::Linear(1), "Copy an integer register into a wide one (zero-extend); too big: undefined, st0 := false.";
    0x2B CpyAR "cpy" AR Movement Cost::Linear(1), "Copy a wide register into an integer one (zero-extend); too big: undefined, st0 := false.";
    0x2C St "st" StMerge Movement Cost::Linear(1), "Merge st0 into a register (see the flag).";
    0x2D Inv "inv" St0 Movement Cost::Flat(1), "st0 := not st0.";
    0x2E CpySR "cpy" SR Movement Cost::Linear(1), "dst := the wide register as a big-endian byte string of its width (the encoding digests and keys use).";
    0x2F CpyRS "cpy" RS Movement Cost::Linear(1), "dst := the byte string read as a big-endian number; longer than the register: undefined, st0 := false.";
    // Comparison.
    0x30 GtA "gt" A2Sign Comparison Cost::Linear(1), "st0 := a > b; false if either is undefined.";
    0x31 LtA "lt" A2Sign Comparison Cost::Linear(1), "st0 := a < b; false if either is undefined.";
    0x32 EqA "eq" A2Eq Comparison Cost::Linear(1), "st0 := a == b; two undefined values are equal only with `.n`.";
    0x33 GtR "gt" R2 Comparison Cost::Linear(1), "st0 := a > b (unsigned); false if either is undefined.";
    0x34 LtR "lt" R2 Comparison Cost::Linear(1), "st0 := a < b (unsigned); false if either is undefined.";
    0x35 EqR "eq" R2Eq Comparison Cost::Linear(1), "st0 := a == b; two undefined values are equal only with `.n`.";
    0x36 IfzA "ifz" A1 Comparison Cost::Linear(1), "st0 := the register is defined and zero.";
    0x37 IfzR "ifz" R1 Comparison Cost::Linear(1), "st0 := the register is defined and zero.";
    0x38 IfnA "ifn" A1 Comparison Cost::Flat(1), "st0 := the register is undefined.";
    0x39 IfnF "ifn" F1 Comparison Cost::Flat(1), "st0 := the register is undefined.";
    0x3A IfnR "ifn" R1 Comparison Cost::Flat(1), "st0 := the register is undefined.";
    0x3B IfnS "ifn" S1 Comparison Cost::Flat(1), "st0 := the register is undefined.";
    0x3C EqS "eq" S2Eq Comparison Cost::Bytes(1, 1), "st0 := a == b; two undefined values are equal only with `.n`.";
    // Integer arithmetic on R registers (unsigned), continued at 0x49.
    0x3D IncR "inc" RStep Arithmetic Cost::Linear(1), "reg := reg + step (1..=256), unsigned; overflow when checked: undefined, st0 := false.";
    0x3E DecR "dec" RStep Arithmetic Cost::Linear(1), "reg := reg - step (1..=256), unsigned; below zero when checked: undefined, st0 := false.";
    0x3F NegR "neg" R2 Arithmetic Cost::Linear(1), "dst := (2^w - src) mod 2^w, the two's complement; never fails.";
    // Integer arithmetic.
    0x40 Add "add" A3Int Arithmetic Cost::Linear(1), "dst := a + b; overflow when checked: undefined, st0 := false.";
    0x41 Sub "sub" A3Int Arithmetic Cost::Linear(1), "dst := a - b; overflow when checked: undefined, st0 := false.";
    0x42 Mul "mul" A3Int Arithmetic Cost::Quadratic(2), "dst := a * b; overflow when checked: undefined, st0 := false.";
    0x43 Div "div" A3Int Arithmetic Cost::Quadratic(4), "dst := a / b rounded toward zero; b = 0: undefined, st0 := false; signed MIN / -1 overflows.";
    0x44 Rem "rem" A3Sign Arithmetic Cost::Quadratic(4), "dst := a rem b with the sign of a; b = 0: undefined, st0 := false.";
    0x45 Neg "neg" A2Wrap Arithmetic Cost::Linear(1), "dst := -src (two's complement); checked MIN: undefined, st0 := false.";
    0x46 Abs "abs" A2Wrap Arithmetic Cost::Linear(1), "dst := |src| (two's complement); checked MIN: undefined, st0 := false.";
    0x47 Inc "inc" AStep Arithmetic Cost::Linear(1), "reg := reg + step (1..=256); overflow when checked: undefined, st0 := false.";
    0x48 Dec "dec" AStep Arithmetic Cost::Linear(1), "reg := reg - step (1..=256); overflow when checked: undefined, st0 := false.";
    0x49 AddR "add" R3Int Arithmetic Cost::Linear(1), "dst := a + b, unsigned; overflow when checked: undefined, st0 := false.";
    0x4A SubR "sub" R3Int Arithmetic Cost::Linear(1), "dst := a - b, unsigned; below zero when checked: undefined, st0 := false.";
    0x4B MulR "mul" R3Int Arithmetic Cost::Quadratic(2), "dst := a * b, unsigned; overflow when checked: undefined, st0 := false.";
    0x4C DivR "div" R3 Arithmetic Cost::Quadratic(4), "dst := a / b, unsigned, rounded down; b = 0: undefined, st0 := false.";
    0x4D RemR "rem" R3 Arithmetic Cost::Quadratic(4), "dst := a mod b, unsigned; b = 0: undefined, st0 := false.";
    // Bitwise.
    0x50 And "and" A3 Bitwise Cost::Linear(1), "dst := a & b.";
    0x51 Or "or" A3 Bitwise Cost::Linear(1), "dst := a | b.";
    0x52 Xor "xor" A3 Bitwise Cost::Linear(1), "dst := a ^ b.";
    0x53 Not "not" A2 Bitwise Cost::Linear(1), "dst := !src.";
    0x54 Shl "shl" AShift Bitwise Cost::Linear(1), "dst := src << amt; an amount of the width or more gives 0.";
    0x55 Shr "shr" AShift Bitwise Cost::Linear(1), "dst := src >> amt, logical; an amount of the width or more gives 0.";
    0x56 Sar "sar" AShift Bitwise Cost::Linear(1), "dst := src >> amt, arithmetic (sign-filling); large amounts give 0 or -1.";
    0x57 Rol "rol" AShift Bitwise Cost::Linear(1), "dst := src rotated left by amt modulo the width.";
    0x58 Ror "ror" AShift Bitwise Cost::Linear(1), "dst := src rotated right by amt modulo the width.";
    0x59 Rev "rev" A2 Bitwise Cost::Linear(1), "dst := src with its bits in reverse order.";
    0x5A AndR "and" R3 Bitwise Cost::Linear(1), "dst := a & b.";
    0x5B OrR "or" R3 Bitwise Cost::Linear(1), "dst := a | b.";
    0x5C XorR "xor" R3 Bitwise Cost::Linear(1), "dst := a ^ b.";
    0x5D NotR "not" R2 Bitwise Cost::Linear(1), "dst := !src.";
    0x5E ShlR "shl" RShift Bitwise Cost::Linear(1), "dst := src << amt; an amount of the width or more gives 0.";
    0x5F ShrR "shr" RShift Bitwise Cost::Linear(1), "dst := src >> amt, logical; an amount of the width or more gives 0.";
    0x60 RolR "rol" RShift Bitwise Cost::Linear(1), "dst := src rotated left by amt modulo the width.";
    0x61 RorR "ror" RShift Bitwise Cost::Linear(1), "dst := src rotated right by amt modulo the width.";
    0x62 RevR "rev" R2 Bitwise Cost::Linear(1), "dst := src with its bits in reverse order.";
    // Modular arithmetic.
    0x63 AddMod "addmod" RMod Modular Cost::Poly(MOD_MUL), "dst := (a + b) mod m, exact; m = 0: undefined, st0 := false.";
    0x64 SubMod "submod" RMod Modular Cost::Poly(MOD_MUL), "dst := (a - b) mod m, exact, in 0 .. m-1; m = 0: undefined, st0 := false.";
    0x65 MulMod "mulmod" RMod Modular Cost::Poly(MOD_MUL), "dst := (a * b) mod m, exact (double-width product); m = 0: undefined, st0 := false.";
    0x66 PowMod "powmod" RMod Modular Cost::Poly(MOD_POW), "dst := a^b mod m by square-and-multiply over the bits of b (0^0 = 1); m = 0: undefined, st0 := false.";
    0x67 InvMod "invmod" RInv Modular Cost::Poly(MOD_INV), "dst := x in 0 .. m-1 with src * x = 1 mod m; m = 0 or gcd(src, m) != 1: undefined, st0 := false.";
    // Byte strings.
    0x70 Fill "fill" SFill ByteString Cost::Bytes(2, 1), "Set bytes [off, off+len) of dst to byte, growing dst (undefined counts as empty); off > len(dst) or a result over 65535 bytes: undefined, st0 := false.";
    0x71 Len "len" SLen ByteString Cost::Flat(1), "dst := the length of src.";
    0x72 Cnt "cnt" SCount ByteString Cost::Bytes(2, 1), "dst := how many times byte occurs in src.";
    0x73 Cat "cat" S3 ByteString Cost::Bytes(2, 1), "dst := a ++ b; over 65535 bytes: undefined, st0 := false.";
    0x74 Find "find" SFind ByteString Cost::Bytes(4, 1), "dst := offset of the first occurrence of needle in hay; none: undefined, st0 := false.";
    0x75 Extr "extr" SRange ByteString Cost::Bytes(2, 1), "dst := src[off .. off+len]; out of range: undefined, st0 := false.";
    0x76 Inj "inj" SAt ByteString Cost::Bytes(2, 1), "Overwrite dst from off with src, growing it; off > len(dst) or over 65535 bytes: undefined, st0 := false.";
    0x77 Join "join" S4 ByteString Cost::Bytes(2, 1), "dst := a ++ sep ++ b; over 65535 bytes: undefined, st0 := false.";
    0x78 Splt "splt" SSplit ByteString Cost::Bytes(2, 1), "head := src[..off], tail := src[off..]; off > len(src): both undefined, st0 := false.";
    0x79 Ins "ins" SAt ByteString Cost::Bytes(2, 1), "Insert src into dst at off; off > len(dst) or over 65535 bytes: undefined, st0 := false.";
    0x7A Del "del" SDel ByteString Cost::Bytes(2, 1), "Remove dst[off .. off+len]; out of range: undefined, st0 := false.";
    0x7B RevS "rev" S2 ByteString Cost::Bytes(1, 1), "dst := src with its bytes in reverse order.";
    // Float arithmetic (the FLOAT extension).
    0x80 AddF "add" F3Round Float Cost::Linear(FLOAT_ADD), "dst := a + b, rounded.";
    0x81 SubF "sub" F3Round Float Cost::Linear(FLOAT_ADD), "dst := a - b, rounded.";
    0x82 MulF "mul" F3Round Float Cost::Quadratic(FLOAT_MUL), "dst := a * b, rounded.";
    0x83 DivF "div" F3Round Float Cost::Quadratic(FLOAT_DIV), "dst := a / b, rounded; x / 0 for x != 0 is an infinity with the sign of x times that of 0.";
    0x84 FmaF "fma" F4Round Float Cost::Quadratic(FLOAT_FMA), "dst := a * b + c, rounded once.";
    0x85 RemF "rem" F3 Float Cost::Quadratic(FLOAT_DIV), "dst := a - n * b, n the integer nearest a / b (ties to even): the IEEE remainder, always exact; b = 0 or a infinite: undefined, st0 := false.";
    0x86 SqrtF "sqrt" F2Round Float Cost::Quadratic(FLOAT_DIV), "dst := the square root of src, rounded; sqrt(-0) = -0; below zero: undefined, st0 := false.";
    0x87 NegF "neg" F2 Float Cost::Linear(FLOAT_OTHER), "dst := -src (flips the sign, zeros too).";
    0x88 AbsF "abs" F2 Float Cost::Linear(FLOAT_OTHER), "dst := |src| (clears the sign).";
    0x89 MinF "min" F3 Float Cost::Linear(FLOAT_OTHER), "dst := the smaller of a and b; of -0 and +0, -0.";
    0x8A MaxF "max" F3 Float Cost::Linear(FLOAT_OTHER), "dst := the larger of a and b; of -0 and +0, +0.";
    0x8B RndF "rnd" F2Round Float Cost::Linear(FLOAT_OTHER), "dst := src rounded to an integral value in the direction of the flag (keeps the sign of a zero).";
    0x8C GtF "gt" F2Cmp Float Cost::Linear(FLOAT_OTHER), "st0 := a > b; false if either is undefined.";
    0x8D LtF "lt" F2Cmp Float Cost::Linear(FLOAT_OTHER), "st0 := a < b; false if either is undefined.";
    0x8E EqF "eq" F2Eq Float Cost::Linear(FLOAT_OTHER), "st0 := a == b (`.e`, -0 == +0) or a and b are equal or adjacent finite values (`.ulp`); false if either is undefined.";
    0x8F CnvF "cnv" FF Float Cost::Linear(FLOAT_OTHER), "dst := src rounded into dst's format.";
    0x90 CpyFA "cpy" FA Float Cost::Linear(FLOAT_OTHER), "dst := the unsigned integer src, rounded.";
    0x91 CnvFA "cnv" FA Float Cost::Linear(FLOAT_OTHER), "dst := the signed (two's complement) integer src, rounded.";
    0x92 CpyAF "cpy" AF Float Cost::Linear(FLOAT_OTHER), "dst := src rounded to an integer (the flag's direction) as unsigned; below zero, infinite or too big: undefined, st0 := false.";
    0x93 CnvAF "cnv" AF Float Cost::Linear(FLOAT_OTHER), "dst := src rounded to an integer (the flag's direction) as signed; infinite or out of range: undefined, st0 := false.";
    // Digests.
    0xA0 Sha256 "sha256" Digest256 Digest Cost::Bytes(DIGEST_BASE, DIGEST_BLOCK), "dst := SHA-256(src) (FIPS 180-4); the register's value is the digest read big-endian.";
    0xA1 Sha512 "sha512" Digest512 Digest Cost::Bytes(DIGEST_BASE, DIGEST_BLOCK), "dst := SHA-512(src) (FIPS 180-4); the register's value is the digest read big-endian.";
    0xA2 Ripemd160 "ripemd160" Digest160 Digest Cost::Bytes(DIGEST_BASE, DIGEST_BLOCK), "dst := RIPEMD-160(src); the register's value is the digest read big-endian.";
    0xA3 Blake3 "blake3" Digest256 Digest Cost::Bytes(DIGEST_BASE, BLAKE3_BLOCK), "dst := BLAKE3(src), 32-byte output, unkeyed; the register's value is the digest read big-endian.";
    0xA4 Keccak256 "keccak256" Digest256 Digest Cost::Bytes(DIGEST_BASE, DIGEST_BLOCK), "dst := Keccak-256(src) (Ethereum's, pre-FIPS-202 padding); the register's value is the digest read big-endian.";
    // Elliptic curves.
    0xA8 Ecdsa "ecdsa" SigCheck Curve Cost::Bytes(SECP256K1_VERIFY, 1), "st0 := the secp256k1 ECDSA signature sig (r ‖ s, 64 bytes big-endian, low s) is valid for the 32-byte prehash msg and the SEC1 public key (33 or 65 bytes).";
    0xA9 Schnorr "schnorr" SigCheck Curve Cost::Bytes(SECP256K1_VERIFY, 1), "st0 := the BIP-340 Schnorr signature sig (64 bytes) is valid for msg (any length) and the 32-byte x-only secp256k1 public key.";
    0xAA Ed25519 "ed25519" SigCheck Curve Cost::Bytes(ED25519_VERIFY, 1), "st0 := the Ed25519 signature sig (64 bytes) is valid for msg (any length) and the 32-byte public key under RFC 8032 with strict checks.";
    // Curve points (exec/point.rs).
    0xAB Pgen "pgen" PointGen Curve Cost::Flat(POINT_GEN), "dst := k·G, the generator times the scalar k (the register's value modulo the group order).";
    0xAC Padd "padd" PointAdd Curve Cost::Flat(POINT_ADD), "dst := a + b; an invalid point: undefined, st0 := false.";
    0xAD Pneg "pneg" PointNeg Curve Cost::Flat(POINT_NEG), "dst := -src; an invalid point: undefined, st0 := false.";
    0xAE Pmul "pmul" PointMul Curve Cost::Flat(POINT_MUL), "dst := k·src (k modulo the group order); an invalid point: undefined, st0 := false.";
    0xAF Pchk "pchk" PointChk Curve Cost::Flat(POINT_NEG), "st0 := src is defined and a valid point encoding of the curve.";
    // The Goldilocks field, p = 2^64 - 2^32 + 1, in a64 registers (FGL64).
    0xB0 PutGl "putgl" GlData Field Cost::Flat(2), "Load 8 little-endian bytes from the data segment; past its end or a value >= p: undefined, st0 := false.";
    0xB1 MovGl "movgl" Gl2 Field Cost::Flat(1), "dst := src (a copy); src >= p: undefined, st0 := false.";
    0xB2 EqGl "eqgl" GlEq Field Cost::Flat(1), "st0 := a == b, both defined and below p.";
    0xB3 AddGl "addgl" Gl3 Field Cost::Flat(1), "dst := (a + b) mod p; an operand >= p: undefined, st0 := false.";
    0xB4 SubGl "subgl" Gl3 Field Cost::Flat(1), "dst := (a - b) mod p; an operand >= p: undefined, st0 := false.";
    0xB5 MulGl "mulgl" Gl3 Field Cost::Flat(GL_MUL), "dst := (a * b) mod p; an operand >= p: undefined, st0 := false.";
    0xB6 NegGl "neggl" Gl2 Field Cost::Flat(1), "dst := (p - src) mod p (so 0 stays 0); src >= p: undefined, st0 := false.";
    0xB7 InvGl "invgl" Gl2 Field Cost::Flat(GL_INV), "dst := src^-1 mod p; src = 0 or src >= p: undefined, st0 := false.";
    // The field p = 2^255 - 19, in r256 registers (F25519).
    0xB8 Put25519 "put25519" FeData Field Cost::Flat(8), "Load 32 little-endian bytes from the data segment; past its end or a value >= p: undefined, st0 := false.";
    0xB9 Mov25519 "mov25519" Fe2 Field Cost::Flat(4), "dst := src (a copy); src >= p: undefined, st0 := false.";
    0xBA Eq25519 "eq25519" FeEq Field Cost::Flat(4), "st0 := a == b, both defined and below p.";
    0xBB Add25519 "add25519" Fe3 Field Cost::Flat(FE_ADD), "dst := (a + b) mod p; an operand >= p: undefined, st0 := false.";
    0xBC Sub25519 "sub25519" Fe3 Field Cost::Flat(FE_ADD), "dst := (a - b) mod p; an operand >= p: undefined, st0 := false.";
    0xBD Mul25519 "mul25519" Fe3 Field Cost::Flat(FE_MUL), "dst := (a * b) mod p; an operand >= p: undefined, st0 := false.";
    0xBE Neg25519 "neg25519" Fe2 Field Cost::Flat(FE_ADD), "dst := (p - src) mod p (so 0 stays 0); src >= p: undefined, st0 := false.";
    0xBF Inv25519 "inv25519" Fe2 Field Cost::Flat(FE_INV), "dst := src^-1 mod p; src = 0 or src >= p: undefined, st0 := false.";
}

/// Units per limb of a float addition or subtraction. An integer `add` (1
/// unit) takes about 3 ns. With the machine-word working integers (the
/// float benchmark, `cargo bench -p avm-bench --features softfloat --bench
/// float`, thread CPU time on a loaded 2-core machine) an f64 `add` takes
/// about 33 ns, f128 68 ns, f256 220 ns: 11, 23 and 74 units' worth,
/// charged 32, 64 and 128.
pub const FLOAT_ADD: u64 = 32;

/// Units per squared limb of a float multiplication (f64 about 22 ns, f128
/// 57 ns, f256 194 ns; charged 16, 64 and 256 units).
pub const FLOAT_MUL: u64 = 16;

/// Units per squared limb of a float division, remainder or square root.
/// Kept from the `bnum` core (f64 `sqrt` then about 930 ns; the dearest
/// case, an f256 `rem` across the whole exponent range, about 9.7 us, is
/// charged 5120 units): division and roots of f80 and wider still divide
/// in `bnum` (f128 `sqrt` about 840 ns with the fast path, f64 `div` 52 ns).
pub const FLOAT_DIV: u64 = 320;

/// Units per squared limb of a fused multiply-add (f64 about 34 ns, f128
/// 69 ns, f256 264 ns; charged 24, 96 and 384 units).
pub const FLOAT_FMA: u64 = 24;

/// Units per limb of the other float instructions: sign changes, min/max,
/// rounding to integral, comparisons and conversions. Not re-measured with
/// the fast path; conversions still compute in 1024-bit `bnum` integers
/// (the core before it: an f64 `add`, the model for these, took about 850 ns).
pub const FLOAT_OTHER: u64 = 256;

/// Static complexity of a digest, before its per-64-byte part: the cost of
/// finalizing (one or two compressions) relative to a simple instruction.
pub const DIGEST_BASE: u64 = 8;

/// Units per 64-byte block of SHA-2, RIPEMD-160 and Keccak. A simple
/// instruction costs 1-2 units for ~3 ns; a software SHA-256 block (no
/// SHA extensions, the slowest host we must not undercharge) takes ~200 ns
/// and with them ~40 ns, so 32 units keeps every host paid.
pub const DIGEST_BLOCK: u64 = 32;

/// Units per 64-byte block of BLAKE3, about four times faster than SHA-256
/// in portable code.
pub const BLAKE3_BLOCK: u64 = 8;

/// Static complexity of a secp256k1 signature check, `ecdsa` or `schnorr`
/// (see `exec/curve.rs` for the measurement).
pub const SECP256K1_VERIFY: u64 = 9000;

/// Static complexity of an Ed25519 signature check.
pub const ED25519_VERIFY: u64 = 3000;

/// Complexity of `mulmod` (and of `addmod`, `submod`, whose two reductions
/// cost about as much): 256 + 16 l². Measured (docs/modular.md): 343 ns at
/// r128, 717 ns at r256, 5.1 us at r1024, 285 us at r8192, which is about
/// 300 ns + 17 ns l², and a unit is about 2 ns.
pub const MOD_MUL: [u64; 4] = [256, 0, 16, 0];

/// Complexity of `powmod`: up to two `mulmod` for each of the 64 l bits of
/// the exponent, 128 l (256 + 16 l²).
pub const MOD_POW: [u64; 4] = [0, 128 * MOD_MUL[0], 0, 128 * MOD_MUL[2]];

/// Complexity of `invmod`: the extended Euclidean algorithm, at most about
/// 1.44 steps per bit of the modulus, each a division whose cost falls with
/// the shrinking remainders. Measured: 6.5 us at r128, 33 us at r256, 59 ms
/// at r8192 (about 1800 units l²), with a margin for the worst case
/// (consecutive Fibonacci numbers take 2.5 times the average steps).
pub const MOD_INV: [u64; 4] = [0, 4096, 4096, 0];

/// Complexity of a Goldilocks multiplication (a 128-bit product reduced).
pub const GL_MUL: u64 = 4;

/// Complexity of a Goldilocks inverse (extended Euclid on 64-bit words;
/// measured 343 ns, with a margin for the worst case).
pub const GL_INV: u64 = 512;

/// Complexity of an addition, subtraction or negation modulo 2^255 - 19.
pub const FE_ADD: u64 = 8;

/// Complexity of a multiplication modulo 2^255 - 19 (measured 205 ns).
pub const FE_MUL: u64 = 128;

/// Complexity of an inverse modulo 2^255 - 19 (extended Euclid; measured
/// 28 us, with a margin for the worst case).
pub const FE_INV: u64 = 32768;
/// Static complexity of `pgen`, a generator multiply (see `exec/point.rs`
/// for the measurement).
pub const POINT_GEN: u64 = 2600;

/// Static complexity of `padd`: decoding two points, one addition, encoding.
pub const POINT_ADD: u64 = 1600;

/// Static complexity of `pneg` and `pchk`: decoding (and for `pneg`
/// encoding) one point, which costs a field square root.
pub const POINT_NEG: u64 = 1300;

/// Static complexity of `pmul`, a variable-base scalar multiply.
pub const POINT_MUL: u64 = 5000;
