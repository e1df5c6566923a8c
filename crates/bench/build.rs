//! Compiles the RV32 benchmark workloads (the C the guests run) natively,
//! at the same -O2 as the guest builds, as the baseline of the ratios.

fn main() {
    let sources = [
        "../rv32/tests/fixtures/bench.c",
        "../rv32/tests/fixtures/checksum.c",
    ];
    for src in sources {
        println!("cargo:rerun-if-changed={src}");
    }
    cc::Build::new()
        .files(sources)
        .define("NATIVE_LIB", None)
        .opt_level(2)
        .compile("rv32_bench_native");
}
