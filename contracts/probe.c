/* Reports what the environment syscalls answer, for tests.
 *   1 info() -> context (56) || call value (16) || own balance (16) || caller (32)
 *   2 keccak(raw bytes after the selector) -> keccak256 of them (32)
 *   3 relay(target, window) then raw calldata for the target:
 *        calls target, then copies return data bytes [offset, offset + len)
 *        (window: offset u32 LE, len u32 LE, at most 64) ->
 *        status u32 || copied u32 || the bytes copied
 *   4 delete_twice(raw key after the selector) -> stores the key, deletes it
 *        twice -> the two results (u32 each: 1, then 0)
 *   5 gas_left() -> the gas left when asked (u64 LE)
 */
#include "avm.h"

static uint8_t buf[1024];

int main(void) {
    uint32_t n = avm_input_size();
    if (n > sizeof buf) avm_revert_str("input too long");
    switch (avm_selector()) {
    case 1: {
        struct {
            avm_context_t ctx;
            avm_value value, balance;
            avm_address caller;
        } out; /* 56 + 16 + 16 + 32 bytes, no padding */
        avm_address self;
        avm_context(&out.ctx);
        avm_call_value(&out.value);
        avm_self(&self);
        avm_balance(&self, &out.balance);
        avm_caller(&out.caller);
        avm_return(&out, sizeof out);
    }
    case 2: {
        uint32_t len = avm_input_copy(buf, 4, n);
        avm_keccak256(buf, len, buf);
        avm_return(buf, 32);
    }
    case 3: {
        avm_address target;
        uint32_t window[2], out[2 + 16];
        avm_arg(0, &target);
        avm_input_copy(window, 36, 8);
        if (window[1] > 64) avm_revert_str("window too long");
        uint32_t len = avm_input_copy(buf, 68, n);
        out[0] = avm_call(&target, buf, len, 0, 1000000, 0);
        out[1] = avm_return_data_copy(out + 2, window[0], window[1]);
        avm_return(out, 8 + out[1]);
    }
    case 4: {
        uint32_t len = avm_input_copy(buf, 4, n), out[2];
        avm_set(buf, len, "v", 1);
        out[0] = avm_delete(buf, len);
        out[1] = avm_delete(buf, len);
        avm_return(out, 8);
    }
    case 5: {
        uint64_t left = avm_gas_left();
        avm_return(&left, 8);
    }
    }
    avm_revert_str("unknown selector");
}
