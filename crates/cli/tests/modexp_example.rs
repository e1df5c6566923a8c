//! `examples/modexp.alu` through the built `avm`: an RSA round trip in r256
//! with the ciphertext Python's `pow` gives, and a Fermat test of 2^255 - 19.

mod common;

use common::{avm, example};

const MESSAGE: &str = "0x00000000000000000061766d206d6f646578703a203235362d62697420525341";

#[test]
fn modexp_encrypts_decrypts_and_passes_the_fermat_test() {
    let r = avm(&["run", &example("modexp.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("stopped"));
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    // d = 65537^-1 mod phi and c = m^65537 mod n, as Python's pow computes them.
    assert_eq!(
        r.reg("r256[7]"),
        "0x37900f0687900f069439e5afd98a84f84eb7c0574eb7c05cd62b1c4c3a455901"
    );
    assert_eq!(
        r.reg("r256[9]"),
        "0x1313729ae8c01142deb46e395fbafe05bb176fce47c1908ed4ae5a1ea9bbb290"
    );
    assert_eq!(r.reg("r256[10]"), MESSAGE);
    assert_eq!(r.reg("r256[14]"), format!("0x{:064x}", 1));
}

#[test]
fn modexp_fails_when_e_has_no_inverse() {
    // q - 1 = 2 * 65537, so 65537 divides phi and e has no inverse.
    let r = avm(&["run", &example("modexp.alu"), "--set", "r256[1]=131075"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.field("st0").as_deref(), Some("false"));
    assert!(!r.registers().contains_key("r256[7]"));
}
