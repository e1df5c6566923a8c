/* A hostile token for the AMM tests: every token call (transfer,
 * transfer_from) calls back into the exchange set with selector 100, trying
 * a swap, records the status it got under "r", and claims success.
 *
 *   100 set_target(exchange)
 *   2, 4 (token calls)             the reentrancy attempt
 */
#include "avm.h"

int main(void) {
    avm_address target;
    uint32_t sel = avm_selector();
    if (sel == 100) {
        avm_arg(0, &target);
        avm_set("t", 1, &target, 32);
        return 0;
    }
    if (avm_get("t", 1, &target, 32) != 32) avm_revert_str("no target");
    /* swap(0, 1, 0) on the exchange */
    uint8_t in[4 + 96] = {4, 0, 0, 0};
    in[4 + 32] = 1;
    uint32_t status = avm_call(&target, in, sizeof in, 0, 1000000, 0);
    avm_set("r", 1, &status, 4);
    return 0;
}
