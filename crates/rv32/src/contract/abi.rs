//! The contract syscall ABI: numbers, limits and gas. `ecall` takes the
//! number in a7 and arguments in a0..a5, and answers in a0 (and a1).
//! The full table is in `docs/rv32-abi.md`.

use crate::gas::Gas;

/// `storage_get(key, key_len, out, out_cap) -> len | NONE`.
pub const STORAGE_GET: u32 = 0x100;
/// `storage_set(key, key_len, value, value_len)`.
pub const STORAGE_SET: u32 = 0x101;
/// `storage_delete(key, key_len) -> existed`.
pub const STORAGE_DELETE: u32 = 0x102;
/// `emit_event(topics, n_topics, data, data_len)`.
pub const EMIT_EVENT: u32 = 0x110;
/// `call(address, input, input_len, value, budget_lo, budget_hi) -> (status, return_len)`.
pub const CALL: u32 = 0x120;
/// `return_data_copy(out, offset, len) -> copied`.
pub const RETURN_DATA_COPY: u32 = 0x121;
/// `caller(out32)`.
pub const CALLER: u32 = 0x130;
/// `self_address(out32)`.
pub const SELF_ADDRESS: u32 = 0x131;
/// `call_value(out16)`.
pub const CALL_VALUE: u32 = 0x132;
/// `input_size() -> len`.
pub const INPUT_SIZE: u32 = 0x133;
/// `input_copy(out, offset, len) -> copied`.
pub const INPUT_COPY: u32 = 0x134;
/// `context(out56)`: block height, timestamp, chain id (u64 each), origin.
pub const CONTEXT: u32 = 0x135;
/// `gas_left() -> (lo, hi)`: the gas this frame has left, this syscall paid.
pub const GAS_LEFT: u32 = 0x136;
/// `return(data, len)`: ends the frame successfully.
pub const RETURN: u32 = 0x140;
/// `revert(data, len)`: ends the frame and rolls it back.
pub const REVERT: u32 = 0x141;
/// `balance(address, out16)`.
pub const BALANCE: u32 = 0x150;
/// `transfer(address, value16) -> 0 ok | 1 insufficient`.
pub const TRANSFER: u32 = 0x151;
/// `sha256(data, len, out32)`.
pub const SHA256: u32 = 0x160;
/// `keccak256(data, len, out32)`.
pub const KECCAK256: u32 = 0x161;
/// `blake3(data, len, out32)`.
pub const BLAKE3: u32 = 0x162;
/// `secp256k1_verify(hash32, sig64, pubkey, pubkey_len) -> valid`.
pub const SECP256K1_VERIFY: u32 = 0x170;
/// `ed25519_verify(msg, msg_len, sig64, pubkey32) -> valid`.
pub const ED25519_VERIFY: u32 = 0x171;
/// `evaluate(call, call_len, budget_lo, budget_hi) -> (status, result_len)`:
/// evaluates a function of any registered VM (`call` is the canonical
/// encoding of the tuple `(f, x1, ..., xn)`); the result's encoding becomes
/// the return data.
pub const EVALUATE: u32 = 0x180;

/// `evaluate` status: the function gave a result.
pub const EVAL_RESULT: u32 = 0;
/// `evaluate` status: no result (it failed or ran out of its budget).
pub const EVAL_NO_RESULT: u32 = 1;
/// `evaluate` status: refused (not a function, an unknown VM, nesting too
/// deep, no registry, or a result over [`MAX_DATA`] bytes encoded).
pub const EVAL_REFUSED: u32 = 2;

/// The register (a2) that tells a frame at entry what it runs for: 1 the
/// contract's constructor (its deploy transaction), 0 a call. The rest is
/// the machine's entry state (sp, a0/a1 = heap start and size, others 0).
pub const DEPLOY_FLAG_REG: u8 = 12;

/// What `storage_get` answers for an absent key.
pub const NONE: u32 = u32::MAX;

/// Longest storage key, in bytes.
pub const MAX_KEY: u32 = 256;
/// Longest storage value, in bytes.
pub const MAX_VALUE: u32 = 64 << 10;
/// Most topics per event.
pub const MAX_TOPICS: u32 = 4;
/// Longest event data, in bytes.
pub const MAX_EVENT_DATA: u32 = 64 << 10;
/// Longest call input or return data, in bytes.
pub const MAX_DATA: u32 = 1 << 20;
/// Deepest nesting of calls (the transaction's frame is depth 0).
pub const MAX_DEPTH: u32 = 64;

/// Fixed cost of a `call`, on top of the callee's budget.
pub const CALL_BASE: Gas = 700;
/// Fixed cost of an `evaluate`, on top of its budget and a unit per byte
/// of the call.
pub const EVALUATE_BASE: Gas = 700;
/// Cost of a signature check.
pub const VERIFY: Gas = 3000;

/// The gas a syscall costs before it runs (on top of
/// [`crate::gas::SYSCALL`]), from its number and arguments. Lengths come
/// from the guest's registers, so a huge length is a huge charge, paid
/// (or failed as out of gas) before any byte is touched. A `call` and an
/// `evaluate` prepay their budget; the unused part is refunded. Unknown numbers cost 0 (they
/// fault).
pub fn gas(num: u32, a: &[u32; 6]) -> Gas {
    let n = |i: usize| a[i] as Gas;
    match num {
        STORAGE_GET => 200 + n(1) + n(3).min(MAX_VALUE as Gas),
        STORAGE_SET => 2000 + 4 * (n(1) + n(3)),
        STORAGE_DELETE => 500 + n(1),
        EMIT_EVENT => 100 + 32 * n(1) + n(3),
        CALL => CALL_BASE.saturating_add(n(4) | n(5) << 32),
        EVALUATE => (EVALUATE_BASE + n(1)).saturating_add(n(2) | n(3) << 32),
        RETURN_DATA_COPY | INPUT_COPY => 10 + n(2),
        RETURN | REVERT => 10 + n(1),
        CALLER | SELF_ADDRESS | CALL_VALUE | INPUT_SIZE | CONTEXT | GAS_LEFT => 10,
        BALANCE => 100,
        TRANSFER => 1000,
        SHA256 | KECCAK256 | BLAKE3 => 50 + n(1).div_ceil(8),
        SECP256K1_VERIFY => VERIFY,
        ED25519_VERIFY => VERIFY + n(1).div_ceil(8),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_charged_per_byte() {
        assert_eq!(gas(STORAGE_SET, &[0, 32, 0, 32, 0, 0]), 2000 + 256);
        assert_eq!(gas(SHA256, &[0, 9, 0, 0, 0, 0]), 52);
        assert_eq!(gas(CALL, &[0, 0, 0, 0, 5, 1]), 700 + 5 + (1 << 32));
        // The largest charge still fits in a u64.
        assert!(gas(CALL, &[u32::MAX; 6]) > u32::MAX as Gas);
        assert_eq!(gas(EVALUATE, &[0, 10, 5, 1, 0, 0]), 710 + 5 + (1 << 32));
        assert_eq!(gas(EVALUATE, &[u32::MAX; 6]), Gas::MAX);
        assert_eq!(gas(0xdead, &[u32::MAX; 6]), 0);
    }
}
