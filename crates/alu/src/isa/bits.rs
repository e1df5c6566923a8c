//! Bit-granular reading and writing of instruction operands.
//!
//! Operand fields are packed least-significant bit first into the bytes that
//! follow the opcode; an instruction's operand bytes are the fields rounded up
//! to whole bytes, and the rounding (padding) bits must be zero. Together with
//! every field rejecting codes it does not define, this makes each encoded
//! instruction the only byte string that decodes to it.

/// Reads bit fields from a byte slice, least-significant bit first.
pub struct BitReader<'a> {
    bytes: &'a [u8],
    pos: u32,
}

impl<'a> BitReader<'a> {
    /// A reader at the start of `bytes`; bytes past the end read as zero.
    pub fn new(bytes: &'a [u8]) -> Self {
        BitReader { bytes, pos: 0 }
    }

    /// Reads `bits` (at most 32) bits.
    pub fn read(&mut self, bits: u32) -> u32 {
        let mut value = 0u32;
        for i in 0..bits {
            let bit = self.pos + i;
            let byte = self.bytes.get((bit / 8) as usize).copied().unwrap_or(0);
            value |= u32::from((byte >> (bit % 8)) & 1) << i;
        }
        self.pos += bits;
        value
    }

    /// Whether the bits from the current position to the next byte boundary are zero.
    pub fn padding_is_zero(&mut self) -> bool {
        let pad = (8 - self.pos % 8) % 8;
        self.read(pad) == 0
    }
}

/// Writes bit fields, least-significant bit first.
#[derive(Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    pos: u32,
}

impl BitWriter {
    /// Appends the low `bits` bits of `value`.
    pub fn write(&mut self, bits: u32, value: u32) {
        for i in 0..bits {
            let bit = self.pos + i;
            if bit.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 1 << (bit % 8);
            }
        }
        self.pos += bits;
    }

    /// The written bytes, padded with zero bits to a whole byte.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_lsb_first() {
        let mut w = BitWriter::default();
        w.write(3, 0b101);
        w.write(5, 0b11111);
        w.write(16, 0xBEEF);
        w.write(2, 0b10);
        let bytes = w.into_bytes();
        assert_eq!(bytes, [0b1111_1101, 0xEF, 0xBE, 0b10]);
        let mut r = BitReader::new(&bytes);
        assert_eq!(r.read(3), 0b101);
        assert_eq!(r.read(5), 0b11111);
        assert_eq!(r.read(16), 0xBEEF);
        assert_eq!(r.read(2), 0b10);
        assert!(r.padding_is_zero());
    }

    #[test]
    fn reading_past_the_end_gives_zeros_and_nonzero_padding_is_seen() {
        let mut r = BitReader::new(&[0xFF]);
        assert_eq!(r.read(4), 0xF);
        assert!(!r.padding_is_zero());
        assert_eq!(r.read(16), 0);
    }
}
