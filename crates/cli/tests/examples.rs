//! Every example in `examples/` run through the built `avm`: exact results, exit codes,
//! stop reasons; plus `--json`, `--trace`, `--set` and the asm/disasm round trip.

mod common;

use common::{avm, example, examples_copy, scratch, write};

const FACT_100: &str = "93326215443944152681699238856266700490715968264381621468592963895217599993229915608941463976156518286253697920827223758251185210916864000000000000000000000000";

#[test]
fn sum_is_5050() {
    let r = avm(&["run", &example("sum.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("stopped"));
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    assert_eq!(r.field("jumps").as_deref(), Some("99"));
    assert_eq!(r.reg("a64[0]"), "5050");
    assert_eq!(r.reg("a64[1]"), "101");
    assert_eq!(r.reg("a64[2]"), "100");
    assert_eq!(r.registers().len(), 3);
}

#[test]
fn sum_takes_its_bound_from_set() {
    let r = avm(&["run", &example("sum.alu"), "--set", "a64[2]=10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.reg("a64[0]"), "55");
}

#[test]
fn fib_90() {
    let r = avm(&["run", &example("fib.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[1]"), "2880067194370816120");
    assert_eq!(r.reg("a64[2]"), "4660046610375530309");
    assert_eq!(r.reg("a64[3]"), "90");
    let r = avm(&["run", &example("fib.alu"), "--set", "a64[0]=10"]);
    assert_eq!(r.reg("a64[1]"), "55");
}

#[test]
fn fib_past_64_bits_fails() {
    let r = avm(&["run", &example("fib.alu"), "--set", "a64[0]=93"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("failed"));
    assert_eq!(r.field("st0").as_deref(), Some("false"));
}

#[test]
fn factorial_100_in_1024_bits() {
    let r = avm(&["run", &example("factorial.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a1024[0]"), FACT_100);
    assert_eq!(r.reg("a1024[1]"), "101");
    let r = avm(&["run", &example("factorial.alu"), "--set", "a1024[2]=30"]);
    assert_eq!(r.reg("a1024[0]"), "265252859812191058636308480000000");
}

#[test]
fn factorial_171_overflows_and_test_fails_the_run() {
    let r = avm(&["run", &example("factorial.alu"), "--set", "a1024[2]=171"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("failed"));
    assert!(!r.registers().contains_key("a1024[0]"));
}

#[test]
fn gcd_with_rem() {
    let r = avm(&["run", &example("gcd.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[0]"), "21");
    assert_eq!(r.reg("a64[1]"), "0");
    let r = avm(&[
        "run",
        &example("gcd.alu"),
        "--set",
        "a64[0]=1234567890",
        "--set",
        "a64[1]=0x3ade68b1",
    ]);
    assert_eq!(r.reg("a64[0]"), "9");
}

#[test]
fn hello_world_in_byte_strings() {
    let r = avm(&["run", &example("hello.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("s[0]"), "\"hello, world\"");
    assert_eq!(r.reg("s[5]"), "\"hello, world!\"");
    assert_eq!(r.reg("a16[0]"), "12");
    assert_eq!(r.registers().len(), 3);
}

#[test]
fn calls_into_mathlib_assembled_on_the_fly() {
    let dir = examples_copy("calls");
    let r = avm(&["run", &dir.join("calls.alu").display().to_string()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[0]"), "27");
    assert_eq!(r.reg("a64[2]"), "144");
    assert_eq!(r.field("jumps").as_deref(), Some("2"));
}

#[test]
fn mathlib_as_a_library_file() {
    let dir = examples_copy("mathlib");
    let src = dir.join("mathlib.alu").display().to_string();
    let lib = dir.join("mathlib.lib").display().to_string();
    let a = avm(&["asm", &src]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let id = a.stdout.trim().to_string();
    assert!(id.starts_with("alu1"), "{id}");

    let i = avm(&["inspect", &lib]);
    assert_eq!(i.code, 0, "{}", i.stderr);
    assert!(i.stdout.contains(&id));
    assert!(i.stdout.contains("square"));
    assert!(i.stdout.contains("cube"));
    assert!(i.stdout.contains("signature:  none"));

    let r = avm(&["run", &lib, "--entry", "cube", "--set", "a64[0]=3"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[0]"), "27");
    let r = avm(&["run", &lib, "--entry", "square", "--set", "a64[0]=12"]);
    assert_eq!(r.reg("a64[0]"), "144");

    // calls.alu now imports the assembled mathlib.lib, and runs the same.
    let r = avm(&["run", &dir.join("calls.alu").display().to_string()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[0]"), "27");

    // A compiled calls.lib finds mathlib by id in its own directory.
    let out = dir.join("calls.lib").display().to_string();
    assert_eq!(
        avm(&["asm", &dir.join("calls.alu").display().to_string()]).code,
        0
    );
    let r = avm(&["run", &out]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.reg("a64[2]"), "144");
}

#[test]
fn out_of_gas_stops_at_the_complexity_limit() {
    let r = avm(&["run", &example("out_of_gas.alu"), "--gas", "1000"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("complexity-limit"));
    assert_eq!(r.field("st0").as_deref(), Some("false"));
    let gas: u64 = r.field("gas").unwrap().parse().unwrap();
    assert!(gas <= 1000 && gas > 990, "{gas}");
}

#[test]
fn out_of_gas_without_gas_hits_the_jump_limit() {
    let r = avm(&["run", &example("out_of_gas.alu")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.field("stop").unwrap().starts_with("jump-limit"));
    assert_eq!(r.field("jumps").as_deref(), Some("65535"));
    let r = avm(&["run", &example("out_of_gas.alu"), "--jumps", "10"]);
    assert_eq!(r.field("jumps").as_deref(), Some("10"));
    assert_eq!(r.reg("a64[0]"), "11");
}

#[test]
fn json_output_parses_and_matches_the_text() {
    let r = avm(&["run", &example("sum.alu"), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(v["stop"], "stopped");
    assert_eq!(v["st0"], true);
    assert_eq!(v["jumps"], 99);
    assert!(v["gas"].as_u64().unwrap() > 0);
    assert_eq!(v["registers"]["a64[0]"], "5050");
    assert!(v.get("trace").is_none());

    let r = avm(&["run", &example("hello.alu"), "--json", "--trace"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON document");
    assert_eq!(v["registers"]["s[0]"], "\"hello, world\"");
    let trace = v["trace"].as_array().expect("trace array");
    let join = trace
        .iter()
        .find(|s| s["instr"].as_str().unwrap().starts_with("join"))
        .expect("a join step");
    assert_eq!(join["changes"]["s[0]"], "\"hello, world\"");
    let clr = trace
        .iter()
        .find(|s| s["instr"] == "clr s[1]")
        .expect("a clr step");
    assert_eq!(clr["changes"]["s[1]"], serde_json::Value::Null);
    assert_eq!(trace.last().unwrap()["instr"], "stop");
}

#[test]
fn inspect_json_parses() {
    let dir = examples_copy("inspect-json");
    assert_eq!(
        avm(&["asm", &dir.join("calls.alu").display().to_string()]).code,
        0
    );
    let r = avm(&[
        "inspect",
        "--json",
        &dir.join("calls.lib").display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert!(v["id"].as_str().unwrap().starts_with("alu1"));
    assert_eq!(v["imports"].as_array().unwrap().len(), 1);
    assert!(v["entries"]["main"].is_u64());
    assert_eq!(v["signature"], serde_json::Value::Null);
}

#[test]
fn trace_shows_each_step_and_what_it_changed() {
    let r = avm(&["run", &example("gcd.alu"), "--trace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let rem = lines
        .iter()
        .find(|l| l.contains("rem.u a64[2], a64[0], a64[1]"))
        .expect("a rem step");
    assert!(rem.starts_with("0x"), "{rem}");
    assert!(rem.ends_with("; a64[2] = 147"), "{rem}");
    let mov = lines
        .iter()
        .find(|l| l.contains("mov a64[1], a64[2]"))
        .expect("a mov step");
    assert!(mov.contains("a64[1] = 147, a64[2] = undefined"), "{mov}");
    assert!(lines
        .iter()
        .any(|l| l.contains("ifz a64[1]") && l.contains("st0 = false")));
    // The summary follows the trace.
    assert_eq!(r.reg("a64[0]"), "21");
}

#[test]
fn trace_names_other_libraries() {
    let dir = examples_copy("trace-calls");
    let r = avm(&[
        "run",
        &dir.join("calls.alu").display().to_string(),
        "--trace",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains("@mathlib") && l.contains("mul.uc") && l.contains("a64[0] = 144")),
        "{}",
        r.stdout
    );
}

#[test]
fn asm_disasm_asm_keeps_the_id() {
    let dir = examples_copy("roundtrip");
    for name in [
        "sum",
        "fib",
        "factorial",
        "gcd",
        "hello",
        "mathlib",
        "calls",
        "out_of_gas",
        "interest",
    ] {
        let src = dir.join(format!("{name}.alu")).display().to_string();
        let first = avm(&["asm", &src]);
        assert_eq!(first.code, 0, "{name}: {}", first.stderr);
        let lib = dir.join(format!("{name}.lib")).display().to_string();
        let text = avm(&["disasm", &lib]);
        assert_eq!(text.code, 0, "{name}: {}", text.stderr);
        let again = write(&dir, &format!("{name}_again.alu"), &text.stdout);
        let out = dir.join(format!("{name}_again.lib")).display().to_string();
        let second = avm(&["asm", &again, "-o", &out]);
        assert_eq!(second.code, 0, "{name}: {}\n{}", second.stderr, text.stdout);
        assert_eq!(first.stdout, second.stdout, "{name}:\n{}", text.stdout);
    }
}

#[test]
fn entry_by_offset_and_default_offset_zero() {
    let dir = scratch("entry");
    let src = write(
        &dir,
        "p.alu",
        "    put a64[0], 1\n    stop\nsecond:\n    put a64[0], 2\n    stop\n",
    );
    let r = avm(&["run", &src]);
    assert_eq!(r.reg("a64[0]"), "1");
    let r = avm(&["run", &src, "--entry", "second"]);
    assert_eq!(r.reg("a64[0]"), "2");
    let pos = avm(&["asm", &src]);
    assert_eq!(pos.code, 0, "{}", pos.stderr);
    let r = avm(&["run", &src, "--entry", "0"]);
    assert_eq!(r.reg("a64[0]"), "1");
}

#[test]
fn set_accepts_every_register_family() {
    let dir = scratch("set");
    let src = write(&dir, "nop.alu", "    stop\n");
    let r = avm(&[
        "run",
        &src,
        "--set",
        "a8[0]=-1",
        "--set",
        "a1024[1]=0xff",
        "--set",
        "r256[0]=0xdead",
        "--set",
        "f64[0]=1.5",
        "--set",
        "f128[0]=0.1",
        "--set",
        "s[0]=\"hi\\n\"",
        "--set",
        "s[1]=x\"00ff\"",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.reg("a8[0]"), "255");
    assert_eq!(r.reg("a1024[1]"), "255");
    assert_eq!(r.reg("r256[0]"), format!("0x{}dead", "0".repeat(60)));
    assert_eq!(r.reg("f64[0]"), "0x3ff8000000000000");
    assert_eq!(r.reg("f128[0]"), "0x3ffb999999999999999999999999999a");
    assert_eq!(r.reg("s[0]"), "\"hi\\n\"");
    assert_eq!(r.reg("s[1]"), "x\"00ff\"");
}

#[test]
fn disasm_names_obj_instructions_and_round_trips() {
    let dir = scratch("obj-disasm");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/objects");
    let src = std::fs::read_to_string(root.join("counter.alu")).unwrap();
    let src = write(&dir, "counter.alu", &src);
    let first = avm(&["asm", &src]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let lib = dir.join("counter.lib").display().to_string();
    let text = avm(&["disasm", &lib]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("oget a64[0], a64[2]"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("reserved"), "{}", text.stdout);
    assert!(!text.stdout.contains("ext 0x"), "{}", text.stdout);
    let again = write(&dir, "again.alu", &text.stdout);
    let out = dir.join("again.lib").display().to_string();
    let second = avm(&["asm", &again, "-o", &out]);
    assert_eq!(second.code, 0, "{}\n{}", second.stderr, text.stdout);
    assert_eq!(first.stdout, second.stdout, "{}", text.stdout);
}

#[test]
fn interest_differs_by_rounding_direction() {
    let r = avm(&["run", &example("interest.alu")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.field("st0").as_deref(), Some("true"));
    // 1000 * (1 + 0.05/12)^360 = 4467.74 in every direction, to the cent.
    for i in 0..4 {
        assert_eq!(r.reg(&format!("a64[{i}]")), "446774");
    }
    let bits = |i: u8| u64::from_str_radix(&r.reg(&format!("f64[{i}]"))[2..], 16).unwrap();
    let (nearest, zero, down, up) = (bits(0), bits(1), bits(2), bits(3));
    assert!(
        down < nearest && nearest < up,
        "{down:x} {nearest:x} {up:x}"
    );
    assert_eq!(zero, down);
    // The nearest-even product is what IEEE hardware computes (checked here
    // against the host's f64, which the VM itself never uses).
    let factor = 1.0 + 0.05 / 12.0;
    let host = (0..360).fold(1000.0f64, |b, _| b * factor);
    assert_eq!(nearest, host.to_bits());
    assert_eq!(r.reg("a64[4]"), "268");
    let short = avm(&["run", &example("interest.alu"), "--set", "a16[0]=12"]);
    assert_eq!(short.reg("a64[0]"), "105116");
}
