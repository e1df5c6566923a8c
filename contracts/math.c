/* The runtime's 256-bit arithmetic as a contract, so tests can compare it
 * with a reference model. Arguments a, b (u256 LE); results:
 *   1 add    -> a + b mod 2^256, carry (u32)
 *   2 sub    -> a - b mod 2^256, borrow (u32)
 *   3 mul    -> a * b mod 2^256, overflow (u32)
 *   4 divmod -> a / b, a % b (reverts "division by zero")
 *   5 cmp    -> -1, 0 or 1 (i32)
 */
#include "avm.h"

int main(void) {
    u256 a, b;
    struct {
        u256 r;
        u256 s;
    } out;
    uint32_t sel = avm_selector();
    avm_arg(0, &a);
    avm_arg(1, &b);
    out.s = u256_from(0);
    switch (sel) {
    case 1: out.s.w[0] = (uint32_t)u256_add(&out.r, &a, &b); break;
    case 2: out.s.w[0] = (uint32_t)u256_sub(&out.r, &a, &b); break;
    case 3: out.s.w[0] = (uint32_t)u256_mul(&out.r, &a, &b); break;
    case 4:
        if (u256_is_zero(&b)) avm_revert_str("division by zero");
        u256_divmod(&a, &b, &out.r, &out.s);
        break;
    case 5: {
        int32_t c = u256_cmp(&a, &b);
        avm_return(&c, 4);
    }
    default: avm_revert_str("unknown selector");
    }
    avm_return(&out, sel == 4 ? 64 : 36);
}
