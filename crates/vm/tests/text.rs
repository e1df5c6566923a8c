//! The text form: print then parse is the identity; errors name offsets.

use avm_vm::conformance::any_value;
use avm_vm::text::{self, ParseErrorKind as K};
use avm_vm::{BigUint, DataValue, Limits, VmId};
use proptest::prelude::*;

fn err(src: &str) -> (usize, K) {
    let e = text::parse(src).unwrap_err();
    (e.offset, e.kind)
}

#[test]
fn prints_each_shape() {
    let v = DataValue::tuple([
        DataValue::nat(0u8),
        DataValue::unit(),
        DataValue::option(3, DataValue::tuple([DataValue::nat(1u8)])),
        DataValue::function(VmId::NOCKMA, []),
        DataValue::string("say \"hi\"\\\t"),
        DataValue::bytes([0x00, 0x01]),
        DataValue::bytes([]),
    ]);
    assert_eq!(
        text::print(&v),
        r#"(0, (), #3:(1), fn(0x2, x""), "say \"hi\"\\\t", x"0001", "")"#
    );
}

#[test]
fn large_naturals_print_in_hex() {
    let n = BigUint::from(1u8) << 128u32;
    let v = DataValue::Nat(n);
    assert_eq!(v.to_string(), "0x100000000000000000000000000000000");
    assert_eq!(text::parse(&v.to_string()).unwrap(), v);
    let max128 = DataValue::nat(u128::MAX);
    assert_eq!(max128.to_string(), u128::MAX.to_string());
}

#[test]
fn accepts_comments_whitespace_and_other_spellings() {
    let src = "( // a tuple\n  0x10 ,\n  #1 : \"\\u{1F600}\" ,\n  fn( 2 , x\"AB\" ), // trailing comma\n)";
    let v = text::parse(src).unwrap();
    assert_eq!(
        v,
        DataValue::tuple([
            DataValue::nat(16u8),
            DataValue::option(1, DataValue::string("😀")),
            DataValue::function(VmId(2), [0xab]),
        ])
    );
}

#[test]
fn errors_name_the_offset() {
    assert_eq!(err(""), (0, K::UnexpectedEnd("a value")));
    assert_eq!(err("(1 2)"), (3, K::Expected("',' or ')'")));
    assert_eq!(err("007"), (0, K::LeadingZero));
    assert_eq!(err("x\"abc\""), (2, K::OddHex));
    assert_eq!(err("\"a\\q\""), (2, K::BadEscape));
    assert_eq!(err("1 2"), (2, K::Trailing));
    assert_eq!(err("#18446744073709551616:0"), (1, K::Overflow));
    assert_eq!(err("fn(1, \"code\")"), (6, K::Expected("code as x\"...\"")));
    assert_eq!(err("(1,"), (3, K::UnexpectedEnd("a value")));
    assert_eq!(err(&"9".repeat(1001)), (0, K::LongDecimal));
    let e = text::parse("(\n  1,\n  ?)").unwrap_err();
    assert_eq!(e.line_col("(\n  1,\n  ?)"), (3, 3));
}

#[test]
fn limits_hold() {
    let deep = "(".repeat(200) + &")".repeat(200);
    assert_eq!(text::parse(&deep).unwrap_err().kind, K::TooDeep(128));
    let limits = Limits {
        max_size: 4,
        ..Limits::default()
    };
    assert!(matches!(
        text::parse_with("(1, 2)", &limits).unwrap_err().kind,
        K::TooLarge { .. }
    ));
    let limits = Limits {
        max_values: 2,
        ..Limits::default()
    };
    assert_eq!(
        text::parse_with("(1, 2)", &limits).unwrap_err().kind,
        K::TooManyValues(2)
    );
}

proptest! {
    #[test]
    fn print_then_parse_is_identity(v in any_value()) {
        let s = text::print(&v);
        prop_assert_eq!(text::parse(&s).unwrap(), v);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
        let _ = text::parse(&s);
    }

    #[test]
    fn grammar_like_text_never_panics(s in "[()#:,0-9a-fx\"\\\\ ]{0,40}") {
        if let Ok(v) = text::parse(&s) {
            prop_assert_eq!(text::parse(&text::print(&v)).unwrap(), v);
        }
    }
}
