//! `docs/isa.md` is generated from the opcode table; this test keeps it so.
//! Run with `UPDATE_DOCS=1` to rewrite the file after changing the table.

use avm_alu::isa::{doc, OPCODES};
use std::path::PathBuf;

fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/isa.md")
}

#[test]
fn docs_isa_md_is_generated_from_the_table() {
    let want = doc::markdown();
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        std::fs::write(path(), &want).expect("write docs/isa.md");
        return;
    }
    let have = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        have == want,
        "docs/isa.md is out of date: run `UPDATE_DOCS=1 cargo test -p avm-alu --test isa_doc`"
    );
}

#[test]
fn every_opcode_has_a_row() {
    let md = doc::markdown();
    for info in OPCODES {
        let row = format!("| `{:#04x}` | `{}` |", info.opcode, doc::syntax(info));
        assert!(md.contains(&row), "{row}");
    }
}

#[test]
fn forms_read_as_assembly() {
    let form = |op: u8| doc::syntax(OPCODES.iter().find(|i| i.opcode == op).unwrap());
    assert_eq!(form(0x00), "fail");
    assert_eq!(form(0x05), "call pos @ lib");
    assert_eq!(form(0x17), "put s[reg], data[off..off+len]");
    assert_eq!(form(0x27), "cpy aN[dst], aM[src]");
    assert_eq!(form(0x2C), "st.{s,a,n,o} aN[reg]");
    assert_eq!(form(0x30), "gt.{u,s} aN[a], aN[b]");
    assert_eq!(form(0x40), "add.{uc,uw,sc,sw} aN[dst], aN[a], aN[b]");
    assert_eq!(form(0x47), "inc.{uc,uw,sc,sw} aN[reg], step");
    assert_eq!(form(0x5E), "shl rN[dst], rN[src], aK[amt]");
    assert_eq!(form(0x70), "fill s[dst], a16[off], a16[len], a8[byte]");
}
