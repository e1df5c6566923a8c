//! The AIR of a compiled program: its columns ([`Layout`]), transition
//! constraints and boundary assertions. docs/provable.md explains each.

use std::sync::Arc;

use winterfell::math::{fields::f64::BaseElement, FieldElement, ToElements};
use winterfell::{
    Air, AirContext, Assertion, EvaluationFrame, ProofOptions, TraceInfo,
    TransitionConstraintDegree,
};

use crate::poly::Poly;
use crate::subset::{BinOp, Circuit, Op};

/// Where each column of the trace is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Call-stack columns.
    pub depth: usize,
    /// Register columns (value and defined flag each).
    pub registers: usize,
    /// Selector columns, one per step.
    pub steps: usize,
}

impl Layout {
    /// The program counter.
    pub const PC: usize = 0;
    /// 1 once the run has stopped.
    pub const HALT: usize = 1;
    /// st0.
    pub const ST0: usize = 2;
    /// Gas used before this row's instruction.
    pub const GAS: usize = 3;
    /// The zero test's witness: the inverse of the tested value, or 0.
    pub const W: usize = 4;
    /// The zero test's result: 1 if the tested value is 0.
    pub const Z: usize = 5;
    const STACK: usize = 6;

    /// The layout of `circuit`'s trace.
    pub fn of(circuit: &Circuit) -> Layout {
        Layout {
            depth: circuit.depth,
            registers: circuit.registers.len(),
            steps: circuit.steps.len(),
        }
    }

    /// Call-stack slot `i` (0: the top), a return offset or 0 when empty.
    pub fn stack(&self, i: usize) -> usize {
        Self::STACK + i
    }

    /// The value of register column `j`.
    pub fn value(&self, j: usize) -> usize {
        Self::STACK + self.depth + 2 * j
    }

    /// Whether register column `j` is defined (1) or not (0).
    pub fn defined(&self, j: usize) -> usize {
        self.value(j) + 1
    }

    /// The selector of step `k`: 1 on the rows that execute it.
    pub fn selector(&self, k: usize) -> usize {
        Self::STACK + self.depth + 2 * self.registers + k
    }

    /// The number of columns.
    pub fn width(&self) -> usize {
        self.selector(self.steps)
    }
}

/// The public inputs: what the verifier knows and the prover committed to.
#[derive(Clone, Debug)]
pub struct PublicInputs {
    /// The compiled program (its library id is absorbed into the transcript).
    pub circuit: Arc<Circuit>,
    /// The public argument, a field element.
    pub public: u64,
    /// The gas the run used.
    pub gas_used: u64,
}

impl ToElements<BaseElement> for PublicInputs {
    fn to_elements(&self) -> Vec<BaseElement> {
        let mut out: Vec<BaseElement> = self
            .circuit
            .id
            .0
            .chunks(4)
            .map(|c| BaseElement::from(u32::from_le_bytes(c.try_into().expect("4 bytes"))))
            .collect();
        out.push(BaseElement::new(self.public));
        out.push(BaseElement::new(self.gas_used));
        out
    }
}

/// The constraints of a circuit, independent of the trace length.
#[derive(Clone, Debug)]
pub struct Constraints {
    /// The transition constraints, each zero on every pair of rows.
    pub transitions: Vec<Poly>,
}

fn s(layout: &Layout, k: usize) -> Poly {
    Poly::cur(layout.selector(k))
}

fn e(x: u64) -> BaseElement {
    BaseElement::new(x)
}

impl Constraints {
    /// Builds the transition constraints of `circuit`.
    pub fn of(circuit: &Circuit) -> Constraints {
        let l = Layout::of(circuit);
        let cur = Poly::cur;
        let one = Poly::int(1);
        let h = cur(Layout::HALT);
        let st0 = cur(Layout::ST0);
        let z = cur(Layout::Z);
        let w = cur(Layout::W);
        let steps = &circuit.steps;
        let sum = |f: &dyn Fn(usize, &Op) -> Option<Poly>| -> Poly {
            steps
                .iter()
                .enumerate()
                .filter_map(|(k, st)| f(k, &st.op).map(|p| s(&l, k).mul(&p)))
                .fold(Poly::default(), |acc, p| acc.add(&p))
        };
        let mut out = Vec::new();
        // Exactly one of the selectors and the halt flag is set.
        let selectors = (0..steps.len()).fold(Poly::default(), |acc, k| acc.add(&s(&l, k)));
        out.push(selectors.add(&h).sub(&one));
        out.push(h.mul(&h.sub(&one)));
        for k in 0..steps.len() {
            out.push(s(&l, k).mul(&s(&l, k).sub(&one)));
        }
        // The selector set is the one of the instruction at pc.
        out.push(sum(&|k, _| {
            Some(cur(Layout::PC).sub(&Poly::int(u64::from(steps[k].addr))))
        }));
        // Each column's next value: unchanged unless the selected step changes it.
        let next_is = |col: usize, delta: Poly| Poly::next(col).sub(&cur(col)).sub(&delta);
        out.push(next_is(
            Layout::PC,
            sum(&|k, op| {
                let (addr, fall) = (u64::from(steps[k].addr), u64::from(steps[k].next));
                let to = |t: u32| Poly::int(u64::from(t)).sub(&Poly::int(addr));
                match *op {
                    Op::Stop | Op::Fail => None,
                    Op::Test => Some(st0.mul(&to(steps[k].next))),
                    Op::Jmp(t) | Op::Routine(t) => Some(to(t)),
                    Op::Jif(t) => Some(
                        to(steps[k].next)
                            .add(&st0.mul(&Poly::int(u64::from(t)).sub(&Poly::int(fall)))),
                    ),
                    Op::Ret => Some(cur(l.stack(0)).sub(&Poly::int(addr))),
                    _ => Some(to(steps[k].next)),
                }
            }),
        ));
        out.push(next_is(
            Layout::HALT,
            sum(&|_, op| match op {
                Op::Stop | Op::Fail => Some(one.clone()),
                Op::Test => Some(one.sub(&st0)),
                Op::Ret => Some(z.clone()),
                _ => None,
            }),
        ));
        out.push(next_is(
            Layout::ST0,
            sum(&|_, op| {
                let d = |j: usize| cur(l.defined(j));
                match *op {
                    Op::Fail | Op::Put { value: None, .. } => Some(st0.scale(-e(1))),
                    Op::NotSt0 => Some(one.sub(&st0.scale(e(2)))),
                    Op::Inv { src, .. } => Some(st0.mul(&d(src)).mul(&z).scale(-e(1))),
                    Op::Eq { a, b } => Some(d(a).mul(&d(b)).mul(&z).sub(&st0)),
                    _ => None,
                }
            }),
        ));
        out.push(next_is(
            Layout::GAS,
            sum(&|k, _| Some(Poly::int(steps[k].cost))),
        ));
        for i in 0..l.depth {
            let r = |i: usize| cur(l.stack(i));
            out.push(next_is(
                l.stack(i),
                sum(&|k, op| match op {
                    Op::Routine(_) if i == 0 => {
                        Some(Poly::int(u64::from(steps[k].next)).sub(&r(0)))
                    }
                    Op::Routine(_) => Some(r(i - 1).sub(&r(i))),
                    Op::Ret if i + 1 < l.depth => Some(r(i + 1).sub(&r(i))),
                    Op::Ret => Some(r(i).scale(-e(1))),
                    _ => None,
                }),
            ));
        }
        for j in 0..l.registers {
            let v = |j: usize| cur(l.value(j));
            let d = |j: usize| cur(l.defined(j));
            out.push(next_is(
                l.value(j),
                sum(&|_, op| {
                    let new = match *op {
                        Op::Put { dst, value } if dst == j => Poly::int(value.unwrap_or(0)),
                        Op::Mov { dst, src } if dst == j => v(src),
                        Op::Neg { dst, src } if dst == j => v(src).scale(-e(1)),
                        Op::Inv { dst, .. } if dst == j => w.clone(),
                        Op::Bin { op, dst, a, b } if dst == j => match op {
                            BinOp::Add => v(a).add(&v(b)),
                            BinOp::Sub => v(a).sub(&v(b)),
                            BinOp::Mul => v(a).mul(&v(b)),
                        },
                        _ => return None,
                    };
                    Some(new.sub(&v(j)))
                }),
            ));
            out.push(next_is(
                l.defined(j),
                sum(&|_, op| {
                    let new = match *op {
                        Op::Put { dst, value } if dst == j => Poly::int(value.is_some().into()),
                        Op::Mov { dst, src } | Op::Neg { dst, src } if dst == j => d(src),
                        Op::Inv { dst, src } if dst == j => d(src).mul(&one.sub(&z)),
                        Op::Bin { dst, a, b, .. } if dst == j => d(a).mul(&d(b)),
                        _ => return None,
                    };
                    Some(new.sub(&d(j)))
                }),
            ));
        }
        // The zero test: z = 1 if x = 0, else z = 0 (w = 1/x proves x != 0).
        let tested = |op: &Op| match *op {
            Op::Inv { src, .. } => Some(cur(l.value(src))),
            Op::Eq { a, b } => Some(cur(l.value(a)).sub(&cur(l.value(b)))),
            Op::Ret => Some(cur(l.stack(0))),
            _ => None,
        };
        if steps.iter().any(|st| st.op.uses_zero_test()) {
            out.push(sum(&|_, op| {
                tested(op).map(|x| z.sub(&one).add(&x.mul(&w)))
            }));
            out.push(sum(&|_, op| tested(op).map(|x| x.mul(&z))));
        }
        // A routine never pushes past the deepest slot.
        if l.depth > 0 {
            let bottom = cur(l.stack(l.depth - 1));
            out.push(sum(&|_, op| {
                matches!(op, Op::Routine(_)).then(|| bottom.clone())
            }));
        }
        Constraints { transitions: out }
    }
}

/// The AIR of one compiled program.
pub struct AluAir {
    context: AirContext<BaseElement>,
    inputs: PublicInputs,
    constraints: Constraints,
    layout: Layout,
}

impl AluAir {
    /// The trace layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The boundary assertions for a trace of `length` rows.
    fn assertions(
        inputs: &PublicInputs,
        layout: &Layout,
        length: usize,
    ) -> Vec<Assertion<BaseElement>> {
        let c = &inputs.circuit;
        let last = length - 1;
        let mut out = vec![
            Assertion::single(Layout::PC, 0, e(c.entry.into())),
            Assertion::single(Layout::HALT, 0, BaseElement::ZERO),
            Assertion::single(Layout::ST0, 0, BaseElement::ONE),
            Assertion::single(Layout::GAS, 0, BaseElement::ZERO),
            Assertion::single(layout.value(0), 0, e(inputs.public)),
        ];
        for i in 0..layout.depth {
            out.push(Assertion::single(layout.stack(i), 0, BaseElement::ZERO));
        }
        for (j, reg) in c.registers.iter().enumerate() {
            // a64[0] holds the public argument, a64[1] the private one.
            let defined = if *reg <= 1 {
                BaseElement::ONE
            } else {
                BaseElement::ZERO
            };
            out.push(Assertion::single(layout.defined(j), 0, defined));
        }
        // It stopped with st0 true and a64[0] = 1 (the result `true`),
        // having used the gas claimed.
        out.push(Assertion::single(Layout::HALT, last, BaseElement::ONE));
        out.push(Assertion::single(Layout::ST0, last, BaseElement::ONE));
        out.push(Assertion::single(layout.value(0), last, BaseElement::ONE));
        out.push(Assertion::single(layout.defined(0), last, BaseElement::ONE));
        out.push(Assertion::single(Layout::GAS, last, e(inputs.gas_used)));
        out
    }
}

impl Air for AluAir {
    type BaseField = BaseElement;
    type PublicInputs = PublicInputs;

    fn new(trace_info: TraceInfo, inputs: PublicInputs, options: ProofOptions) -> Self {
        let constraints = Constraints::of(&inputs.circuit);
        let layout = Layout::of(&inputs.circuit);
        let degrees = constraints
            .transitions
            .iter()
            .map(|c| TransitionConstraintDegree::new(c.degree().max(1)))
            .collect();
        let assertions = Self::assertions(&inputs, &layout, trace_info.length()).len();
        AluAir {
            context: AirContext::new(trace_info, degrees, assertions, options),
            inputs,
            constraints,
            layout,
        }
    }

    fn evaluate_transition<E: FieldElement + From<Self::BaseField>>(
        &self,
        frame: &EvaluationFrame<E>,
        _periodic_values: &[E],
        result: &mut [E],
    ) {
        let (cur, next) = (frame.current(), frame.next());
        for (r, c) in result.iter_mut().zip(&self.constraints.transitions) {
            *r = c.eval(cur, next);
        }
    }

    fn get_assertions(&self) -> Vec<Assertion<Self::BaseField>> {
        Self::assertions(&self.inputs, &self.layout, self.trace_length())
    }

    fn context(&self) -> &AirContext<Self::BaseField> {
        &self.context
    }
}
