/* An ERC-20 token with 256-bit amounts.
 *
 * Constructor (the deploy's input, no selector): supply (32 bytes); the
 * deployer becomes the owner and gets the supply.
 * Selectors (u32 LE) and 32-byte arguments:
 *   2 transfer(to, amount)
 *   3 approve(spender, amount)
 *   4 transfer_from(from, to, amount)
 *   5 balance_of(owner) -> u256
 *   6 allowance(owner, spender) -> u256
 *   7 total_supply() -> u256
 *   8 mint(to, amount)             the owner only
 * Events: Transfer [TOPIC_TRANSFER, from, to] data = amount;
 *         Approval [TOPIC_APPROVAL, owner, spender] data = amount.
 * Errors revert with a message: "insufficient balance",
 * "insufficient allowance", "overflow", "not the owner",
 * "unknown selector", "missing argument".
 */
#include "avm.h"

/* Topic 0 of each event: the name, zero-padded to 32 bytes. */
static const avm_address TOPIC_TRANSFER = {"Transfer"};
static const avm_address TOPIC_APPROVAL = {"Approval"};

static u256 balance_of(const avm_address *who) {
    avm_key k;
    return avm_get_u256(k.b, avm_key2(&k, 'b', who, 0));
}
static void set_balance(const avm_address *who, const u256 *v) {
    avm_key k;
    avm_set_u256(k.b, avm_key2(&k, 'b', who, 0), v);
}
static u256 allowance(const avm_address *owner, const avm_address *spender) {
    avm_key k;
    return avm_get_u256(k.b, avm_key2(&k, 'a', owner, spender));
}
static void set_allowance(const avm_address *owner, const avm_address *spender, const u256 *v) {
    avm_key k;
    avm_set_u256(k.b, avm_key2(&k, 'a', owner, spender), v);
}

static void emit3(const avm_address *t0, const avm_address *t1, const avm_address *t2, const u256 *amount) {
    avm_address topics[3] = {*t0, *t1, *t2};
    avm_emit(topics, 3, amount, 32);
}

static void move(const avm_address *from, const avm_address *to, const u256 *amount) {
    u256 fb = balance_of(from);
    if (u256_sub(&fb, &fb, amount)) avm_revert_str("insufficient balance");
    set_balance(from, &fb);
    u256 tb = balance_of(to);
    if (u256_add(&tb, &tb, amount)) avm_revert_str("overflow");
    set_balance(to, &tb);
    emit3(&TOPIC_TRANSFER, from, to, amount);
}

static void mint(const avm_address *to, const u256 *amount) {
    u256 supply = avm_get_u256("s", 1);
    if (u256_add(&supply, &supply, amount)) avm_revert_str("overflow");
    avm_set_u256("s", 1, &supply);
    u256 b = balance_of(to);
    u256_add(&b, &b, amount); /* cannot overflow: b <= supply */
    set_balance(to, &b);
    static const avm_address none;
    emit3(&TOPIC_TRANSFER, &none, to, amount);
}

int deploy(void) {
    avm_address owner;
    u256 supply;
    avm_caller(&owner);
    avm_deploy_arg(0, &supply);
    avm_set("o", 1, &owner, 32);
    mint(&owner, &supply);
    return 0;
}

int main(void) {
    avm_address caller, a, b;
    u256 x;
    avm_caller(&caller);
    switch (avm_selector()) {
    case 2:
        avm_arg(0, &a);
        avm_arg(1, &x);
        move(&caller, &a, &x);
        return 0;
    case 3:
        avm_arg(0, &a);
        avm_arg(1, &x);
        set_allowance(&caller, &a, &x);
        emit3(&TOPIC_APPROVAL, &caller, &a, &x);
        return 0;
    case 4: {
        avm_arg(0, &a);
        avm_arg(1, &b);
        avm_arg(2, &x);
        u256 left = allowance(&a, &caller);
        if (u256_sub(&left, &left, &x)) avm_revert_str("insufficient allowance");
        set_allowance(&a, &caller, &left);
        move(&a, &b, &x);
        return 0;
    }
    case 5:
        avm_arg(0, &a);
        x = balance_of(&a);
        avm_return(&x, 32);
    case 6:
        avm_arg(0, &a);
        avm_arg(1, &b);
        x = allowance(&a, &b);
        avm_return(&x, 32);
    case 7:
        x = avm_get_u256("s", 1);
        avm_return(&x, 32);
    case 8: {
        avm_address owner;
        if (avm_get("o", 1, &owner, 32) != 32 || memcmp(&owner, &caller, 32) != 0)
            avm_revert_str("not the owner");
        avm_arg(0, &a);
        avm_arg(1, &x);
        mint(&a, &x);
        return 0;
    }
    }
    avm_revert_str("unknown selector");
}
