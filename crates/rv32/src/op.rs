//! The opcode table: the single list of operations the interpreter knows,
//! with their mnemonics and gas classes. The decoder, the gas table and the
//! disassembly all read from here.

use crate::gas::Class;

macro_rules! ops {
    ($( $name:ident = $mnemonic:literal, $class:ident; )*) => {
        /// An operation of the pre-decoded instruction stream.
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        #[repr(u8)]
        pub enum Op {
            $( #[doc = concat!("`", $mnemonic, "`")] $name, )*
        }

        impl Op {
            /// Every operation, in table order.
            pub const ALL: &'static [Op] = &[$(Op::$name),*];

            /// The assembler mnemonic.
            pub const fn mnemonic(self) -> &'static str {
                match self { $(Op::$name => $mnemonic),* }
            }

            /// The gas class, which fixes the cost.
            pub const fn class(self) -> Class {
                match self { $(Op::$name => Class::$class),* }
            }
        }
    };
}

ops! {
    // RV32I: upper immediates. `auipc` is decoded to its absolute value.
    Lui = "lui", Alu;
    Auipc = "auipc", Alu;
    // RV32I: register-immediate.
    Addi = "addi", Alu;
    Slti = "slti", Alu;
    Sltiu = "sltiu", Alu;
    Xori = "xori", Alu;
    Ori = "ori", Alu;
    Andi = "andi", Alu;
    Slli = "slli", Alu;
    Srli = "srli", Alu;
    Srai = "srai", Alu;
    // RV32I: register-register.
    Add = "add", Alu;
    Sub = "sub", Alu;
    Sll = "sll", Alu;
    Slt = "slt", Alu;
    Sltu = "sltu", Alu;
    Xor = "xor", Alu;
    Srl = "srl", Alu;
    Sra = "sra", Alu;
    Or = "or", Alu;
    And = "and", Alu;
    // RV32M.
    Mul = "mul", Mul;
    Mulh = "mulh", Mul;
    Mulhsu = "mulhsu", Mul;
    Mulhu = "mulhu", Mul;
    Div = "div", Div;
    Divu = "divu", Div;
    Rem = "rem", Div;
    Remu = "remu", Div;
    // RV32I: loads and stores.
    Lb = "lb", Load;
    Lh = "lh", Load;
    Lw = "lw", Load;
    Lbu = "lbu", Load;
    Lhu = "lhu", Load;
    Sb = "sb", Store;
    Sh = "sh", Store;
    Sw = "sw", Store;
    // RV32I: control transfer. Targets of `jal` and branches are absolute.
    Beq = "beq", Branch;
    Bne = "bne", Branch;
    Blt = "blt", Branch;
    Bge = "bge", Branch;
    Bltu = "bltu", Branch;
    Bgeu = "bgeu", Branch;
    Jal = "jal", Jump;
    Jalr = "jalr", Jump;
    // RV32A (single hart: aq/rl are ignored).
    LrW = "lr.w", Atomic;
    ScW = "sc.w", Atomic;
    AmoswapW = "amoswap.w", Atomic;
    AmoaddW = "amoadd.w", Atomic;
    AmoxorW = "amoxor.w", Atomic;
    AmoandW = "amoand.w", Atomic;
    AmoorW = "amoor.w", Atomic;
    AmominW = "amomin.w", Atomic;
    AmomaxW = "amomax.w", Atomic;
    AmominuW = "amominu.w", Atomic;
    AmomaxuW = "amomaxu.w", Atomic;
    // Ordering: no-ops on one hart with immutable code.
    Fence = "fence", Alu;
    FenceI = "fence.i", Alu;
    // System.
    Ecall = "ecall", Syscall;
    Ebreak = "ebreak", Trap;
    // Not instructions: an undecodable word, and a slot outside executable memory.
    Illegal = "illegal", Trap;
    NoCode = "no-code", Trap;
}

impl Op {
    /// Whether the operation may transfer control (or end the run), closing
    /// a basic block.
    pub const fn ends_block(self) -> bool {
        matches!(
            self.class(),
            Class::Branch | Class::Jump | Class::Syscall | Class::Trap
        )
    }
}
