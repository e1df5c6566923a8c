//! The intermediate representation: one party's problem ([`Intent`]) as
//! integer variables with finite domains, constraints over them, the
//! resources the party consumes and creates, and the use-once offers it
//! spends.
//!
//! Values are `i64` in the IR; a domain's values lie within
//! [`VALUE_LIMIT`] of zero so that every linear sum the solver builds fits
//! its 32-bit integers (see [`crate::solve`]). Constructors normalise, so
//! two equal meanings are one value and one encoding: a [`Linear`] keeps
//! its terms sorted by variable with no zero coefficient, a set domain is
//! sorted without repeats.

use std::fmt;

/// The largest magnitude of a value in a domain, a coefficient or a
/// constant: 2^20. Bounds sums of a few dozen terms well within `i32`.
pub const VALUE_LIMIT: i64 = 1 << 20;

/// The deepest nesting of Boolean combinations ([`Constraint::And`],
/// [`Constraint::Or`], [`Constraint::Not`]).
pub const MAX_NESTING: usize = 32;

/// A variable of one intent: its index in [`Intent::vars`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VarId(pub u32);

impl VarId {
    /// The index as a `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A finite set of integers a variable may take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Every integer from `lo` to `hi`, both included (`lo <= hi`).
    Range {
        /// The least value.
        lo: i64,
        /// The greatest value.
        hi: i64,
    },
    /// These values, ascending without repeats (at least one).
    Set(Vec<i64>),
}

impl Domain {
    /// The set of `values`, sorted and without repeats.
    pub fn set(values: impl IntoIterator<Item = i64>) -> Domain {
        let mut v: Vec<i64> = values.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        Domain::Set(v)
    }

    /// Whether `value` is in the domain.
    pub fn contains(&self, value: i64) -> bool {
        match self {
            Domain::Range { lo, hi } => (*lo..=*hi).contains(&value),
            Domain::Set(values) => values.binary_search(&value).is_ok(),
        }
    }

    /// The least and greatest values (`None` for an empty domain, which a
    /// valid intent never has).
    pub fn bounds(&self) -> Option<(i64, i64)> {
        match self {
            Domain::Range { lo, hi } => (lo <= hi).then_some((*lo, *hi)),
            Domain::Set(values) => Some((*values.first()?, *values.last()?)),
        }
    }

    /// How many values the domain holds.
    pub fn size(&self) -> u64 {
        match self {
            Domain::Range { lo, hi } => (hi - lo + 1).max(0) as u64,
            Domain::Set(values) => values.len() as u64,
        }
    }

    /// The values, ascending.
    pub fn values(&self) -> Box<dyn Iterator<Item = i64> + '_> {
        match self {
            Domain::Range { lo, hi } => Box::new(*lo..=*hi),
            Domain::Set(values) => Box::new(values.iter().copied()),
        }
    }
}

/// A variable: a name (unique within its intent) and a domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Var {
    /// The name the party gave it.
    pub name: String,
    /// The values it may take.
    pub domain: Domain,
}

/// A linear term `c1*x1 + ... + cn*xn + k`, normalised: variables
/// ascending, each once, no zero coefficient.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Linear {
    terms: Vec<(i64, VarId)>,
    constant: i64,
}

impl Linear {
    /// `sum(c * x) + constant`, normalised (like terms merged, zero
    /// coefficients dropped); a merged coefficient beyond `i64` saturates
    /// (use [`Linear::try_new`] where that can happen).
    pub fn new(terms: impl IntoIterator<Item = (i64, VarId)>, constant: i64) -> Linear {
        Linear::merge(terms, constant, |a, b| Some(a.saturating_add(b)))
            .unwrap_or_else(|| Linear::constant(constant))
    }

    /// [`Linear::new`], or `None` if merging like terms overflows `i64`.
    pub fn try_new(terms: impl IntoIterator<Item = (i64, VarId)>, constant: i64) -> Option<Linear> {
        Linear::merge(terms, constant, i64::checked_add)
    }

    fn merge(
        terms: impl IntoIterator<Item = (i64, VarId)>,
        constant: i64,
        add: impl Fn(i64, i64) -> Option<i64>,
    ) -> Option<Linear> {
        let mut t: Vec<(i64, VarId)> = terms.into_iter().collect();
        t.sort_by_key(|&(_, v)| v);
        let mut merged: Vec<(i64, VarId)> = Vec::with_capacity(t.len());
        for (c, v) in t {
            match merged.last_mut() {
                Some((last, lv)) if *lv == v => *last = add(*last, c)?,
                _ => merged.push((c, v)),
            }
        }
        merged.retain(|&(c, _)| c != 0);
        Some(Linear {
            terms: merged,
            constant,
        })
    }

    /// `self + sign * other` exactly (`sign` 1 or -1), or `None` on an
    /// overflow of `i64`.
    pub fn checked_combine(&self, other: &Linear, sign: i64) -> Option<Linear> {
        let theirs = other
            .terms
            .iter()
            .map(|&(c, v)| c.checked_mul(sign).map(|c| (c, v)))
            .collect::<Option<Vec<_>>>()?;
        let k = self
            .constant
            .checked_add(other.constant.checked_mul(sign)?)?;
        Linear::try_new(self.terms.iter().copied().chain(theirs), k)
    }

    /// `k * self` exactly, or `None` on an overflow of `i64`.
    pub fn checked_scale(&self, k: i64) -> Option<Linear> {
        let terms = self
            .terms
            .iter()
            .map(|&(c, v)| c.checked_mul(k).map(|c| (c, v)))
            .collect::<Option<Vec<_>>>()?;
        Some(Linear::new(terms, self.constant.checked_mul(k)?))
    }

    /// The terms as given, not normalised: for the decoder, whose
    /// result [`Intent::validate`] then checks.
    pub(crate) fn raw(terms: Vec<(i64, VarId)>, constant: i64) -> Linear {
        Linear { terms, constant }
    }

    /// The constant `k`.
    pub fn constant(k: i64) -> Linear {
        Linear::new([], k)
    }

    /// The variable `x`.
    pub fn var(x: VarId) -> Linear {
        Linear::new([(1, x)], 0)
    }

    /// The terms, variables ascending.
    pub fn terms(&self) -> &[(i64, VarId)] {
        &self.terms
    }

    /// The constant part.
    pub fn offset(&self) -> i64 {
        self.constant
    }

    /// `self - other`, normalised.
    pub fn minus(&self, other: &Linear) -> Linear {
        let negated = other.terms.iter().map(|&(c, v)| (c.saturating_neg(), v));
        Linear::new(
            self.terms.iter().copied().chain(negated),
            self.constant.saturating_sub(other.constant),
        )
    }

    /// The value under `values` (indexed by variable), exactly.
    pub fn eval(&self, values: &[i64]) -> Option<i128> {
        let mut sum = i128::from(self.constant);
        for &(c, v) in &self.terms {
            sum += i128::from(c) * i128::from(*values.get(v.index())?);
        }
        Some(sum)
    }
}

/// A comparison between two linear terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `!=`
    Neq,
    /// `<`
    Lt,
    /// `<=`
    Leq,
    /// `>`
    Gt,
    /// `>=`
    Geq,
}

impl Cmp {
    /// Every comparison, in tag order.
    pub const ALL: [Cmp; 6] = [Cmp::Eq, Cmp::Neq, Cmp::Lt, Cmp::Leq, Cmp::Gt, Cmp::Geq];

    /// Whether `a op b`.
    pub fn holds(self, a: i128, b: i128) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Neq => a != b,
            Cmp::Lt => a < b,
            Cmp::Leq => a <= b,
            Cmp::Gt => a > b,
            Cmp::Geq => a >= b,
        }
    }

    /// The comparison that holds exactly when this one does not.
    pub fn negated(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Neq,
            Cmp::Neq => Cmp::Eq,
            Cmp::Lt => Cmp::Geq,
            Cmp::Leq => Cmp::Gt,
            Cmp::Gt => Cmp::Leq,
            Cmp::Geq => Cmp::Lt,
        }
    }

    /// Its symbol in the text form.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Neq => "!=",
            Cmp::Lt => "<",
            Cmp::Leq => "<=",
            Cmp::Gt => ">",
            Cmp::Geq => ">=",
        }
    }
}

/// A constraint over one intent's variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// `lhs op rhs`.
    Compare {
        /// The comparison.
        op: Cmp,
        /// The left side.
        lhs: Linear,
        /// The right side.
        rhs: Linear,
    },
    /// The variables take pairwise different values.
    AllDifferent(Vec<VarId>),
    /// `array[index] = value`, indexed from 0.
    Element {
        /// The index variable.
        index: VarId,
        /// The constants indexed.
        array: Vec<i64>,
        /// The variable equal to the indexed constant.
        value: VarId,
    },
    /// The variables' values, in order, are one of the rows.
    Table {
        /// The variables.
        vars: Vec<VarId>,
        /// The allowed rows, each as long as `vars`.
        rows: Vec<Vec<i64>>,
    },
    /// Every constraint holds (true when empty).
    And(Vec<Constraint>),
    /// At least one holds (false when empty).
    Or(Vec<Constraint>),
    /// The constraint does not hold.
    Not(Box<Constraint>),
}

impl Constraint {
    /// `lhs op rhs`.
    pub fn compare(lhs: Linear, op: Cmp, rhs: Linear) -> Constraint {
        Constraint::Compare { op, lhs, rhs }
    }

    /// Whether the constraint holds under `values` (indexed by variable);
    /// `None` if it names a variable `values` lacks.
    pub fn holds(&self, values: &[i64]) -> Option<bool> {
        let val = |v: &VarId| values.get(v.index()).copied();
        Some(match self {
            Constraint::Compare { op, lhs, rhs } => op.holds(lhs.eval(values)?, rhs.eval(values)?),
            Constraint::AllDifferent(vars) => {
                let mut seen: Vec<i64> = vars.iter().map(val).collect::<Option<_>>()?;
                seen.sort_unstable();
                seen.windows(2).all(|w| w[0] != w[1])
            }
            Constraint::Element {
                index,
                array,
                value,
            } => {
                let i = usize::try_from(val(index)?).ok();
                i.and_then(|i| array.get(i)) == Some(&val(value)?)
            }
            Constraint::Table { vars, rows } => {
                let row: Vec<i64> = vars.iter().map(val).collect::<Option<_>>()?;
                rows.contains(&row)
            }
            Constraint::And(cs) => {
                let mut all = true;
                for c in cs {
                    all &= c.holds(values)?;
                }
                all
            }
            Constraint::Or(cs) => {
                let mut any = false;
                for c in cs {
                    any |= c.holds(values)?;
                }
                any
            }
            Constraint::Not(c) => !c.holds(values)?,
        })
    }

    /// The constraint with every variable `v` replaced by `f(v)`.
    pub fn map_vars(&self, f: &mut dyn FnMut(VarId) -> VarId) -> Constraint {
        let lin = |l: &Linear, f: &mut dyn FnMut(VarId) -> VarId| {
            Linear::new(l.terms().iter().map(|&(c, v)| (c, f(v))), l.offset())
        };
        match self {
            Constraint::Compare { op, lhs, rhs } => Constraint::Compare {
                op: *op,
                lhs: lin(lhs, f),
                rhs: lin(rhs, f),
            },
            Constraint::AllDifferent(vs) => {
                Constraint::AllDifferent(vs.iter().map(|&v| f(v)).collect())
            }
            Constraint::Element {
                index,
                array,
                value,
            } => Constraint::Element {
                index: f(*index),
                array: array.clone(),
                value: f(*value),
            },
            Constraint::Table { vars, rows } => Constraint::Table {
                vars: vars.iter().map(|&v| f(v)).collect(),
                rows: rows.clone(),
            },
            Constraint::And(cs) => Constraint::And(cs.iter().map(|c| c.map_vars(f)).collect()),
            Constraint::Or(cs) => Constraint::Or(cs.iter().map(|c| c.map_vars(f)).collect()),
            Constraint::Not(c) => Constraint::Not(Box::new(c.map_vars(f))),
        }
    }

    /// How deeply Boolean combinations nest (an atom is 0).
    pub fn nesting(&self) -> usize {
        match self {
            Constraint::And(cs) | Constraint::Or(cs) => {
                1 + cs.iter().map(Constraint::nesting).max().unwrap_or(0)
            }
            Constraint::Not(c) => 1 + c.nesting(),
            _ => 0,
        }
    }

    /// Every variable the constraint names, in order of appearance.
    pub fn vars(&self, out: &mut Vec<VarId>) {
        match self {
            Constraint::Compare { lhs, rhs, .. } => {
                out.extend(lhs.terms().iter().chain(rhs.terms()).map(|&(_, v)| v));
            }
            Constraint::AllDifferent(vars) | Constraint::Table { vars, .. } => {
                out.extend(vars.iter().copied());
            }
            Constraint::Element { index, value, .. } => out.extend([*index, *value]),
            Constraint::And(cs) | Constraint::Or(cs) => cs.iter().for_each(|c| c.vars(out)),
            Constraint::Not(c) => c.vars(out),
        }
    }
}

/// Whether a transaction consumes a resource or creates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The party gives it up.
    Consume,
    /// The party receives it.
    Create,
}

/// A resource an intent consumes or creates: a quantity of a kind, owned
/// by someone (the Anoma resource machine's view, without its logic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// Consumed or created.
    pub side: Side,
    /// The kind: what balances against what (`"apple"`, `"ETH"`).
    pub kind: String,
    /// How much, in whole units; must be at least 0 in a solution.
    pub quantity: Linear,
    /// Who holds it: the consumer before, the receiver after.
    pub owner: String,
}

/// One party's problem: what it chooses, what it requires, what it gives
/// and takes. An unbalanced transaction until composed with others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    /// Who states it.
    pub party: String,
    /// Its variables; a [`VarId`] is an index here.
    pub vars: Vec<Var>,
    /// What must hold when the intent takes part in a transaction.
    pub constraints: Vec<Constraint>,
    /// The resources it consumes and creates.
    pub flows: Vec<Flow>,
    /// The use-once offers it spends, by name (ascending, no repeats): at
    /// most one intent spending an offer takes part in a transaction.
    pub offers: Vec<String>,
}

/// Why an intent is not well formed, naming where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {what}")]
pub struct Invalid {
    /// Where: `var 2`, `constraint 0.1`, `flow 3`, ...
    pub at: String,
    /// What is wrong.
    pub what: String,
}

fn invalid(at: impl Into<String>, what: impl Into<String>) -> Invalid {
    Invalid {
        at: at.into(),
        what: what.into(),
    }
}

fn check_value(at: &str, v: i64) -> Result<(), Invalid> {
    if v.abs() > VALUE_LIMIT {
        return Err(invalid(
            at,
            format!("{v} is beyond the value limit ±{VALUE_LIMIT}"),
        ));
    }
    Ok(())
}

impl Intent {
    /// An intent of `party` with nothing in it yet.
    pub fn new(party: &str) -> Intent {
        Intent {
            party: party.into(),
            vars: Vec::new(),
            constraints: Vec::new(),
            flows: Vec::new(),
            offers: Vec::new(),
        }
    }

    /// Adds a variable and returns its id.
    pub fn var(&mut self, name: &str, domain: Domain) -> VarId {
        self.vars.push(Var {
            name: name.into(),
            domain,
        });
        VarId(self.vars.len() as u32 - 1)
    }

    /// Adds a constraint.
    pub fn require(&mut self, c: Constraint) {
        self.constraints.push(c);
    }

    /// Adds a flow of `quantity` of `kind`, owned by the party.
    pub fn flow(&mut self, side: Side, kind: &str, quantity: Linear) {
        let owner = self.party.clone();
        self.flows.push(Flow {
            side,
            kind: kind.into(),
            quantity,
            owner,
        });
    }

    /// Adds a use-once offer, keeping the list sorted.
    pub fn offer(&mut self, name: &str) {
        if let Err(at) = self.offers.binary_search_by(|o| o.as_str().cmp(name)) {
            self.offers.insert(at, name.into());
        }
    }

    /// The variable's name, or `?n` for an id out of range.
    pub fn var_name(&self, v: VarId) -> String {
        self.vars
            .get(v.index())
            .map_or_else(|| format!("?{}", v.0), |var| var.name.clone())
    }

    /// Checks that the intent is well formed: names unique and non-empty,
    /// domains non-empty and within [`VALUE_LIMIT`], every variable named
    /// exists, tables rectangular, nesting at most [`MAX_NESTING`], linear
    /// terms and sets normalised, offers sorted.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.party.is_empty() {
            return Err(invalid("party", "the party has no name"));
        }
        let mut names: Vec<&str> = Vec::with_capacity(self.vars.len());
        for (i, var) in self.vars.iter().enumerate() {
            let at = format!("var {i} ({})", var.name);
            if var.name.is_empty() {
                return Err(invalid(at, "a variable needs a name"));
            }
            names.push(&var.name);
            match &var.domain {
                Domain::Range { lo, hi } => {
                    check_value(&at, *lo)?;
                    check_value(&at, *hi)?;
                    if lo > hi {
                        return Err(invalid(at, format!("the range {lo}..={hi} is empty")));
                    }
                }
                Domain::Set(values) => {
                    if values.is_empty() {
                        return Err(invalid(at, "the set domain is empty"));
                    }
                    if values.windows(2).any(|w| w[0] >= w[1]) {
                        return Err(invalid(at, "the set is not ascending without repeats"));
                    }
                    for &v in values {
                        check_value(&at, v)?;
                    }
                }
            }
        }
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(invalid(
                "vars",
                format!("two variables are named `{}`", w[0]),
            ));
        }
        for (i, c) in self.constraints.iter().enumerate() {
            self.check_constraint(&format!("constraint {i}"), c, 0)?;
        }
        for (i, f) in self.flows.iter().enumerate() {
            let at = format!("flow {i}");
            if f.kind.is_empty() {
                return Err(invalid(at, "a resource kind needs a name"));
            }
            if f.owner.is_empty() {
                return Err(invalid(at, "a resource needs an owner"));
            }
            self.check_linear(&at, &f.quantity)?;
        }
        if self.offers.windows(2).any(|w| w[0] >= w[1]) {
            return Err(invalid("offers", "not ascending without repeats"));
        }
        if self.offers.iter().any(String::is_empty) {
            return Err(invalid("offers", "an offer needs a name"));
        }
        Ok(())
    }

    fn check_var(&self, at: &str, v: VarId) -> Result<(), Invalid> {
        if v.index() >= self.vars.len() {
            return Err(invalid(
                at,
                format!("names variable {} of {}", v.0, self.vars.len()),
            ));
        }
        Ok(())
    }

    fn check_linear(&self, at: &str, l: &Linear) -> Result<(), Invalid> {
        check_value(at, l.constant)?;
        for &(c, v) in &l.terms {
            self.check_var(at, v)?;
            check_value(at, c)?;
        }
        if Linear::new(l.terms.iter().copied(), l.constant) != *l {
            return Err(invalid(
                at,
                "the linear term is not normalised (variables ascending, once each, no zero coefficient)",
            ));
        }
        Ok(())
    }

    fn check_constraint(&self, at: &str, c: &Constraint, depth: usize) -> Result<(), Invalid> {
        if depth > MAX_NESTING {
            return Err(invalid(
                at,
                format!("Boolean combinations nest deeper than {MAX_NESTING}"),
            ));
        }
        match c {
            Constraint::Compare { lhs, rhs, .. } => {
                self.check_linear(&format!("{at} lhs"), lhs)?;
                self.check_linear(&format!("{at} rhs"), rhs)?;
            }
            Constraint::AllDifferent(vars) => {
                for &v in vars {
                    self.check_var(at, v)?;
                }
            }
            Constraint::Element {
                index,
                array,
                value,
            } => {
                self.check_var(at, *index)?;
                self.check_var(at, *value)?;
                if array.is_empty() {
                    return Err(invalid(at, "the element array is empty"));
                }
                for &v in array {
                    check_value(at, v)?;
                }
            }
            Constraint::Table { vars, rows } => {
                for &v in vars {
                    self.check_var(at, v)?;
                }
                for (r, row) in rows.iter().enumerate() {
                    if row.len() != vars.len() {
                        return Err(invalid(
                            format!("{at} row {r}"),
                            format!("has {} values for {} variables", row.len(), vars.len()),
                        ));
                    }
                    for &v in row {
                        check_value(at, v)?;
                    }
                }
            }
            Constraint::And(cs) | Constraint::Or(cs) => {
                for (i, c) in cs.iter().enumerate() {
                    self.check_constraint(&format!("{at}.{i}"), c, depth + 1)?;
                }
            }
            Constraint::Not(c) => self.check_constraint(&format!("{at}.0"), c, depth + 1)?,
        }
        Ok(())
    }

    /// The first constraint or flow the values break, named; `Ok` when
    /// every variable is in its domain, every constraint holds and every
    /// quantity is at least 0. This is the concrete check every solution
    /// passes before it is reported.
    pub fn check(&self, values: &[i64]) -> Result<(), String> {
        if values.len() != self.vars.len() {
            return Err(format!(
                "{} values for {} variables",
                values.len(),
                self.vars.len()
            ));
        }
        for (var, &v) in self.vars.iter().zip(values) {
            if !var.domain.contains(v) {
                return Err(format!("{} = {v} is outside its domain", var.name));
            }
        }
        for (i, c) in self.constraints.iter().enumerate() {
            if c.holds(values) != Some(true) {
                return Err(format!("constraint {i} ({}) does not hold", self.show(c)));
            }
        }
        for (i, f) in self.flows.iter().enumerate() {
            match f.quantity.eval(values) {
                Some(q) if q >= 0 => {}
                _ => return Err(format!("flow {i} has a negative quantity")),
            }
        }
        Ok(())
    }

    /// A constraint in the text form, with this intent's variable names.
    pub fn show<'a>(&'a self, c: &'a Constraint) -> impl fmt::Display + 'a {
        crate::text::Shown { intent: self, c }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_terms_normalise() {
        let (x, y) = (VarId(0), VarId(1));
        let l = Linear::new([(2, y), (3, x), (-2, y), (1, x)], 5);
        assert_eq!(l.terms(), &[(4, x)]);
        assert_eq!(l.eval(&[2, 9]), Some(13));
        assert_eq!(l.minus(&Linear::var(x)).terms(), &[(3, x)]);
    }

    #[test]
    fn constraints_evaluate_concretely() {
        let (x, y, z) = (VarId(0), VarId(1), VarId(2));
        let all = Constraint::AllDifferent(vec![x, y, z]);
        assert_eq!(all.holds(&[1, 2, 3]), Some(true));
        assert_eq!(all.holds(&[1, 2, 1]), Some(false));
        let el = Constraint::Element {
            index: x,
            array: vec![10, 20],
            value: y,
        };
        assert_eq!(el.holds(&[1, 20, 0]), Some(true));
        assert_eq!(el.holds(&[2, 20, 0]), Some(false));
        assert_eq!(el.holds(&[-1, 20, 0]), Some(false));
        let not = Constraint::Not(Box::new(Constraint::Or(vec![])));
        assert_eq!(not.holds(&[]), Some(true));
        assert_eq!(all.holds(&[1]), None);
    }

    #[test]
    fn validation_names_where() {
        let mut i = Intent::new("alice");
        let x = i.var("x", Domain::Range { lo: 0, hi: 3 });
        i.require(Constraint::Or(vec![Constraint::AllDifferent(vec![
            x,
            VarId(7),
        ])]));
        let e = i.validate().unwrap_err();
        assert_eq!(e.at, "constraint 0.0");
        assert!(e.what.contains("variable 7"), "{e}");
        let mut j = Intent::new("bob");
        j.var("x", Domain::Range { lo: 4, hi: 3 });
        assert!(j.validate().unwrap_err().what.contains("empty"));
        let mut k = Intent::new("carol");
        k.var("x", Domain::Set(vec![VALUE_LIMIT + 1]));
        assert!(k.validate().unwrap_err().what.contains("limit"));
    }
}
