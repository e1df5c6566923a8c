//! The Rust contract SDK's plain-`core` parts (contracts-rs/sdk: `U256`, the
//! ABI and storage encodings, the bump allocator), compiled for the host
//! and checked against num-bigint and by round trips.

// The SDK's source files as modules, at the paths the SDK itself uses
// (`crate::u256`, `crate::address`), so they compile unchanged. Not every
// item is used here.
#[path = "../../../contracts-rs/sdk/src/address.rs"]
#[allow(dead_code)]
mod address;
#[path = "../../../contracts-rs/sdk/src/bump.rs"]
#[allow(dead_code)]
mod bump;
#[path = "../../../contracts-rs/sdk/src/codec.rs"]
#[allow(dead_code)]
mod codec;
#[path = "../../../contracts-rs/sdk/src/u256.rs"]
#[allow(dead_code)]
mod u256;

use std::alloc::{GlobalAlloc, Layout};

use address::{topic, Address};
use bump::BumpAllocator;
use codec::{Abi, Stored};
use num_bigint::BigUint;
use proptest::prelude::*;
use u256::U256;

fn big(x: U256) -> BigUint {
    BigUint::from_bytes_le(&x.to_le_bytes())
}

/// `n` as a U256 if it fits.
fn fit(n: &BigUint) -> Option<U256> {
    let b = n.to_bytes_le();
    (b.len() <= 32).then(|| {
        let mut w = [0; 32];
        w[..b.len()].copy_from_slice(&b);
        U256::from_le_bytes(w)
    })
}

/// Numbers with a bias toward edge cases: zero, small, all ones, sparse.
fn any_u256() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(U256::ZERO),
        Just(U256::MAX),
        any::<u64>().prop_map(U256::from),
        any::<u128>().prop_map(U256::from),
        any::<[u8; 32]>().prop_map(U256::from_le_bytes),
        (0usize..32, any::<u8>()).prop_map(|(i, b)| {
            let mut w = [0; 32];
            w[i] = b;
            U256::from_le_bytes(w)
        }),
    ]
}

fn any_address() -> impl Strategy<Value = Address> {
    any::<[u8; 32]>().prop_map(Address)
}

/// `x` through `Abi`: encoded, decoded, compared.
fn abi_round_trip<T: Abi + PartialEq + std::fmt::Debug>(x: T) -> Result<(), TestCaseError> {
    let mut buf = vec![0xee; 32 * T::WORDS];
    x.encode(&mut buf);
    prop_assert_eq!(T::decode(&buf), Some(x));
    // One byte short or long is not a `T`.
    if !buf.is_empty() {
        prop_assert_eq!(T::decode(&buf[1..]), None);
    }
    buf.push(0);
    prop_assert_eq!(T::decode(&buf), None);
    Ok(())
}

/// `x` through `Stored`: stored, loaded, compared.
fn stored_round_trip<T: Stored + PartialEq + std::fmt::Debug>(x: T) -> Result<(), TestCaseError> {
    let mut buf = vec![0xee; T::LEN];
    x.store(&mut buf);
    prop_assert_eq!(T::load(&buf), Some(x));
    prop_assert_eq!(T::load(&buf[1..]), None);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn u256_arithmetic_matches_num_bigint(a in any_u256(), b in any_u256()) {
        let (x, y) = (big(a), big(b));
        prop_assert_eq!(a.checked_add(b), fit(&(&x + &y)));
        prop_assert_eq!(a.checked_sub(b), (x >= y).then(|| fit(&(&x - &y)).unwrap()));
        prop_assert_eq!(a.checked_mul(b), fit(&(&x * &y)));
        let expected = (!b.is_zero()).then(|| (fit(&(&x / &y)).unwrap(), fit(&(&x % &y)).unwrap()));
        prop_assert_eq!(a.checked_div_rem(b), expected);
        prop_assert_eq!(a.checked_div(b), expected.map(|(q, _)| q));
        prop_assert_eq!(a.cmp(&b), x.cmp(&y));
        prop_assert_eq!(a.bits() as u64, x.bits());
        prop_assert_eq!(a.is_zero(), x == BigUint::from(0u8));
        prop_assert_eq!(a.to_u128(), u128::try_from(&x).ok());
        prop_assert_eq!(U256::from_limbs(a.limbs()), a);
    }

    #[test]
    fn abi_values_round_trip(
        a in any_u256(), who in any_address(), x in any::<u128>(), y in any::<u64>(),
        z in any::<u32>(), b in any::<u8>(), flag in any::<bool>(),
    ) {
        abi_round_trip(a)?;
        abi_round_trip(who)?;
        abi_round_trip(x)?;
        abi_round_trip(y)?;
        abi_round_trip(z)?;
        abi_round_trip(b)?;
        abi_round_trip(flag)?;
        abi_round_trip(())?;
        abi_round_trip((a, who))?;
        abi_round_trip(((who, y), (flag, a)))?;
    }

    #[test]
    fn abi_words_are_the_c_runtimes(a in any_u256(), y in any::<u64>()) {
        // A U256 word is its 32 little-endian bytes; a u64 word is its 8,
        // zero-extended: what contracts/include/avm.h reads and writes.
        let mut w = [0; 64];
        (a, y).encode(&mut w);
        prop_assert_eq!(&w[..32], &a.to_le_bytes()[..]);
        prop_assert_eq!(&w[32..40], &y.to_le_bytes()[..]);
        prop_assert!(w[40..].iter().all(|&b| b == 0));
    }

    #[test]
    fn abi_decoding_any_word_never_panics_and_keeps_only_canonical_values(
        w in prop_oneof![any::<[u8; 32]>(), (any::<u64>(), 0usize..32).prop_map(|(x, i)| {
            let mut w = [0; 32];
            w[..8].copy_from_slice(&x.to_le_bytes());
            w[i] |= 1;
            w
        })],
    ) {
        let high_zero = |n: usize| w[n..].iter().all(|&b| b == 0);
        prop_assert_eq!(u64::decode(&w).is_some(), high_zero(8));
        prop_assert_eq!(u32::decode(&w).is_some(), high_zero(4));
        prop_assert_eq!(u128::decode(&w).is_some(), high_zero(16));
        prop_assert_eq!(bool::decode(&w).is_some(), high_zero(1) && w[0] <= 1);
        prop_assert!(U256::decode(&w).is_some());
        for value in [u64::decode(&w).map(U256::from), u32::decode(&w).map(U256::from)].into_iter().flatten() {
            prop_assert_eq!(U256::decode(&w), Some(value));
        }
    }

    #[test]
    fn stored_values_round_trip(
        a in any_u256(), who in any_address(), x in any::<u128>(), y in any::<u64>(),
        z in any::<u32>(), b in any::<u8>(), flag in any::<bool>(),
    ) {
        stored_round_trip(a)?;
        stored_round_trip(who)?;
        stored_round_trip(x)?;
        stored_round_trip(y)?;
        stored_round_trip(z)?;
        stored_round_trip(b)?;
        stored_round_trip(flag)?;
        stored_round_trip((who, (a, flag)))?;
    }

    #[test]
    fn a_pair_key_is_the_two_keys_side_by_side(owner in any_address(), spender in any_address()) {
        // The C ERC-20's allowance key after its tag: owner || spender.
        let mut key = [0; 64];
        (owner, spender).store(&mut key);
        prop_assert_eq!(&key[..32], &owner.0[..]);
        prop_assert_eq!(&key[32..], &spender.0[..]);
    }

    #[test]
    fn stored_loading_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..70)) {
        let n = bytes.len();
        prop_assert_eq!(U256::load(&bytes).is_some(), n == 32);
        prop_assert_eq!(u64::load(&bytes).is_some(), n == 8);
        prop_assert_eq!(bool::load(&bytes).is_some(), n == 1 && bytes[0] <= 1);
        prop_assert_eq!(<(Address, Address)>::load(&bytes).is_some(), n == 64);
    }

    #[test]
    fn the_bump_allocator_hands_out_aligned_disjoint_blocks(
        requests in proptest::collection::vec((0usize..300, 0u32..7), 1..40),
    ) {
        let heap = BumpAllocator::<1024>::new();
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        for (size, align_log) in requests {
            let layout = Layout::from_size_align(size, 1 << align_log).unwrap();
            // SAFETY: the layout is valid; the block is only compared.
            let p = unsafe { heap.alloc(layout) } as usize;
            if p == 0 {
                // Full: what did not fit must really not have fitted.
                prop_assert!(heap.used() + size > 1024 - (1 << align_log) + 1 || size > 1024);
                continue;
            }
            prop_assert_eq!(p % (1 << align_log), 0);
            for &(q, n) in &blocks {
                prop_assert!(p + size <= q || q + n <= p, "overlap");
            }
            blocks.push((p, size));
            prop_assert!(heap.used() <= 1024);
        }
    }
}

#[test]
fn the_bump_allocator_refuses_what_does_not_fit() {
    let heap = BumpAllocator::<64>::new();
    // SAFETY: valid layouts; the blocks are only compared.
    unsafe {
        assert!(heap
            .alloc(Layout::from_size_align(65, 1).unwrap())
            .is_null());
        assert!(!heap
            .alloc(Layout::from_size_align(64, 1).unwrap())
            .is_null());
        assert!(heap.alloc(Layout::from_size_align(1, 1).unwrap()).is_null());
        let huge = Layout::from_size_align(usize::MAX / 4, 1 << 20).unwrap();
        assert!(heap.alloc(huge).is_null());
    }
    assert_eq!(heap.used(), 64);
}

#[test]
fn topics_are_names_zero_padded() {
    let t = topic("Transfer");
    assert_eq!(&t[..8], b"Transfer");
    assert!(t[8..].iter().all(|&b| b == 0));
    assert_eq!(topic(&"x".repeat(40)), [b'x'; 32]);
}
