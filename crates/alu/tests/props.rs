//! Property tests: the bytecode codec is total and canonical, integer
//! arithmetic matches native integers (a8..a64) and `num-bigint` (every width),
//! and the library container round-trips and never panics.

mod common;

use avm_alu::isa::{self, Instr, OPCODES};
use avm_alu::library::{LibId, Library};
use avm_alu::reg::{AWidth, RegA};
use avm_alu::{Reg, Registers};
use common::*;
use num_bigint::BigInt;
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Codec.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every byte string decodes, and encoding the decoded instructions gives
    /// the bytes back. Only the last instruction may be cut by the end of the
    /// code; it then encodes longer, with the zeros the decoder read.
    #[test]
    fn decoding_is_total_and_canonical(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let instrs = isa::disassemble(&bytes, isa::no_ext);
        let mut pos = 0usize;
        for (off, instr) in &instrs {
            prop_assert_eq!(*off as usize, pos);
            pos += instr.len();
        }
        let out = isa::assemble(&instrs.iter().map(|(_, i)| *i).collect::<Vec<_>>());
        prop_assert!(out.len() >= bytes.len());
        prop_assert_eq!(&out[..bytes.len()], &bytes[..]);
        prop_assert!(out[bytes.len()..].iter().all(|b| *b == 0));
        if let Some((_, last)) = instrs.last() {
            prop_assert!(out.len() - bytes.len() < last.len());
        }
    }

    /// Interesting opcodes: bytes biased toward defined instructions.
    #[test]
    fn decoding_defined_opcodes_round_trips(
        row in 0..OPCODES.len(),
        operands in prop::collection::vec(any::<u8>(), 8),
    ) {
        let info = &OPCODES[row];
        let mut bytes = vec![info.opcode];
        bytes.extend_from_slice(&operands[..info.len - 1]);
        // Clear high bits of the last byte until the padding is zero (or give up).
        let mut found = None;
        for keep in (0..=8).rev() {
            let mut b = bytes.clone();
            if b.len() > 1 {
                let last = b.len() - 1;
                b[last] &= ((1u16 << keep) - 1) as u8;
            }
            let (instr, len) = isa::decode(&b, isa::no_ext);
            if !matches!(instr, Instr::Reserved(_)) {
                found = Some((b, instr, len));
                break;
            }
        }
        if let Some((b, instr, len)) = found {
            prop_assert_eq!(len, info.len);
            prop_assert_eq!(instr.opcode(), info.opcode);
            prop_assert_eq!(instr.mnemonic(), info.mnemonic);
            let mut enc = vec![];
            instr.encode(&mut enc);
            prop_assert_eq!(&enc, &b);
            prop_assert_eq!(isa::decode(&enc, isa::no_ext), (instr, len));
            // The assembler's view: mnemonic, suffix and operands rebuild it.
            let rebuilt = Instr::from_parts(instr.mnemonic(), instr.suffix(), &instr.operands());
            prop_assert_eq!(rebuilt, Ok(instr));
        } else {
            // Only float formats have undefined field codes (7).
            prop_assert!(info.template.contains("f ("), "{} never decoded", info.mnemonic);
        }
    }
}

// ---------------------------------------------------------------------------
// Arithmetic against native integers.

macro_rules! native {
    ($name:ident, $u:ty, $i:ty) => {
        fn $name(op: &str, flag: &str, x: u64, y: u64) -> Option<u64> {
            let (xu, yu) = (x as $u, y as $u);
            let (xi, yi) = (xu as $i, yu as $i);
            let r: Option<$u> = match (op, flag) {
                ("add", "uc") => xu.checked_add(yu),
                ("add", "uw") => Some(xu.wrapping_add(yu)),
                ("add", "sc") => xi.checked_add(yi).map(|v| v as $u),
                ("add", "sw") => Some(xi.wrapping_add(yi) as $u),
                ("sub", "uc") => xu.checked_sub(yu),
                ("sub", "uw") => Some(xu.wrapping_sub(yu)),
                ("sub", "sc") => xi.checked_sub(yi).map(|v| v as $u),
                ("sub", "sw") => Some(xi.wrapping_sub(yi) as $u),
                ("mul", "uc") => xu.checked_mul(yu),
                ("mul", "uw") => Some(xu.wrapping_mul(yu)),
                ("mul", "sc") => xi.checked_mul(yi).map(|v| v as $u),
                ("mul", "sw") => Some(xi.wrapping_mul(yi) as $u),
                ("div", "uc" | "uw") => xu.checked_div(yu),
                ("div", "sc") => xi.checked_div(yi).map(|v| v as $u),
                ("div", "sw") => (yi != 0).then(|| xi.wrapping_div(yi) as $u),
                ("rem", "u") => xu.checked_rem(yu),
                ("rem", "s") => (yi != 0).then(|| xi.wrapping_rem(yi) as $u),
                ("neg", "c") => xi.checked_neg().map(|v| v as $u),
                ("neg", "w") => Some(xi.wrapping_neg() as $u),
                ("abs", "c") => xi.checked_abs().map(|v| v as $u),
                ("abs", "w") => Some(xi.wrapping_abs() as $u),
                _ => unreachable!("{op}.{flag}"),
            };
            r.map(|v| v as u64)
        }
    };
}

/// A reference model of one width: `(op, flag, x, y) -> result`.
type NativeModel = fn(&str, &str, u64, u64) -> Option<u64>;

native!(native8, u8, i8);
native!(native16, u16, i16);
native!(native32, u32, i32);
native!(native64, u64, i64);

const BINARY: [(&str, &[&str]); 5] = [
    ("add", &["uc", "uw", "sc", "sw"]),
    ("sub", &["uc", "uw", "sc", "sw"]),
    ("mul", &["uc", "uw", "sc", "sw"]),
    ("div", &["uc", "uw", "sc", "sw"]),
    ("rem", &["u", "s"]),
];
const UNARY: [(&str, &[&str]); 2] = [("neg", &["c", "w"]), ("abs", &["c", "w"])];

/// Runs `m.flag a[2], a[0], a[1]` (or `a[2], a[0]` for unary) on raw bytes;
/// returns the destination and st0.
fn exec(m: &str, flag: &str, bits: u16, x: &[u8], y: Option<&[u8]>) -> (Option<Vec<u8>>, bool) {
    let ops = match y {
        Some(_) => vec![a(bits, 2), a(bits, 0), a(bits, 1)],
        None => vec![a(bits, 2), a(bits, 0)],
    };
    let regs = one(ins(m, Some(flag), &ops), |r: &mut Registers| {
        let reg = |idx| {
            Reg::A(RegA {
                width: AWidth::with_bits(bits).unwrap(),
                idx,
            })
        };
        assert!(r.set(reg(0), Some(x)));
        if let Some(y) = y {
            assert!(r.set(reg(1), Some(y)));
        }
    });
    (get_a_bytes(&regs, bits, 2), regs.st0)
}

/// A u64 biased toward edge values.
fn edge_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        (0u64..4),
        (0u64..4).prop_map(|k| u64::MAX - k),
        (0u32..64, 0u64..3).prop_map(|(s, k)| (1u64 << s).wrapping_sub(k)),
        (0u32..64).prop_map(|s| (1u64 << s) | (1u64 << s).wrapping_sub(1)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn narrow_arithmetic_matches_native_integers(x in edge_u64(), y in edge_u64()) {
        let models: [(u16, NativeModel); 4] =
            [(8, native8), (16, native16), (32, native32), (64, native64)];
        for (bits, model) in models {
            let (xb, yb) = (le(bits, x), le(bits, y));
            for (m, flags) in BINARY {
                for flag in flags {
                    let want = model(m, flag, x, y);
                    let (got, st0) = exec(m, flag, bits, &xb, Some(&yb));
                    prop_assert_eq!(got, want.map(|v| le(bits, v)), "{}.{} a{} {:#x} {:#x}", m, flag, bits, x, y);
                    prop_assert_eq!(st0, want.is_some());
                }
            }
            for (m, flags) in UNARY {
                for flag in flags {
                    let want = model(m, flag, x, 0);
                    let (got, st0) = exec(m, flag, bits, &xb, None);
                    prop_assert_eq!(got, want.map(|v| le(bits, v)), "{}.{} a{} {:#x}", m, flag, bits, x);
                    prop_assert_eq!(st0, want.is_some());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Wide arithmetic against num-bigint.

/// The reference semantics, by the definitions in the opcode table.
fn model(m: &str, flag: &str, x: &[u8], y: &[u8]) -> Option<Vec<u8>> {
    let n = x.len();
    let signed = flag.starts_with('s');
    let wrap = flag.ends_with('w');
    let (bx, by) = (to_big(x, signed), to_big(y, signed));
    let zero = BigInt::from(0);
    let exact = match m {
        "add" => bx + by,
        "sub" => bx - by,
        "mul" => bx * by,
        // num-bigint divides toward zero; the remainder has the dividend's sign.
        "div" if by == zero => return None,
        "div" => bx / by,
        "rem" if by == zero => return None,
        "rem" => bx % by,
        _ => unreachable!(),
    };
    // `rem` takes u/s only: it never overflows (MIN rem -1 is 0).
    if wrap || m == "rem" || fits(&exact, n, signed) {
        Some(wrap_bytes(&exact, n))
    } else {
        None
    }
}

fn wide_case() -> impl Strategy<Value = (u16, Vec<u8>, Vec<u8>)> {
    prop::sample::select(A_BITS.to_vec()).prop_flat_map(|bits| {
        let n = bits as usize / 8;
        (Just(bits), edge_bytes(n), edge_bytes(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn wide_arithmetic_matches_bigint((bits, x, y) in wide_case()) {
        for (m, flags) in BINARY {
            for flag in flags {
                let want = model(m, flag, &x, &y);
                let (got, st0) = exec(m, flag, bits, &x, Some(&y));
                prop_assert_eq!(&got, &want, "{}.{} a{}", m, flag, bits);
                prop_assert_eq!(st0, want.is_some());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Library container.

fn lib_id() -> impl Strategy<Value = LibId> {
    any::<[u8; 32]>().prop_map(LibId)
}

fn library() -> impl Strategy<Value = Library> {
    let isa = prop::sample::subsequence(vec!["ALU", "BPDIGEST", "SECP256K", "TESTX", "Z9"], 0..=5);
    let libs = prop::collection::btree_set(lib_id(), 0..4);
    let code = prop::collection::vec(any::<u8>(), 0..300);
    let data = prop::collection::vec(any::<u8>(), 0..300);
    let entries = prop::collection::btree_map("[a-z_][a-z0-9_]{0,10}", any::<u16>(), 0..5);
    (isa, libs, code, data, entries, any::<bool>()).prop_map(
        |(isa, libs, code, data, entries, shuffle)| {
            let mut libs: Vec<LibId> = libs.into_iter().collect();
            if shuffle {
                // Import order is the program's, not sorted.
                libs.reverse();
            }
            Library {
                isa: isa.into_iter().map(String::from).collect(),
                libs,
                code,
                data,
                entries: entries.into_iter().collect(),
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn library_container_round_trips(lib in library()) {
        prop_assert_eq!(lib.check(), Ok(()));
        let bytes = lib.to_bytes();
        let back = Library::from_bytes(&bytes);
        prop_assert_eq!(back.as_ref(), Ok(&lib));
        prop_assert_eq!(back.unwrap().id(), lib.id());
        // A truncated container never parses.
        for cut in [0, 1, 5, bytes.len() / 2, bytes.len() - 1] {
            prop_assert!(Library::from_bytes(&bytes[..cut]).is_err());
        }
        // Trailing bytes are refused.
        let mut longer = bytes.clone();
        longer.push(0);
        prop_assert!(Library::from_bytes(&longer).is_err());
    }

    #[test]
    fn library_from_bytes_never_panics_and_accepts_only_canonical_bytes(
        tail in prop::collection::vec(any::<u8>(), 0..200),
        header in any::<bool>(),
    ) {
        let mut bytes = if header { b"AVML\x01".to_vec() } else { vec![] };
        bytes.extend_from_slice(&tail);
        if let Ok(lib) = Library::from_bytes(&bytes) {
            prop_assert_eq!(lib.check(), Ok(()));
            prop_assert_eq!(lib.to_bytes(), bytes);
        }
    }

    #[test]
    fn mutated_libraries_never_panic(lib in library(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = lib.to_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        if let Ok(parsed) = Library::from_bytes(&bytes) {
            prop_assert_eq!(parsed.check(), Ok(()));
            prop_assert_eq!(parsed.to_bytes(), bytes);
        }
    }
}
