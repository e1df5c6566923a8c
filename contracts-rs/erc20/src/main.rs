//! An ERC-20 token with 256-bit amounts: contracts/erc20.c in Rust, with the
//! same selectors, storage keys, events and revert messages.
//!
//! Constructor: `supply`; the deployer becomes the owner and gets it.
//!   2 transfer(to, amount)
//!   3 approve(spender, amount)
//!   4 transfer_from(from, to, amount)
//!   5 balance_of(owner) -> u256
//!   6 allowance(owner, spender) -> u256
//!   7 total_supply() -> u256
//!   8 mint(to, amount)             the owner only
//! Events: Transfer [topic("Transfer"), from, to] data = amount;
//!         Approval [topic("Approval"), owner, spender] data = amount.
#![no_std]
#![no_main]

use avm_sdk::{caller, emit, revert, topic, Address, Args, Map, OrRevert, Value, U256};

const TRANSFER: [u8; 32] = topic("Transfer");
const APPROVAL: [u8; 32] = topic("Approval");

const OWNER: Value<Address> = Value::new(b"o");
const SUPPLY: Value<U256> = Value::new(b"s");
const BALANCES: Map<Address, U256> = Map::new(b"b");
const ALLOWANCES: Map<(Address, Address), U256> = Map::new(b"a");

/// The token.
pub struct Token;

impl Token {
    /// Moves `amount` from `from` to `to` and logs it.
    fn move_tokens(from: Address, to: Address, amount: U256) {
        let left = BALANCES.get(&from).checked_sub(amount);
        BALANCES.set(&from, &left.or_revert("insufficient balance"));
        let sum = BALANCES.get(&to).checked_add(amount);
        BALANCES.set(&to, &sum.or_revert("overflow"));
        emit(&[TRANSFER, from.0, to.0], &amount.to_le_bytes());
    }

    /// Creates `amount` new tokens for `to`.
    fn mint_to(to: Address, amount: U256) {
        let supply = SUPPLY.get().checked_add(amount).or_revert("overflow");
        SUPPLY.set(&supply);
        // Cannot overflow: the balance is at most the supply.
        let balance = BALANCES.get(&to).checked_add(amount).or_revert("overflow");
        BALANCES.set(&to, &balance);
        emit(&[TRANSFER, [0; 32], to.0], &amount.to_le_bytes());
    }
}

avm_sdk::contract! {
    impl Token {
        #[constructor]
        /// Makes the deployer the owner and mints `supply` to it.
        fn deploy(supply: U256) {
            let owner = caller();
            OWNER.set(&owner);
            Token::mint_to(owner, supply);
        }

        #[selector(2)]
        /// Sends `amount` of the caller's tokens to `to`.
        fn transfer(to: Address, amount: U256) {
            Token::move_tokens(caller(), to, amount);
        }

        #[selector(3)]
        /// Lets `spender` move up to `amount` of the caller's tokens.
        fn approve(spender: Address, amount: U256) {
            let owner = caller();
            ALLOWANCES.set(&(owner, spender), &amount);
            emit(&[APPROVAL, owner.0, spender.0], &amount.to_le_bytes());
        }

        #[selector(4)]
        /// Moves `amount` from `from` to `to`, spending the caller's allowance.
        fn transfer_from(from: Address, to: Address, amount: U256) {
            let key = (from, caller());
            let left = ALLOWANCES.get(&key).checked_sub(amount);
            ALLOWANCES.set(&key, &left.or_revert("insufficient allowance"));
            Token::move_tokens(from, to, amount);
        }

        #[selector(5)]
        /// The tokens `owner` holds.
        fn balance_of(owner: Address) -> U256 {
            BALANCES.get(&owner)
        }

        #[selector(6)]
        /// What `spender` may still move of `owner`'s tokens.
        fn allowance(owner: Address, spender: Address) -> U256 {
            ALLOWANCES.get(&(owner, spender))
        }

        #[selector(7)]
        /// All tokens in existence.
        fn total_supply() -> U256 {
            SUPPLY.get()
        }

        #[selector(8)]
        /// mint(to, amount): creates `amount` new tokens for `to`; the owner
        /// only. The arguments are read after the owner check (by hand, with
        /// `Args`), so a stranger's call reverts with "not the owner"
        /// whatever its arguments, as in C.
        fn mint() {
            if OWNER.get() != caller() {
                revert("not the owner");
            }
            let mut args = Args::call();
            let to = args.next();
            Token::mint_to(to, args.next());
        }
    }
}
