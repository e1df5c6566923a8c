//! How runtime data is spelled as [`DataValue`]s, shared by traces
//! ([`crate::trace`]), requests ([`crate::request`]) and stored records:
//! options as coproducts (`#0:()` for none, `#1:v` for some), ids and
//! counters as naturals, strings as byte strings, records as tuples read
//! field by field with errors that name the field.

use avm_vm::DataValue;

/// `None` as `#0:()`, `Some(v)` as `#1:v`.
pub fn option(value: Option<DataValue>) -> DataValue {
    match value {
        None => DataValue::option(0, DataValue::unit()),
        Some(v) => DataValue::option(1, v),
    }
}

/// Reads the fields of a tuple in order, naming each one in its error.
#[derive(Debug)]
pub struct Fields<'a> {
    items: &'a [DataValue],
    next: usize,
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be a tuple of exactly `len` items.
    pub fn of(value: &'a DataValue, len: usize, what: &str) -> Result<Self, String> {
        match value {
            DataValue::Tuple(items) if items.len() == len => Ok(Fields { items, next: 0 }),
            DataValue::Tuple(items) => {
                Err(format!("{what} has {} fields, expected {len}", items.len()))
            }
            _ => Err(format!("{what} is not a tuple")),
        }
    }

    /// The items of a tuple, to read from the first.
    pub fn items(items: &'a [DataValue]) -> Self {
        Fields { items, next: 0 }
    }

    /// The fields of a tuple of at least one item whose first is a small
    /// natural tag, and that tag.
    pub fn tagged(value: &'a DataValue, what: &str) -> Result<(u64, Self), String> {
        match value {
            DataValue::Tuple(items) if !items.is_empty() => {
                let tag = items[0]
                    .as_u64()
                    .ok_or_else(|| format!("{what}: the tag is not a natural below 2^64"))?;
                Ok((tag, Fields { items, next: 1 }))
            }
            _ => Err(format!("{what} is not a non-empty tuple")),
        }
    }

    /// Fails unless exactly `n` fields follow the tag.
    pub fn expect(&self, n: usize, what: &str) -> Result<(), String> {
        let have = self.items.len() - self.next;
        if have == n {
            Ok(())
        } else {
            Err(format!("{what} has {have} fields, expected {n}"))
        }
    }

    /// The next field as it is.
    pub fn value(&mut self, name: &str) -> Result<&'a DataValue, String> {
        let v = self
            .items
            .get(self.next)
            .ok_or_else(|| format!("field `{name}` is missing"))?;
        self.next += 1;
        Ok(v)
    }

    /// The next field as a natural below 2^64.
    pub fn u64(&mut self, name: &str) -> Result<u64, String> {
        self.value(name)?
            .as_u64()
            .ok_or_else(|| format!("field `{name}` is not a natural below 2^64"))
    }

    /// The next field as an option (`#0:()` or `#1:v`).
    pub fn option(&mut self, name: &str) -> Result<Option<&'a DataValue>, String> {
        match self.value(name)? {
            DataValue::Option { index: 0, value } if **value == DataValue::unit() => Ok(None),
            DataValue::Option { index: 1, value } => Ok(Some(value)),
            _ => Err(format!(
                "field `{name}` is not an option (#0:() or #1:value)"
            )),
        }
    }

    /// The next field as an optional natural below 2^64.
    pub fn option_u64(&mut self, name: &str) -> Result<Option<u64>, String> {
        self.option(name)?
            .map(|v| {
                v.as_u64()
                    .ok_or_else(|| format!("field `{name}` holds no natural below 2^64"))
            })
            .transpose()
    }

    /// The next field as a byte string.
    pub fn bytes(&mut self, name: &str) -> Result<&'a [u8], String> {
        match self.value(name)? {
            DataValue::Bytes(b) => Ok(b),
            _ => Err(format!("field `{name}` is not a byte string")),
        }
    }

    /// The next field as UTF-8 text.
    pub fn text(&mut self, name: &str) -> Result<String, String> {
        let b = self.bytes(name)?;
        String::from_utf8(b.to_vec()).map_err(|_| format!("field `{name}` is not UTF-8 text"))
    }

    /// The next field as a tuple's items.
    pub fn list(&mut self, name: &str) -> Result<&'a [DataValue], String> {
        match self.value(name)? {
            DataValue::Tuple(items) => Ok(items),
            _ => Err(format!("field `{name}` is not a tuple")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_in_order_and_named_in_errors() {
        let v = DataValue::tuple([
            DataValue::nat(3u8),
            option(Some(DataValue::nat(9u8))),
            DataValue::string("hi"),
        ]);
        let (tag, mut f) = Fields::tagged(&v, "event").unwrap();
        assert_eq!(tag, 3);
        f.expect(2, "event").unwrap();
        assert_eq!(f.option_u64("to").unwrap(), Some(9));
        assert_eq!(f.text("name").unwrap(), "hi");
        assert_eq!(f.u64("more").unwrap_err(), "field `more` is missing");
        assert!(Fields::of(&v, 2, "pair").unwrap_err().contains("3 fields"));
    }
}
