//! The disassembler's output, and that it reassembles to the same library.

use std::collections::HashMap;

use avm_alu::library::{LibId, Library};

use crate::*;

struct Libs(Vec<Library>);

impl LibResolver for Libs {
    fn by_name(&self, name: &str) -> Result<Library, String> {
        Err(format!("no `{name}`"))
    }
    fn by_id(&self, id: &LibId) -> Option<Library> {
        self.0.iter().find(|l| l.id() == *id).cloned()
    }
}

/// Disassembles `lib`, checks that the text reassembles to it, and returns the text.
fn round_trip(lib: &Library, names: &ImportNames, imports: &[Library]) -> String {
    let text = disassemble(lib, names);
    match assemble("d.alu", &text, &Libs(imports.to_vec())) {
        Ok(out) => assert_eq!(&out.library, lib, "\n{text}"),
        Err(diags) => panic!("{}\n--- source ---\n{text}", render_all(&diags, &text)),
    }
    text
}

fn from_source(src: &str) -> Library {
    assemble("s.alu", src, &NoLibs).unwrap().library
}

#[test]
fn empty_library() {
    assert_eq!(
        round_trip(&Library::default(), &ImportNames::default(), &[]),
        ""
    );
}

#[test]
fn labels_entries_and_data() {
    let lib = from_source(
        ".isa ZK ALU\n.entry main\n.entry also main\n.entry odd 3\n\
         main: put a16[0], 0x1234\nloop: put s[0], \"hi\"\n jif loop\n jmp 9999\n routine end\nend:\n",
    );
    let text = round_trip(&lib, &ImportNames::default(), &[]);
    assert_eq!(
        text,
        "\
.isa ALU ZK
.entry also
.entry main also
.entry odd 3
.data segment x\"34 12 68 69\"

also:
    put a16[0], data[0] ; = 4660
l_0004:
    put s[0], data[2..4] ; = \"hi\"
    jif l_0004
    jmp 9999
    routine l_0013
l_0013:
"
    );
}

#[test]
fn raw_forms() {
    // 0xff is reserved; 0x02 needs two operand bytes and gets one.
    let lib = Library {
        code: vec![0xff, 0x02, 0x07],
        ..Library::default()
    };
    let text = round_trip(&lib, &ImportNames::default(), &[]);
    assert_eq!(
        text,
        "    reserved 0xff\n.bytes x\"02 07\" ; jmp cut by the end of the code\n"
    );
}

#[test]
fn sites_by_entry_name_and_bad_imports() {
    let import = Library {
        code: vec![0x07; 8],
        entries: vec![("inf".into(), 2), ("sqrt".into(), 4)],
        ..Library::default()
    };
    // call 4 @ 0, call 2 @ 0, call 4 @ 1 (no such import).
    let lib = Library {
        libs: vec![import.id()],
        code: vec![0x05, 4, 0, 0, 0x05, 2, 0, 0, 0x05, 4, 0, 1],
        ..Library::default()
    };
    let mut names = ImportNames::default();
    names.names.push("math".into());
    names.libs.insert(import.id(), import.clone());
    let text = round_trip(&lib, &names, std::slice::from_ref(&import));
    assert_eq!(
        text,
        format!(
            ".import math {}\n\n    call sqrt @ math\n    call 2 @ math\n\
             .bytes x\"05 04 00 01\" ; call into import #1, which does not exist\n",
            import.id()
        )
    );
    // Without names: lib0 and offsets.
    let text = round_trip(&lib, &ImportNames::default(), &[import]);
    assert!(text.contains("    call 4 @ lib0\n"), "{text}");
}

#[test]
fn name_clashes_are_avoided() {
    // Entries named like generated labels, the data entry and reserved words.
    let lib = Library {
        code: vec![0x02, 2, 0, 0x02, 0, 0, 0x09],
        data: vec![1, 2],
        entries: vec![
            ("inf".into(), 6),
            ("l_0002".into(), 3),
            ("segment".into(), 0),
            ("st0".into(), 1),
        ],
        ..Library::default()
    };
    let text = round_trip(&lib, &ImportNames::default(), &[]);
    assert_eq!(
        text,
        "\
.entry inf l_0006
.entry l_0002
.entry segment
.entry st0 1
.data segment_ x\"01 02\"

segment:
    jmp 2
l_0002:
    jmp segment
l_0006:
    nop
"
    );
}

#[test]
fn value_comments() {
    let lib = from_source("put f32[0], 1.5\nput f64[0], 2.0\nput f16[0], 1.0\nput a8[0], data[500]\nput s[0], data[0..100]\n");
    let text = round_trip(&lib, &ImportNames::default(), &[]);
    assert!(text.contains("put f32[0], data[0] ; = 1.5\n"), "{text}");
    assert!(text.contains("put f64[0], data[4] ; = 2.0\n"), "{text}");
    assert!(text.contains("put f16[0], data[12] ; = 0x3c00\n"), "{text}");
    assert!(
        text.contains("put a8[0], data[500] ; past the end of data\n"),
        "{text}"
    );
    assert!(
        text.contains("put s[0], data[0..100] ; past the end of data\n"),
        "{text}"
    );
}

#[test]
fn caller_import_names_are_checked() {
    let a = Library {
        code: vec![1],
        ..Library::default()
    };
    let b = Library {
        code: vec![2],
        ..Library::default()
    };
    let lib = Library {
        libs: vec![a.id(), b.id()],
        ..Library::default()
    };
    let names = ImportNames {
        names: vec!["x".into(), "x".into()],
        libs: HashMap::new(),
    };
    let text = round_trip(&lib, &names, &[a, b]);
    assert!(text.starts_with(".import x alu1"), "{text}");
    assert!(text.contains("\n.import lib1 alu1"), "{text}");
}
