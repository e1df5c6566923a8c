//! The printable text form of an intent (`avm intent show`), one item a
//! line:
//!
//! ```text
//! intent alice
//!   var x in 0..=10
//!   var c in {1, 3}
//!   require 2*x + c >= 3
//!   require alldifferent(x, c)
//!   consume 3 apple (alice)
//!   create x banana (alice)
//!   offer alice-apples
//! ```

use std::fmt;

use crate::ir::{Constraint, Domain, Intent, Linear, Side, VarId};

/// A constraint shown with its intent's variable names.
pub(crate) struct Shown<'a> {
    pub(crate) intent: &'a Intent,
    pub(crate) c: &'a Constraint,
}

struct LinearShown<'a>(&'a Intent, &'a Linear);

impl fmt::Display for LinearShown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let LinearShown(intent, l) = self;
        let mut first = true;
        for &(c, v) in l.terms() {
            let name = intent.var_name(v);
            let (sign, mag) = if c < 0 {
                ("-", -(c as i128))
            } else {
                ("+", c as i128)
            };
            match (first, sign) {
                (true, "-") => write!(f, "-")?,
                (true, _) => {}
                (false, s) => write!(f, " {s} ")?,
            }
            if mag == 1 {
                write!(f, "{name}")?;
            } else {
                write!(f, "{mag}*{name}")?;
            }
            first = false;
        }
        let k = l.offset();
        match (first, k) {
            (true, k) => write!(f, "{k}"),
            (false, 0) => Ok(()),
            (false, k) if k < 0 => write!(f, " - {}", -(k as i128)),
            (false, k) => write!(f, " + {k}"),
        }
    }
}

fn names(intent: &Intent, vars: &[VarId]) -> String {
    vars.iter()
        .map(|&v| intent.var_name(v))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ints(values: &[i64]) -> String {
    values
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = self.intent;
        let sub = |c| Shown { intent: i, c };
        match self.c {
            Constraint::Compare { op, lhs, rhs } => write!(
                f,
                "{} {} {}",
                LinearShown(i, lhs),
                op.symbol(),
                LinearShown(i, rhs)
            ),
            Constraint::AllDifferent(vars) => write!(f, "alldifferent({})", names(i, vars)),
            Constraint::Element {
                index,
                array,
                value,
            } => write!(
                f,
                "[{}][{}] = {}",
                ints(array),
                i.var_name(*index),
                i.var_name(*value)
            ),
            Constraint::Table { vars, rows } => {
                let rows: Vec<String> = rows.iter().map(|r| format!("({})", ints(r))).collect();
                write!(f, "({}) in {{{}}}", names(i, vars), rows.join(", "))
            }
            Constraint::And(cs) | Constraint::Or(cs) => {
                let word = if matches!(self.c, Constraint::And(_)) {
                    "and"
                } else {
                    "or"
                };
                write!(f, "{word}(")?;
                for (n, c) in cs.iter().enumerate() {
                    if n > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", sub(c))?;
                }
                write!(f, ")")
            }
            Constraint::Not(c) => write!(f, "not({})", sub(c)),
        }
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Domain::Range { lo, hi } => write!(f, "{lo}..={hi}"),
            Domain::Set(values) => write!(f, "{{{}}}", ints(values)),
        }
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "intent {}", self.party)?;
        for v in &self.vars {
            writeln!(f, "  var {} in {}", v.name, v.domain)?;
        }
        for c in &self.constraints {
            writeln!(f, "  require {}", self.show(c))?;
        }
        for fl in &self.flows {
            let side = match fl.side {
                Side::Consume => "consume",
                Side::Create => "create",
            };
            writeln!(
                f,
                "  {side} {} {} ({})",
                LinearShown(self, &fl.quantity),
                fl.kind,
                fl.owner
            )?;
        }
        for o in &self.offers {
            writeln!(f, "  offer {o}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Cmp, Constraint, Domain, Intent, Linear, Side};

    #[test]
    fn the_text_form_reads_like_the_docs() {
        let mut i = Intent::new("alice");
        let x = i.var("x", Domain::Range { lo: 0, hi: 10 });
        let c = i.var("c", Domain::set([3, 1]));
        i.require(Constraint::compare(
            Linear::new([(2, x), (1, c)], 0),
            Cmp::Geq,
            Linear::constant(3),
        ));
        i.require(Constraint::Not(Box::new(Constraint::AllDifferent(vec![
            x, c,
        ]))));
        i.flow(Side::Consume, "apple", Linear::constant(3));
        i.flow(Side::Create, "banana", Linear::new([(-1, x)], -2));
        i.offer("alice-apples");
        assert_eq!(
            i.to_string(),
            "intent alice\n  var x in 0..=10\n  var c in {1, 3}\n  require 2*x + c >= 3\n  \
             require not(alldifferent(x, c))\n  consume 3 apple (alice)\n  \
             create -x - 2 banana (alice)\n  offer alice-apples\n"
        );
    }
}
