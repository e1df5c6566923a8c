//! The values `avm rv32` reads and prints: calldata items (`INPUT`) in, and
//! return data decoded by `--returns` out.
//!
//! Calldata (`INPUT`) is a comma-separated list of items, concatenated:
//! `u32:N` (4 bytes LE), `u64:N` (8 bytes LE), `u256:N` (32 bytes LE; N
//! decimal or 0x hex), `addr:HEX` (32 bytes, 64 hex digits), `hex:HEX`
//! (raw bytes), `text:STRING` (UTF-8, to the end of the input: commas
//! included). An empty INPUT is empty calldata.
//!
//! Return types (`--returns`) are the same kinds without values, in order:
//! `u32`, `u64`, `u256` (printed in decimal), `addr` (hex), and last `bytes`
//! (hex) or `text` (UTF-8), which take the rest.

use crate::error::CliError;
use avm_rv32::contract::Address;
use avm_vm::BigUint;

/// Bytes as lowercase hex digits.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    if !s.len().is_multiple_of(2) || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("{s:?} is not an even number of hex digits"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// An address: 64 hex digits (a `0x` prefix allowed).
pub fn address(s: &str) -> Result<Address, CliError> {
    unhex(s)
        .and_then(|b| {
            b.try_into()
                .map_err(|b: Vec<u8>| format!("{} bytes; expected 32", b.len()))
        })
        .map_err(|e| CliError::Usage(format!("address {s:?}: {e}")))
}

/// A natural of at most `width` bytes, little-endian, from decimal or
/// 0x hex.
fn number(s: &str, width: usize) -> Result<Vec<u8>, String> {
    let n = match s.strip_prefix("0x") {
        Some(h) => BigUint::parse_bytes(h.as_bytes(), 16),
        None => BigUint::parse_bytes(s.as_bytes(), 10),
    }
    .ok_or_else(|| format!("{s:?} is not a number (decimal or 0x hex)"))?;
    let mut bytes = n.to_bytes_le();
    if bytes.len() > width {
        return Err(format!("{s} does not fit in {width} bytes"));
    }
    bytes.resize(width, 0);
    Ok(bytes)
}

/// Parses INPUT (see the module docs).
pub fn parse_input(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(text) = rest.strip_prefix("text:") {
            out.extend_from_slice(text.as_bytes());
            break;
        }
        let (item, tail) = rest.split_once(',').unwrap_or((rest, ""));
        rest = tail;
        let (kind, value) = item
            .split_once(':')
            .ok_or_else(|| format!("input item {item:?}: expected KIND:VALUE"))?;
        let bytes = match kind {
            "u32" => number(value, 4),
            "u64" => number(value, 8),
            "u256" => number(value, 32),
            "addr" => unhex(value).and_then(|b| match b.len() {
                32 => Ok(b),
                n => Err(format!("{n} bytes; expected 32")),
            }),
            "hex" => unhex(value),
            _ => Err("unknown kind (u32, u64, u256, addr, hex, text)".into()),
        }
        .map_err(|e| format!("input item {item:?}: {e}"))?;
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}

/// One kind of value in return data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnKind {
    /// 4 bytes, little-endian.
    U32,
    /// 8 bytes, little-endian.
    U64,
    /// 32 bytes, little-endian.
    U256,
    /// 32 bytes.
    Addr,
    /// The rest, printed as hex.
    Bytes,
    /// The rest, as UTF-8.
    Text,
}

impl ReturnKind {
    /// The fixed width in bytes, or `None` for a kind that takes the rest.
    fn width(self) -> Option<usize> {
        match self {
            ReturnKind::U32 => Some(4),
            ReturnKind::U64 => Some(8),
            ReturnKind::U256 | ReturnKind::Addr => Some(32),
            ReturnKind::Bytes | ReturnKind::Text => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            ReturnKind::U32 => "u32",
            ReturnKind::U64 => "u64",
            ReturnKind::U256 => "u256",
            ReturnKind::Addr => "addr",
            ReturnKind::Bytes => "bytes",
            ReturnKind::Text => "text",
        }
    }
}

/// The types of `--returns`, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Returns(pub Vec<ReturnKind>);

/// Parses a `--returns` list: kinds separated by commas, `bytes` or `text`
/// only last.
pub fn parse_returns(s: &str) -> Result<Returns, String> {
    let kinds = s
        .split(',')
        .map(|k| match k.trim() {
            "u32" => Ok(ReturnKind::U32),
            "u64" => Ok(ReturnKind::U64),
            "u256" => Ok(ReturnKind::U256),
            "addr" => Ok(ReturnKind::Addr),
            "bytes" => Ok(ReturnKind::Bytes),
            "text" => Ok(ReturnKind::Text),
            other => Err(format!(
                "unknown type {other:?} (u32, u64, u256, addr, bytes, text)"
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(i) = kinds[..kinds.len() - 1]
        .iter()
        .position(|k| k.width().is_none())
    {
        return Err(format!(
            "{} takes the rest of the data, so it can only come last",
            kinds[i].name()
        ));
    }
    Ok(Returns(kinds))
}

/// Decodes `data` as the values `kinds`, printed: numbers in decimal, an
/// address and bytes in hex, text quoted. The data must be exactly as long
/// as the kinds say.
pub fn decode_returns(kinds: &[ReturnKind], data: &[u8]) -> Result<Vec<String>, String> {
    let mut rest = data;
    let mut values = Vec::with_capacity(kinds.len());
    for &kind in kinds {
        let take = kind.width().unwrap_or(rest.len());
        if rest.len() < take {
            return Err(format!(
                "the return data is {} bytes, too short for {} (value {} needs {take} more, {} left)",
                data.len(),
                kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(","),
                values.len() + 1,
                rest.len()
            ));
        }
        let (value, tail) = rest.split_at(take);
        rest = tail;
        values.push(match kind {
            ReturnKind::U32 | ReturnKind::U64 | ReturnKind::U256 => {
                BigUint::from_bytes_le(value).to_string()
            }
            ReturnKind::Addr | ReturnKind::Bytes => hex(value),
            ReturnKind::Text => match std::str::from_utf8(value) {
                Ok(t) => format!("{t:?}"),
                Err(e) => return Err(format!("the returned text is not UTF-8: {e}")),
            },
        });
    }
    if !rest.is_empty() {
        return Err(format!(
            "the return data is {} bytes, {} more than {} takes",
            data.len(),
            rest.len(),
            kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join(",")
        ));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_items_concatenate() {
        let a = "02".repeat(32);
        let bytes = parse_input(&format!("u32:2,addr:{a},u256:0x0100,hex:abcd,text:x,y")).unwrap();
        assert_eq!(&bytes[..4], &[2, 0, 0, 0]);
        assert_eq!(&bytes[4..36], &[2; 32]);
        assert_eq!(&bytes[36..40], &[0, 1, 0, 0]);
        assert!(bytes[40..68].iter().all(|&b| b == 0));
        assert_eq!(&bytes[68..], b"\xab\xcdx,y");
        assert_eq!(parse_input(""), Ok(vec![]));
    }

    #[test]
    fn returns_decode_in_order() {
        let kinds = parse_returns("u32,addr,u256,text").unwrap().0;
        let mut data = 7u32.to_le_bytes().to_vec();
        data.extend([0xab; 32]);
        let mut n = [0u8; 32];
        n[..3].copy_from_slice(&[0x40, 0x42, 0x0f]);
        data.extend(n);
        data.extend(b"ok");
        let values = decode_returns(&kinds, &data).unwrap();
        assert_eq!(values, ["7", &"ab".repeat(32), "1000000", "\"ok\""]);
        assert_eq!(
            decode_returns(&[ReturnKind::Bytes], &[1, 2]).unwrap(),
            ["0102"]
        );
        assert_eq!(decode_returns(&[ReturnKind::Text], b"").unwrap(), ["\"\""]);
    }

    proptest::proptest! {
        /// Whatever the data, decoding gives values or an error, never a panic;
        /// numbers written with `parse_input` decode to themselves.
        #[test]
        fn returns_decode_what_input_encodes(
            numbers in proptest::collection::vec((0u8..3, proptest::prelude::any::<u64>()), 0..6),
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
        ) {
            let kinds = [ReturnKind::U32, ReturnKind::U64, ReturnKind::U256];
            let names = ["u32", "u64", "u256"];
            let items: Vec<String> = numbers
                .iter()
                .map(|&(k, n)| {
                    let n = if k == 0 { n & 0xffff_ffff } else { n };
                    format!("{}:{n}", names[k as usize])
                })
                .collect();
            let mut data = parse_input(&items.join(",")).unwrap();
            let want: Vec<String> = items.iter().map(|i| i.split(':').nth(1).unwrap().to_string()).collect();
            let mut types: Vec<ReturnKind> = numbers.iter().map(|&(k, _)| kinds[k as usize]).collect();
            if !types.is_empty() {
                proptest::prop_assert_eq!(decode_returns(&types, &data).unwrap(), want);
            }
            data.extend(&tail);
            let _ = decode_returns(&types, &data);
            types.push(ReturnKind::Bytes);
            let got = decode_returns(&types, &data).unwrap();
            proptest::prop_assert_eq!(got.last().unwrap(), &hex(&tail));
            types.pop();
            types.push(ReturnKind::Text);
            let _ = decode_returns(&types, &data);
        }
    }

    #[test]
    fn returns_that_do_not_fit_are_refused() {
        let u256 = [ReturnKind::U256];
        assert!(decode_returns(&u256, &[0; 4])
            .unwrap_err()
            .contains("too short for u256"));
        assert!(decode_returns(&u256, &[0; 33])
            .unwrap_err()
            .contains("1 more than u256"));
        assert!(decode_returns(&[ReturnKind::Text], &[0xff])
            .unwrap_err()
            .contains("not UTF-8"));
        assert!(parse_returns("u128").unwrap_err().contains("unknown type"));
        assert!(parse_returns("bytes,u32")
            .unwrap_err()
            .contains("only come last"));
        assert!(parse_returns("").unwrap_err().contains("unknown type"));
    }

    #[test]
    fn bad_items_are_named() {
        assert!(parse_input("u32:4294967296")
            .unwrap_err()
            .contains("does not fit"));
        assert!(parse_input("addr:00").unwrap_err().contains("expected 32"));
        assert!(parse_input("x").unwrap_err().contains("KIND:VALUE"));
        assert!(parse_input("f32:1").unwrap_err().contains("unknown kind"));
        assert!(parse_input("hex:abc").unwrap_err().contains("hex digits"));
    }
}
