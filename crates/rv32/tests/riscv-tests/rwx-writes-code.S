# Built with env/link-rwx.ld: patches an instruction of its own code (in
# the RWX segment, as rv32ui-p-fence_i does). In the runner's Zifencei
# mode the old instruction runs until fence.i, the new one after it.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    li TESTNUM, 2
    jal ra, patched
    li t0, 1
    bne a3, t0, fail
    la a0, patched
    lw a1, new
    sw a1, 0(a0)
    # Not yet re-translated: the old instruction.
    li TESTNUM, 3
    jal ra, patched
    li t0, 1
    bne a3, t0, fail
    fence.i
    li TESTNUM, 4
    jal ra, patched
    li t0, 2
    bne a3, t0, fail
    TEST_PASSFAIL
patched:
    li a3, 1
    ret
new:
    li a3, 2
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
