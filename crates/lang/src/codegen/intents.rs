//! The intent forms, lowered to the OBJ extension's intent instructions
//! (0xE3..=0xEC, docs/intents.md). Domains and constraints are constants:
//! their canonical encodings go to the data segment and are loaded into a
//! scratch `s` register.

use avm_asm::Span;
use avm_intent::encode::{constraint_value, domain_value};
use avm_vm::codec;

use super::FunctionGen;
use crate::ast::{Expr, ExprKind, IntentOp};
use crate::emit::{Arg, VReg};
use crate::types::Type;

impl FunctionGen<'_> {
    /// Generates the intent form `op` on `args`, of type `ty`.
    pub(super) fn intent(
        &mut self,
        op: &IntentOp,
        args: &[Expr],
        ty: Type,
        dst: Option<VReg>,
        span: Span,
    ) -> Option<VReg> {
        if *op == IntentOp::Require {
            self.require(args.first()?, false);
            return None;
        }
        let r = self.target(dst, ty);
        let mark = self.next;
        let mut operands = self.operands(args);
        let constant = match op {
            IntentOp::ChooseIn(d) | IntentOp::NewVar(d) | IntentOp::Narrow(d) => {
                Some(domain_value(d))
            }
            IntentOp::Post(c) => Some(constraint_value(c)),
            _ => None,
        };
        if let Some(value) = constant {
            let s = self.alloc(Type::Bytes)?;
            let bytes = Arg::Bytes(codec::encode(&value));
            self.out.plain("put", None, vec![Arg::Reg(s), bytes], span);
            operands.push(Arg::Reg(s));
        }
        let result = r.map(Arg::Reg).into_iter();
        match op {
            IntentOp::Narrow(_) | IntentOp::Post(_) => {
                // They set st0 to whether the constraint holds; it is required.
                self.out.compare(op_mnemonic(op), None, operands, span);
                self.out.require(span);
            }
            _ => {
                let all = result.chain(operands).collect();
                self.out.fallible(op_mnemonic(op), None, all, span);
            }
        }
        self.next = mark;
        r
    }

    /// `(require c)` (or, `negate`d, of `(not c)`): a comparison goes
    /// straight into `st0` and `orequire`; a conjunction requires each
    /// part; anything else is a test whose false branch fails the run.
    fn require(&mut self, c: &Expr, negate: bool) {
        let span = c.span;
        match &c.kind {
            ExprKind::Bool(b) if *b != negate => {}
            ExprKind::Not(a) => self.require(a, !negate),
            ExprKind::And(a, b) if !negate => {
                self.require(a, false);
                self.require(b, false);
            }
            ExprKind::Compare(op, a, b) => {
                let mark = self.next;
                if self.compare(*op, a, b, span) != negate {
                    self.out.invert(span);
                }
                self.out.require(span);
                self.next = mark;
            }
            _ => {
                let ok = self.out.new_label();
                self.branch(c, ok, !negate);
                self.out.fail(span);
                self.out.label(ok, span);
            }
        }
    }
}

/// The instruction of an intent form.
fn op_mnemonic(op: &IntentOp) -> &'static str {
    match op {
        IntentOp::ChooseRange => "ochoose",
        IntentOp::ChooseIn(_) => "ochooses",
        IntentOp::Require => "orequire",
        IntentOp::NewVar(_) => "onewvar",
        IntentOp::Narrow(_) => "onarrow",
        IntentOp::Post(_) => "opost",
        IntentOp::Label => "olabel",
        IntentOp::Flow { create: false } => "oconsume",
        IntentOp::Flow { create: true } => "oproduce",
        IntentOp::Offer => "ooffer",
    }
}

#[cfg(test)]
mod tests {
    /// The instructions `main` compiles to, one per line, without data comments.
    fn code(body: &str) -> Vec<String> {
        let src = format!("(define (main) {body})");
        let compiled = crate::compile("t.alma", &src)
            .unwrap_or_else(|d| panic!("{}", crate::render_all(&d, &src)));
        let text = avm_asm::disassemble_with(
            &compiled.library,
            &Default::default(),
            avm_obj::alu::resolve,
        );
        text.lines()
            .skip_while(|l| *l != "main:")
            .skip(1)
            .map(|l| l.split(';').next().unwrap_or("").trim().to_string())
            .collect()
    }

    fn mnemonics(body: &str) -> String {
        let code = code(body);
        let names: Vec<&str> = code
            .iter()
            .map(|l| l.split([' ', '.']).next().unwrap_or(""))
            .collect();
        names.join(" ")
    }

    #[test]
    fn a_required_comparison_goes_straight_to_orequire() {
        let m = mnemonics("(let ((x (choose (range 0 9)))) (require (>= x 4)))");
        assert!(
            m.starts_with("put put ochoose put test lt inv orequire"),
            "{m}"
        );
        // `(not (< ...))` is the same test; `and` requires each part.
        let m = mnemonics("(let ((x (choose (range 0 9)))) (require (not (< x 4))))");
        assert!(m.contains("lt inv orequire"), "{m}");
        let m = mnemonics("(let ((x (choose (range 0 9)))) (require (and (> x 1) (< x 4))))");
        assert!(m.contains("gt orequire put lt orequire"), "{m}");
    }

    #[test]
    fn other_requirements_fail_the_run_on_their_false_branch() {
        let m = mnemonics("(let ((x (choose (range 0 9)))) (require (or (= x 1) (= x 4))))");
        assert!(m.contains("jif fail"), "{m}");
        assert!(!m.contains("orequire"), "{m}");
        // A requirement that folds to true costs nothing.
        assert!(!mnemonics("(require (< 1 2))").contains("orequire"));
    }

    #[test]
    fn domains_and_constraints_are_constants_in_the_data_segment() {
        let code = code(
            "(let ((a (new-var (one-of 3 1 2))) (b (new-var (range 0 3)))) \
             (narrow a (range 1 2)) (post (all-different a b)) (label b))",
        );
        let text = code.join("\n");
        for want in ["onewvar a64[", "onarrow a64[", "opost s[", "olabel a64["] {
            assert!(text.contains(want), "{want}: {text}");
        }
        // onarrow and opost write st0, which is required.
        assert!(text.contains("onarrow a64[2], s[1]\norequire"), "{text}");
        assert!(text.contains("opost s[1]\norequire"), "{text}");
    }

    #[test]
    fn resources_and_offers_take_a_kind_and_a_quantity() {
        let m = mnemonics("(consume \"apple\" 3) (produce \"pear\" 2) (offer \"o1\")");
        assert_eq!(
            m,
            "put put oconsume put put oproduce put ooffer clr clr clr test stop fail"
        );
    }
}
