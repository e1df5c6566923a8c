//! `docs/isa.md`, rendered from the opcode table so the reference cannot
//! drift from the decoder, the assembler or the complexity the VM charges.
//!
//! ```
//! let md = avm_alu::isa::doc::markdown();
//! assert!(md.contains("| `0x40` | `add.{uc,uw,sc,sw} aN[dst], aN[a], aN[b]`"));
//! ```

use super::flags::{
    Flag, FloatEqFlag, FloatFlags, IntFlags, MergeFlag, NoneEqFlag, RoundFlag, SignFlag, UIntFlags,
    WrapFlag,
};
use super::opcode::{
    Cost, Family, Instr, OpInfo, ALLOCATED, BUILTIN_ISA, EXT_FIRST, FRAME, OPCODES,
};
use crate::reg::{AWidth, FFormat, RWidth};
use core::fmt::Write;

/// The whole of `docs/isa.md`.
pub fn markdown() -> String {
    let mut md = String::new();
    md.push_str(INTRO);
    registers(&mut md);
    md.push_str(ENCODING);
    codes(&mut md);
    flags(&mut md);
    opcodes(&mut md);
    allocated(&mut md);
    builtin(&mut md);
    md.push_str(SEMANTICS);
    md.push_str(MODULAR);
    md
}

const INTRO: &str = "\
# The Alu instruction set

<!-- Generated from crates/alu/src/isa/opcode.rs by `avm_alu::isa::doc::markdown()`.
     Do not edit: run `UPDATE_DOCS=1 cargo test -p avm-alu --test isa_doc`. -->

Alu is a register machine without exceptions: every byte string is a program, no
instruction traps, and every run ends, bounded by its jump counter and its complexity.
An operation that cannot be done makes its destination undefined and clears `st0`.

";

fn registers(md: &mut String) {
    md.push_str("## Registers\n\n");
    md.push_str("| file | registers | holds |\n|---|---|---|\n");
    let names = |bits: Vec<String>| bits.join(", ");
    let _ = writeln!(
        md,
        "| A | {} | integers, 32 per width: `a64[0]` .. `a64[31]`; unsigned or two's complement as the instruction says |",
        names(AWidth::ALL.iter().map(|w| format!("`a{}`", w.bits())).collect())
    );
    let _ = writeln!(
        md,
        "| F | {} | floats, 32 per format: IEEE binary16/32/64/128/256, bfloat16 and x87 80-bit extended, never NaN (see *Floats* below) |",
        names(
            FFormat::ALL
                .iter()
                .map(|f| format!("`{}`", f.name()))
                .collect()
        )
    );
    let _ = writeln!(
        md,
        "| R | {} | wide unsigned integers (digests, keys, moduli, field elements), 32 per width |",
        names(
            RWidth::ALL
                .iter()
                .map(|w| format!("`r{}`", w.bits()))
                .collect()
        )
    );
    let _ = writeln!(
        md,
        "| S | `s[0]` .. `s[15]` | byte strings of 0 to {} bytes |",
        crate::registers::S_MAX_LEN
    );
    md.push_str(
        "\nEvery A, F, R and S register may be *undefined*; a fresh VM has every register \
         undefined. The control registers are:\n\n\
         - `st0`: the status, a boolean; true at the start, cleared by a failing operation, \
         written by comparisons. The run's result is `st0` when it stops.\n\
         - `cy0`: the jump counter; every jump, taken `jif`, `routine`, `call` and `exec` \
         counts one. A run stops (failing) before the jump that would exceed the host's \
         limit, 65535 by default.\n\
         - `ca0`: the complexity accumulator (gas). Each instruction adds its cost (the table \
         below); a run stops (failing) before the instruction that would exceed the host's \
         limit, so `ca0` never exceeds it.\n\
         - `cs0`/`cp0`: the call stack of return sites and its depth; a call that would \
         exceed the host's depth (1024 by default, and never more than 65535 frames whatever \
         the host asks, so the stack stays within 1 MiB) stops the run, failing. Each frame \
         costs one unit of complexity beyond the instruction itself (*frame* in the table), \
         charged with the `routine` or `call` that pushes it, so a recursion pays for the \
         stack it holds: 16 bytes a frame, four times the rate of byte-string data.\n\n",
    );
}

const ENCODING: &str = "\
## Encoding

- An instruction is an **opcode byte** followed by its **operand fields**, packed
  least-significant bit first into the bytes after the opcode, in the order of the
  instruction's template (below). A register operand is its width or format code (3 bits,
  written once, at the first register that uses it) followed by its index (5 bits; 4 bits
  for `s`). A flag suffix is the first field. Code positions are 16 bits, import indexes
  8 bits, data offsets and lengths 16 bits, steps 8 bits (the step minus one).
- The operand bytes are the fields rounded up to whole bytes; the rounding bits
  (**padding**) must be zero.
- A field code that names nothing (float format 7), non-zero padding, or an opcode no row
  defines makes the instruction a one-byte **reserved** instruction, which executes as
  `fail`. So decoding is total, and **encoding is canonical**: every instruction has
  exactly one byte string, and re-encoding decoded bytes gives the same bytes.
- The code segment (at most 65535 bytes) reads as if **zero-extended to 2^16 bytes**: an
  instruction cut by the end of the code reads zeros, and executing past the end reads
  opcode `0x00`, which is `fail`. Any offset is a valid jump target, the middle of an
  instruction included: decoding starts there.
- Opcodes `0xC0`..`0xFF` belong to host ISA extensions a library commits to by id; an
  extension says how many operand bytes (at most 7) each of its opcodes takes.

";

fn codes(md: &mut String) {
    md.push_str("### Field codes\n\n| code | A width | R width | F format |\n|---|---|---|---|\n");
    for code in 0..8u8 {
        let f = FFormat::from_code(code)
            .map_or("*(reserved)*".to_string(), |f| format!("`{}`", f.name()));
        let _ = writeln!(
            md,
            "| {code} | `a{}` | `r{}` | {f} |",
            AWidth::from_code(code).bits(),
            RWidth::from_code(code).bits()
        );
    }
    md.push('\n');
}

fn flag_rows<F: Flag>(md: &mut String, meaning: impl Fn(&str) -> &'static str) {
    for s in F::SUFFIXES {
        let _ = writeln!(md, "| `.{s}` | {} |", meaning(s));
    }
}

fn flags(md: &mut String) {
    md.push_str(
        "## Flag suffixes\n\nA flag follows the mnemonic after a dot. Its code is its position \
         in the lists below.\n\n",
    );
    md.push_str(
        "Integer arithmetic (`add sub mul div inc dec`):\n\n| suffix | meaning |\n|---|---|\n",
    );
    flag_rows::<IntFlags>(md, |s| {
        match s {
        "uc" => "unsigned, checked: a result outside 0 .. 2^w-1 makes the destination undefined and clears `st0`",
        "uw" => "unsigned, wrapped: the result modulo 2^w (never undefined for `add sub mul`)",
        "sc" => "signed (two's complement), checked: a result outside -2^(w-1) .. 2^(w-1)-1 is undefined and clears `st0`",
        _ => "signed, wrapped: the result modulo 2^w",
    }
    });
    md.push_str(
        "\nUnsigned arithmetic on R registers (`add sub mul inc dec` on `rN`):\n\n\
         | suffix | meaning |\n|---|---|\n",
    );
    flag_rows::<UIntFlags>(md, |s| match s {
        "uc" => {
            "checked: a result outside 0 .. 2^w-1 makes the destination undefined and clears `st0`"
        }
        _ => "wrapped: the result modulo 2^w",
    });
    md.push_str("\nComparison and remainder (`gt lt rem`):\n\n| suffix | meaning |\n|---|---|\n");
    flag_rows::<SignFlag>(md, |s| match s {
        "u" => "the operands are unsigned",
        _ => "the operands are signed (two's complement)",
    });
    md.push_str("\nNegation and absolute value (`neg abs`):\n\n| suffix | meaning |\n|---|---|\n");
    flag_rows::<WrapFlag>(md, |s| match s {
        "c" => {
            "checked: the minimum signed value has no negation; it gives undefined and clears `st0`"
        }
        _ => "wrapped: the minimum signed value maps to itself",
    });
    md.push_str("\nEquality (`eq`):\n\n| suffix | meaning |\n|---|---|\n");
    flag_rows::<NoneEqFlag>(md, |s| match s {
        "e" => "undefined equals nothing, not even undefined",
        _ => "two undefined values are equal",
    });
    md.push_str("\nMerging `st0` into a register (`st`):\n\n| suffix | meaning |\n|---|---|\n");
    flag_rows::<MergeFlag>(md, |s| match s {
        "s" => "set: the register becomes 1 if `st0`, else 0",
        "a" => "add: the register plus 1 if `st0`, wrapping; undefined counts as 0",
        "n" => "and: 1 if the register is defined and non-zero and `st0` is true, else 0",
        _ => "or: 1 if the register is defined and non-zero or `st0` is true, else 0",
    });
    md.push_str(
        "\nCurve points (`pgen padd pneg pmul pchk`):\n\n| suffix | meaning |\n|---|---|\n",
    );
    flag_rows::<super::flags::CurveFlag>(md, |s| match s {
        "secp" => "secp256k1: points are SEC1 byte strings",
        _ => "edwards25519 (Ed25519's curve): points are 32-byte compressed Edwards y",
    });
    md.push_str(
        "\nFloat rounding (`add sub mul div fma cnv cpy` into an F register; an overflow \
         is undefined and clears `st0` in every direction):\n\n\
         | suffix | meaning |\n|---|---|\n",
    );
    flag_rows::<FloatFlags>(md, |s| match s {
        "n" => "to nearest, ties to even (the assembler also reads `.nc`)",
        "z" => "toward zero (also `.zc`)",
        "d" => "down, toward -infinity (also `.dc`)",
        _ => "up, toward +infinity (also `.uc`)",
    });
    md.push_str(
        "\nFloat rounding without overflow (`sqrt rnd`, and `cnv cpy` into an A register):\n\n\
         | suffix | meaning |\n|---|---|\n",
    );
    flag_rows::<RoundFlag>(md, |s| match s {
        "n" => "to nearest, ties to even",
        "z" => "toward zero",
        "d" => "down, toward -infinity",
        _ => "up, toward +infinity",
    });
    md.push_str("\nFloat equality (`eq` on F registers):\n\n| suffix | meaning |\n|---|---|\n");
    flag_rows::<FloatEqFlag>(md, |s| {
        match s {
        "e" => "exactly equal values; -0 equals +0, an infinity equals itself",
        _ => "equal, or adjacent finite values of the format (one unit in the last place apart, across zero too)",
    }
    });
    md.push('\n');
}

/// The suffixes an opcode accepts, found by decoding every flag code (flags
/// are the first field, so their code is in the low bits of the first operand byte).
fn suffixes(op: u8) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for code in 0..8u8 {
        let mut bytes = [0u8; 8];
        bytes[0] = code;
        if let Some((instr, _)) = Instr::decode_core(op, &bytes) {
            if let Some(s) = instr.suffix() {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// One template element (`a (width, dst)`) written as assembly (`aN[dst]`).
fn operand(kind: &str, args: &[&str]) -> String {
    let size = |w: &str| match w {
        "dst_width" => "N",
        "src_width" => "M",
        "amt_width" => "K",
        "src_format" => "M",
        _ => "N",
    };
    match (kind, args) {
        ("a", [w, i]) => format!("a{}[{i}]", size(w)),
        ("r", [w, i]) => format!("r{}[{i}]", size(w)),
        ("f", [w, i]) => format!("f{}[{i}]", size(w)),
        ("s", [i]) => format!("s[{i}]"),
        ("a16", [i]) => format!("a16[{i}]"),
        ("r160", [i]) => format!("r160[{i}]"),
        ("r256", [i]) => format!("r256[{i}]"),
        ("r512", [i]) => format!("r512[{i}]"),
        ("a8", [i]) => format!("a8[{i}]"),
        ("a64", [i]) => format!("a64[{i}]"),
        ("pos", _) => "pos".into(),
        ("site", _) => "pos @ lib".into(),
        ("data", [o]) => format!("data[{o}]"),
        ("range", [o, l]) => format!("data[{o}..{o}+{l}]"),
        ("step", _) => "step".into(),
        ("st0", _) => "st0".into(),
        _ => format!("{kind}({})", args.join(", ")),
    }
}

/// The assembly form of a row: `add.{uc,uw,sc,sw} aN[dst], aN[a], aN[b]`.
pub fn syntax(info: &OpInfo) -> String {
    let mut out = info.mnemonic.to_string();
    let sfx = suffixes(info.opcode);
    if !sfx.is_empty() {
        let _ = write!(out, ".{{{}}}", sfx.join(","));
    }
    let mut ops = Vec::new();
    for part in info.template.split("),").filter(|p| !p.trim().is_empty()) {
        let (kind, args) = part.split_once('(').unwrap_or((part, ""));
        let kind = kind.trim();
        if kind == "flag" {
            continue;
        }
        let args: Vec<&str> = args
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect();
        ops.push(operand(kind, &args));
    }
    if !ops.is_empty() {
        out.push(' ');
        out.push_str(&ops.join(", "));
    }
    out
}

fn cost(c: Cost) -> String {
    match c {
        Cost::Flat(n) => format!("{n}"),
        Cost::Linear(n) => format!("{n} × limbs"),
        Cost::Quadratic(n) => format!("{n} × limbs²"),
        Cost::Poly(c) => {
            let terms: Vec<String> = ["", " × limbs", " × limbs²", " × limbs³"]
                .iter()
                .zip(c)
                .filter(|(_, n)| *n != 0)
                .map(|(power, n)| format!("{n}{power}"))
                .collect();
            terms.join(" + ")
        }
        Cost::Bytes(n, 1) => format!("{n} + bytes/64"),
        Cost::Bytes(n, k) => format!("{n} + {k} x bytes/64"),
        Cost::Frame(n) => format!("{n} + {FRAME} (frame)"),
    }
}

fn opcodes(md: &mut String) {
    md.push_str(
        "## Opcodes\n\n\
         In the forms, `N`, `M` and `K` stand for register widths (or a float format), each \
         chosen per instruction; operands named alike share one width. `pos` is a code \
         offset (a label in assembly), `lib` an index into the library's imports, `step` \
         1 to 256.\n\n\
         Complexity: *limbs* is the number of 64-bit words of the widest operand (1 for \
         widths up to 64 bits, 16 for 1024 bits, 128 for r8192); *bytes/64* is charged at \
         run time, one unit per whole 64 bytes of byte-string data the instruction \
         produced or scanned; *frame* is the call frame an instruction pushes, one unit \
         each.\n\n",
    );
    let mut family: Option<Family> = None;
    for info in OPCODES {
        if family != Some(info.family) {
            family = Some(info.family);
            let name = info.family.name();
            let mut title = name.to_string();
            title[..1].make_ascii_uppercase();
            let _ = write!(
                md,
                "### {title}\n\n| opcode | form | bytes | complexity | meaning |\n|---|---|---|---|---|\n"
            );
        }
        let _ = writeln!(
            md,
            "| `{:#04x}` | `{}` | {} | {} | {} |",
            info.opcode,
            syntax(info),
            info.len,
            cost(info.cost),
            info.doc.replace('|', "\\|")
        );
        if OPCODES
            .iter()
            .find(|i| i.opcode > info.opcode)
            .is_none_or(|next| next.family != info.family)
        {
            md.push('\n');
        }
    }
}

fn allocated(md: &mut String) {
    md.push_str(
        "## Allocated and reserved opcodes\n\n\
         Every opcode no row above defines is reserved: it decodes as a one-byte instruction \
         and executes as `fail`. These ranges are set aside for families a later release \
         specifies:\n\n| opcodes | for |\n|---|---|\n",
    );
    for (lo, hi, what) in ALLOCATED {
        let _ = writeln!(md, "| `{lo:#04x}`..`{hi:#04x}` | {what} |");
    }
    let _ = writeln!(
        md,
        "\nOpcodes from `{EXT_FIRST:#04x}` are defined only by the ISA extensions a library \
         commits to; a program does not start unless the host supports every extension \
         of every library in it.\n"
    );
}

fn builtin(md: &mut String) {
    md.push_str(
        "## Built-in ISA extensions\n\n\
         The core instruction set has the id `ALU`. These opcode ranges belong to built-in \
         extensions: a library uses them only if its ISA list names the extension (the \
         assembler adds the id when it assembles one of their instructions). In a library that \
         does not name it, an opcode of the range executes as a one-byte `fail`, like a \
         reserved opcode, so a library's id commits to every family it can run.\n\n\
         | id | opcodes | holds |\n|---|---|---|\n",
    );
    for b in BUILTIN_ISA {
        let _ = writeln!(
            md,
            "| `{}` | `{:#04x}`..`{:#04x}` | {} |",
            b.id, b.first, b.last, b.what
        );
    }
    md.push('\n');
}

const SEMANTICS: &str = "\
## Undefined values and st0

- An **undefined input** makes the destination undefined and leaves `st0` as it was
  (except for the comparisons, which write `st0`, and the instructions that say otherwise:
  `putif`, `st`, `fill`, `ifn`, `eq.n`).
- An **impossible operation** (checked overflow, division or remainder by zero, signed
  `MIN / -1` when checked, a conversion that loses bits, a byte string over 65535 bytes,
  an offset or range outside a byte string, `find` without a match, `put` past the end of
  the data segment) makes the destination undefined and clears `st0`.
- Nothing sets `st0` back to true except the comparisons, the signature checks,
  `pchk` and `inv`; a program checks a sequence of operations once, with `test` or `jif`, at the end.
- **Wrapped** arithmetic is modulo 2^w: it is never undefined for defined inputs (only
  division and remainder by zero fail).
- Shifts by the width or more give 0 (`sar`: 0 or -1, the sign); rotations are modulo the
  width. `div` rounds toward zero; `rem` has the sign of the dividend, and `MIN rem -1` is 0.
- `cpy` zero-extends and `cnv` sign-extends; narrowing keeps the value if it fits and
  otherwise is impossible.
- The run stops with `st0` false on `fail`, a failed `test`, a reserved opcode, a call
  through an import index the library lacks, and at the jump, call-stack and complexity
  limits. `stop`, and `ret` with an empty call stack, end it with `st0` as it is.

## Floats

- **Formats.** `bf16` (8-bit exponent, 8-bit precision), `f16`, `f32`, `f64`, `f128` and
  `f256` are IEEE 754 binary16/32/64/128/256 (`f256`: 19-bit exponent, 237-bit
  precision); `f80` is x87 extended precision (15-bit exponent, 64-bit significand with
  a stored integer bit). A register holds the encoding's bits, little-endian.
- **Correctly rounded, in software.** Every result is the exact result rounded once in the
  flag's direction, as IEEE 754 specifies, computed with integers only: the same bits on
  every machine. Underflow gives the subnormal (or zero) the rounding picks; x / 0 for
  x != 0 gives an infinity (sign: the signs of x and of the zero, multiplied).
- **No NaN.** An operation whose IEEE result is NaN (0/0, inf - inf, 0 * inf, sqrt of a
  number below zero, rem by zero or of an infinity) is impossible: the destination becomes
  undefined and `st0` false. An operand whose bits encode a NaN (loaded with `put`), or an
  x87 encoding that is no number (pseudo-NaN, pseudo-infinity, unnormal), is treated the
  same way. x87 pseudo-denormals read as their value; every result is canonical.
- **Overflow** (a rounded result beyond the largest finite value), in every direction,
  makes the destination undefined and clears `st0` (AluVM's rule), where IEEE 754 would
  give an infinity or the largest finite value. The once-checked spellings `.nc .zc .dc
  .uc` are assembler aliases of `.n .z .d .u`; the flag codes 4 to 7 are not instructions.
- **Comparisons** write `st0`: `-0` equals `+0`; an undefined or NaN operand gives false.
  `min`/`max` of `-0` and `+0` are `-0`/`+0`.
- **Conversions.** `cnv` between F formats rounds; `cpy`/`cnv` from an A register read it
  as unsigned/signed; `cpy`/`cnv` into an A register round to an integer in the flag's
  direction, then need it to fit the width as unsigned/signed (a negative value that
  rounds to zero fits `cpy`), else undefined and `st0` false.
- **Complexity** is per 64-bit limb of the widest operand (1 up to `f64`, 2 for
  `f80`/`f128`, 4 for `f256`, up to 16 for `a1024` in conversions), squared for products,
  quotients, remainders and roots.

## Digests and signature checks

- **Built-in extensions.** The digest (`0xA0`..) and elliptic-curve (`0xA8`..) families
  are the built-in extensions `DIGEST` and `CURVE`: every host runs them, and a library
  uses them only by listing their ids (the assembler does this), so its id commits to
  them. A later release may add rows in the ranges still allocated, never change these.
- **Byte order.** A digest instruction sets the R register to the digest read as a
  **big-endian** unsigned integer: the way ECDSA, BIP-340 and Ethereum turn a hash into
  a number, so `avm run` prints the register as the digest's usual hex and arithmetic
  on R registers sees the number the specifications mean. In the register's
  little-endian bytes (as `put` loads them and the host API returns them) the digest
  appears reversed: register byte *i* is digest byte *len − 1 − i*.
- **Digests never fail**: an undefined source makes the destination undefined and leaves
  `st0`; any defined string, the empty one included, has a digest. `keccak256` is the
  original Keccak (Ethereum's), not FIPS 202 SHA3-256; `blake3` is unkeyed with 32
  bytes of output.
- **Signature checks write `st0`** (like the comparisons): true only if every operand is
  defined, has the length the scheme requires and the signature is valid. Every other
  case (an undefined operand, a wrong length, a point not on the curve, a scalar out of
  range) makes `st0` false; no register changes.
  - `ecdsa`: `msg` is the 32-byte prehash (hash it first, e.g. with `sha256`), `sig` is
    *r* ‖ *s* (two 32-byte big-endian integers), `key` a SEC1 public key, compressed
    (33 bytes) or uncompressed (65 bytes). *s* must be at most *n*/2 (low-*s*, as
    Bitcoin's standardness rules and libsecp256k1 require), so no signature has two
    valid forms.
  - `schnorr`: BIP-340 over secp256k1; `key` is the 32-byte x-only key, `sig` 64 bytes,
    `msg` of any length (32 bytes in Taproot).
  - `ed25519`: RFC 8032 Ed25519 with strict checks (`verify_strict`): `key` 32 bytes,
    `sig` 64 bytes, `msg` of any length; small-order keys and R points and
    non-canonical encodings are rejected.
- **Complexity.** The bytes/64 part counts every byte read: the source of a digest; the
  message, signature and key of a check. The flat part of a check is its measured time
  relative to `sha256` of 64 bytes (9 units): about 1000 times for secp256k1, 330 times
  for Ed25519.

## Curve points

- **Points are byte strings** in S registers, in each curve's standard encoding, so
  they move, compare with `eq.s`, hash, and feed the signature checks unchanged.
  - `.secp` (secp256k1): SEC1. Read: compressed (33 bytes, `02`/`03` ‖ x),
    uncompressed (65 bytes, `04` ‖ x ‖ y), or the point at infinity as the one byte
    `00`. Written: always compressed, or `00` for infinity, so equal points have equal
    strings. Hybrid (`06`/`07`) and other forms are not points. A BIP-340 x-only key
    is the compressed point without its `02`.
  - `.ed` (edwards25519): the 32-byte compressed Edwards y with the sign of x in the
    top bit (RFC 8032, as Ed25519 public keys). Only canonical encodings are points
    (y < p; no sign bit when x = 0); the identity is `01 00 .. 00`. Points with a
    small-order component are points of the curve and are accepted; multiplying by
    the group order *l* tells them apart.
- **Scalars** are r256 registers: the register's value modulo the group order (*n* for
  secp256k1, *l* for edwards25519), so any defined value, a digest included, is a
  scalar. A scalar is a number: the big-endian hex `avm run` prints, not the
  little-endian bytes of an Ed25519 secret.
- **Undefined and invalid.** An undefined operand makes the destination undefined and
  leaves `st0`; an S operand that is not a point of the curve makes it undefined and
  clears `st0`. `pchk` writes `st0`: true only for a defined, valid point.
- **Complexity** is flat, from the measured time of each operation relative to
  `sha256` of 64 bytes, as for the signature checks (see the table).
";

const MODULAR: &str = "\
## Modular arithmetic

- `addmod submod mulmod powmod invmod` work on R registers of one width and compute the
  **exact** mathematical result modulo `m` (the last operand): operands of any size are
  reduced modulo `m` first, sums and products are formed without overflow (a
  double-width product for `mulmod`), and the result is always in `0 .. m-1`.
- `m = 0` is impossible: the destination becomes undefined and `st0` is cleared. So is
  `invmod` of a value that shares a factor with `m` (0 included, for `m > 1`). Modulo 1
  every result is 0, the inverse included.
- `powmod` raises to the whole exponent `b` (not reduced), with `0^0 = 1`; its
  complexity is charged for an exponent of the register's full width.
- An undefined operand gives an undefined destination and leaves `st0`.

## Prime fields

- Two built-in extensions: **`FGL64`**, the Goldilocks field p = 2^64 - 2^32 + 1
  (`0xFFFFFFFF00000001`) in `a64` registers, and **`F25519`**, the field p = 2^255 - 19 in
  `r256` registers. The prime is fixed by the extension id; a library that lists neither
  cannot run their opcodes.
- An element is a register value below p. Each instruction checks its operands: a
  defined operand at or above p (**non-canonical**) makes the destination undefined and
  clears `st0`; an undefined operand makes the destination undefined and leaves `st0`.
  `put` also fails past the end of the data segment.
- `add sub mul neg` are the field operations, always in `0 .. p-1` (the negation of 0
  is 0); `inv` gives the x with src * x = 1 mod p and fails for 0. `mov` copies (the
  source stays) and `eq` writes `st0`: true only if both operands are elements and equal.
- These instructions are meant to be proven by a later provable VM, so they have no
  flags, no carries and no other outputs.
";
