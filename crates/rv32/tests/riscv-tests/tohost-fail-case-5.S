# Signals through tohost instead of ecall: stores (5 << 1) | 1 and spins,
# as the standard environment's trap handler does. The runner must see the
# word and report test 5 failed.
#include "riscv_test.h"
RVTEST_RV32U
RVTEST_CODE_BEGIN
    li TESTNUM, (5 << 1) | 1
    j avm_trap
RVTEST_CODE_END
    .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
