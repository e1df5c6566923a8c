/* A constant-product exchange between two tokens (ERC-20 contracts,
 * contracts/erc20.c), with a 0.3% fee. It calls the tokens'
 * transfer_from (to pull) and transfer (to pay out), and holds a lock for
 * the whole of every state-changing call: reentering reverts.
 *
 *   1 init(token0, token1)          once
 *   2 add_liquidity(amount0, amount1) -> shares
 *                                   the first deposit mints amount0 shares;
 *                                   later ones min(amount_i * total / r_i);
 *                                   both amounts are pulled in full
 *   3 remove_liquidity(shares) -> amount0, amount1
 *   4 swap(direction, amount_in, min_out) -> amount_out
 *                                   direction 0: token0 in, token1 out;
 *                                   out = in*997*r_out / (r_in*1000 + in*997)
 *   5 reserves() -> r0, r1
 *   6 shares_of(owner) -> shares
 * Errors: "reentrancy", "slippage", "insufficient shares", "zero amount",
 * "token call failed", "overflow", "already initialized".
 */
#include "avm.h"

#define TOKEN_GAS 5000000

static avm_address caller, self;

static u256 get(const char *key) { return avm_get_u256(key, 2); }
static void put(const char *key, const u256 *v) { avm_set_u256(key, 2, v); }

static u256 shares_of(const avm_address *who) {
    avm_key k;
    return avm_get_u256(k.b, avm_key2(&k, 's', who, 0));
}
static void set_shares(const avm_address *who, const u256 *v) {
    avm_key k;
    avm_set_u256(k.b, avm_key2(&k, 's', who, 0), v);
}

/* Calls token i (0/1): transfer_from(caller, self, x) when pulling,
   transfer(caller, x) when paying out. */
static void token_call(int i, int pull, const u256 *x) {
    avm_address token;
    if (avm_get(i ? "t1" : "t0", 2, &token, 32) != 32) avm_revert_str("not initialized");
    uint8_t in[4 + 96];
    uint32_t n = 4;
    in[0] = pull ? 4 : 2;
    in[1] = in[2] = in[3] = 0;
    memcpy(in + n, &caller, 32), n += 32;
    if (pull) memcpy(in + n, &self, 32), n += 32;
    memcpy(in + n, x, 32), n += 32;
    if (avm_call(&token, in, n, 0, TOKEN_GAS, 0) != AVM_OK) avm_revert_str("token call failed");
}

static u256 mul_div(const u256 *a, const u256 *b, const u256 *c) {
    u256 p, q;
    if (u256_mul(&p, a, b)) avm_revert_str("overflow");
    if (u256_is_zero(c)) avm_revert_str("zero amount");
    u256_divmod(&p, c, &q, 0);
    return q;
}

static void add(u256 *acc, const u256 *x) {
    if (u256_add(acc, acc, x)) avm_revert_str("overflow");
}

int main(void) {
    avm_caller(&caller);
    avm_self(&self);
    uint32_t sel = avm_selector();
    if (sel == 5) {
        u256 r[2] = {get("r0"), get("r1")};
        avm_return(r, 64);
    }
    if (sel == 6) {
        avm_address who;
        avm_arg(0, &who);
        u256 s = shares_of(&who);
        avm_return(&s, 32);
    }
    uint8_t locked = 0;
    if (avm_get("LK", 2, &locked, 1) != AVM_NONE) avm_revert_str("reentrancy");
    locked = 1;
    avm_set("LK", 2, &locked, 1);

    u256 r0 = get("r0"), r1 = get("r1"), total = get("tt");
    u256 out[2];
    switch (sel) {
    case 1: {
        avm_address t;
        if (avm_get("t0", 2, &t, 32) != AVM_NONE) avm_revert_str("already initialized");
        avm_arg(0, &t);
        avm_set("t0", 2, &t, 32);
        avm_arg(1, &t);
        avm_set("t1", 2, &t, 32);
        avm_delete("LK", 2);
        return 0;
    }
    case 2: {
        u256 a0, a1, shares;
        avm_arg(0, &a0);
        avm_arg(1, &a1);
        if (u256_is_zero(&a0) || u256_is_zero(&a1)) avm_revert_str("zero amount");
        if (u256_is_zero(&total)) {
            shares = a0;
        } else {
            u256 s0 = mul_div(&a0, &total, &r0), s1 = mul_div(&a1, &total, &r1);
            shares = u256_cmp(&s0, &s1) < 0 ? s0 : s1;
        }
        if (u256_is_zero(&shares)) avm_revert_str("zero amount");
        token_call(0, 1, &a0);
        token_call(1, 1, &a1);
        add(&r0, &a0);
        add(&r1, &a1);
        add(&total, &shares);
        u256 mine = shares_of(&caller);
        add(&mine, &shares);
        set_shares(&caller, &mine);
        out[0] = shares;
        break;
    }
    case 3: {
        u256 shares, mine = shares_of(&caller);
        avm_arg(0, &shares);
        if (u256_is_zero(&shares)) avm_revert_str("zero amount");
        if (u256_sub(&mine, &mine, &shares)) avm_revert_str("insufficient shares");
        out[0] = mul_div(&shares, &r0, &total);
        out[1] = mul_div(&shares, &r1, &total);
        set_shares(&caller, &mine);
        u256_sub(&total, &total, &shares);
        u256_sub(&r0, &r0, &out[0]);
        u256_sub(&r1, &r1, &out[1]);
        token_call(0, 0, &out[0]);
        token_call(1, 0, &out[1]);
        break;
    }
    case 4: {
        u256 dir, in, min_out, num, den, k997 = u256_from(997), k1000 = u256_from(1000);
        avm_arg(0, &dir);
        avm_arg(1, &in);
        avm_arg(2, &min_out);
        int d = !u256_is_zero(&dir);
        u256 *rin = d ? &r1 : &r0, *rout = d ? &r0 : &r1;
        if (u256_is_zero(&in)) avm_revert_str("zero amount");
        if (u256_mul(&num, &in, &k997)) avm_revert_str("overflow");
        if (u256_mul(&den, rin, &k1000)) avm_revert_str("overflow");
        add(&den, &num);
        out[0] = mul_div(&num, rout, &den);
        if (u256_cmp(&out[0], &min_out) < 0) avm_revert_str("slippage");
        if (u256_is_zero(&out[0])) avm_revert_str("zero amount");
        token_call(d, 1, &in);
        token_call(!d, 0, &out[0]);
        add(rin, &in);
        u256_sub(rout, rout, &out[0]);
        break;
    }
    default:
        avm_revert_str("unknown selector");
    }
    put("r0", &r0);
    put("r1", &r1);
    put("tt", &total);
    avm_delete("LK", 2);
    avm_return(out, sel == 3 ? 64 : 32);
}
