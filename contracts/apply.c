/* apply(f, x1, ..., xn): evaluates the function f, of any VM the registry
 * knows, on x1..xn, and returns the canonical encoding of the result;
 * reverts with "no result" or "refused" otherwise. Under avm-vm its input
 * is the encoding of the tuple of its arguments, (f, x1, ..., xn), which is
 * what the evaluate syscall takes, so it passes its input on as it is. The
 * evaluation gets all the gas the call has left but what the syscall and
 * returning the result cost. */
#include "avm.h"

static uint8_t buf[64 << 10];

int main(void) {
    uint32_t n = avm_input_size();
    if (n > sizeof buf) avm_revert_str("input too long");
    avm_input_copy(buf, 0, n);
    /* The syscall's price (20 + 700 + n), then copying and returning up to
       a whole buffer, with room to spare. */
    uint64_t reserve = 1000 + (uint64_t)n + 2 * sizeof buf;
    uint64_t left = avm_gas_left();
    if (left <= reserve) avm_revert_str("out of gas");
    uint32_t len = 0;
    uint32_t status = avm_evaluate(buf, n, left - reserve, &len);
    if (status == AVM_EVAL_REFUSED) avm_revert_str("refused");
    if (status != AVM_EVAL_RESULT) avm_revert_str("no result");
    if (len > sizeof buf) avm_revert_str("result too long");
    avm_return_data_copy(buf, 0, len);
    avm_return(buf, len);
}
