/* avm.h: the header-only C runtime for avm RV32 contracts.
 *
 * Include it in exactly one .c file per contract (it defines _start,
 * avm_constructor, memcpy, memset and memcmp). The contract defines
 *     int main(void);
 * which runs once per call: 0 ends the call successfully with no return
 * data, anything else reverts it. avm_return/avm_revert end it with data.
 * It may also define its constructor,
 *     int deploy(void);
 * which runs once, in the deploy transaction, with the deploy's input as
 * calldata, in the same way: 0 (or avm_return) deploys the contract,
 * anything else fails the deploy. Without one, deploying runs nothing.
 *
 * The syscall ABI is documented in docs/rv32-abi.md. Calldata convention
 * used by the examples: a 4-byte little-endian selector, then 32-byte
 * arguments (addresses as they are, 256-bit numbers little-endian); a
 * constructor's input is its 32-byte arguments, with no selector.
 */
#ifndef AVM_H
#define AVM_H

#include <stddef.h>
#include <stdint.h>

/* ---- entry point ------------------------------------------------------ */
/* The host starts a frame with a2 = 1 for the constructor, 0 for a call. */
int main(void);
int deploy(void) __attribute__((weak)); /* null unless the contract defines it */
int avm_constructor(void) { return deploy ? deploy() : 0; }
__asm__(".section .text.start, \"ax\"\n"
        ".globl _start\n"
        "_start:\n"
        "  bnez a2, 1f\n"
        "  call main\n"
        "  j 2f\n"
        "1: call avm_constructor\n"
        "2: li a7, 93\n"
        "  ecall\n"
        "3: j 3b\n"
        ".text\n");

/* ---- freestanding libc pieces the compiler may call ------------------- */
void *memcpy(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}
void *memset(void *dst, int c, size_t n) {
    uint8_t *d = dst;
    while (n--) *d++ = (uint8_t)c;
    return dst;
}
int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}

/* ---- syscalls --------------------------------------------------------- */
enum {
    AVM_EXIT = 93,
    AVM_STORAGE_GET = 0x100, AVM_STORAGE_SET = 0x101, AVM_STORAGE_DELETE = 0x102,
    AVM_EMIT_EVENT = 0x110,
    AVM_CALL = 0x120, AVM_RETURN_DATA_COPY = 0x121,
    AVM_CALLER = 0x130, AVM_SELF_ADDRESS = 0x131, AVM_CALL_VALUE = 0x132,
    AVM_INPUT_SIZE = 0x133, AVM_INPUT_COPY = 0x134, AVM_CONTEXT = 0x135, AVM_GAS_LEFT = 0x136,
    AVM_RETURN = 0x140, AVM_REVERT = 0x141,
    AVM_BALANCE = 0x150, AVM_TRANSFER = 0x151,
    AVM_SHA256 = 0x160, AVM_KECCAK256 = 0x161, AVM_BLAKE3 = 0x162,
    AVM_SECP256K1_VERIFY = 0x170, AVM_ED25519_VERIFY = 0x171,
    AVM_EVALUATE = 0x180,
};

/* Status of avm_call. */
enum { AVM_OK = 0, AVM_REVERTED = 1, AVM_FAULTED = 2, AVM_OUT_OF_GAS = 3 };
/* avm_get's answer for an absent key. */
#define AVM_NONE 0xffffffffu

static inline uint32_t avm_sys2(uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2,
                                uint32_t a3, uint32_t a4, uint32_t a5, uint32_t *out1) {
    register uint32_t r0 __asm__("a0") = a0;
    register uint32_t r1 __asm__("a1") = a1;
    register uint32_t r2 __asm__("a2") = a2;
    register uint32_t r3 __asm__("a3") = a3;
    register uint32_t r4 __asm__("a4") = a4;
    register uint32_t r5 __asm__("a5") = a5;
    register uint32_t r7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7)
                     : "memory");
    if (out1) *out1 = r1;
    return r0;
}
static inline uint32_t avm_sys(uint32_t n, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
    return avm_sys2(n, a0, a1, a2, a3, 0, 0, 0);
}
#define AVM_P(p) ((uint32_t)(uintptr_t)(p))

typedef struct { uint8_t b[32]; } avm_address;
typedef struct { uint8_t b[16]; } avm_value; /* native token amount, u128 LE */

/* ---- storage ---------------------------------------------------------- */
static inline uint32_t avm_get(const void *key, uint32_t klen, void *out, uint32_t cap) {
    return avm_sys(AVM_STORAGE_GET, AVM_P(key), klen, AVM_P(out), cap);
}
static inline void avm_set(const void *key, uint32_t klen, const void *val, uint32_t vlen) {
    avm_sys(AVM_STORAGE_SET, AVM_P(key), klen, AVM_P(val), vlen);
}
static inline uint32_t avm_delete(const void *key, uint32_t klen) {
    return avm_sys(AVM_STORAGE_DELETE, AVM_P(key), klen, 0, 0);
}

/* ---- events ----------------------------------------------------------- */
static inline void avm_emit(const void *topics, uint32_t n, const void *data, uint32_t len) {
    avm_sys(AVM_EMIT_EVENT, AVM_P(topics), n, AVM_P(data), len);
}

/* ---- calls and return data --------------------------------------------- */
/* Calls `to` with input and value (NULL: none) and a gas budget, which this
   frame prepays; the unused part is refunded. Returns AVM_OK etc.;
   *ret_len (if not NULL) gets the callee's return data length. */
static inline uint32_t avm_call(const avm_address *to, const void *input, uint32_t len,
                                const avm_value *value, uint64_t budget, uint32_t *ret_len) {
    static const avm_value zero;
    return avm_sys2(AVM_CALL, AVM_P(to), AVM_P(input), len, AVM_P(value ? value : &zero),
                    (uint32_t)budget, (uint32_t)(budget >> 32), ret_len);
}
static inline uint32_t avm_return_data_copy(void *out, uint32_t offset, uint32_t len) {
    return avm_sys(AVM_RETURN_DATA_COPY, AVM_P(out), offset, len, 0);
}
__attribute__((noreturn)) static inline void avm_return(const void *data, uint32_t len) {
    avm_sys(AVM_RETURN, AVM_P(data), len, 0, 0);
    __builtin_unreachable();
}
__attribute__((noreturn)) static inline void avm_revert(const void *data, uint32_t len) {
    avm_sys(AVM_REVERT, AVM_P(data), len, 0, 0);
    __builtin_unreachable();
}
__attribute__((noreturn)) static inline void avm_revert_str(const char *msg) {
    uint32_t n = 0;
    while (msg[n]) n++;
    avm_revert(msg, n);
}

/* ---- environment ------------------------------------------------------ */
static inline void avm_caller(avm_address *out) { avm_sys(AVM_CALLER, AVM_P(out), 0, 0, 0); }
static inline void avm_self(avm_address *out) { avm_sys(AVM_SELF_ADDRESS, AVM_P(out), 0, 0, 0); }
static inline void avm_call_value(avm_value *out) { avm_sys(AVM_CALL_VALUE, AVM_P(out), 0, 0, 0); }
typedef struct {
    uint64_t height, timestamp, chain_id;
    avm_address origin;
} avm_context_t;
static inline void avm_context(avm_context_t *out) { avm_sys(AVM_CONTEXT, AVM_P(out), 0, 0, 0); }
/* The gas this frame has left, after paying for this question. */
static inline uint64_t avm_gas_left(void) {
    uint32_t hi;
    uint32_t lo = avm_sys2(AVM_GAS_LEFT, 0, 0, 0, 0, 0, 0, &hi);
    return (uint64_t)hi << 32 | lo;
}
static inline void avm_balance(const avm_address *who, avm_value *out) {
    avm_sys(AVM_BALANCE, AVM_P(who), AVM_P(out), 0, 0);
}
/* 0: moved; 1: insufficient balance. */
static inline uint32_t avm_transfer(const avm_address *to, const avm_value *value) {
    return avm_sys(AVM_TRANSFER, AVM_P(to), AVM_P(value), 0, 0);
}

/* ---- precompiles ------------------------------------------------------ */
static inline void avm_sha256(const void *d, uint32_t n, uint8_t out[32]) { avm_sys(AVM_SHA256, AVM_P(d), n, AVM_P(out), 0); }
static inline void avm_keccak256(const void *d, uint32_t n, uint8_t out[32]) { avm_sys(AVM_KECCAK256, AVM_P(d), n, AVM_P(out), 0); }
static inline void avm_blake3(const void *d, uint32_t n, uint8_t out[32]) { avm_sys(AVM_BLAKE3, AVM_P(d), n, AVM_P(out), 0); }
static inline int avm_secp256k1_verify(const uint8_t hash[32], const uint8_t sig[64], const uint8_t *key, uint32_t klen) {
    return (int)avm_sys(AVM_SECP256K1_VERIFY, AVM_P(hash), AVM_P(sig), AVM_P(key), klen);
}
static inline int avm_ed25519_verify(const void *msg, uint32_t n, const uint8_t sig[64], const uint8_t key[32]) {
    return (int)avm_sys(AVM_ED25519_VERIFY, AVM_P(msg), n, AVM_P(sig), AVM_P(key));
}

/* ---- nested evaluation ------------------------------------------------ */
/* Status of avm_evaluate. */
enum { AVM_EVAL_RESULT = 0, AVM_EVAL_NO_RESULT = 1, AVM_EVAL_REFUSED = 2 };
/* Evaluates a function of any VM the registry knows (under avm-vm; a
   contract on a chain has no registry and is refused). `call` holds the
   canonical encoding (avm-vm's codec) of the tuple (f, x1, ..., xn): the
   function value, then its arguments. The budget comes out of this frame's
   gas, prepaid with 700 + len; the unused part is refunded. Returns
   AVM_EVAL_RESULT (the result's canonical encoding is then the return data:
   avm_return_data_copy; *result_len, if not NULL, gets its length),
   AVM_EVAL_NO_RESULT (the function failed or ran out of its budget) or
   AVM_EVAL_REFUSED (not a function, an unknown VM, nesting too deep, no
   registry, a result over 1 MiB encoded). A `call` that is not such a
   tuple faults. */
static inline uint32_t avm_evaluate(const void *call, uint32_t len, uint64_t budget,
                                    uint32_t *result_len) {
    return avm_sys2(AVM_EVALUATE, AVM_P(call), len, (uint32_t)budget, (uint32_t)(budget >> 32),
                    0, 0, result_len);
}

/* ---- calldata --------------------------------------------------------- */
static inline uint32_t avm_input_size(void) { return avm_sys(AVM_INPUT_SIZE, 0, 0, 0, 0); }
static inline uint32_t avm_input_copy(void *out, uint32_t offset, uint32_t len) {
    return avm_sys(AVM_INPUT_COPY, AVM_P(out), offset, len, 0);
}
/* The 32 bytes at offset of the calldata (reverts if missing). */
static inline void avm_word(uint32_t offset, void *out32) {
    if (avm_input_copy(out32, offset, 32) != 32) avm_revert_str("missing argument");
}
/* The 4-byte little-endian selector (reverts if the input is shorter). */
static inline uint32_t avm_selector(void) {
    uint32_t s = 0;
    if (avm_input_copy(&s, 0, 4) != 4) avm_revert_str("no selector");
    return s;
}
/* Argument i of a call (32 bytes at 4 + 32 i; reverts if missing). */
static inline void avm_arg(uint32_t i, void *out32) { avm_word(4 + 32 * i, out32); }
/* Argument i of the constructor (32 bytes at 32 i: no selector). */
static inline void avm_deploy_arg(uint32_t i, void *out32) { avm_word(32 * i, out32); }

/* ---- 256-bit unsigned integers (8 little-endian 32-bit limbs) ---------- */
typedef struct { uint32_t w[8]; } u256;

static inline u256 u256_from(uint32_t x) { u256 r = {{x}}; return r; }
static inline int u256_is_zero(const u256 *a) {
    uint32_t o = 0;
    for (int i = 0; i < 8; i++) o |= a->w[i];
    return o == 0;
}
/* -1, 0, 1 as a <, ==, > b. */
static inline int u256_cmp(const u256 *a, const u256 *b) {
    for (int i = 7; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}
/* r = a + b; returns the carry (1: overflowed). r may alias a or b. */
static inline int u256_add(u256 *r, const u256 *a, const u256 *b) {
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->w[i] + b->w[i];
        r->w[i] = (uint32_t)c;
        c >>= 32;
    }
    return (int)c;
}
/* r = a - b; returns the borrow (1: b > a). r may alias a or b. */
static inline int u256_sub(u256 *r, const u256 *a, const u256 *b) {
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    return (int)borrow;
}
/* r = a * b; returns 1 if the product needs more than 256 bits. */
static inline int u256_mul(u256 *r, const u256 *a, const u256 *b) {
    uint32_t t[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)a->w[i] * b->w[j] + t[i + j];
            t[i + j] = (uint32_t)c;
            c >>= 32;
        }
        t[i + 8] = (uint32_t)c;
    }
    uint32_t hi = 0;
    for (int i = 0; i < 8; i++) {
        r->w[i] = t[i];
        hi |= t[i + 8];
    }
    return hi != 0;
}
/* q = n / d, rem = n % d (either may be NULL); d must not be zero. */
static inline void u256_divmod(const u256 *n, const u256 *d, u256 *q, u256 *rem) {
    u256 qq = {{0}}, r = {{0}};
    int top = 255; /* start at n's highest set bit: the bits above add nothing */
    while (top >= 0 && !(n->w[top / 32] >> (top % 32) & 1)) top--;
    for (int i = top; i >= 0; i--) {
        uint32_t carry = r.w[7] >> 31;
        for (int k = 7; k > 0; k--) r.w[k] = r.w[k] << 1 | r.w[k - 1] >> 31;
        r.w[0] = r.w[0] << 1 | (n->w[i / 32] >> (i % 32) & 1);
        if (carry || u256_cmp(&r, d) >= 0) {
            u256_sub(&r, &r, d);
            qq.w[i / 32] |= 1u << (i % 32);
        }
    }
    if (q) *q = qq;
    if (rem) *rem = r;
}

/* ---- storage of 256-bit numbers --------------------------------------- */
/* The u256 under key (zero if absent). */
static inline u256 avm_get_u256(const void *key, uint32_t klen) {
    u256 v = {{0}};
    if (avm_get(key, klen, &v, 32) == AVM_NONE) v = u256_from(0);
    return v;
}
/* Stores v under key; zero deletes the key. */
static inline void avm_set_u256(const void *key, uint32_t klen, const u256 *v) {
    if (u256_is_zero(v))
        avm_delete(key, klen);
    else
        avm_set(key, klen, v, 32);
}

/* A storage key: a one-byte tag followed by up to two addresses. */
typedef struct { uint8_t b[65]; } avm_key;
static inline uint32_t avm_key2(avm_key *k, uint8_t tag, const avm_address *a, const avm_address *b) {
    uint32_t n = 1;
    k->b[0] = tag;
    if (a) { memcpy(k->b + n, a->b, 32); n += 32; }
    if (b) { memcpy(k->b + n, b->b, 32); n += 32; }
    return n;
}

#endif /* AVM_H */
