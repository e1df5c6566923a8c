//! `examples/points.alu` through the built `avm`: a BIP-340 signature checked
//! by hand with point arithmetic accepts the published vector, rejects a
//! changed message, and agrees with the one-step `schnorr` instruction.

mod common;

use common::{avm, example, scratch, write};

/// The key and message of the example, and its signature as r || s.
const KEY: &str = "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659";

#[test]
fn points_accepts_the_bip340_vector() {
    let r = avm(&["run", &example("points.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    // R = sG - eP is 02 || r.
    assert_eq!(
        r.reg("s[10]"),
        "x\"026896bd60eeae296db48a229ff71dfe071bde413e6d43f917dc8dcf8c78de3341\""
    );
    assert_eq!(r.reg("s[7]"), format!("x\"02{KEY}\""));
}

#[test]
fn points_rejects_a_changed_message() {
    let r = avm(&["run", &example("points.alu"), "--entry", "forged"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("failed"));
    // R is some other point than s[11] = 02 || r.
    assert!(r.reg("s[11]").starts_with("x\"026896bd60"));
    assert_ne!(r.reg("s[10]"), r.reg("s[11]"));
}

#[test]
fn the_one_step_check_agrees() {
    let dir = scratch("points-schnorr");
    let src = format!(
        ".data key x\"{KEY}\"
.data msg x\"243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89\"
.data sig x\"6896BD60EEAE296DB48A229FF71DFE071BDE413E6D43F917DC8DCF8C78DE3341 8906D11AC976ABCCB20B091292BFF4EA897EFCB639EA871CFA95F6DE339E4B0A\"
    put s[0], msg
    put s[1], sig
    put s[2], key
    schnorr s[0], s[1], s[2]
    stop
"
    );
    let file = write(&dir, "one.alu", src);
    let r = avm(&["run", &file]);
    assert_eq!(r.field("st0").as_deref(), Some("true"), "{}", r.stderr);
}
