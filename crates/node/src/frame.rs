//! Frames on a connection: a 4-byte big-endian length, then that many
//! bytes of one canonical [`DataValue`] (avm-vm's codec).
//!
//! A frame longer than [`MAX_FRAME`] is refused before any of it is read
//! (so a peer cannot make a node allocate more), and bytes that are not a
//! canonical value are refused by the decoder, which bounds depth, size and
//! value count.

use std::io::{self, Read, Write};

use avm_vm::{codec, DataValue};
use thiserror::Error;

/// The longest frame, in bytes: the decoder's own size limit.
pub const MAX_FRAME: usize = 16 << 20;

/// Why a frame could not be read.
#[derive(Debug, Error)]
pub enum FrameError {
    /// The peer closed the connection between frames.
    #[error("the peer closed the connection")]
    Closed,
    /// Reading failed or timed out.
    #[error("reading a frame: {0}")]
    Io(#[from] io::Error),
    /// The length prefix is over the cap; the rest is not read.
    #[error("a frame of {len} bytes is longer than the cap of {MAX_FRAME} bytes")]
    TooLong {
        /// The length the prefix gave.
        len: usize,
    },
    /// The bytes are not a canonical value.
    #[error("the frame is not a canonical value: {0}")]
    Malformed(#[from] avm_vm::DecodeError),
}

impl FrameError {
    /// Whether the connection can go on after this error (the whole frame
    /// was read, so the next one starts where it should).
    pub fn resumable(&self) -> bool {
        matches!(self, FrameError::Malformed(_))
    }
}

/// Reads one frame and decodes its value.
pub fn read(from: &mut impl Read) -> Result<DataValue, FrameError> {
    let mut prefix = [0u8; 4];
    match from.read_exact(&mut prefix) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(prefix) as usize;
    if len > MAX_FRAME {
        return Err(FrameError::TooLong { len });
    }
    let mut bytes = vec![0u8; len];
    from.read_exact(&mut bytes)?;
    Ok(codec::decode(&bytes)?)
}

/// Encodes `value` and writes it as one frame; a value whose encoding is
/// over the cap is refused (nothing is written).
pub fn write(to: &mut impl Write, value: &DataValue) -> io::Result<()> {
    let bytes = codec::encode(value);
    if bytes.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a message of {} bytes is longer than the frame cap of {MAX_FRAME} bytes",
                bytes.len()
            ),
        ));
    }
    let mut framed = Vec::with_capacity(4 + bytes.len());
    framed.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    framed.extend_from_slice(&bytes);
    to.write_all(&framed)?;
    to.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_bad_ones_are_named() {
        let value = DataValue::tuple([DataValue::nat(1u8), DataValue::string("hi")]);
        let mut buf = Vec::new();
        write(&mut buf, &value).unwrap();
        write(&mut buf, &DataValue::unit()).unwrap();
        let mut r = &buf[..];
        assert_eq!(read(&mut r).unwrap(), value);
        assert_eq!(read(&mut r).unwrap(), DataValue::unit());
        assert!(matches!(read(&mut r), Err(FrameError::Closed)));

        let long = (MAX_FRAME as u32 + 1).to_be_bytes();
        let err = read(&mut &long[..]).unwrap_err();
        assert!(!err.resumable());
        assert!(err.to_string().contains("longer than the cap"), "{err}");

        let garbage = [0, 0, 0, 3, 0xff, 0xff, 0xff];
        let err = read(&mut &garbage[..]).unwrap_err();
        assert!(err.resumable(), "{err}");
        assert!(matches!(
            read(&mut &[0u8, 0, 0, 9, 1][..]),
            Err(FrameError::Io(_))
        ));
    }
}
