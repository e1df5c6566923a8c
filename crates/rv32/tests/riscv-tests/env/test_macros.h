/* Test-case macros for avm's instruction tests, in the riscv-tests style:
   each case sets TESTNUM, computes into x14 and branches to `fail` on a
   mismatch. Operands are loaded with `li`, so any 32-bit value works. */
#ifndef AVM_TEST_MACROS_H
#define AVM_TEST_MACROS_H

#define CHECK(n, got, want)  li x7, want; li TESTNUM, n; bne got, x7, fail

/* Register-register and register-immediate operations. */
#define TEST_RR(n, inst, want, a, b) \
    li x1, a; li x2, b; inst x14, x1, x2; CHECK(n, x14, want)
#define TEST_RI(n, inst, want, a, imm) \
    li x1, a; inst x14, x1, imm; CHECK(n, x14, want)
/* The destination is also a source. */
#define TEST_RR_SRC1_EQ_DEST(n, inst, want, a, b) \
    li x1, a; li x2, b; inst x1, x1, x2; CHECK(n, x1, want)
#define TEST_RR_SRC12_EQ_DEST(n, inst, want, a) \
    li x1, a; inst x1, x1, x1; CHECK(n, x1, want)
/* Writes to x0 are discarded. */
#define TEST_RR_ZERO_DEST(n, inst, a, b) \
    li x1, a; li x2, b; inst x0, x1, x2; CHECK(n, x0, 0)
#define TEST_RI_ZERO_DEST(n, inst, a, imm) \
    li x1, a; inst x0, x1, imm; CHECK(n, x0, 0)
/* x0 as a source reads 0. */
#define TEST_RR_ZERO_SRC1(n, inst, want, b) \
    li x2, b; inst x14, x0, x2; CHECK(n, x14, want)
#define TEST_RR_ZERO_SRC2(n, inst, want, a) \
    li x1, a; inst x14, x1, x0; CHECK(n, x14, want)

/* Loads from `base + off`, where `base` is a data label. */
#define TEST_LD(n, inst, want, off, base) \
    la x1, base; inst x14, off(x1); CHECK(n, x14, want)
/* Stores `val` to `base + off` and loads it back with `ld`. */
#define TEST_ST(n, ld, st, want, val, off, base) \
    la x1, base; li x2, val; st x2, off(x1); ld x14, off(x1); CHECK(n, x14, want)

/* Branches: taken must skip the fail, not taken must fall through. */
#define TEST_BR_TAKEN(n, inst, a, b) \
    li TESTNUM, n; li x1, a; li x2, b; inst x1, x2, 1f; j fail; 1:
#define TEST_BR_NOT_TAKEN(n, inst, a, b) \
    li TESTNUM, n; li x1, a; li x2, b; inst x1, x2, fail

/* Atomics on the word at `base`: memory starts at `mem`, the AMO's rd
   must get `mem` and memory must end as `want`. */
#define TEST_AMO(n, inst, want, mem, b, base) \
    la x4, base; li x1, mem; sw x1, 0(x4); li x2, b; \
    inst x14, x2, (x4); CHECK(n, x14, mem); lw x15, 0(x4); CHECK(n, x15, want)

#define TEST_PASSFAIL \
    bne x0, TESTNUM, pass; fail: RVTEST_FAIL; pass: RVTEST_PASS

#endif
