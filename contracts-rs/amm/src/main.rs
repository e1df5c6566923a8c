//! A constant-product exchange between two ERC-20 tokens with a 0.3% fee:
//! contracts/amm.c in Rust, with the same selectors, storage, arithmetic
//! and revert messages. It calls the tokens (in C or in Rust: the same
//! interface) and holds a lock for the whole of every state-changing call,
//! so reentering reverts with "reentrancy".
//!
//!   1 init(token0, token1)              once
//!   2 add_liquidity(amount0, amount1) -> shares
//!   3 remove_liquidity(shares) -> amount0, amount1
//!   4 swap(direction, amount_in, min_out) -> amount_out
//!   5 reserves() -> r0, r1
//!   6 shares_of(owner) -> shares
#![no_std]
#![no_main]

use avm_sdk::{caller, revert, self_address, Address, Map, OrRevert, Value, U256};

avm_sdk::interface! {
    /// The part of an ERC-20 token the exchange calls.
    pub struct Token {
        #[selector(2)]
        /// Sends `amount` of the caller's tokens to `to`.
        fn transfer(to: Address, amount: U256);
        #[selector(4)]
        /// Moves `amount` from `from` to `to` on the caller's allowance.
        fn transfer_from(from: Address, to: Address, amount: U256);
    }
}

const TOKEN0: Value<Address> = Value::new(b"t0");
const TOKEN1: Value<Address> = Value::new(b"t1");
const RESERVE0: Value<U256> = Value::new(b"r0");
const RESERVE1: Value<U256> = Value::new(b"r1");
const TOTAL: Value<U256> = Value::new(b"tt");
const LOCK: Value<bool> = Value::new(b"LK");
const SHARES: Map<Address, U256> = Map::new(b"s");

/// The exchange.
pub struct Amm;

/// Token `i` (0 or 1); reverts if the exchange has no tokens yet.
fn token(i: usize) -> Token {
    let t = if i == 0 { TOKEN0.get() } else { TOKEN1.get() };
    if t == Address::ZERO {
        revert("not initialized");
    }
    Token::at(t)
}

/// Pulls `amount` of token `i` from the caller into the exchange.
fn pull(i: usize, amount: U256) {
    let paid = token(i).transfer_from(&caller(), &self_address(), &amount);
    paid.or_revert("token call failed")
}

/// Pays `amount` of token `i` out to the caller.
fn pay(i: usize, amount: U256) {
    token(i)
        .transfer(&caller(), &amount)
        .or_revert("token call failed")
}

/// `a * b / c`, reverting on overflow and on `c` = 0.
fn mul_div(a: U256, b: U256, c: U256) -> U256 {
    let p = a.checked_mul(b).or_revert("overflow");
    p.checked_div(c).or_revert("zero amount")
}

/// `a + b`, reverting on overflow.
fn add(a: U256, b: U256) -> U256 {
    a.checked_add(b).or_revert("overflow")
}

/// Takes the lock; reverts with "reentrancy" if it is held.
fn lock() {
    if LOCK.get() {
        revert("reentrancy");
    }
    LOCK.set(&true);
}

/// Releases the lock.
fn unlock() {
    LOCK.set(&false);
}

/// Rejects a zero amount.
fn nonzero(x: U256) -> U256 {
    if x.is_zero() {
        revert("zero amount");
    }
    x
}

avm_sdk::contract! {
    impl Amm {
        #[selector(1)]
        /// Sets the two tokens, once.
        fn init(token0: Address, token1: Address) {
            lock();
            if TOKEN0.get() != Address::ZERO {
                revert("already initialized");
            }
            TOKEN0.set(&token0);
            TOKEN1.set(&token1);
            unlock();
        }

        #[selector(2)]
        /// Deposits both amounts; the first deposit mints `amount0` shares,
        /// later ones min(amount_i * total / reserve_i).
        fn add_liquidity(amount0: U256, amount1: U256) -> U256 {
            lock();
            let (r0, r1, total) = (RESERVE0.get(), RESERVE1.get(), TOTAL.get());
            if amount0.is_zero() || amount1.is_zero() {
                revert("zero amount");
            }
            let shares = if total.is_zero() {
                amount0
            } else {
                mul_div(amount0, total, r0).min(mul_div(amount1, total, r1))
            };
            let shares = nonzero(shares);
            pull(0, amount0);
            pull(1, amount1);
            RESERVE0.set(&add(r0, amount0));
            RESERVE1.set(&add(r1, amount1));
            TOTAL.set(&add(total, shares));
            let who = caller();
            SHARES.set(&who, &add(SHARES.get(&who), shares));
            unlock();
            shares
        }

        #[selector(3)]
        /// Burns `shares` for their part of both reserves.
        fn remove_liquidity(shares: U256) -> (U256, U256) {
            lock();
            let (r0, r1, total) = (RESERVE0.get(), RESERVE1.get(), TOTAL.get());
            let who = caller();
            let shares = nonzero(shares);
            let mine = SHARES.get(&who).checked_sub(shares).or_revert("insufficient shares");
            let out0 = mul_div(shares, r0, total);
            let out1 = mul_div(shares, r1, total);
            SHARES.set(&who, &mine);
            // Cannot underflow: shares <= total, so out_i <= r_i.
            TOTAL.set(&total.checked_sub(shares).or_revert("overflow"));
            RESERVE0.set(&r0.checked_sub(out0).or_revert("overflow"));
            RESERVE1.set(&r1.checked_sub(out1).or_revert("overflow"));
            pay(0, out0);
            pay(1, out1);
            unlock();
            (out0, out1)
        }

        #[selector(4)]
        /// Swaps `amount_in` of one token (direction 0: token0 in) for at
        /// least `min_out` of the other:
        /// out = in * 997 * r_out / (r_in * 1000 + in * 997).
        fn swap(direction: U256, amount_in: U256, min_out: U256) -> U256 {
            lock();
            let (r0, r1) = (RESERVE0.get(), RESERVE1.get());
            let d = !direction.is_zero() as usize;
            let (r_in, r_out) = if d == 1 { (r1, r0) } else { (r0, r1) };
            let amount_in = nonzero(amount_in);
            let num = amount_in.checked_mul(U256::from(997u32)).or_revert("overflow");
            let den = r_in.checked_mul(U256::from(1000u32)).or_revert("overflow");
            let out = mul_div(num, r_out, add(den, num));
            if out < min_out {
                revert("slippage");
            }
            let out = nonzero(out);
            pull(d, amount_in);
            pay(1 - d, out);
            let r_in = add(r_in, amount_in);
            let r_out = r_out.checked_sub(out).or_revert("overflow");
            let (r0, r1) = if d == 1 { (r_out, r_in) } else { (r_in, r_out) };
            RESERVE0.set(&r0);
            RESERVE1.set(&r1);
            unlock();
            out
        }

        #[selector(5)]
        /// The two reserves.
        fn reserves() -> (U256, U256) {
            (RESERVE0.get(), RESERVE1.get())
        }

        #[selector(6)]
        /// The shares `owner` holds.
        fn shares_of(owner: Address) -> U256 {
            SHARES.get(&owner)
        }
    }
}
