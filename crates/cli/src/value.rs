//! Register values as people read them: A in decimal, F and R in hex, S as a string.

use avm_alu::{Reg, Registers};

/// The value of `reg` as text, or `None` if it is undefined.
///
/// A registers print in unsigned decimal; F and R registers as `0x` and every byte of the
/// register, most significant first; S registers as a quoted string with `\n \t \r \\ \"`
/// escaped when they are UTF-8 text without other control characters, else as `x"hex"`.
/// Both string forms are accepted back by `--set`.
pub fn render(regs: &Registers, reg: Reg) -> Option<String> {
    match reg {
        Reg::A(a) => regs.a_decimal(a),
        Reg::F(_) | Reg::R(_) => regs.get(reg).map(|le| hex_be(&le)),
        Reg::S(_) => regs.get(reg).map(|bytes| render_bytes(&bytes)),
    }
}

/// Little-endian bytes as a `0x` number, most significant byte first, all digits kept.
pub fn hex_be(le: &[u8]) -> String {
    let mut out = String::with_capacity(2 + 2 * le.len());
    out.push_str("0x");
    for b in le.iter().rev() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A byte string as `"text"` when it is printable UTF-8, else as `x"hex"`.
pub fn render_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text)
            if text
                .chars()
                .all(|c| !c.is_control() || "\n\t\r".contains(c)) =>
        {
            let mut out = String::with_capacity(text.len() + 2);
            out.push('"');
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        _ => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            format!("x\"{hex}\"")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::reg::{AWidth, RWidth, RegA, RegR, RegS};

    #[test]
    fn each_family_has_its_notation() {
        let mut regs = Registers::new();
        let a = RegA {
            width: AWidth::A1024,
            idx: 1,
        };
        regs.set_a_u64(a, 5050);
        assert_eq!(render(&regs, Reg::A(a)).as_deref(), Some("5050"));
        let r = Reg::R(RegR {
            width: RWidth::R128,
            idx: 0,
        });
        let mut le = [0u8; 16];
        le[0] = 0xff;
        le[15] = 0x01;
        regs.set(r, Some(&le));
        assert_eq!(
            render(&regs, r).as_deref(),
            Some("0x010000000000000000000000000000ff")
        );
        let s = Reg::S(RegS(0));
        regs.set(s, Some(b"say \"hi\"\n"));
        assert_eq!(render(&regs, s).as_deref(), Some(r#""say \"hi\"\n""#));
        regs.set(s, Some(&[0, 0xff]));
        assert_eq!(render(&regs, s).as_deref(), Some(r#"x"00ff""#));
        regs.set(s, None);
        assert_eq!(render(&regs, s), None);
    }
}
