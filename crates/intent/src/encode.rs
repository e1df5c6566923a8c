//! The canonical encoding of an [`Intent`] as a [`DataValue`], its
//! decoding (total: any value decodes to a well-formed intent or gives an
//! error naming where), and its hash.
//!
//! ```text
//! intent     = (party, (var...), (constraint...), (flow...), (offer...))
//! var        = (name, domain)
//! domain     = (0, lo, hi) | (1, (int...))
//! int        = #0:n (n >= 0) | #1:n (the integer -n-1)
//! linear     = ((coefficient, var index)..., constant)   a tuple: terms then the constant
//! constraint = (0, cmp, linear, linear)                  cmp 0..=5: = != < <= > >=
//!            | (1, (var index...))                       all different
//!            | (2, index var, (int...), value var)       element
//!            | (3, (var index...), ((int...)...))        table
//!            | (4, (constraint...)) | (5, (constraint...)) | (6, constraint)   and, or, not
//! flow       = (side, kind, linear, owner)               side 0 consume, 1 create
//! ```
//!
//! Names, kinds, owners and offers are UTF-8 byte strings; variable
//! indexes are naturals. The encoding is canonical because the IR is
//! normalised ([`Intent::validate`] refuses what is not), so
//! `encode(decode(v)?) == v` for every value that decodes.

use avm_vm::{codec, BigUint, DataValue};

use crate::ir::{Cmp, Constraint, Domain, Flow, Intent, Invalid, Linear, Side, Var, VarId};

/// An intent's identity: blake3 of its canonical encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IntentId(pub [u8; 32]);

impl std::fmt::Display for IntentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in &self.0[..8] {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl IntentId {
    /// The full hash in hex (64 digits); [`Display`](std::fmt::Display)
    /// shows its first 16.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

use avm_obj::request::int;

fn nat(v: usize) -> DataValue {
    DataValue::nat(v as u64)
}

fn ints(values: &[i64]) -> DataValue {
    DataValue::tuple(values.iter().map(|&v| int(v)))
}

fn linear(l: &Linear) -> DataValue {
    let terms = l
        .terms()
        .iter()
        .map(|&(c, v)| DataValue::tuple([int(c), nat(v.index())]));
    DataValue::tuple(terms.chain([int(l.offset())]))
}

fn vars(vs: &[VarId]) -> DataValue {
    DataValue::tuple(vs.iter().map(|v| nat(v.index())))
}

fn constraint(c: &Constraint) -> DataValue {
    let tagged = |tag: u8, rest: Vec<DataValue>| {
        DataValue::tuple(std::iter::once(DataValue::nat(tag)).chain(rest))
    };
    match c {
        Constraint::Compare { op, lhs, rhs } => {
            let tag = Cmp::ALL.iter().position(|o| o == op).unwrap_or(0);
            tagged(0, vec![nat(tag), linear(lhs), linear(rhs)])
        }
        Constraint::AllDifferent(vs) => tagged(1, vec![vars(vs)]),
        Constraint::Element {
            index,
            array,
            value,
        } => tagged(2, vec![nat(index.index()), ints(array), nat(value.index())]),
        Constraint::Table { vars: vs, rows } => tagged(
            3,
            vec![vars(vs), DataValue::tuple(rows.iter().map(|r| ints(r)))],
        ),
        Constraint::And(cs) => tagged(4, vec![DataValue::tuple(cs.iter().map(constraint))]),
        Constraint::Or(cs) => tagged(5, vec![DataValue::tuple(cs.iter().map(constraint))]),
        Constraint::Not(c) => tagged(6, vec![constraint(c)]),
    }
}

/// A domain as a value, as `ochooses`, `onewvar` and `onarrow` take it
/// (canonically encoded in an `s` register).
pub fn domain_value(d: &Domain) -> DataValue {
    match d {
        Domain::Range { lo, hi } => DataValue::tuple([DataValue::nat(0u8), int(*lo), int(*hi)]),
        Domain::Set(values) => DataValue::tuple([DataValue::nat(1u8), ints(values)]),
    }
}

/// A constraint as a value, as `opost` takes it (its variables are
/// `newVar` handles).
pub fn constraint_value(c: &Constraint) -> DataValue {
    constraint(c)
}

/// The intent as its canonical value.
pub fn to_value(intent: &Intent) -> DataValue {
    let var = |v: &Var| DataValue::tuple([DataValue::string(&v.name), domain_value(&v.domain)]);
    let flow = |f: &Flow| {
        DataValue::tuple([
            DataValue::nat(u8::from(f.side == Side::Create)),
            DataValue::string(&f.kind),
            linear(&f.quantity),
            DataValue::string(&f.owner),
        ])
    };
    DataValue::tuple([
        DataValue::string(&intent.party),
        DataValue::tuple(intent.vars.iter().map(var)),
        DataValue::tuple(intent.constraints.iter().map(constraint)),
        DataValue::tuple(intent.flows.iter().map(flow)),
        DataValue::tuple(intent.offers.iter().map(|o| DataValue::string(o))),
    ])
}

/// The intent's canonical bytes ([`avm_vm::codec`] of [`to_value`]).
pub fn to_bytes(intent: &Intent) -> Vec<u8> {
    codec::encode(&to_value(intent))
}

/// The intent's identity.
pub fn id(intent: &Intent) -> IntentId {
    IntentId(*blake3::hash(&to_bytes(intent)).as_bytes())
}

/// Decodes the canonical bytes of an intent: the value, then the intent.
pub fn from_bytes(bytes: &[u8]) -> Result<Intent, Invalid> {
    let value = codec::decode(bytes).map_err(|e| bad("bytes", e.to_string()))?;
    from_value(&value)
}

fn bad(at: &str, what: impl Into<String>) -> Invalid {
    Invalid {
        at: at.into(),
        what: what.into(),
    }
}

/// A value read as a tuple of exactly `n` items, or of any length.
fn tuple<'a>(v: &'a DataValue, n: Option<usize>, at: &str) -> Result<&'a [DataValue], Invalid> {
    match v {
        DataValue::Tuple(items) if n.is_none_or(|n| n == items.len()) => Ok(items),
        DataValue::Tuple(items) => Err(bad(
            at,
            format!("has {} items, expected {}", items.len(), n.unwrap_or(0)),
        )),
        _ => Err(bad(at, "is not a tuple")),
    }
}

fn text(v: &DataValue, at: &str) -> Result<String, Invalid> {
    match v {
        DataValue::Bytes(b) => {
            String::from_utf8(b.clone()).map_err(|_| bad(at, "is not UTF-8 text"))
        }
        _ => Err(bad(at, "is not a byte string")),
    }
}

fn small(v: &DataValue, at: &str) -> Result<u64, Invalid> {
    v.as_u64()
        .ok_or_else(|| bad(at, "is not a natural below 2^64"))
}

fn int_of(v: &DataValue, at: &str) -> Result<i64, Invalid> {
    let limit = BigUint::from(i64::MAX as u64);
    match v {
        DataValue::Option { index, value } if *index <= 1 => match &**value {
            DataValue::Nat(n) if *n <= limit => {
                let n = i64::try_from(n.clone()).map_err(|_| bad(at, "is out of range"))?;
                Ok(if *index == 0 { n } else { -n - 1 })
            }
            _ => Err(bad(at, "is not an integer #0:n or #1:n below 2^63")),
        },
        _ => Err(bad(at, "is not an integer (#0:n or #1:n)")),
    }
}

fn ints_of(v: &DataValue, at: &str) -> Result<Vec<i64>, Invalid> {
    tuple(v, None, at)?
        .iter()
        .enumerate()
        .map(|(i, x)| int_of(x, &format!("{at} item {i}")))
        .collect()
}

fn var_of(v: &DataValue, at: &str) -> Result<VarId, Invalid> {
    let n = small(v, at)?;
    u32::try_from(n)
        .map(VarId)
        .map_err(|_| bad(at, "is not a variable index"))
}

fn vars_of(v: &DataValue, at: &str) -> Result<Vec<VarId>, Invalid> {
    tuple(v, None, at)?
        .iter()
        .enumerate()
        .map(|(i, x)| var_of(x, &format!("{at} item {i}")))
        .collect()
}

fn linear_of(v: &DataValue, at: &str) -> Result<Linear, Invalid> {
    let items = tuple(v, None, at)?;
    let (constant, terms) = items
        .split_last()
        .ok_or_else(|| bad(at, "a linear term needs at least its constant"))?;
    let terms = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = format!("{at} term {i}");
            let pair = tuple(t, Some(2), &at)?;
            Ok((int_of(&pair[0], &at)?, var_of(&pair[1], &at)?))
        })
        .collect::<Result<Vec<_>, Invalid>>()?;
    // Kept as written: validation refuses a term that is not normalised.
    Ok(Linear::raw(
        terms,
        int_of(constant, &format!("{at} constant"))?,
    ))
}

pub(crate) fn constraint_of(v: &DataValue, at: &str, depth: usize) -> Result<Constraint, Invalid> {
    if depth > crate::ir::MAX_NESTING {
        return Err(bad(at, "Boolean combinations nest too deeply"));
    }
    let items = tuple(v, None, at)?;
    let tag = small(
        items.first().ok_or_else(|| bad(at, "is an empty tuple"))?,
        &format!("{at} tag"),
    )?;
    let want = match tag {
        0 => 4,
        1 | 4..=6 => 2,
        2 => 4,
        3 => 3,
        _ => return Err(bad(at, format!("unknown constraint tag {tag} (0 to 6)"))),
    };
    if items.len() != want {
        return Err(bad(
            at,
            format!(
                "constraint {tag} has {} items, expected {want}",
                items.len()
            ),
        ));
    }
    let list = |v: &DataValue| -> Result<Vec<Constraint>, Invalid> {
        tuple(v, None, at)?
            .iter()
            .enumerate()
            .map(|(i, c)| constraint_of(c, &format!("{at}.{i}"), depth + 1))
            .collect()
    };
    Ok(match tag {
        0 => {
            let op = small(&items[1], &format!("{at} comparison"))?;
            let op = *Cmp::ALL
                .get(usize::try_from(op).unwrap_or(usize::MAX))
                .ok_or_else(|| bad(at, format!("unknown comparison {op} (0 to 5)")))?;
            Constraint::Compare {
                op,
                lhs: linear_of(&items[2], &format!("{at} lhs"))?,
                rhs: linear_of(&items[3], &format!("{at} rhs"))?,
            }
        }
        1 => Constraint::AllDifferent(vars_of(&items[1], at)?),
        2 => Constraint::Element {
            index: var_of(&items[1], &format!("{at} index"))?,
            array: ints_of(&items[2], &format!("{at} array"))?,
            value: var_of(&items[3], &format!("{at} value"))?,
        },
        3 => Constraint::Table {
            vars: vars_of(&items[1], &format!("{at} vars"))?,
            rows: tuple(&items[2], None, at)?
                .iter()
                .enumerate()
                .map(|(r, row)| ints_of(row, &format!("{at} row {r}")))
                .collect::<Result<_, _>>()?,
        },
        4 => Constraint::And(list(&items[1])?),
        5 => Constraint::Or(list(&items[1])?),
        _ => Constraint::Not(Box::new(constraint_of(
            &items[1],
            &format!("{at}.0"),
            depth + 1,
        )?)),
    })
}

pub(crate) fn domain_of(v: &DataValue, at: &str) -> Result<Domain, Invalid> {
    let items = tuple(v, None, at)?;
    match items.first().map(|t| small(t, at)) {
        Some(Ok(0)) if items.len() == 3 => Ok(Domain::Range {
            lo: int_of(&items[1], &format!("{at} lo"))?,
            hi: int_of(&items[2], &format!("{at} hi"))?,
        }),
        Some(Ok(1)) if items.len() == 2 => Ok(Domain::Set(ints_of(&items[1], at)?)),
        _ => Err(bad(at, "is not (0, lo, hi) or (1, (values...))")),
    }
}

/// The intent a value stands for; an error names the first place where
/// the value is not the canonical encoding of a well-formed intent.
pub fn from_value(value: &DataValue) -> Result<Intent, Invalid> {
    let top = tuple(value, Some(5), "intent")?;
    let party = text(&top[0], "party")?;
    let vars = tuple(&top[1], None, "vars")?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let at = format!("var {i}");
            let pair = tuple(v, Some(2), &at)?;
            Ok(Var {
                name: text(&pair[0], &format!("{at} name"))?,
                domain: domain_of(&pair[1], &format!("{at} domain"))?,
            })
        })
        .collect::<Result<_, Invalid>>()?;
    let constraints = tuple(&top[2], None, "constraints")?
        .iter()
        .enumerate()
        .map(|(i, c)| constraint_of(c, &format!("constraint {i}"), 0))
        .collect::<Result<_, _>>()?;
    let flows = tuple(&top[3], None, "flows")?
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let at = format!("flow {i}");
            let items = tuple(f, Some(4), &at)?;
            let side = match small(&items[0], &format!("{at} side"))? {
                0 => Side::Consume,
                1 => Side::Create,
                s => return Err(bad(&at, format!("unknown side {s} (0 consume, 1 create)"))),
            };
            Ok(Flow {
                side,
                kind: text(&items[1], &format!("{at} kind"))?,
                quantity: linear_of(&items[2], &format!("{at} quantity"))?,
                owner: text(&items[3], &format!("{at} owner"))?,
            })
        })
        .collect::<Result<_, Invalid>>()?;
    let offers = tuple(&top[4], None, "offers")?
        .iter()
        .enumerate()
        .map(|(i, o)| text(o, &format!("offer {i}")))
        .collect::<Result<_, _>>()?;
    let intent = Intent {
        party,
        vars,
        constraints,
        flows,
        offers,
    };
    intent.validate()?;
    Ok(intent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_at_the_edges() {
        for v in [0, 1, -1, i64::MAX, i64::MIN + 1, i64::MIN] {
            assert_eq!(int_of(&int(v), "x"), Ok(v));
        }
        assert!(int_of(&DataValue::option(2, DataValue::nat(0u8)), "x").is_err());
    }

    #[test]
    fn errors_name_the_place() {
        let mut i = Intent::new("alice");
        let x = i.var("x", Domain::Range { lo: 0, hi: 9 });
        i.require(Constraint::compare(
            Linear::var(x),
            Cmp::Geq,
            Linear::constant(3),
        ));
        let mut v = to_value(&i);
        if let DataValue::Tuple(top) = &mut v {
            top[2] = DataValue::tuple([DataValue::tuple([DataValue::nat(9u8)])]);
        }
        let e = from_value(&v).unwrap_err();
        assert_eq!(e.at, "constraint 0");
        assert!(e.what.contains("unknown constraint tag 9"), "{e}");
        assert_eq!(from_value(&to_value(&i)), Ok(i.clone()));
        assert_eq!(from_bytes(&to_bytes(&i)), Ok(i));
    }
}
