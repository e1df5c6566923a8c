//! The C runtime's 256-bit arithmetic (contracts/include/avm.h, through
//! contracts/math.c) against num-bigint.

mod chain;

use avm_rv32::contract::Status;
use chain::*;
use num_bigint::BigUint;
use proptest::prelude::*;

const MATH: &[u8] = include_bytes!("../../../contracts/math.elf");

fn big(b: &[u8]) -> BigUint {
    BigUint::from_bytes_le(b)
}

fn word(n: &BigUint) -> [u8; 32] {
    let mut out = [0; 32];
    let b = n.to_bytes_le();
    out[..b.len()].copy_from_slice(&b);
    out
}

/// Numbers with a bias toward edge cases: zero, small, all ones, sparse.
fn any_u256() -> impl Strategy<Value = [u8; 32]> {
    prop_oneof![
        Just([0; 32]),
        Just([0xff; 32]),
        any::<u64>().prop_map(|x| u256(x as u128)),
        any::<[u8; 32]>(),
        (0usize..32, any::<u8>()).prop_map(|(i, b)| {
            let mut w = [0; 32];
            w[i] = b;
            w
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arithmetic_matches_num_bigint(a in any_u256(), b in any_u256()) {
        let mut env = Env::new();
        let math = env.deploy(addr(1), MATH);
        let modulus = BigUint::from(1u8) << 256;
        let (x, y) = (big(&a), big(&b));
        let flag = |r: &[u8]| u32::from_le_bytes(r[32..36].try_into().unwrap());

        let r = env.ok(addr(1), math, input(1, &[a, b])).return_data;
        prop_assert_eq!(r[..32].to_vec(), word(&((&x + &y) % &modulus)).to_vec());
        prop_assert_eq!(flag(&r), (&x + &y >= modulus) as u32);

        let r = env.ok(addr(1), math, input(2, &[a, b])).return_data;
        prop_assert_eq!(r[..32].to_vec(), word(&((&x + &modulus - &y) % &modulus)).to_vec());
        prop_assert_eq!(flag(&r), (y > x) as u32);

        let r = env.ok(addr(1), math, input(3, &[a, b])).return_data;
        prop_assert_eq!(r[..32].to_vec(), word(&((&x * &y) % &modulus)).to_vec());
        prop_assert_eq!(flag(&r), (&x * &y >= modulus) as u32);

        let r = env.call(addr(1), math, input(4, &[a, b]));
        if y == BigUint::from(0u8) {
            prop_assert_eq!(reason(&r), "division by zero");
        } else {
            prop_assert_eq!(&r.status, &Status::Success);
            prop_assert_eq!(r.return_data[..32].to_vec(), word(&(&x / &y)).to_vec());
            prop_assert_eq!(r.return_data[32..].to_vec(), word(&(&x % &y)).to_vec());
        }

        let r = env.ok(addr(1), math, input(5, &[a, b])).return_data;
        let expected = match x.cmp(&y) {
            std::cmp::Ordering::Less => -1i32,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        };
        prop_assert_eq!(i32::from_le_bytes(r[..4].try_into().unwrap()), expected);
    }
}
