/* Reports what the environment syscalls answer, for tests.
 * Constructor (raw input, at most 1024 bytes): stores the input under
 *   "init" and the call value under "value", emits [TOPIC "Deployed"] with
 *   the input as data, then by the input's first byte: 'r' reverts with
 *   "constructor reverted", 'f' faults (a load from an unmapped address),
 *   's' spins until out of gas, 'c' calls its own address and stores the
 *   status (u32) under "self call"; anything else deploys.
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
static const avm_address TOPIC_DEPLOYED = {"Deployed"};

int deploy(void) {
    uint32_t n = avm_input_size();
    if (n > sizeof buf) avm_revert_str("input too long");
    avm_input_copy(buf, 0, n);
    avm_set("init", 4, buf, n);
    avm_value value;
    avm_call_value(&value);
    avm_set("value", 5, &value, sizeof value);
    avm_emit(&TOPIC_DEPLOYED, 1, buf, n);
    switch (n ? buf[0] : 0) {
    case 'r':
        avm_revert_str("constructor reverted");
    case 'f': {
        volatile uintptr_t unmapped = 0x4;
        return (int)*(volatile uint32_t *)unmapped;
    }
    case 's':
        for (volatile uint32_t i = 0;; i++) {
        }
    case 'c': {
        avm_address self;
        avm_self(&self);
        uint32_t status = avm_call(&self, "", 0, 0, 100000, 0);
        avm_set("self call", 9, &status, 4);
        return 0;
    }
    }
    return 0;
}

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
