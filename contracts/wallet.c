/* A wallet that pays out native tokens on a signed order.
 *
 * Raw calldata (not 32-byte words):
 *   (empty)                                   receive: accept the value
 *   1 init(kind u8, key)                      once; kind 0: ed25519 (32-byte
 *                                             key), kind 1: secp256k1
 *                                             (33-byte compressed SEC1 key)
 *   2 pay(to [32], amount u128 LE, sig [64])  if sig signs
 *        h = sha256(self || nonce u64 LE || to || amount)
 *        (ed25519: over the 32 bytes of h; secp256k1: ECDSA over the
 *        prehash h), pays amount to `to` and bumps the nonce
 *   3 nonce() -> u64 LE
 * Errors: "bad signature", "insufficient funds", "already initialized",
 * "bad key", "bad order".
 */
#include "avm.h"

int main(void) {
    uint32_t n = avm_input_size();
    if (n == 0) return 0;
    uint32_t sel = avm_selector();
    uint8_t key[34];
    uint64_t nonce = 0;
    avm_get("n", 1, &nonce, 8);
    if (sel == 1) {
        if (avm_get("k", 1, key, sizeof key) != AVM_NONE) avm_revert_str("already initialized");
        if (n > 4 + sizeof key) avm_revert_str("bad key");
        uint32_t len = avm_input_copy(key, 4, sizeof key);
        if (!((key[0] == 0 && len == 33) || (key[0] == 1 && len == 34))) avm_revert_str("bad key");
        avm_set("k", 1, key, len);
        return 0;
    }
    if (sel == 3) avm_return(&nonce, 8);
    if (sel != 2) avm_revert_str("unknown selector");

    struct {
        avm_address self;
        uint64_t nonce;
        avm_address to;
        avm_value amount;
    } __attribute__((packed)) order;
    uint8_t sig[64], h[32];
    if (n != 4 + 32 + 16 + 64) avm_revert_str("bad order");
    avm_input_copy(&order.to, 4, 32);
    avm_input_copy(&order.amount, 36, 16);
    avm_input_copy(sig, 52, 64);
    avm_self(&order.self);
    order.nonce = nonce;
    avm_sha256(&order, sizeof order, h);
    uint32_t klen = avm_get("k", 1, key, sizeof key);
    if (klen == AVM_NONE) avm_revert_str("bad key");
    int ok = key[0] == 0 ? avm_ed25519_verify(h, 32, sig, key + 1)
                         : avm_secp256k1_verify(h, sig, key + 1, 33);
    if (!ok) avm_revert_str("bad signature");
    nonce++;
    avm_set("n", 1, &nonce, 8);
    if (avm_transfer(&order.to, &order.amount) != 0) avm_revert_str("insufficient funds");
    return 0;
}
