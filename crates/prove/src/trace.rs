//! Running a compiled program on its arguments and recording the trace the
//! AIR checks, row by row.

use winterfell::math::{fields::f64::BaseElement, FieldElement};
use winterfell::TraceTable;

use crate::air::Layout;
use crate::subset::{BinOp, Circuit, Op};

/// Most rows a trace may have (2^22): runs longer than this are not proved.
pub const MAX_TRACE_ROWS: usize = 1 << 22;

/// Fewest rows of a trace (winterfell's minimum).
const MIN_TRACE_ROWS: usize = 8;

/// Why a run gave no trace to prove.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// It stopped without returning true.
    #[error("the program does not accept these inputs")]
    Unsatisfied,
    /// It needed more gas than the limit.
    #[error("out of gas")]
    OutOfGas,
    /// It called routines deeper than the subset allows.
    #[error("routine calls nest deeper than {0} at offset {1}, the provable subset's limit")]
    TooDeep(usize, u32),
    /// It ran longer than a trace may be.
    #[error("the run takes more than {MAX_TRACE_ROWS} steps, more than a trace may have")]
    TooLong,
}

/// A finished accepting run: its trace and the gas it used.
pub struct Run {
    /// The execution trace.
    pub trace: TraceTable<BaseElement>,
    /// Instructions executed.
    pub steps: usize,
    /// Gas used.
    pub gas_used: u64,
}

impl Run {
    /// The trace's rows: a power of two, at least one past the last step.
    pub fn trace_rows(&self) -> usize {
        winterfell::Trace::length(&self.trace)
    }
}

/// The machine state the trace records.
struct State {
    pc: u32,
    st0: bool,
    gas: u64,
    stack: Vec<u32>,
    values: Vec<BaseElement>,
    defined: Vec<bool>,
}

/// Runs `circuit` on `[public, private]` (field elements) within
/// `gas_limit`, as the Alu interpreter would, recording the trace of an
/// accepting run.
pub fn run(circuit: &Circuit, public: u64, private: u64, gas_limit: u64) -> Result<Run, RunError> {
    let layout = Layout::of(circuit);
    let regs = circuit.registers.len();
    let mut state = State {
        pc: circuit.entry,
        st0: true,
        gas: 0,
        stack: Vec::new(),
        values: vec![BaseElement::ZERO; regs],
        defined: vec![false; regs],
    };
    state.values[0] = BaseElement::new(public);
    state.values[1] = BaseElement::new(private);
    state.defined[0] = true;
    state.defined[1] = true;
    let mut rows: Vec<Vec<BaseElement>> = Vec::new();
    loop {
        if rows.len() + 1 >= MAX_TRACE_ROWS {
            return Err(RunError::TooLong);
        }
        let k = circuit
            .steps
            .binary_search_by_key(&state.pc, |s| s.addr)
            .expect("every reachable offset is compiled");
        let step = circuit.steps[k];
        if state.gas.saturating_add(step.cost) > gas_limit {
            return Err(RunError::OutOfGas);
        }
        let mut row = record(&layout, &state, false);
        row[layout.selector(k)] = BaseElement::ONE;
        let x = match step.op {
            Op::Inv { src, .. } => Some(state.values[src]),
            Op::Eq { a, b } => Some(state.values[a] - state.values[b]),
            Op::Ret => Some(BaseElement::from(state.stack.last().copied().unwrap_or(0))),
            _ => None,
        };
        let zero = x == Some(BaseElement::ZERO);
        if let Some(x) = x {
            row[Layout::W] = x.inv();
            row[Layout::Z] = BaseElement::from(u32::from(zero));
        }
        rows.push(row);
        state.gas += step.cost;
        let mut pc = step.next;
        let mut halt = false;
        match step.op {
            Op::Stop => halt = true,
            Op::Fail => {
                state.st0 = false;
                halt = true;
            }
            Op::Test => halt = !state.st0,
            Op::Nop => {}
            Op::NotSt0 => state.st0 = !state.st0,
            Op::Jmp(t) => pc = t,
            Op::Jif(t) => {
                if state.st0 {
                    pc = t
                }
            }
            Op::Routine(t) => {
                if state.stack.len() == circuit.depth {
                    return Err(RunError::TooDeep(circuit.depth, step.addr));
                }
                state.stack.push(step.next);
                pc = t;
            }
            Op::Ret => match state.stack.pop() {
                Some(r) => pc = r,
                None => halt = true,
            },
            Op::Put { dst, value } => {
                state.values[dst] = BaseElement::new(value.unwrap_or(0));
                state.defined[dst] = value.is_some();
                state.st0 &= value.is_some();
            }
            Op::Mov { dst, src } => {
                state.values[dst] = state.values[src];
                state.defined[dst] = state.defined[src];
            }
            Op::Neg { dst, src } => {
                state.values[dst] = -state.values[src];
                state.defined[dst] = state.defined[src];
            }
            Op::Inv { dst, src } => {
                let d = state.defined[src];
                state.values[dst] = state.values[src].inv();
                state.defined[dst] = d && !zero;
                state.st0 &= !(d && zero);
            }
            Op::Bin { op, dst, a, b } => {
                let (x, y) = (state.values[a], state.values[b]);
                state.values[dst] = match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                };
                state.defined[dst] = state.defined[a] && state.defined[b];
            }
            Op::Eq { a, b } => state.st0 = state.defined[a] && state.defined[b] && zero,
        }
        if halt {
            // A `ret` that stops has moved pc to the empty stack slot, 0.
            if step.op == Op::Ret {
                state.pc = 0;
            }
            break;
        }
        state.pc = pc;
    }
    let accepted = state.st0 && state.defined[0] && state.values[0] == BaseElement::ONE;
    if !accepted {
        return Err(RunError::Unsatisfied);
    }
    let steps = rows.len();
    let length = (steps + 1).next_power_of_two().max(MIN_TRACE_ROWS);
    let last = record(&layout, &state, true);
    rows.resize(length, last);
    let mut trace = TraceTable::new(layout.width(), length);
    for (i, row) in rows.iter().enumerate() {
        trace.update_row(i, row);
    }
    Ok(Run {
        trace,
        steps,
        gas_used: state.gas,
    })
}

/// A row of `state` with no selector set.
fn record(layout: &Layout, state: &State, halted: bool) -> Vec<BaseElement> {
    let mut row = vec![BaseElement::ZERO; layout.width()];
    row[Layout::PC] = BaseElement::from(state.pc);
    row[Layout::HALT] = BaseElement::from(u32::from(halted));
    row[Layout::ST0] = BaseElement::from(u32::from(state.st0));
    row[Layout::GAS] = BaseElement::new(state.gas);
    for (i, r) in state.stack.iter().rev().enumerate() {
        row[layout.stack(i)] = BaseElement::from(*r);
    }
    for j in 0..layout.registers {
        row[layout.value(j)] = state.values[j];
        row[layout.defined(j)] = BaseElement::from(u32::from(state.defined[j]));
    }
    row
}
