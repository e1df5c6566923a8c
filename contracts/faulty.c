/* A contract that misbehaves on purpose, to prove rollback.
 *
 *   1 fault()                       writes storage, emits, then loads from an
 *                                   unmapped address (a fault)
 *   2 spin()                        writes storage, then loops until out of gas
 *   3 probe(target, selector, budget)
 *                                   writes "before", calls target with the
 *                                   selector (u32 LE in the first 4 bytes of
 *                                   its argument) and a gas budget (u64 LE),
 *                                   stores the status under "status" and
 *                                   returns it (4 bytes)
 *   4 recurse(level, budget)        calls itself with level + 1 and budget
 *                                   - 100000 while the budget lasts; stores
 *                                   the child's status under 'L' + level
 *   5 misuse(kind)                  a bad syscall (kind in the first byte):
 *                                   0 an output pointer (for a stored value) into unmapped
 *                                   memory, 1 a key over 256 bytes, 2 an
 *                                   unknown syscall number, 3 five topics,
 *                                   4 a write into read-only data
 */
#include "avm.h"

static const avm_address TOPIC = {"Faulty"};

int main(void) {
    uint8_t one = 1;
    switch (avm_selector()) {
    case 1:
        avm_set("x", 1, &one, 1);
        avm_emit(&TOPIC, 1, 0, 0);
        {
            volatile uintptr_t unmapped = 0x4;
            return (int)*(volatile uint32_t *)unmapped;
        }
    case 2:
        avm_set("x", 1, &one, 1);
        for (volatile uint32_t i = 0;; i++) {
        }
    case 3: {
        avm_address target;
        uint8_t sel[32], budget[32];
        avm_arg(0, &target);
        avm_arg(1, sel);
        avm_arg(2, budget);
        avm_set("before", 6, &one, 1);
        uint64_t b;
        memcpy(&b, budget, 8);
        uint32_t status = avm_call(&target, sel, 4, 0, b, 0);
        avm_set("status", 6, &status, 4);
        avm_return(&status, 4);
    }
    case 4: {
        uint8_t level[32], budget[32];
        avm_arg(0, level);
        avm_arg(1, budget);
        uint64_t b;
        memcpy(&b, budget, 8);
        if (b < 200000) return 0;
        b -= 100000;
        avm_address self;
        avm_self(&self);
        uint8_t in[68] = {4, 0, 0, 0};
        uint32_t next = (uint32_t)level[0] | (uint32_t)level[1] << 8;
        next++;
        memcpy(in + 4, &next, 4);
        memcpy(in + 36, &b, 8);
        uint32_t status = avm_call(&self, in, sizeof in, 0, b, 0);
        uint8_t key[3] = {'L', level[0], level[1]};
        avm_set(key, 3, &status, 4);
        return 0;
    }
    case 5: {
        uint8_t kind[32];
        avm_arg(0, kind);
        switch (kind[0]) {
        case 0:
            avm_set("x", 1, &one, 1);
            return (int)avm_get("x", 1, (void *)(uintptr_t)0x4, 1);
        case 1: return (int)avm_get(kind, 257, kind, 1);
        case 2: return (int)avm_sys(0x999, 0, 0, 0, 0);
        case 3: avm_emit(kind, 5, 0, 0); return 0;
        case 4: avm_caller((avm_address *)&TOPIC); return 0;
        }
        return 0;
    }
    }
    avm_revert_str("unknown selector");
}
