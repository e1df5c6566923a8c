/* {{name}}.c: a total anyone can add to.
 *   1 add(amount: u256) -> the new total (u256)
 *   2 total()           -> the total (u256)
 */
#include "avm.h"

static const char KEY[] = "total";

int main(void) {
    u256 total = avm_get_u256(KEY, sizeof KEY - 1);
    switch (avm_selector()) {
    case 1: {
        u256 amount;
        avm_arg(0, &amount);
        if (u256_add(&total, &total, &amount)) avm_revert_str("overflow");
        avm_set_u256(KEY, sizeof KEY - 1, &total);
        break;
    }
    case 2: break;
    default: avm_revert_str("unknown selector");
    }
    avm_return(&total, 32);
}
