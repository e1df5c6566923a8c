//! The canonical byte encoding of receipts and accounts: little-endian
//! fixed-width integers, byte strings as a u32 length then the bytes,
//! lists as a u32 count then the items. One value has one encoding, and
//! [`Reader`] accepts only that: truncation, trailing bytes, over-limit
//! lengths and unknown tags are errors naming the field and its offset.

/// Why bytes are not a canonical encoding.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("{what} at offset {offset}: {problem}")]
pub struct DecodeError {
    /// The field being read.
    pub what: &'static str,
    /// Its byte offset in the input.
    pub offset: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// Appends canonical encodings to a byte vector.
#[derive(Default, Debug)]
pub struct Writer {
    /// The bytes written so far.
    pub bytes: Vec<u8>,
}

impl Writer {
    /// Appends one byte.
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    /// Appends a u32, little-endian.
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a u64, little-endian.
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends a u128, little-endian.
    pub fn u128(&mut self, v: u128) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends fixed-size bytes as they are.
    pub fn fixed(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
    }

    /// Appends a byte string: its length as a u32, then the bytes. Callers
    /// keep strings below 4 GiB (every string here has a smaller limit).
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.fixed(v);
    }
}

/// Reads a canonical encoding strictly.
#[derive(Debug)]
pub struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        Reader { input, pos: 0 }
    }

    /// An error about `what` at the current offset.
    pub fn error(&self, what: &'static str, problem: impl Into<String>) -> DecodeError {
        DecodeError {
            what,
            offset: self.pos,
            problem: problem.into(),
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], DecodeError> {
        let left = self.input.len() - self.pos;
        if n > left {
            return Err(self.error(what, format!("needs {n} bytes, {left} left")));
        }
        let out = &self.input[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(what, N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// A little-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A little-endian u64.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// A little-endian u128.
    pub fn u128(&mut self, what: &'static str) -> Result<u128, DecodeError> {
        Ok(u128::from_le_bytes(self.array(what)?))
    }

    /// A count or length of at most `max`.
    pub fn len(&mut self, what: &'static str, max: usize) -> Result<usize, DecodeError> {
        let at = self.pos;
        let n = self.u32(what)? as usize;
        if n > max {
            return Err(DecodeError {
                what,
                offset: at,
                problem: format!("{n} is over the limit {max}"),
            });
        }
        Ok(n)
    }

    /// A byte string of at most `max` bytes.
    pub fn bytes(&mut self, what: &'static str, max: usize) -> Result<Vec<u8>, DecodeError> {
        let n = self.len(what, max)?;
        Ok(self.take(what, n)?.to_vec())
    }

    /// Succeeds only if every byte was read.
    pub fn finish(&self, what: &'static str) -> Result<(), DecodeError> {
        match self.input.len() - self.pos {
            0 => Ok(()),
            extra => Err(self.error(what, format!("{extra} trailing bytes"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_strings_round_trip() {
        let mut w = Writer::default();
        w.u8(7);
        w.u32(0xdead_beef);
        w.u64(u64::MAX);
        w.u128(1 << 100);
        w.bytes(b"abc");
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u8("a"), Ok(7));
        assert_eq!(r.u32("b"), Ok(0xdead_beef));
        assert_eq!(r.u64("c"), Ok(u64::MAX));
        assert_eq!(r.u128("d"), Ok(1 << 100));
        assert_eq!(r.bytes("e", 3), Ok(b"abc".to_vec()));
        assert_eq!(r.finish("end"), Ok(()));
    }

    #[test]
    fn errors_name_field_and_offset() {
        let mut r = Reader::new(&[5, 0, 0, 0, 1]);
        let e = r.bytes("data", 4).unwrap_err();
        assert_eq!((e.what, e.offset), ("data", 0));
        assert!(e.problem.contains("over the limit"));
        let mut r = Reader::new(&[2, 0, 0, 0, 1]);
        let e = r.bytes("data", 4).unwrap_err();
        assert_eq!((e.what, e.offset), ("data", 4));
        let r = Reader::new(&[1]);
        assert_eq!(r.finish("receipt").unwrap_err().problem, "1 trailing bytes");
    }
}
