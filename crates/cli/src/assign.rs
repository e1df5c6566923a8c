//! `--set REG=VALUE`: initial register values given on the command line.
//!
//! | register | value |
//! | --- | --- |
//! | `a8[i]`..`a1024[i]` | an integer: `42`, `-1` (two's complement), `0xff`, `0b101`, `1_000` |
//! | `r128[i]`..`r8192[i]` | an unsigned integer, usually hex: `0xdead...` |
//! | `f32[i]`, `f64[i]` | a float `1.5`, `-2e3`, `inf`, or the raw bits `0x3ff0000000000000` |
//! | `bf16[i]`, `f16[i]`, `f80[i]`, `f128[i]`, `f256[i]` | the raw bits in hex or binary |
//! | `s[i]` | `"text"` with `\n \t \r \0 \\ \" \xNN`, `x"00 ff"`, or bare text taken verbatim |

use avm_alu::reg::{AWidth, FFormat, RWidth, RegA, RegF, RegR, RegS};
use avm_alu::registers::S_MAX_LEN;
use avm_alu::Reg;

/// One `--set`: a register and the little-endian bytes to put in it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Assignment {
    /// The register.
    pub reg: Reg,
    /// Its value, exactly the register's width (any length up to 65535 for S).
    pub bytes: Vec<u8>,
}

/// `--set`'s value parser for clap: [`parse`], with an error that quotes a long argument
/// only in part (clap's own message would repeat it whole).
#[derive(Clone, Copy, Debug)]
pub struct AssignmentParser;

impl clap::builder::TypedValueParser for AssignmentParser {
    type Value = Assignment;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Assignment, clap::Error> {
        let text = value.to_string_lossy();
        parse(&text).map_err(|e| {
            let flag = arg.map_or_else(|| "--set".to_owned(), ToString::to_string);
            let message = format!("invalid value '{}' for '{flag}': {e}\n", quote(&text));
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, message).with_cmd(cmd)
        })
    }
}

/// `text` as a message quotes it: whole if short, else its start and end.
fn quote(text: &str) -> String {
    avm_asm::shorten(text.to_owned(), avm_asm::MAX_MESSAGE)
}

/// Parses `REG=VALUE`; the error says what is wrong in one line (clap prefixes the argument).
pub fn parse(arg: &str) -> Result<Assignment, String> {
    let (name, value) = arg
        .split_once('=')
        .ok_or_else(|| "expected REG=VALUE, e.g. a64[0]=5 or s[0]=\"hi\"".to_string())?;
    let reg = parse_reg(name.trim())?;
    let value = value.trim();
    let bytes = match reg {
        Reg::A(a) => parse_int(value, a.width.bytes(), true)
            .map_err(|e| format!("{e} for {a} ({} bits)", a.width.bits()))?,
        Reg::R(r) => parse_int(value, r.width.bits() as usize / 8, false)
            .map_err(|e| format!("{e} for {r} ({} bits)", r.width.bits()))?,
        Reg::F(f) => parse_float(value, f.format).map_err(|e| format!("{e} for {f}"))?,
        Reg::S(_) => parse_bytes(value)?,
    };
    Ok(Assignment { reg, bytes })
}

/// `a64[0]`, `r256[31]`, `f32[2]`, `s[15]`.
fn parse_reg(name: &str) -> Result<Reg, String> {
    let bad = || {
        format!(
            "`{}` is not a register (write e.g. a64[0], r256[1], f64[2] or s[3]: \
             a8..a1024, bf16, f16..f256, r128..r8192, s)",
            quote(name)
        )
    };
    let (file, rest) = name.split_once('[').ok_or_else(bad)?;
    let idx = rest.strip_suffix(']').ok_or_else(bad)?;
    let idx: u8 =
        parse_small(idx).ok_or_else(|| format!("`{}` is not a register index", quote(idx)))?;
    let max = if file == "s" { 15 } else { 31 };
    if idx > max {
        return Err(format!(
            "register index {idx} out of range: `{}` has indices 0..={max}",
            quote(file)
        ));
    }
    if file == "s" {
        return Ok(Reg::S(RegS(idx)));
    }
    if let Some(f) = FFormat::ALL.into_iter().find(|f| f.name() == file) {
        return Ok(Reg::F(RegF { format: f, idx }));
    }
    let bits = |prefix| {
        file.strip_prefix(prefix)
            .and_then(|b| b.parse::<u16>().ok())
    };
    if let Some(width) = bits("a").and_then(AWidth::with_bits) {
        return Ok(Reg::A(RegA { width, idx }));
    }
    if let Some(width) = bits("r").and_then(RWidth::with_bits) {
        return Ok(Reg::R(RegR { width, idx }));
    }
    Err(bad())
}

fn parse_small(text: &str) -> Option<u8> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u8::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// An integer literal into `width` little-endian bytes; negative values (when allowed)
/// become two's complement.
fn parse_int(text: &str, width: usize, signed: bool) -> Result<Vec<u8>, String> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) if signed => (true, rest),
        Some(_) => {
            return Err(format!(
                "`{}` is negative, which is not allowed",
                quote(text)
            ))
        }
        None => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16u32, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else {
        (10, lower.as_str())
    };
    let not_int = || {
        format!(
            "`{}` is not an integer (decimal, 0x hex or 0b binary)",
            quote(text)
        )
    };
    if digits.is_empty() || digits.starts_with('_') && radix == 10 {
        return Err(not_int());
    }
    let mut le = vec![0u8; width];
    let mut any = false;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(radix).ok_or_else(not_int)?;
        any = true;
        // le := le * radix + d, failing on overflow of the width.
        let mut carry = d;
        for b in le.iter_mut() {
            let v = u32::from(*b) * radix + carry;
            *b = v as u8;
            carry = v >> 8;
        }
        if carry != 0 {
            return Err(format!("`{}` is too big", quote(text)));
        }
    }
    if !any {
        return Err(not_int());
    }
    if negative {
        // The magnitude may be at most 2^(bits-1).
        let top = le[width - 1];
        let rest_zero = le[..width - 1].iter().all(|b| *b == 0);
        if top > 0x80 || top == 0x80 && !rest_zero {
            return Err(format!("`{}` is too small", quote(text)));
        }
        let mut carry = 1u16;
        for b in le.iter_mut() {
            let v = u16::from(!*b) + carry;
            *b = v as u8;
            carry = v >> 8;
        }
    }
    Ok(le)
}

/// A float: a decimal (rounded to nearest, ties to even, by the assembler's
/// conversion) or raw bits (`0x`/`0b`), for every format.
fn parse_float(text: &str, format: FFormat) -> Result<Vec<u8>, String> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("0x") || lower.starts_with("0b") {
        let bits = parse_int(text, format.bytes(), false)?;
        if !avm_alu::float::is_number(format, &bits) {
            return Err(format!(
                "`{text}` is not a number (a NaN, or an x87 encoding that is none); \
                 no F register holds a NaN: leave the register undefined"
            ));
        }
        return Ok(bits);
    }
    if lower.trim_start_matches('-') == "nan" {
        return Err("there is no NaN in avm; leave the register undefined".into());
    }
    avm_asm::float_bytes(&lower, format)
        .map_err(|e| format!("{} (e.g. 1.5, -2e3, inf, or raw bits 0x...)", quote(&e)))
}

/// `"text"` with escapes, `x"hex"`, or bare text.
fn parse_bytes(text: &str) -> Result<Vec<u8>, String> {
    let bytes = if let Some(hex) = text.strip_prefix("x\"") {
        let hex = hex
            .strip_suffix('"')
            .ok_or_else(|| format!("`{}`: hex string not closed with `\"`", quote(text)))?;
        parse_hex(hex)?
    } else if let Some(quoted) = text.strip_prefix('"') {
        let inner = quoted
            .strip_suffix('"')
            .filter(|_| !quoted.is_empty())
            .ok_or_else(|| format!("`{}`: string not closed with `\"`", quote(text)))?;
        unescape(inner)?
    } else {
        text.as_bytes().to_vec()
    };
    if bytes.len() > S_MAX_LEN {
        return Err(format!(
            "a byte string holds at most {S_MAX_LEN} bytes, this one {}",
            bytes.len()
        ));
    }
    Ok(bytes)
}

fn parse_hex(hex: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for group in hex.split([' ', '\t']).filter(|g| !g.is_empty()) {
        if group.len() % 2 != 0 {
            return Err(format!(
                "`{}`: hex digits come in pairs (an odd number of digits)",
                quote(group)
            ));
        }
        for pair in group.as_bytes().chunks(2) {
            let pair = std::str::from_utf8(pair).unwrap_or("");
            let b =
                u8::from_str_radix(pair, 16).map_err(|_| format!("`{pair}` is not a hex byte"))?;
            out.push(b);
        }
    }
    Ok(out)
}

fn unescape(inner: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            return Err("unescaped `\"` inside a string (write \\\")".into());
        }
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('n') => out.push(b'\n'),
            Some('t') => out.push(b'\t'),
            Some('r') => out.push(b'\r'),
            Some('0') => out.push(0),
            Some('\\') => out.push(b'\\'),
            Some('"') => out.push(b'"'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                let b = (hex.len() == 2)
                    .then(|| u8::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .ok_or_else(|| format!("`\\x{hex}`: \\x takes exactly two hex digits"))?;
                out.push(b);
            }
            Some(other) => {
                return Err(format!(
                    "unknown escape `\\{other}` (known: \\n \\t \\r \\0 \\\\ \\\" \\xNN)"
                ))
            }
            None => return Err("a string cannot end with a lone `\\`".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(arg: &str) -> Vec<u8> {
        parse(arg).unwrap().bytes
    }

    #[test]
    fn integers_in_every_notation() {
        assert_eq!(bytes("a64[0]=5"), 5u64.to_le_bytes());
        assert_eq!(bytes("a64[31]=0xff"), 255u64.to_le_bytes());
        assert_eq!(bytes("a16[0]=0b1_0000_0000"), 256u16.to_le_bytes());
        assert_eq!(bytes("a8[0]=-1"), [0xff]);
        assert_eq!(bytes("a8[0]=-128"), [0x80]);
        assert_eq!(bytes("a8[0]=255"), [0xff]);
        assert_eq!(bytes(" a32[1] = 1_000 "), 1000u32.to_le_bytes());
        let big = bytes(&format!("a1024[1]=0x{}", "ff".repeat(128)));
        assert_eq!(big, vec![0xff; 128]);
        let r = bytes("r256[0]=0x0102");
        assert_eq!(&r[..3], &[2, 1, 0]);
        assert_eq!(r.len(), 32);
    }

    #[test]
    fn integers_that_do_not_fit_are_refused() {
        for bad in [
            "a8[0]=256",
            "a8[0]=-129",
            "a64[0]=abc",
            "a64[0]=",
            "a64[0]=0x",
            "a64[0]=_1",
            "r128[0]=-1",
            "a64[0]=1.5",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let e = parse("a8[0]=300").unwrap_err();
        assert!(e.contains("too big") && e.contains("a8[0]"), "{e}");
    }

    #[test]
    fn register_names_are_checked() {
        for bad in [
            "a7[0]=1",
            "a64[32]=1",
            "s[16]=x",
            "a64=1",
            "a64[0",
            "q[0]=1",
            "a64[x]=1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("s[0x0f]=hi").unwrap().reg,
            Reg::S(RegS(15)),
            "hex index"
        );
        assert!(parse("a64[0]5").unwrap_err().contains("REG=VALUE"));
    }

    #[test]
    fn byte_strings_quoted_hex_and_bare() {
        assert_eq!(bytes(r#"s[0]="hello""#), b"hello");
        assert_eq!(bytes(r#"s[0]="a\n\"\\\x00""#), b"a\n\"\\\x00");
        assert_eq!(bytes(r#"s[1]=x"00ff""#), [0, 0xff]);
        assert_eq!(bytes(r#"s[1]=x"de ad""#), [0xde, 0xad]);
        assert_eq!(bytes("s[2]=plain text"), b"plain text");
        assert_eq!(bytes(r#"s[2]="""#), b"");
        for bad in [
            r#"s[0]="open"#,
            r#"s[0]=x"0""#,
            r#"s[0]=x"zz""#,
            r#"s[0]="\q""#,
            r#"s[0]="\x1""#,
            r#"s[0]="a"b""#,
            r#"s[0]=""#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn floats_decimal_or_bits() {
        assert_eq!(bytes("f64[0]=1.5"), 1.5f64.to_bits().to_le_bytes());
        assert_eq!(
            bytes("f32[0]=-inf"),
            f32::NEG_INFINITY.to_bits().to_le_bytes()
        );
        assert_eq!(bytes("f16[0]=0x3c00"), [0x00, 0x3c]);
        assert!(parse("f64[0]=nan").unwrap_err().contains("NaN"));
        // Raw bits are checked as `put` checks them: no NaN, no x87 non-number.
        for arg in [
            "f64[0]=0x7ff8000000000000",
            "f64[0]=0xfff0000000000001",
            "f32[1]=0x7fc00000",
            "f16[2]=0x7e00",
            "bf16[3]=0x7fc0",
            // f80 pseudo-infinity (integer bit clear) and an unnormal.
            "f80[4]=0x7fff0000000000000000",
            "f80[5]=0x00010000000000000000",
        ] {
            assert!(parse(arg).unwrap_err().contains("not a number"), "{arg}");
        }
        assert_eq!(
            bytes("f64[0]=0x7ff0000000000000"),
            0x7ff0_0000_0000_0000u64.to_le_bytes()
        );
        assert_eq!(bytes("f80[0]=0x7fff8000000000000000").len(), 10);
        assert_eq!(bytes("f16[0]=1.0"), [0x00, 0x3c]);
        assert!(parse("f16[0]=1e6").unwrap_err().contains("overflows"));
        assert!(parse("f32[0]=1.5x").is_err());
    }
}
