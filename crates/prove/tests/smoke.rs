use avm_alu::AluVm;
use avm_prove::{AluProof, Statement};
use avm_vm::DataValue;

#[test]
fn square_root_knowledge() {
    let src = ".entry main\nmain:\n  mulgl a64[2], a64[1], a64[1]\n  eqgl a64[2], a64[0]\n  test\n  putgl a64[0], 1\n  stop\n";
    let lib = avm_asm::assemble("t.alu", src, &avm_asm::NoLibs)
        .unwrap()
        .library;
    let p = AluVm::new().program(&lib.to_bytes()).unwrap();
    let s = Statement::new(&p).unwrap();
    let t = std::time::Instant::now();
    let proof = s
        .prove(&DataValue::nat(49u8), &DataValue::nat(7u8), 100)
        .unwrap();
    eprintln!("prove {:?}", t.elapsed());
    let bytes = proof.to_bytes();
    eprintln!(
        "size {} security {}",
        bytes.len(),
        proof
            .stark
            .conjectured_security::<avm_prove::engine::Hash>()
            .bits()
    );
    let back = AluProof::from_bytes(&bytes).unwrap();
    s.verify(&DataValue::nat(49u8), &back).unwrap();
    assert!(s.verify(&DataValue::nat(50u8), &back).is_err());
}
