//! Compiles the RV32 benchmark workload (the C the guests run) natively, at
//! the same -O2 as the guest builds, as the baseline of the ratios.

fn main() {
    let src = "../rv32/tests/fixtures/bench.c";
    println!("cargo:rerun-if-changed={src}");
    cc::Build::new()
        .file(src)
        .define("NATIVE_LIB", None)
        .opt_level(2)
        .compile("rv32_bench_native");
}
