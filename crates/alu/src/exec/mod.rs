//! Execution of the data instructions, one module per family.
//!
//! Control flow (jumps, calls, stops) lives in the interpreter loop in
//! [`crate::vm`]; everything here only changes registers.

mod arith;
mod bitwise;
mod bytes;
mod compare;
mod curve;
mod digest;
mod fast;
mod field;
mod float;
mod modular;
mod movement;
mod point;
mod wide;

pub(crate) use bytes::input_bytes;
pub(crate) use curve::{ed25519 as ed25519_valid, ed25519_key, schnorr as schnorr_valid};
pub(crate) use fast::{generic, handler, Handler};

use crate::isa::{Instr, IsaExtension};
use crate::registers::Registers;
use arith::IntOp;
use bitwise::{Logic, Shift};
use core::cmp::Ordering;
use curve::Scheme;
use digest::Hash;
use field::{FieldOp, Goldilocks, F25519};
use float::{BinOp, ExactOp, RoundOp};
use modular::ModOp;
use movement::Move;

/// Executes a data instruction (one that does not end a basic block).
#[inline(always)]
pub(crate) fn data(
    instr: &Instr,
    regs: &mut Registers,
    data: &[u8],
    ext: Option<&dyn IsaExtension>,
) {
    match instr {
        // Movement.
        Instr::ClrA(s) => movement::clr_a(regs, s),
        Instr::ClrF(s) => movement::clr_f(regs, s),
        Instr::ClrR(s) => movement::clr_r(regs, s),
        Instr::ClrS(s) => movement::clr_s(regs, s),
        Instr::PutA(s) => movement::put_a(regs, s, data, false),
        Instr::PutF(s) => movement::put_f(regs, s, data, false),
        Instr::PutR(s) => movement::put_r(regs, s, data, false),
        Instr::PutS(s) => movement::put_s(regs, s, data),
        Instr::PutifA(s) => movement::put_a(regs, s, data, true),
        Instr::PutifF(s) => movement::put_f(regs, s, data, true),
        Instr::PutifR(s) => movement::put_r(regs, s, data, true),
        Instr::MovA(s) => movement::move_a(regs, s, Move::Mov),
        Instr::DupA(s) => movement::move_a(regs, s, Move::Dup),
        Instr::SwpA(s) => movement::move_a(regs, s, Move::Swp),
        Instr::MovF(s) => movement::move_f(regs, s, Move::Mov),
        Instr::DupF(s) => movement::move_f(regs, s, Move::Dup),
        Instr::SwpF(s) => movement::move_f(regs, s, Move::Swp),
        Instr::MovR(s) => movement::move_r(regs, s, Move::Mov),
        Instr::DupR(s) => movement::move_r(regs, s, Move::Dup),
        Instr::SwpR(s) => movement::move_r(regs, s, Move::Swp),
        Instr::MovS(s) => movement::move_s(regs, s, Move::Mov),
        Instr::DupS(s) => movement::move_s(regs, s, Move::Dup),
        Instr::SwpS(s) => movement::move_s(regs, s, Move::Swp),
        Instr::CpyA(s) => movement::cpy_a(regs, s, false),
        Instr::CnvA(s) => movement::cpy_a(regs, s, true),
        Instr::CpyR(s) => movement::cpy_r(regs, s),
        Instr::CpyRA(s) => movement::cpy_ra(regs, s),
        Instr::CpyAR(s) => movement::cpy_ar(regs, s),
        Instr::St(s) => movement::st(regs, s),
        Instr::Inv(_) => regs.st0 = !regs.st0,
        Instr::CpySR(s) => movement::cpy_sr(regs, s),
        Instr::CpyRS(s) => movement::cpy_rs(regs, s),
        // Comparison.
        Instr::GtA(s) => compare::cmp_a(regs, s, Ordering::Greater),
        Instr::LtA(s) => compare::cmp_a(regs, s, Ordering::Less),
        Instr::EqA(s) => compare::eq_a(regs, s),
        Instr::GtR(s) => compare::cmp_r(regs, s, Ordering::Greater),
        Instr::LtR(s) => compare::cmp_r(regs, s, Ordering::Less),
        Instr::EqR(s) => compare::eq_r(regs, s),
        Instr::IfzA(s) => compare::ifz_a(regs, s),
        Instr::IfzR(s) => compare::ifz_r(regs, s),
        Instr::IfnA(s) => compare::ifn_a(regs, s),
        Instr::IfnF(s) => compare::ifn_f(regs, s),
        Instr::IfnR(s) => compare::ifn_r(regs, s),
        Instr::IfnS(s) => compare::ifn_s(regs, s),
        Instr::EqS(s) => compare::eq_s(regs, s),
        // Integer arithmetic.
        Instr::Add(s) => arith::int(regs, s, IntOp::Add),
        Instr::Sub(s) => arith::int(regs, s, IntOp::Sub),
        Instr::Mul(s) => arith::int(regs, s, IntOp::Mul),
        Instr::Div(s) => arith::int(regs, s, IntOp::Div),
        Instr::Rem(s) => arith::rem(regs, s),
        Instr::Neg(s) => arith::neg(regs, s),
        Instr::Abs(s) => arith::abs(regs, s),
        Instr::Inc(s) => arith::step(regs, s, true),
        Instr::Dec(s) => arith::step(regs, s, false),
        Instr::IncR(s) => wide::step(regs, s, true),
        Instr::DecR(s) => wide::step(regs, s, false),
        Instr::NegR(s) => wide::neg(regs, s),
        Instr::AddR(s) => wide::int(regs, s, IntOp::Add),
        Instr::SubR(s) => wide::int(regs, s, IntOp::Sub),
        Instr::MulR(s) => wide::int(regs, s, IntOp::Mul),
        Instr::DivR(s) => wide::div(regs, s, false),
        Instr::RemR(s) => wide::div(regs, s, true),
        // Modular arithmetic.
        Instr::AddMod(s) => modular::op(regs, s, ModOp::Add),
        Instr::SubMod(s) => modular::op(regs, s, ModOp::Sub),
        Instr::MulMod(s) => modular::op(regs, s, ModOp::Mul),
        Instr::PowMod(s) => modular::op(regs, s, ModOp::Pow),
        Instr::InvMod(s) => modular::inv(regs, s),
        // Bitwise.
        Instr::And(s) => bitwise::logic_a(regs, s, Logic::And),
        Instr::Or(s) => bitwise::logic_a(regs, s, Logic::Or),
        Instr::Xor(s) => bitwise::logic_a(regs, s, Logic::Xor),
        Instr::Not(s) => bitwise::not_a(regs, s),
        Instr::Shl(s) => bitwise::shift_a(regs, s, Shift::Shl),
        Instr::Shr(s) => bitwise::shift_a(regs, s, Shift::Shr),
        Instr::Sar(s) => bitwise::shift_a(regs, s, Shift::Sar),
        Instr::Rol(s) => bitwise::shift_a(regs, s, Shift::Rol),
        Instr::Ror(s) => bitwise::shift_a(regs, s, Shift::Ror),
        Instr::Rev(s) => bitwise::rev_a(regs, s),
        Instr::AndR(s) => bitwise::logic_r(regs, s, Logic::And),
        Instr::OrR(s) => bitwise::logic_r(regs, s, Logic::Or),
        Instr::XorR(s) => bitwise::logic_r(regs, s, Logic::Xor),
        Instr::NotR(s) => bitwise::not_r(regs, s),
        Instr::ShlR(s) => bitwise::shift_r(regs, s, Shift::Shl),
        Instr::ShrR(s) => bitwise::shift_r(regs, s, Shift::Shr),
        Instr::RolR(s) => bitwise::shift_r(regs, s, Shift::Rol),
        Instr::RorR(s) => bitwise::shift_r(regs, s, Shift::Ror),
        Instr::RevR(s) => bitwise::rev_r(regs, s),
        // Byte strings.
        Instr::Fill(s) => bytes::fill(regs, s),
        Instr::Len(s) => bytes::len(regs, s),
        Instr::Cnt(s) => bytes::cnt(regs, s),
        Instr::Cat(s) => bytes::cat(regs, s),
        Instr::Find(s) => bytes::find(regs, s),
        Instr::Extr(s) => bytes::extr(regs, s),
        Instr::Inj(s) => bytes::put_at(regs, s, false),
        Instr::Join(s) => bytes::join(regs, s),
        Instr::Splt(s) => bytes::splt(regs, s),
        Instr::Ins(s) => bytes::put_at(regs, s, true),
        Instr::Del(s) => bytes::del(regs, s),
        Instr::RevS(s) => bytes::rev(regs, s),
        // Digests.
        Instr::Sha256(s) => digest::hash256(regs, s, Hash::Sha256),
        Instr::Sha512(s) => digest::sha512(regs, s),
        Instr::Ripemd160(s) => digest::ripemd160(regs, s),
        Instr::Blake3(s) => digest::hash256(regs, s, Hash::Blake3),
        Instr::Keccak256(s) => digest::hash256(regs, s, Hash::Keccak256),
        // Elliptic curves.
        Instr::Ecdsa(s) => curve::verify(regs, s, Scheme::Ecdsa),
        Instr::Schnorr(s) => curve::verify(regs, s, Scheme::Schnorr),
        Instr::Ed25519(s) => curve::verify(regs, s, Scheme::Ed25519),
        // Prime fields.
        Instr::PutGl(s) => field::put::<Goldilocks>(regs, s.dst, data, s.off),
        Instr::MovGl(s) => field::mov::<Goldilocks>(regs, s.dst, s.src),
        Instr::EqGl(s) => field::eq::<Goldilocks>(regs, s.a, s.b),
        Instr::AddGl(s) => field::binary::<Goldilocks>(regs, s.dst, s.a, s.b, FieldOp::Add),
        Instr::SubGl(s) => field::binary::<Goldilocks>(regs, s.dst, s.a, s.b, FieldOp::Sub),
        Instr::MulGl(s) => field::binary::<Goldilocks>(regs, s.dst, s.a, s.b, FieldOp::Mul),
        Instr::NegGl(s) => field::neg::<Goldilocks>(regs, s.dst, s.src),
        Instr::InvGl(s) => field::inv::<Goldilocks>(regs, s.dst, s.src),
        Instr::Put25519(s) => field::put::<F25519>(regs, s.dst, data, s.off),
        Instr::Mov25519(s) => field::mov::<F25519>(regs, s.dst, s.src),
        Instr::Eq25519(s) => field::eq::<F25519>(regs, s.a, s.b),
        Instr::Add25519(s) => field::binary::<F25519>(regs, s.dst, s.a, s.b, FieldOp::Add),
        Instr::Sub25519(s) => field::binary::<F25519>(regs, s.dst, s.a, s.b, FieldOp::Sub),
        Instr::Mul25519(s) => field::binary::<F25519>(regs, s.dst, s.a, s.b, FieldOp::Mul),
        Instr::Neg25519(s) => field::neg::<F25519>(regs, s.dst, s.src),
        Instr::Inv25519(s) => field::inv::<F25519>(regs, s.dst, s.src),
        Instr::Pgen(s) => point::pgen(regs, s),
        Instr::Padd(s) => point::padd(regs, s),
        Instr::Pneg(s) => point::pneg(regs, s),
        Instr::Pmul(s) => point::pmul(regs, s),
        Instr::Pchk(s) => point::pchk(regs, s),
        // Float arithmetic.
        Instr::AddF(s) => float::binary(regs, s, BinOp::Add),
        Instr::SubF(s) => float::binary(regs, s, BinOp::Sub),
        Instr::MulF(s) => float::binary(regs, s, BinOp::Mul),
        Instr::DivF(s) => float::binary(regs, s, BinOp::Div),
        Instr::FmaF(s) => float::fma(regs, s),
        Instr::RemF(s) => float::exact(regs, s, ExactOp::Rem),
        Instr::SqrtF(s) => float::unary(regs, s, RoundOp::Sqrt),
        Instr::NegF(s) => float::sign(regs, s, true),
        Instr::AbsF(s) => float::sign(regs, s, false),
        Instr::MinF(s) => float::exact(regs, s, ExactOp::Min),
        Instr::MaxF(s) => float::exact(regs, s, ExactOp::Max),
        Instr::RndF(s) => float::unary(regs, s, RoundOp::Integral),
        Instr::GtF(s) => float::cmp(regs, s, Ordering::Greater),
        Instr::LtF(s) => float::cmp(regs, s, Ordering::Less),
        Instr::EqF(s) => float::eq(regs, s),
        Instr::CnvF(s) => float::convert(regs, s),
        Instr::CpyFA(s) => float::from_int(regs, s, false),
        Instr::CnvFA(s) => float::from_int(regs, s, true),
        Instr::CpyAF(s) => float::to_int(regs, s, false),
        Instr::CnvAF(s) => float::to_int(regs, s, true),
        // Host extensions.
        Instr::Ext(e) => match ext {
            Some(x) => x.execute(e, regs),
            None => regs.st0 = false,
        },
        // Control flow is the interpreter's; reaching here is a no-op.
        Instr::Fail(_)
        | Instr::Test(_)
        | Instr::Jmp(_)
        | Instr::Jif(_)
        | Instr::Routine(_)
        | Instr::Call(_)
        | Instr::Exec(_)
        | Instr::Ret(_)
        | Instr::Stop(_)
        | Instr::Nop(_)
        | Instr::Reserved(_) => {}
    }
}
