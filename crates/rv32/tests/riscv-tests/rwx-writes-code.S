# Built with env/link-rwx.ld: stores into its own code (in the RWX segment,
# as rv32ui-p-fence_i does). Code is immutable in avm, so the store faults.
#include "riscv_test.h"
#include "test_macros.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    la a0, 1f
    lw a1, 0(a0)
    sw a1, 0(a0)
1:  RVTEST_PASS
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
