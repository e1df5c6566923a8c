//! The canonical binary encoding of [`DataValue`], strict decoding, and
//! content ids.
//!
//! Every value has exactly one encoding, and the decoder accepts exactly the
//! encodings the encoder produces: so equal encodings mean equal values, and
//! the blake3 hash of the encoding ([`ContentId`]) identifies a value.
//!
//! ```text
//! value    = 0x00 uleb                    ; Nat, any size
//!          | 0x01 uleb64(vm) uleb64(len) byte*len   ; Function
//!          | 0x02 uleb64(count) value*count         ; Tuple
//!          | 0x03 uleb64(index) value               ; Option
//!          | 0x04 uleb64(len) byte*len              ; Bytes
//! uleb     = LEB128, little-endian groups of 7 bits, high bit = "more";
//!            minimal: the last byte is not 0x00 unless it is the only one
//! uleb64   = uleb whose value fits in 64 bits
//! ```
//!
//! Tags 0x05..=0xff are unassigned and rejected. The decoder refuses
//! truncated input, unknown tags, non-minimal numbers, numbers over 64 bits
//! where 64 are the limit, trailing bytes, and input beyond the [`Limits`];
//! every refusal is a [`DecodeError`] naming the byte offset. It never
//! allocates more than the input can justify: a length is checked against
//! the bytes that remain before anything is reserved for it.
//!
//! ```
//! use avm_vm::{codec, DataValue};
//! let v = DataValue::tuple([DataValue::nat(300u32), DataValue::bytes(*b"ab")]);
//! let bytes = codec::encode(&v);
//! assert_eq!(bytes, [0x02, 0x02, 0x00, 0xac, 0x02, 0x04, 0x02, b'a', b'b']);
//! assert_eq!(codec::decode(&bytes).unwrap(), v);
//! // A non-minimal number is refused, and the error says where.
//! let err = codec::decode(&[0x00, 0x81, 0x00]).unwrap_err();
//! assert_eq!(err.offset, 1);
//! ```

use std::fmt;

use num_bigint::BigUint;
use thiserror::Error;

use crate::value::{typecheck, DataType, DataValue, VmId};

const TAG_NAT: u8 = 0x00;
const TAG_FUNCTION: u8 = 0x01;
const TAG_TUPLE: u8 = 0x02;
const TAG_OPTION: u8 = 0x03;
const TAG_BYTES: u8 = 0x04;

/// The smallest encoded value (`Nat 0`) takes this many bytes; a count of
/// items is never believed beyond `remaining / MIN_VALUE_LEN`.
const MIN_VALUE_LEN: usize = 2;

/// Bounds on what the decoder and the text parser accept.
///
/// The defaults are safe for untrusted input: at most 16 MiB, 2^21 values
/// (about 150 MiB in memory at worst) and 128 levels of nesting (well
/// within the stack of any thread).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The most levels of tuples and options; a leaf has depth 1.
    pub max_depth: usize,
    /// The most bytes of input.
    pub max_size: usize,
    /// The most values in total (every leaf, tuple and option counts).
    pub max_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_size: 16 << 20,
            max_values: 1 << 21,
        }
    }
}

/// Why decoding failed, and where.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{kind} at byte {offset}")]
pub struct DecodeError {
    /// The offset in the input where the problem was found.
    pub offset: usize,
    /// What the problem is.
    pub kind: DecodeErrorKind,
}

/// What went wrong in decoding.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DecodeErrorKind {
    /// The input ends in the middle of a value.
    #[error("input ends early")]
    Truncated,
    /// A tag byte names no kind of value.
    #[error("unknown tag {0:#04x}")]
    UnknownTag(u8),
    /// A number is encoded with more bytes than it needs.
    #[error("non-minimal number")]
    NonMinimal,
    /// A length, count, index or VM number does not fit in 64 bits.
    #[error("number over 64 bits")]
    Overflow,
    /// Bytes follow the value.
    #[error("trailing bytes")]
    Trailing,
    /// Values nest deeper than the limit.
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// The input is longer than the limit.
    #[error("input of {size} bytes over the limit of {max}")]
    TooLarge {
        /// The input's length.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The input holds more values than the limit.
    #[error("more than {0} values")]
    TooManyValues(usize),
    /// The value decoded but does not have the expected type.
    #[error("value does not have type {0:?}")]
    TypeMismatch(DataType),
}

/// The canonical encoding of `value`.
pub fn encode(value: &DataValue) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

/// Appends the canonical encoding of `value` to `out`.
pub fn encode_into(value: &DataValue, out: &mut Vec<u8>) {
    match value {
        DataValue::Nat(n) => {
            out.push(TAG_NAT);
            put_nat(n, out);
        }
        DataValue::Function { vm, code } => {
            out.push(TAG_FUNCTION);
            put_u64(vm.0, out);
            put_u64(code.len() as u64, out);
            out.extend_from_slice(code);
        }
        DataValue::Tuple(items) => {
            out.push(TAG_TUPLE);
            put_u64(items.len() as u64, out);
            for item in items {
                encode_into(item, out);
            }
        }
        DataValue::Option { index, value } => {
            out.push(TAG_OPTION);
            put_u64(*index, out);
            encode_into(value, out);
        }
        DataValue::Bytes(bytes) => {
            out.push(TAG_BYTES);
            put_u64(bytes.len() as u64, out);
            out.extend_from_slice(bytes);
        }
    }
}

/// The length of `value`'s canonical encoding (`encode(value).len()`), without
/// encoding it.
pub fn encoded_len(value: &DataValue) -> usize {
    match value {
        DataValue::Nat(n) => 1 + group_count(n.bits()),
        DataValue::Function { vm, code } => {
            1 + u64_len(vm.0) + u64_len(code.len() as u64) + code.len()
        }
        DataValue::Tuple(items) => {
            1 + u64_len(items.len() as u64) + items.iter().map(encoded_len).sum::<usize>()
        }
        DataValue::Option { index, value } => 1 + u64_len(*index) + encoded_len(value),
        DataValue::Bytes(bytes) => 1 + u64_len(bytes.len() as u64) + bytes.len(),
    }
}

/// How many 7-bit groups encode a number of `bits` significant bits (one for zero).
fn group_count(bits: u64) -> usize {
    bits.div_ceil(7).max(1) as usize
}

/// The length of `put_u64`'s encoding of `n`.
fn u64_len(n: u64) -> usize {
    group_count(u64::from(u64::BITS - n.leading_zeros()))
}

/// Decodes one value that must fill `bytes` exactly, under default [`Limits`].
pub fn decode(bytes: &[u8]) -> Result<DataValue, DecodeError> {
    decode_with(bytes, &Limits::default())
}

/// Decodes one value that must fill `bytes` exactly, under `limits`.
pub fn decode_with(bytes: &[u8], limits: &Limits) -> Result<DataValue, DecodeError> {
    if bytes.len() > limits.max_size {
        return Err(DecodeError {
            offset: limits.max_size,
            kind: DecodeErrorKind::TooLarge {
                size: bytes.len(),
                max: limits.max_size,
            },
        });
    }
    let mut reader = Reader {
        input: bytes,
        pos: 0,
        limits,
        values: 0,
    };
    let value = reader.value(1)?;
    if reader.pos != bytes.len() {
        return Err(reader.error(DecodeErrorKind::Trailing));
    }
    Ok(value)
}

/// The specification's `multiencode`: the canonical encoding of `value`.
///
/// There is one encoding scheme, so there are no preferences to pass.
/// Equal encodings mean equal values (the converse holds too, here).
pub fn multiencode(value: &DataValue) -> Vec<u8> {
    encode(value)
}

/// The specification's `multidecode`: decodes `bytes` strictly under default
/// [`Limits`] and checks the value against `ty`.
///
/// ```
/// use avm_vm::{codec, DataType, DataValue};
/// let bytes = codec::multiencode(&DataValue::nat(5u8));
/// assert!(codec::multidecode(&bytes, &DataType::Nat).is_ok());
/// assert!(codec::multidecode(&bytes, &DataType::Bytes).is_err());
/// ```
pub fn multidecode(bytes: &[u8], ty: &DataType) -> Result<DataValue, DecodeError> {
    let value = decode(bytes)?;
    if typecheck(&value, ty) {
        Ok(value)
    } else {
        Err(DecodeError {
            offset: 0,
            kind: DecodeErrorKind::TypeMismatch(ty.clone()),
        })
    }
}

/// The identity of a value: the blake3 hash of its canonical encoding.
///
/// ```
/// use avm_vm::DataValue;
/// let a = DataValue::nat(1u8).content_id();
/// assert_eq!(a, DataValue::nat(1u8).content_id());
/// assert_ne!(a, DataValue::nat(2u8).content_id());
/// assert_eq!(a.to_string().len(), 64);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ContentId(pub [u8; 32]);

impl ContentId {
    /// The content id of `value`.
    pub fn of(value: &DataValue) -> ContentId {
        ContentId(*blake3::hash(&encode(value)).as_bytes())
    }
}

impl fmt::Display for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ContentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentId({self})")
    }
}

impl DataValue {
    /// The canonical encoding of this value (see [`crate::codec`]).
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    /// The content id of this value: blake3 of its canonical encoding.
    pub fn content_id(&self) -> ContentId {
        ContentId::of(self)
    }
}

fn put_u64(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_nat(n: &BigUint, out: &mut Vec<u8>) {
    if let Ok(small) = u64::try_from(n) {
        return put_u64(small, out);
    }
    // Regroup the little-endian bytes into 7-bit groups.
    let bytes = n.to_bytes_le();
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut groups = Vec::with_capacity(bytes.len() * 8 / 7 + 1);
    for b in bytes {
        acc |= u32::from(b) << bits;
        bits += 8;
        while bits >= 7 {
            groups.push((acc & 0x7f) as u8);
            acc >>= 7;
            bits -= 7;
        }
    }
    if bits > 0 {
        groups.push(acc as u8);
    }
    while groups.len() > 1 && groups.last() == Some(&0) {
        groups.pop();
    }
    let last = groups.len() - 1;
    for (i, g) in groups.into_iter().enumerate() {
        out.push(if i < last { g | 0x80 } else { g });
    }
}

struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    limits: &'a Limits,
    values: usize,
}

impl Reader<'_> {
    fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            offset: self.pos,
            kind,
        }
    }

    fn remaining(&self) -> usize {
        self.input.len() - self.pos
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .input
            .get(self.pos)
            .ok_or_else(|| self.error(DecodeErrorKind::Truncated))?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, len: u64) -> Result<&[u8], DecodeError> {
        match usize::try_from(len) {
            Ok(len) if len <= self.remaining() => {
                let slice = &self.input[self.pos..self.pos + len];
                self.pos += len;
                Ok(slice)
            }
            _ => Err(DecodeError {
                offset: self.input.len(),
                kind: DecodeErrorKind::Truncated,
            }),
        }
    }

    /// The extent of one LEB128 number starting here, checked minimal.
    fn uleb_extent(&mut self) -> Result<(usize, usize), DecodeError> {
        let start = self.pos;
        loop {
            let b = self.byte()?;
            if b & 0x80 == 0 {
                if b == 0 && self.pos - start > 1 {
                    return Err(DecodeError {
                        offset: start,
                        kind: DecodeErrorKind::NonMinimal,
                    });
                }
                return Ok((start, self.pos));
            }
        }
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        let start = self.pos;
        let mut n: u64 = 0;
        let mut shift = 0;
        loop {
            let b = self.byte()?;
            let group = u64::from(b & 0x7f);
            if shift == 63 && group > 1 {
                return Err(DecodeError {
                    offset: start,
                    kind: DecodeErrorKind::Overflow,
                });
            }
            n |= group << shift;
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 {
                    return Err(DecodeError {
                        offset: start,
                        kind: DecodeErrorKind::NonMinimal,
                    });
                }
                return Ok(n);
            }
            shift += 7;
            if shift > 63 {
                return Err(DecodeError {
                    offset: start,
                    kind: DecodeErrorKind::Overflow,
                });
            }
        }
    }

    fn nat(&mut self) -> Result<BigUint, DecodeError> {
        let (start, end) = self.uleb_extent()?;
        let groups = &self.input[start..end];
        if groups.len() <= 9 {
            let mut n: u64 = 0;
            for (i, g) in groups.iter().enumerate() {
                n |= u64::from(g & 0x7f) << (7 * i);
            }
            return Ok(BigUint::from(n));
        }
        let mut bytes = Vec::with_capacity(groups.len() * 7 / 8 + 1);
        let mut acc: u32 = 0;
        let mut bits = 0;
        for g in groups {
            acc |= u32::from(g & 0x7f) << bits;
            bits += 7;
            if bits >= 8 {
                bytes.push(acc as u8);
                acc >>= 8;
                bits -= 8;
            }
        }
        if bits > 0 {
            bytes.push(acc as u8);
        }
        Ok(BigUint::from_bytes_le(&bytes))
    }

    fn value(&mut self, depth: usize) -> Result<DataValue, DecodeError> {
        if depth > self.limits.max_depth {
            return Err(self.error(DecodeErrorKind::TooDeep(self.limits.max_depth)));
        }
        self.values += 1;
        if self.values > self.limits.max_values {
            return Err(self.error(DecodeErrorKind::TooManyValues(self.limits.max_values)));
        }
        let tag_at = self.pos;
        match self.byte()? {
            TAG_NAT => Ok(DataValue::Nat(self.nat()?)),
            TAG_FUNCTION => {
                let vm = VmId(self.u64()?);
                let len = self.u64()?;
                let code = self.take(len)?.to_vec();
                Ok(DataValue::Function { vm, code })
            }
            TAG_TUPLE => {
                let count_at = self.pos;
                let count = self.u64()?;
                // Each value takes at least MIN_VALUE_LEN bytes: refuse a count
                // the rest of the input cannot hold before reserving anything.
                if count > (self.remaining() / MIN_VALUE_LEN) as u64 {
                    return Err(DecodeError {
                        offset: count_at,
                        kind: DecodeErrorKind::Truncated,
                    });
                }
                let count = count as usize;
                let mut items = Vec::with_capacity(count.min(1024));
                for _ in 0..count {
                    items.push(self.value(depth + 1)?);
                }
                Ok(DataValue::Tuple(items))
            }
            TAG_OPTION => {
                let index = self.u64()?;
                let value = Box::new(self.value(depth + 1)?);
                Ok(DataValue::Option { index, value })
            }
            TAG_BYTES => {
                let len = self.u64()?;
                Ok(DataValue::Bytes(self.take(len)?.to_vec()))
            }
            tag => Err(DecodeError {
                offset: tag_at,
                kind: DecodeErrorKind::UnknownTag(tag),
            }),
        }
    }
}
