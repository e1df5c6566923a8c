//! `avm prove` and `avm verify-proof`: the preimage example in two commands,
//! JSON reports, and the exit codes of refused, false and damaged statements.

mod common;

use common::{avm, scratch, write};

const H: &str = "3261194153156289175"; // MiMC(12345)

fn preimage() -> String {
    format!(
        "{}/../../examples/prove/preimage.alu",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_preimage_example_proves_and_verifies_in_two_commands() {
    let dir = scratch("prove-preimage");
    let proof = dir.join("p.proof").display().to_string();
    let src = preimage();
    let run = avm(&[
        "prove",
        &src,
        "--public",
        H,
        "--private",
        "12345",
        "--out",
        &proof,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("96 bits conjectured"), "{}", run.stdout);
    let run = avm(&["verify-proof", &src, "--public", H, &proof]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("verified:"), "{}", run.stdout);

    // Another public argument: not verified, exit 1.
    let run = avm(&["verify-proof", &src, "--public", "5", &proof, "--json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["verified"], false);

    // A damaged proof: not verified, exit 1, no panic.
    let mut bytes = std::fs::read(&proof).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x10;
    let bad = write(&dir, "bad.proof", &bytes);
    let run = avm(&["verify-proof", &src, "--public", H, &bad]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("not verified:"), "{}", run.stdout);
}

#[test]
fn json_reports_sizes_and_timings() {
    let dir = scratch("prove-json");
    let proof = dir.join("f.proof").display().to_string();
    let fib = format!(
        "{}/../../examples/prove/fib.alu",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = avm(&[
        "prove",
        &fib,
        "--public",
        "55",
        "--private",
        "10",
        "--out",
        &proof,
        "--json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(doc["steps"], 7 * 10 + 10);
    assert_eq!(doc["proof_bytes"], std::fs::metadata(&proof).unwrap().len());
    assert!(doc["prove_ms"].as_f64().is_some());
    assert_eq!(doc["zero_knowledge"], false);
}

#[test]
fn false_statements_and_programs_outside_the_subset_are_refused() {
    let dir = scratch("prove-refused");
    let out = dir.join("x.proof").display().to_string();
    // A wrong preimage: the program does not accept, exit 1, no proof written.
    let run = avm(&[
        "prove",
        &preimage(),
        "--public",
        H,
        "--private",
        "1",
        "--out",
        &out,
    ]);
    assert_eq!(run.code, 1);
    assert!(!std::path::Path::new(&out).exists());
    // Integer arithmetic is outside the subset: exit 8, naming it.
    let src = write(
        &dir,
        "int.alu",
        "main:\n    add.uc a64[0], a64[0], a64[1]\n    stop\n",
    );
    let run = avm(&["prove", &src, "--public", "1", "--private", "2"]);
    assert_eq!(run.code, 8);
    assert!(run.stderr.contains("`add` at offset 0"), "{}", run.stderr);
    // An argument that is not a field element: a usage error.
    let run = avm(&[
        "prove",
        &preimage(),
        "--public",
        "18446744073709551615",
        "--private",
        "1",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
