//! Printing then parsing gives back what was printed.

use avm_asm::*;
use proptest::collection::vec;
use proptest::prelude::*;
use std::collections::HashSet;

fn name(text: String) -> Name {
    Spanned::new(text, Span::default())
}

fn ident() -> impl Strategy<Value = String> {
    "[A-Za-z_][A-Za-z0-9_]{0,8}"
        .prop_filter("reserved", |s| !["inf", "nan", "st0"].contains(&s.as_str()))
}

fn int_lit() -> impl Strategy<Value = IntLit> {
    prop_oneof![
        any::<i128>().prop_map(IntLit::from),
        (any::<bool>(), vec(any::<u8>(), 0..=1024))
            .prop_map(|(neg, mag)| IntLit::new(neg, mag).expect("fits")),
    ]
}

fn float_lit() -> impl Strategy<Value = FloatLit> {
    let finite = (
        any::<bool>(),
        "[0-9]{1,6}",
        proptest::option::of("[0-9]{1,6}"),
        proptest::option::of("[eE][+-]?[0-9]{1,3}"),
    )
        .prop_filter_map("needs fraction or exponent", |(neg, int, frac, exp)| {
            if frac.is_none() && exp.is_none() {
                return None;
            }
            let text = format!(
                "{}{int}{}{}",
                if neg { "-" } else { "" },
                frac.map(|f| format!(".{f}")).unwrap_or_default(),
                exp.unwrap_or_default()
            );
            FloatLit::new(&text)
        });
    prop_oneof![
        4 => finite,
        1 => Just(FloatLit::new("inf").unwrap()),
        1 => Just(FloatLit::new("-inf").unwrap()),
    ]
}

fn reg() -> impl Strategy<Value = Reg> {
    prop_oneof![
        (proptest::sample::select(A_WIDTHS.to_vec()), 0..32u8).prop_map(|(w, i)| Reg::A(w, i)),
        (proptest::sample::select(FloatFormat::ALL.to_vec()), 0..32u8)
            .prop_map(|(f, i)| Reg::F(f, i)),
        (proptest::sample::select(R_WIDTHS.to_vec()), 0..32u8).prop_map(|(w, i)| Reg::R(w, i)),
        (0..16u8).prop_map(Reg::S),
        Just(Reg::St0),
    ]
}

fn site_target() -> impl Strategy<Value = SiteTarget> {
    prop_oneof![
        ident().prop_map(SiteTarget::Ident),
        int_lit().prop_map(SiteTarget::Int),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    let unsigned = || int_lit().prop_map(|i| if i.is_negative() { i.negated() } else { i });
    prop_oneof![
        (unsigned(), proptest::option::of(unsigned()))
            .prop_map(|(start, end)| OperandKind::DataRef { start, end }),
        reg().prop_map(OperandKind::Reg),
        int_lit().prop_map(OperandKind::Int),
        float_lit().prop_map(OperandKind::Float),
        vec(any::<u8>(), 0..24).prop_map(OperandKind::Bytes),
        ident().prop_map(OperandKind::Ident),
        (site_target(), ident()).prop_map(|(target, lib)| OperandKind::Site(Site {
            target: Spanned::new(target, Span::default()),
            lib: name(lib),
        })),
    ]
    .prop_map(|kind| Operand {
        kind,
        span: Span::default(),
    })
}

fn directive() -> impl Strategy<Value = Directive> {
    let data_value = prop_oneof![
        vec(any::<u8>(), 0..24).prop_map(DataValue::Bytes),
        int_lit().prop_map(DataValue::Int),
    ];
    prop_oneof![
        vec("[A-Z][A-Z0-9]{1,7}", 1..4)
            .prop_map(|ids| Directive::Isa(ids.into_iter().map(name).collect())),
        (ident(), proptest::option::of("alu1[a-z0-9]{4,20}")).prop_map(|(n, id)| {
            Directive::Import {
                name: name(n),
                lib_id: id.map(name),
            }
        }),
        (ident(), proptest::option::of(site_target())).prop_map(|(n, target)| {
            Directive::Entry {
                name: name(n),
                target: target.map(|t| Spanned::new(t, Span::default())),
            }
        }),
        vec(any::<u8>(), 0..24).prop_map(|b| Directive::Bytes(Spanned::new(b, Span::default()))),
        (ident(), data_value).prop_map(|(n, v)| Directive::Data {
            name: name(n),
            value: Spanned::new(v, Span::default()),
        }),
        (ident(), int_lit()).prop_map(|(n, v)| Directive::Const {
            name: name(n),
            value: Spanned::new(v, Span::default()),
        }),
    ]
}

fn item() -> impl Strategy<Value = ItemKind> {
    let instruction = (
        "[a-z_][a-z0-9_]{0,6}",
        vec(ident(), 0..=2),
        vec(operand(), 0..5),
    )
        .prop_map(|(mnemonic, flags, operands)| {
            ItemKind::Instruction(Instruction {
                mnemonic: name(mnemonic),
                flags: flags.into_iter().map(name).collect(),
                operands,
            })
        });
    prop_oneof![
        1 => ident().prop_map(|n| ItemKind::Label(name(n))),
        1 => directive().prop_map(ItemKind::Directive),
        3 => instruction,
    ]
}

/// A module without duplicate names: defined names get a unique suffix, repeated ISA
/// ids are dropped.
fn module() -> impl Strategy<Value = Module> {
    vec(item(), 0..12).prop_map(|kinds| {
        let mut isa_seen = HashSet::new();
        let items = kinds
            .into_iter()
            .enumerate()
            .filter_map(|(i, mut kind)| {
                let unique = |n: &mut Name| n.node = format!("{}_{i}", n.node);
                match &mut kind {
                    ItemKind::Label(n) => unique(n),
                    ItemKind::Instruction(_) => {}
                    ItemKind::Directive(d) => match d {
                        Directive::Import { name, .. }
                        | Directive::Entry { name, .. }
                        | Directive::Data { name, .. }
                        | Directive::Const { name, .. } => unique(name),
                        Directive::Bytes(_) => {}
                        Directive::Isa(ids) => {
                            ids.retain(|id| isa_seen.insert(id.node.clone()));
                            if ids.is_empty() {
                                return None;
                            }
                        }
                    },
                }
                Some(Item {
                    kind,
                    span: Span::default(),
                })
            })
            .collect();
        Module { items }
    })
}

fn parse_ok(src: &str) -> Module {
    match parse("t.s", src) {
        Ok(mut module) => {
            module.clear_spans();
            module
        }
        Err(diags) => panic!("{}\n--- source ---\n{src}", render_all(&diags, src)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn bytes_print_parse(bytes in vec(any::<u8>(), 0..64)) {
        let src = format!(".data d {}", print_bytes(&bytes));
        let items = parse_ok(&src).items;
        let ItemKind::Directive(Directive::Data { value, .. }) = &items[0].kind else {
            panic!("{items:?}")
        };
        prop_assert_eq!(&value.node, &DataValue::Bytes(bytes));
    }

    #[test]
    fn int_print_parse(lit in int_lit()) {
        let src = format!(".const c {}", print_int(&lit));
        let items = parse_ok(&src).items;
        let ItemKind::Directive(Directive::Const { value, .. }) = &items[0].kind else {
            panic!("{items:?}")
        };
        prop_assert_eq!(&value.node, &lit);
    }

    #[test]
    fn int_print_matches_std(v in any::<i128>()) {
        prop_assert_eq!(print_int(&IntLit::from(v)), v.to_string());
    }

    #[test]
    fn module_print_parse(module in module()) {
        let src = module.to_string();
        prop_assert_eq!(parse_ok(&src), module);
    }
}
