//! Polynomials over the trace: the constraints of the AIR as sums of
//! monomials in the cells of two consecutive rows. One representation
//! gives both a constraint's degree (what the verifier is told) and its
//! value (what the prover and verifier compute), so the two cannot disagree.

use std::collections::BTreeMap;

use winterfell::math::{fields::f64::BaseElement, FieldElement};

/// A cell of the evaluation frame: a column of the current or next row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Var {
    /// The current row.
    Cur(usize),
    /// The next row.
    Next(usize),
}

/// Most variables in one monomial (the AIR's constraints have degree <= 4).
const MAX_DEGREE: usize = 4;

/// A monomial: a coefficient times at most [`MAX_DEGREE`] variables.
#[derive(Clone, Copy, Debug)]
struct Monomial {
    coef: BaseElement,
    vars: [Var; MAX_DEGREE],
    len: u8,
}

/// A polynomial in the cells of the frame, as a sum of monomials with
/// like terms combined.
#[derive(Clone, Debug, Default)]
pub struct Poly {
    terms: Vec<Monomial>,
}

impl Poly {
    /// The constant `c`.
    pub fn constant(c: BaseElement) -> Poly {
        Poly::from_terms([(Vec::new(), c)])
    }

    /// The constant `c`, an integer.
    pub fn int(c: u64) -> Poly {
        Poly::constant(BaseElement::new(c))
    }

    /// A cell of the current row.
    pub fn cur(col: usize) -> Poly {
        Poly::from_terms([(vec![Var::Cur(col)], BaseElement::ONE)])
    }

    /// A cell of the next row.
    pub fn next(col: usize) -> Poly {
        Poly::from_terms([(vec![Var::Next(col)], BaseElement::ONE)])
    }

    fn from_terms(terms: impl IntoIterator<Item = (Vec<Var>, BaseElement)>) -> Poly {
        let mut combined: BTreeMap<Vec<Var>, BaseElement> = BTreeMap::new();
        for (mut vars, coef) in terms {
            vars.sort();
            *combined.entry(vars).or_insert(BaseElement::ZERO) += coef;
        }
        let terms = combined
            .into_iter()
            .filter(|(_, c)| *c != BaseElement::ZERO)
            .map(|(vars, coef)| {
                assert!(
                    vars.len() <= MAX_DEGREE,
                    "a monomial of degree {}",
                    vars.len()
                );
                let mut v = [Var::Cur(0); MAX_DEGREE];
                v[..vars.len()].copy_from_slice(&vars);
                Monomial {
                    coef,
                    vars: v,
                    len: vars.len() as u8,
                }
            })
            .collect();
        Poly { terms }
    }

    fn pairs(&self) -> impl Iterator<Item = (Vec<Var>, BaseElement)> + '_ {
        self.terms
            .iter()
            .map(|m| (m.vars[..m.len as usize].to_vec(), m.coef))
    }

    /// `self + other`.
    pub fn add(&self, other: &Poly) -> Poly {
        Poly::from_terms(self.pairs().chain(other.pairs()))
    }

    /// `self - other`.
    pub fn sub(&self, other: &Poly) -> Poly {
        self.add(&other.scale(-BaseElement::ONE))
    }

    /// `c * self`.
    pub fn scale(&self, c: BaseElement) -> Poly {
        Poly::from_terms(self.pairs().map(|(v, k)| (v, k * c)))
    }

    /// `self * other`.
    pub fn mul(&self, other: &Poly) -> Poly {
        let mut out = Vec::new();
        for (va, ka) in self.pairs() {
            for (vb, kb) in other.pairs() {
                let mut v = va.clone();
                v.extend_from_slice(&vb);
                out.push((v, ka * kb));
            }
        }
        Poly::from_terms(out)
    }

    /// The degree (0 for constants and for the zero polynomial).
    pub fn degree(&self) -> usize {
        self.terms.iter().map(|m| m.len as usize).max().unwrap_or(0)
    }

    /// The value at a frame's current and next rows.
    pub fn eval<E: FieldElement + From<BaseElement>>(&self, cur: &[E], next: &[E]) -> E {
        let mut sum = E::ZERO;
        for m in &self.terms {
            let mut p = E::from(m.coef);
            for v in &m.vars[..m.len as usize] {
                p *= match *v {
                    Var::Cur(c) => cur[c],
                    Var::Next(c) => next[c],
                };
            }
            sum += p;
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(x: u64) -> BaseElement {
        BaseElement::new(x)
    }

    #[test]
    fn products_expand_and_like_terms_combine() {
        // (a + 1)(a - 1) = a^2 - 1
        let a = Poly::cur(0);
        let p = a.add(&Poly::int(1)).mul(&a.sub(&Poly::int(1)));
        assert_eq!(p.degree(), 2);
        assert_eq!(p.terms.len(), 2);
        assert_eq!(p.eval(&[e(5)], &[e(0)]), e(24));
    }

    #[test]
    fn cancelling_terms_vanish_and_lower_the_degree() {
        let a = Poly::cur(0).mul(&Poly::next(1));
        let z = a.sub(&a);
        assert_eq!(z.degree(), 0);
        assert_eq!(z.eval(&[e(3), e(4)], &[e(5), e(6)]), e(0));
    }

    #[test]
    fn next_and_current_cells_are_different_variables() {
        let p = Poly::next(0).sub(&Poly::cur(0)).scale(e(2));
        assert_eq!(p.eval(&[e(3)], &[e(10)]), e(14));
    }
}
