//! Encode and decode of a ~1 MiB nested value: avm's canonical codec beside
//! serde_json and postcard on the same data (a serde mirror of `DataValue`).

use std::hint::black_box;
use std::time::Duration;

use avm_vm::{codec, DataValue, Limits, VmId};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::{Deserialize, Serialize};

/// The same shape as `DataValue`, for serde (naturals here fit in a u64).
#[derive(Serialize, Deserialize, PartialEq, Debug)]
enum Mirror {
    Nat(u64),
    Function { vm: u64, code: Vec<u8> },
    Tuple(Vec<Mirror>),
    Option(u64, Box<Mirror>),
    Bytes(Vec<u8>),
}

fn mirror(v: &DataValue) -> Mirror {
    match v {
        DataValue::Nat(n) => Mirror::Nat(u64::try_from(n).expect("small naturals")),
        DataValue::Function { vm, code } => Mirror::Function {
            vm: vm.0,
            code: code.clone(),
        },
        DataValue::Tuple(items) => Mirror::Tuple(items.iter().map(mirror).collect()),
        DataValue::Option { index, value } => Mirror::Option(*index, Box::new(mirror(value))),
        DataValue::Bytes(b) => Mirror::Bytes(b.clone()),
    }
}

/// A list of records, each a small tree of every kind of value, nested in
/// groups of 16, about 1 MiB encoded.
fn sample() -> DataValue {
    let record = |i: u64| {
        DataValue::tuple([
            DataValue::nat(i),
            DataValue::string(&format!("record number {i}")),
            DataValue::bytes((0..32).map(|b| (b * 7 + i) as u8).collect::<Vec<u8>>()),
            DataValue::option(
                i % 3,
                DataValue::tuple([DataValue::nat(i * 1000), DataValue::nat(u64::MAX - i)]),
            ),
            DataValue::tuple((0..4).map(|k| DataValue::nat(k * i))),
            DataValue::function(VmId::ALU, vec![0xc0; 8]),
        ])
    };
    let groups = (0..600u64).map(|g| DataValue::tuple((0..16).map(|k| record(g * 16 + k))));
    DataValue::tuple(groups)
}

fn codecs(c: &mut Criterion) {
    let value = sample();
    let bytes = codec::encode(&value);
    let m = mirror(&value);
    let json = serde_json::to_vec(&m).unwrap();
    let post = postcard::to_allocvec(&m).unwrap();
    eprintln!(
        "sizes: avm {} B, serde_json {} B, postcard {} B",
        bytes.len(),
        json.len(),
        post.len()
    );
    let limits = Limits {
        max_size: 64 << 20,
        max_values: 1 << 24,
        ..Limits::default()
    };
    assert_eq!(codec::decode_with(&bytes, &limits).unwrap(), value);

    let mut group = c.benchmark_group("codec");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("avm/encode", |b| {
        b.iter(|| codec::encode(black_box(&value)))
    });
    group.bench_function("avm/decode", |b| {
        b.iter(|| codec::decode_with(black_box(&bytes), &limits).unwrap())
    });
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("serde_json/encode", |b| {
        b.iter(|| serde_json::to_vec(black_box(&m)).unwrap())
    });
    group.bench_function("serde_json/decode", |b| {
        b.iter(|| serde_json::from_slice::<Mirror>(black_box(&json)).unwrap())
    });
    group.throughput(Throughput::Bytes(post.len() as u64));
    group.bench_function("postcard/encode", |b| {
        b.iter(|| postcard::to_allocvec(black_box(&m)).unwrap())
    });
    group.bench_function("postcard/decode", |b| {
        b.iter(|| postcard::from_bytes::<Mirror>(black_box(&post)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, codecs);
criterion_main!(benches);
