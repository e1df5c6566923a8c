//! Disassembling then assembling gives back the same library, byte for byte: for random
//! libraries, for a program with every opcode row, and for every example program.

use std::path::PathBuf;

use avm_alu::isa::{self, OPCODES};
use avm_alu::library::{LibId, Library};
use avm_asm::*;
use proptest::collection::vec;
use proptest::prelude::*;

/// Finds libraries by id among a fixed set.
struct Libs(Vec<Library>);

impl LibResolver for Libs {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        Err(format!("no library `{name}` in this test"))
    }
    fn by_id(&self, id: &LibId) -> Option<Library> {
        self.0.iter().find(|l| l.id() == *id).cloned()
    }
}

fn reassemble(lib: &Library, names: &ImportNames, resolver: &dyn LibResolver) -> String {
    let text = disassemble(lib, names);
    match assemble("dis.alu", &text, resolver) {
        Ok(out) => assert_eq!(&out.library, lib, "\n--- source ---\n{text}"),
        Err(diags) => panic!("{}\n--- source ---\n{text}", render_all(&diags, &text)),
    }
    text
}

fn entry_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z_][A-Za-z0-9_]{0,8}",
        1 => proptest::sample::select(vec![
            "inf", "nan", "st0", "data", "segment", "l_0000", "l_0003", "lib0", "a64", "s", "jmp",
        ])
        .prop_map(str::to_owned),
    ]
}

fn entries() -> impl Strategy<Value = Vec<(String, u16)>> {
    vec((entry_name(), prop_oneof![0..64u16, any::<u16>()]), 0..6).prop_map(|mut e| {
        e.sort();
        e.dedup_by(|a, b| a.0 == b.0);
        e
    })
}

fn import() -> impl Strategy<Value = Library> {
    (vec(any::<u8>(), 1..8), entries()).prop_map(|(code, entries)| Library {
        code,
        entries,
        ..Library::default()
    })
}

fn library() -> impl Strategy<Value = (Library, Vec<Library>)> {
    (
        proptest::sample::subsequence(vec!["ALU", "BPF", "ZK"], 0..=3),
        vec(import(), 0..3),
        // Bias towards control opcodes so calls and jumps into imports are common.
        vec(
            prop_oneof![3 => any::<u8>(), 1 => 0u8..=8, 1 => Just(0u8), 1 => 0x14u8..=0x17],
            0..300,
        ),
        vec(any::<u8>(), 0..64),
        entries(),
    )
        .prop_map(|(isa, mut imports, code, data, entries)| {
            imports.sort_by_key(Library::id);
            imports.dedup_by_key(|l| l.id());
            let lib = Library {
                isa: isa.into_iter().map(str::to_owned).collect(),
                libs: imports.iter().map(Library::id).collect(),
                code,
                data,
                entries,
            };
            (lib, imports)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn random_libraries_round_trip((lib, imports) in library(), named in any::<bool>()) {
        prop_assert!(lib.check().is_ok());
        let mut names = ImportNames::default();
        if named {
            for (i, import) in imports.iter().enumerate() {
                names.names.push(format!("dep{i}"));
                names.libs.insert(import.id(), import.clone());
            }
        }
        reassemble(&lib, &names, &Libs(imports));
    }

    #[test]
    fn assembling_random_text_never_panics(src in "[ -~\n]{0,200}") {
        let _ = assemble("r.alu", &src, &NoLibs);
    }
}

/// A source operand for each template element of an opcode row.
fn operand(kind: &str, i: usize) -> String {
    let idx = i % 16;
    match kind {
        "a" => format!("a64[{idx}]"),
        "a16" => format!("a16[{idx}]"),
        "a8" => format!("a8[{idx}]"),
        "a64" => format!("a64[{idx}]"),
        "f" => format!("f32[{idx}]"),
        "r" => format!("r256[{idx}]"),
        "r160" | "r256" | "r512" => format!("{kind}[{idx}]"),
        "s" => format!("s[{idx}]"),
        "st0" => "st0".into(),
        "pos" => "target".into(),
        "site" => "sqrt @ math".into(),
        "data" => format!("{}", 7 + i),
        "range" => "\"bytes\"".into(),
        "step" => "3".into(),
        other => panic!("unknown template element {other}"),
    }
}

const SUFFIXES: [&str; 12] = [
    "uc", "uw", "sc", "sw", "u", "s", "c", "w", "e", "n", "a", "secp",
];

#[test]
fn every_opcode_row_assembles_and_round_trips() {
    let math = Library {
        code: vec![0x07; 4],
        entries: vec![("sqrt".into(), 2)],
        ..Library::default()
    };
    let resolver = Libs(vec![math.clone()]);
    let mut src = format!(".import math {}\ntarget:\n", math.id());
    for row in OPCODES {
        let elements: Vec<&str> = row
            .template
            .split("),")
            .filter_map(|p| p.split('(').next())
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        let has_flag = elements.first() == Some(&"flag");
        let ops: Vec<String> = elements
            .iter()
            .filter(|k| **k != "flag")
            .enumerate()
            .map(|(i, k)| operand(k, i))
            .collect();
        let candidates: Vec<Option<&str>> = if has_flag {
            SUFFIXES.iter().map(|s| Some(*s)).collect()
        } else {
            vec![None]
        };
        let line = candidates
            .into_iter()
            .map(|sfx| {
                let m = match sfx {
                    Some(s) => format!("{}.{s}", row.mnemonic),
                    None => row.mnemonic.to_owned(),
                };
                format!("    {m} {}\n", ops.join(", "))
            })
            .find(|line| assemble("row.alu", &format!("{src}{line}"), &resolver).is_ok())
            .unwrap_or_else(|| panic!("no operands found for {} {}", row.mnemonic, row.template));
        src.push_str(&line);
    }
    let lib = assemble("all.alu", &src, &resolver).unwrap().library;
    let opcodes: Vec<u8> = isa::disassemble(&lib.code, isa::no_ext)
        .iter()
        .map(|(_, i)| i.opcode())
        .collect();
    let want: Vec<u8> = OPCODES.iter().map(|r| r.opcode).collect();
    assert_eq!(opcodes, want);
    let mut names = ImportNames::default();
    names.names.push("math".into());
    names.libs.insert(math.id(), math.clone());
    let text = reassemble(&lib, &names, &resolver);
    assert!(text.contains("call sqrt @ math"), "{text}");
}

#[test]
fn every_example_round_trips() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let Ok(read) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "alu"))
        .collect();
    paths.sort();
    let resolver = DirResolver::new(vec![dir.clone()]);
    for path in paths {
        let src = std::fs::read_to_string(&path).unwrap();
        let file = path.display().to_string();
        let lib = match assemble(&file, &src, &resolver) {
            Ok(out) => out.library,
            Err(diags) => panic!("{}", render_all(&diags, &src)),
        };
        reassemble(&lib, &ImportNames::default(), &resolver);
    }
}
