//! Parsing whole sources: every token kind, every error with its line and column.

use crate::*;

fn ok(src: &str) -> Vec<Item> {
    match parse("t.s", src) {
        Ok(module) => module.items,
        Err(diags) => panic!("{}", render_all(&diags, src)),
    }
}

/// The single instruction's operands of `src`.
fn operands(src: &str) -> Vec<OperandKind> {
    let items = ok(src);
    let [Item {
        kind: ItemKind::Instruction(instr),
        ..
    }] = items.as_slice()
    else {
        panic!("not one instruction: {items:?}");
    };
    instr.operands.iter().map(|o| o.kind.clone()).collect()
}

fn operand(src: &str) -> OperandKind {
    let mut ops = operands(&format!("op {src}"));
    assert_eq!(ops.len(), 1);
    ops.remove(0)
}

/// Every diagnostic as (message, line, col).
fn errors(src: &str) -> Vec<(String, usize, usize)> {
    let diags = parse("t.s", src).expect_err("should fail");
    diags
        .iter()
        .map(|d| {
            let (line, col) = d.line_col(src);
            (d.message.clone(), line, col)
        })
        .collect()
}

/// The one diagnostic of `src`.
fn error(src: &str) -> (String, usize, usize) {
    let mut all = errors(src);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn int(v: i128) -> OperandKind {
    OperandKind::Int(IntLit::from(v))
}

fn float(text: &str) -> OperandKind {
    OperandKind::Float(FloatLit::new(text).unwrap())
}

#[test]
fn empty_and_comments() {
    assert!(ok("").is_empty());
    assert!(ok("\n\n  ; only a comment\n\t\r\n").is_empty());
}

#[test]
fn labels() {
    let items = ok("start:\nloop: add a64[0], 1 ; c\n");
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].kind,
        ItemKind::Label(Spanned::new("start".into(), Span::new(0, 5)))
    );
    assert_eq!(items[0].span, Span::new(0, 6));
    assert!(matches!(&items[1].kind, ItemKind::Label(n) if n.node == "loop"));
    let ItemKind::Instruction(instr) = &items[2].kind else {
        panic!()
    };
    assert_eq!(instr.mnemonic.node, "add");
    assert_eq!(items[2].span, Span::new(13, 26));
}

#[test]
fn instruction_shape_and_spans() {
    let src = "  add.uc.sw a64[2], a64[0], a64[1]";
    let items = ok(src);
    let ItemKind::Instruction(instr) = &items[0].kind else {
        panic!()
    };
    assert_eq!(instr.mnemonic, Spanned::new("add".into(), Span::new(2, 5)));
    let flags: Vec<_> = instr.flags.iter().map(|f| (&*f.node, f.span)).collect();
    assert_eq!(flags, [("uc", Span::new(6, 8)), ("sw", Span::new(9, 11))]);
    let spans: Vec<_> = instr
        .operands
        .iter()
        .map(|o| &src[o.span.range()])
        .collect();
    assert_eq!(spans, ["a64[2]", "a64[0]", "a64[1]"]);
    assert_eq!(items[0].span, Span::new(2, src.len()));
    assert_eq!(operands("ret"), vec![]);
}

#[test]
fn registers() {
    assert_eq!(operand("a8[0]"), OperandKind::Reg(Reg::A(8, 0)));
    assert_eq!(operand("a1024[31]"), OperandKind::Reg(Reg::A(1024, 31)));
    assert_eq!(
        operand("bf16[3]"),
        OperandKind::Reg(Reg::F(FloatFormat::Bf16, 3))
    );
    assert_eq!(
        operand("f256[0x1f]"),
        OperandKind::Reg(Reg::F(FloatFormat::F256, 31))
    );
    assert_eq!(operand("r160[7]"), OperandKind::Reg(Reg::R(160, 7)));
    assert_eq!(operand("r8192[0]"), OperandKind::Reg(Reg::R(8192, 0)));
    assert_eq!(operand("s[15]"), OperandKind::Reg(Reg::S(15)));
    assert_eq!(operand("st0"), OperandKind::Reg(Reg::St0));
    // A register prefix without brackets is a plain name.
    assert_eq!(operand("a64"), OperandKind::Ident("a64".into()));
}

#[test]
fn register_errors() {
    assert_eq!(
        error("put a64[32], 1"),
        (
            "register index out of range: `a64` has indices 0..=31".into(),
            1,
            9
        )
    );
    assert_eq!(
        error("mov s[16], s[0]"),
        (
            "register index out of range: `s` has indices 0..=15".into(),
            1,
            7
        )
    );
    assert_eq!(
        error("mov a64[300], 0").0,
        "register index out of range: `a64` has indices 0..=31"
    );
    assert_eq!(
        error("mov a7[1], 0"),
        ("unknown register `a7`".into(), 1, 5)
    );
    assert_eq!(
        error("mov a64[x], 0"),
        ("expected a register index, found `x`".into(), 1, 9)
    );
    assert_eq!(
        error("mov a64[1, 0"),
        ("expected `]`, found `,`".into(), 1, 10)
    );
    assert_eq!(
        error("mov st0[1]"),
        ("expected `,` or end of line, found `[`".into(), 1, 8)
    );
}

#[test]
fn integers() {
    assert_eq!(operand("10"), int(10));
    assert_eq!(operand("-5"), int(-5));
    assert_eq!(operand("- 5"), int(-5));
    assert_eq!(operand("0xff"), int(255));
    assert_eq!(operand("0b101"), int(5));
    assert_eq!(operand("1_000"), int(1000));
    assert_eq!(operand("-0"), int(0));
    let max = format!("0x{}", "f".repeat(2048));
    let OperandKind::Int(lit) = operand(&format!("-{max}")) else {
        panic!()
    };
    assert!(lit.is_negative());
    assert_eq!(lit.magnitude(), vec![0xff; 1024]);
}

#[test]
fn integer_errors() {
    let big = format!("put a64[0], 0x1{}", "0".repeat(2048));
    assert_eq!(
        error(&big),
        ("integer literal does not fit in 8192 bits".into(), 1, 13)
    );
    assert_eq!(
        error("put a64[0], 0x12g"),
        ("invalid digit `g` in hexadecimal literal".into(), 1, 17)
    );
    assert_eq!(
        error("put a64[0], 12ab"),
        ("invalid digit `a` in decimal literal".into(), 1, 15)
    );
    assert_eq!(
        error("put a64[0], 0b"),
        ("binary literal has no digits".into(), 1, 13)
    );
    assert_eq!(
        error("put a64[0], -"),
        (
            "expected a number after `-`, found end of line".into(),
            1,
            14
        )
    );
    assert_eq!(
        error("put a64[0], -x"),
        ("expected a number after `-`, found `x`".into(), 1, 14)
    );
}

#[test]
fn floats() {
    assert_eq!(operand("1.5"), float("1.5"));
    assert_eq!(operand("-2.0e-3"), float("-2.0e-3"));
    assert_eq!(operand("1e10"), float("1e10"));
    assert_eq!(operand("inf"), float("inf"));
    assert_eq!(operand("-inf"), float("-inf"));
}

#[test]
fn float_errors() {
    let nan = "there is no NaN in avm; use an undefined register";
    assert_eq!(error("put f32[0], nan"), (nan.into(), 1, 13));
    assert_eq!(error("put f32[0], -nan"), (nan.into(), 1, 13));
    assert_eq!(
        error("put f32[0], 1_0.5"),
        (
            "underscores are not allowed in float literals".into(),
            1,
            14
        )
    );
    assert_eq!(
        error("put f32[0], 1.5x"),
        ("invalid digit `x` in float literal".into(), 1, 16)
    );
}

#[test]
fn byte_strings() {
    assert_eq!(
        operand(r#""hello\n""#),
        OperandKind::Bytes(b"hello\n".to_vec())
    );
    assert_eq!(
        operand(r#""\t\r\0\\\"\x41""#),
        OperandKind::Bytes(b"\t\r\0\\\"A".to_vec())
    );
    assert_eq!(
        operand(r#"x"de ad be ef""#),
        OperandKind::Bytes(vec![0xde, 0xad, 0xbe, 0xef])
    );
    assert_eq!(operand(r#""a;b""#), OperandKind::Bytes(b"a;b".to_vec()));
}

#[test]
fn byte_string_errors() {
    assert_eq!(
        error("put s[0], \"abc\n"),
        ("unterminated string literal".into(), 1, 11)
    );
    assert_eq!(
        error(r#"put s[0], "a\qb""#),
        ("unknown escape `\\q` in string literal".into(), 1, 13)
    );
    assert_eq!(
        error(r#"put s[0], "\x4""#),
        ("`\\x` must be followed by two hex digits".into(), 1, 12)
    );
    assert_eq!(
        error(r#"put s[0], x"abc""#),
        ("odd number of hex digits in hex string".into(), 1, 15)
    );
    assert_eq!(
        error(r#"put s[0], x"zz""#),
        ("invalid character `z` in hex string".into(), 1, 13)
    );
    assert_eq!(
        error(r#"put s[0], x"ab"#),
        ("unterminated string literal".into(), 1, 11)
    );
}

#[test]
fn idents_and_sites() {
    assert_eq!(operand("loop_1"), OperandKind::Ident("loop_1".into()));
    let src = "call fn @ std";
    let OperandKind::Site(site) = &operands(src)[0] else {
        panic!()
    };
    assert_eq!(site.target.node, SiteTarget::Ident("fn".into()));
    assert_eq!(site.target.span, Span::new(5, 7));
    assert_eq!(site.lib, Spanned::new("std".into(), Span::new(10, 13)));
    let items = ok(src);
    let ItemKind::Instruction(instr) = &items[0].kind else {
        panic!()
    };
    assert_eq!(instr.operands[0].span, Span::new(5, 13));
    let OperandKind::Site(site) = operand("0x10@lib") else {
        panic!()
    };
    assert_eq!(site.target.node, SiteTarget::Int(IntLit::from(16i128)));
}

#[test]
fn site_errors() {
    assert_eq!(
        error("call fn @"),
        (
            "expected a library name after `@`, found end of line".into(),
            1,
            10
        )
    );
    assert_eq!(
        error("call fn @ 5"),
        (
            "expected a library name after `@`, found an integer literal".into(),
            1,
            11
        )
    );
    assert_eq!(
        error("call 1.5 @ lib"),
        ("expected `,` or end of line, found `@`".into(), 1, 10)
    );
}

#[test]
fn instruction_errors() {
    assert_eq!(
        error("Add a64[0]"),
        ("mnemonic `Add` must be lowercase".into(), 1, 1)
    );
    assert_eq!(
        error("add.a.b.c a64[0]"),
        ("an instruction takes at most two flags".into(), 1, 9)
    );
    assert_eq!(
        error("add. uc a64[0]"),
        (
            "expected a flag name right after `.`, found `uc`".into(),
            1,
            6
        )
    );
    assert_eq!(
        error("add a64[0],"),
        ("expected an operand, found end of line".into(), 1, 12)
    );
    assert_eq!(
        error("add a64[0] a64[1]"),
        ("expected `,` or end of line, found `a64`".into(), 1, 12)
    );
    assert_eq!(
        error("add , a64[1]"),
        ("expected an operand, found `,`".into(), 1, 5)
    );
    assert_eq!(
        error("42"),
        (
            "expected a label, directive or instruction, found an integer literal".into(),
            1,
            1
        )
    );
    assert_eq!(error("a # b"), ("unexpected character `#`".into(), 1, 3));
    assert_eq!(
        error("inf:"),
        (
            "`inf` is a reserved word and cannot be used as a name".into(),
            1,
            1
        )
    );
}

#[test]
fn directives() {
    let src = ".isa ALU64 FPU\n.import std\n.import math alu1abc\n.entry main\n\
               .data msg \"hi\"\n.data blob x\"00ff\"\n.data num -3\n.const n 0x10\n";
    let kinds: Vec<_> = ok(src)
        .into_iter()
        .map(|mut item| {
            item.clear_spans();
            let ItemKind::Directive(d) = item.kind else {
                panic!()
            };
            d
        })
        .collect();
    let name = |s: &str| Spanned::new(s.to_owned(), Span::default());
    let none = Span::default();
    assert_eq!(
        kinds,
        vec![
            Directive::Isa(vec![name("ALU64"), name("FPU")]),
            Directive::Import {
                name: name("std"),
                lib_id: None
            },
            Directive::Import {
                name: name("math"),
                lib_id: Some(name("alu1abc"))
            },
            Directive::Entry {
                name: name("main"),
                target: None,
            },
            Directive::Data {
                name: name("msg"),
                value: Spanned::new(DataValue::Bytes(b"hi".to_vec()), none)
            },
            Directive::Data {
                name: name("blob"),
                value: Spanned::new(DataValue::Bytes(vec![0, 0xff]), none)
            },
            Directive::Data {
                name: name("num"),
                value: Spanned::new(DataValue::Int(IntLit::from(-3i128)), none)
            },
            Directive::Const {
                name: name("n"),
                value: Spanned::new(IntLit::from(16i128), none)
            },
        ]
    );
    let items = ok("x: .const n -1 ; c");
    assert_eq!(items[1].span, Span::new(3, 14));
    let ItemKind::Directive(Directive::Const { value, .. }) = &items[1].kind else {
        panic!()
    };
    assert_eq!(value.span, Span::new(12, 14));
}

#[test]
fn directive_errors() {
    assert_eq!(error(".foo x"), ("unknown directive `.foo`".into(), 1, 1));
    assert_eq!(
        error(". isa ALU"),
        (
            "expected a directive name right after `.`, found `isa`".into(),
            1,
            3
        )
    );
    assert_eq!(
        error(".isa"),
        ("`.isa` needs at least one extension id".into(), 1, 1)
    );
    let bad_id = |id: &str| {
        format!("invalid ISA extension id `{id}`: expected 2 to 8 characters of A-Z and 0-9, starting with a letter")
    };
    assert_eq!(error(".isa ALU alu"), (bad_id("alu"), 1, 10));
    assert_eq!(error(".isa A"), (bad_id("A"), 1, 6));
    assert_eq!(error(".isa ABCDEFGHI"), (bad_id("ABCDEFGHI"), 1, 6));
    assert_eq!(error(".isa A_B"), (bad_id("A_B"), 1, 6));
    assert_eq!(
        error(".isa 12"),
        (
            "expected an ISA extension id, found an integer literal".into(),
            1,
            6
        )
    );
    assert_eq!(
        error(".import"),
        ("expected a library name, found end of line".into(), 1, 8)
    );
    assert_eq!(
        error(".import std xyz"),
        (
            "invalid library id `xyz`: expected bech32m text starting with `alu1`".into(),
            1,
            13
        )
    );
    assert_eq!(
        error(".import std alu1a b"),
        ("expected end of line, found `b`".into(), 1, 19)
    );
    assert_eq!(
        error(".entry 5"),
        (
            "expected an entry name, found an integer literal".into(),
            1,
            8
        )
    );
    assert_eq!(
        error(".data d 1.5"),
        (
            "expected a string or integer literal, found a float literal".into(),
            1,
            9
        )
    );
    assert_eq!(
        error(".data nan 1"),
        (
            "`nan` is a reserved word and cannot be used as a name".into(),
            1,
            7
        )
    );
    assert_eq!(
        error(".const c \"x\""),
        (
            "expected an integer literal, found a string literal".into(),
            1,
            10
        )
    );
    assert_eq!(
        error(".const st0 1"),
        (
            "`st0` is a reserved word and cannot be used as a name".into(),
            1,
            8
        )
    );
    assert_eq!(
        error(".const"),
        ("expected a constant name, found end of line".into(), 1, 7)
    );
}

#[test]
fn duplicates() {
    let src = "a:\n.data a 1\n.const b 2\nb: nop\n";
    assert_eq!(
        errors(src),
        vec![
            ("duplicate definition of `a`".into(), 2, 7),
            ("duplicate definition of `b`".into(), 4, 1),
        ]
    );
    let diags = parse("t.s", src).unwrap_err();
    assert_eq!(diags[0].label.as_deref(), Some("first defined at 1:1"));
    assert_eq!(diags[1].label.as_deref(), Some("first defined at 3:8"));
    assert_eq!(
        errors(".import m\n.import m\n.entry e\n.entry e\n.isa AB AB\n"),
        vec![
            ("duplicate import `m`".into(), 2, 9),
            ("duplicate entry point `e`".into(), 4, 8),
            ("duplicate ISA extension id `AB`".into(), 5, 9),
        ]
    );
    // Imports and labels live in different namespaces.
    ok(".import m\nm: nop\n");
}

#[test]
fn errors_on_several_lines_are_all_reported_in_order() {
    let src = "ok:\n  bad a64[99]\n  also \"bad\n  fine a64[1]\n.what\nok:\n";
    assert_eq!(
        errors(src),
        vec![
            (
                "register index out of range: `a64` has indices 0..=31".into(),
                2,
                11
            ),
            ("unterminated string literal".into(), 3, 8),
            ("unknown directive `.what`".into(), 5, 1),
            ("duplicate definition of `ok`".into(), 6, 1),
        ]
    );
}

#[test]
fn rendering_of_a_parse_error() {
    let src = "main:\n    add.uc a64[2], a64[0], a64[33]\n";
    let diags = parse("prog.s", src).unwrap_err();
    assert_eq!(
        render_all(&diags, src),
        "error: register index out of range: `a64` has indices 0..=31\n \
         --> prog.s:2:32\n  |\n2 |     add.uc a64[2], a64[0], a64[33]\n  |                                ^^\n"
    );
}
