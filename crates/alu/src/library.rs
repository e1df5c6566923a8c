//! Libraries: the unit of code, identified by the hash of its segments.
//!
//! # Container format (version 1)
//!
//! | field   | encoding                                                        |
//! |---------|-----------------------------------------------------------------|
//! | magic   | `AVML` (4 bytes)                                                |
//! | version | `u8`, 1                                                         |
//! | isa     | `u8` count, then per id `u8` length and ASCII; ids strictly ascending |
//! | libs    | `u8` count, then 32-byte library ids; no id twice               |
//! | code    | `u16` little-endian length, then the bytes                      |
//! | data    | `u16` little-endian length, then the bytes                      |
//! | entries | `u8` count, then per entry `u8` length, name, `u16` offset; names strictly ascending |
//!
//! Nothing may follow. The library id is BLAKE3 in key-derivation mode with
//! the context [`LIB_ID_CONTEXT`] over every byte after the version, so it
//! commits to the ISA extensions, the imports, the code and the data.

use crate::isa::ext::is_valid_id;
use core::fmt;
use core::str::FromStr;

/// The magic bytes of a library file.
pub const MAGIC: &[u8; 4] = b"AVML";
/// The container version this crate reads and writes.
pub const VERSION: u8 = 1;
/// Largest code or data segment, in bytes.
pub const MAX_SEGMENT: usize = u16::MAX as usize;
/// Most imported libraries (call sites name them by a `u8` index).
pub const MAX_IMPORTS: usize = 255;
/// Most ISA extension ids.
pub const MAX_ISA: usize = 32;
/// Most named entry points.
pub const MAX_ENTRIES: usize = 255;
/// Longest entry-point name.
pub const MAX_ENTRY_NAME: usize = 64;

/// Whether `name` is a valid entry-point name: an identifier of 1 to 64 characters.
pub fn is_valid_entry_name(name: &str) -> bool {
    (1..=MAX_ENTRY_NAME).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
/// BLAKE3 key-derivation context of library ids.
pub const LIB_ID_CONTEXT: &str = "avm 2026 alu library id v1";
/// Human-readable part of library ids in bech32m.
pub const LIB_ID_HRP: &str = "alu";

/// A library id: the hash of the library's segments.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LibId(pub [u8; 32]);

impl fmt::Display for LibId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hrp = bech32::Hrp::parse_unchecked(LIB_ID_HRP);
        bech32::encode_lower_to_fmt::<bech32::Bech32m, _>(f, hrp, &self.0).map_err(|_| fmt::Error)
    }
}

impl fmt::Debug for LibId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LibId({self})")
    }
}

/// Why a library id does not parse.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum LibIdError {
    /// Not bech32m.
    #[error("not a bech32m library id: {0}")]
    Bech32(String),
    /// Another human-readable part than `alu`.
    #[error("library ids start with `alu1`, this one with `{0}1`")]
    Hrp(String),
    /// Not 32 bytes.
    #[error("a library id holds 32 bytes, this one {0}")]
    Length(usize),
}

impl FromStr for LibId {
    type Err = LibIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let checked = bech32::primitives::decode::CheckedHrpstring::new::<bech32::Bech32m>(s)
            .map_err(|e| LibIdError::Bech32(e.to_string()))?;
        if checked.hrp().as_str() != LIB_ID_HRP {
            return Err(LibIdError::Hrp(checked.hrp().to_string()));
        }
        let bytes: Vec<u8> = checked.byte_iter().collect();
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| LibIdError::Length(bytes.len()))?;
        Ok(LibId(arr))
    }
}

/// A library: code, data, imports and the ISA extensions it uses.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Library {
    /// ISA extension ids, strictly ascending.
    pub isa: Vec<String>,
    /// Imported libraries; `call pos @ n` names the n-th.
    pub libs: Vec<LibId>,
    /// Bytecode.
    pub code: Vec<u8>,
    /// Constants read by `put`.
    pub data: Vec<u8>,
    /// Named entry points (exported labels), strictly ascending by name.
    pub entries: Vec<(String, u16)>,
}

/// Why library bytes or segments are not a valid library.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum LibraryError {
    /// The input ends inside a field.
    #[error("library truncated in {field} at offset {offset}")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Where the input ended.
        offset: usize,
    },
    /// The magic bytes are wrong.
    #[error("not an avm library: bad magic at offset 0 (expected `AVML`)")]
    Magic,
    /// An unknown container version.
    #[error("unsupported library version {0} at offset 4 (this build reads version 1)")]
    Version(u8),
    /// A malformed field.
    #[error("invalid {field} at offset {offset}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// What is wrong.
        reason: String,
    },
    /// Bytes after the last field.
    #[error("{count} trailing bytes after the library at offset {offset}")]
    Trailing {
        /// Where the trailing bytes start.
        offset: usize,
        /// How many there are.
        count: usize,
    },
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], LibraryError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or(LibraryError::Truncated {
            field,
            offset: self.bytes.len(),
        })?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, LibraryError> {
        Ok(self.take(1, field)?[0])
    }

    fn u16(&mut self, field: &'static str) -> Result<u16, LibraryError> {
        let b = self.take(2, field)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
}

impl Library {
    /// A library from segments, checked as the container would be.
    pub fn new(
        isa: Vec<String>,
        libs: Vec<LibId>,
        code: Vec<u8>,
        data: Vec<u8>,
    ) -> Result<Library, LibraryError> {
        let lib = Library {
            isa,
            libs,
            code,
            data,
            entries: vec![],
        };
        lib.check()?;
        Ok(lib)
    }

    /// Checks the segment limits and the canonical order of the ISA ids.
    pub fn check(&self) -> Result<(), LibraryError> {
        let invalid = |field, reason: String| LibraryError::Invalid {
            field,
            offset: 0,
            reason,
        };
        if self.isa.len() > MAX_ISA {
            return Err(invalid(
                "isa",
                format!("{} ids, at most {MAX_ISA}", self.isa.len()),
            ));
        }
        for id in &self.isa {
            if !is_valid_id(id) {
                return Err(invalid(
                    "isa",
                    format!("`{id}` is not an ISA id (2-8 of A-Z0-9, starting with a letter)"),
                ));
            }
        }
        if self.isa.windows(2).any(|w| w[0] >= w[1]) {
            return Err(invalid("isa", "ids must be strictly ascending".into()));
        }
        if self.libs.len() > MAX_IMPORTS {
            return Err(invalid(
                "libs",
                format!("{} imports, at most {MAX_IMPORTS}", self.libs.len()),
            ));
        }
        let mut sorted = self.libs.clone();
        sorted.sort();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(invalid("libs", "a library is imported twice".into()));
        }
        if self.code.len() > MAX_SEGMENT {
            return Err(invalid(
                "code",
                format!("{} bytes, at most {MAX_SEGMENT}", self.code.len()),
            ));
        }
        if self.entries.len() > MAX_ENTRIES {
            return Err(invalid(
                "entries",
                format!("{} entries, at most {MAX_ENTRIES}", self.entries.len()),
            ));
        }
        if let Some((name, _)) = self.entries.iter().find(|(n, _)| !is_valid_entry_name(n)) {
            return Err(invalid("entries", format!("`{name}` is not an entry name")));
        }
        if self.entries.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(invalid(
                "entries",
                "names must be strictly ascending".into(),
            ));
        }
        if self.data.len() > MAX_SEGMENT {
            return Err(invalid(
                "data",
                format!("{} bytes, at most {MAX_SEGMENT}", self.data.len()),
            ));
        }
        Ok(())
    }

    fn body(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(8 + self.code.len() + self.data.len() + 32 * self.libs.len());
        out.push(self.isa.len() as u8);
        for id in &self.isa {
            out.push(id.len() as u8);
            out.extend_from_slice(id.as_bytes());
        }
        out.push(self.libs.len() as u8);
        for lib in &self.libs {
            out.extend_from_slice(&lib.0);
        }
        out.extend_from_slice(&(self.code.len() as u16).to_le_bytes());
        out.extend_from_slice(&self.code);
        out.extend_from_slice(&(self.data.len() as u16).to_le_bytes());
        out.extend_from_slice(&self.data);
        out.push(self.entries.len() as u8);
        for (name, pos) in &self.entries {
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&pos.to_le_bytes());
        }
        out
    }

    /// The offset of a named entry point.
    pub fn entry(&self, name: &str) -> Option<u16> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| *p)
    }

    /// The library id.
    pub fn id(&self) -> LibId {
        LibId(blake3::derive_key(LIB_ID_CONTEXT, &self.body()))
    }

    /// The container bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(VERSION);
        out.extend(self.body());
        out
    }

    /// Parses container bytes strictly: every field checked, nothing trailing.
    pub fn from_bytes(bytes: &[u8]) -> Result<Library, LibraryError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(4, "magic")? != MAGIC {
            return Err(LibraryError::Magic);
        }
        let version = r.u8("version")?;
        if version != VERSION {
            return Err(LibraryError::Version(version));
        }
        let mut lib = Library::default();
        let count = r.u8("isa count")? as usize;
        if count > MAX_ISA {
            return Err(LibraryError::Invalid {
                field: "isa count",
                offset: r.pos - 1,
                reason: format!("{count} ids, at most {MAX_ISA}"),
            });
        }
        for _ in 0..count {
            let at = r.pos;
            let len = r.u8("isa id length")? as usize;
            let raw = r.take(len, "isa id")?;
            let id = core::str::from_utf8(raw)
                .ok()
                .filter(|s| is_valid_id(s))
                .ok_or_else(|| LibraryError::Invalid {
                    field: "isa id",
                    offset: at,
                    reason: "not 2-8 characters of A-Z0-9 starting with a letter".into(),
                })?;
            if lib.isa.last().is_some_and(|prev| prev.as_str() >= id) {
                return Err(LibraryError::Invalid {
                    field: "isa id",
                    offset: at,
                    reason: "ids must be strictly ascending".into(),
                });
            }
            lib.isa.push(id.to_string());
        }
        let count = r.u8("libs count")? as usize;
        for _ in 0..count {
            let at = r.pos;
            let id = LibId(r.take(32, "library id")?.try_into().expect("32 bytes"));
            if lib.libs.contains(&id) {
                return Err(LibraryError::Invalid {
                    field: "library id",
                    offset: at,
                    reason: format!("{id} is imported twice"),
                });
            }
            lib.libs.push(id);
        }
        let len = r.u16("code length")? as usize;
        lib.code = r.take(len, "code")?.to_vec();
        let len = r.u16("data length")? as usize;
        lib.data = r.take(len, "data")?.to_vec();
        let count = r.u8("entries count")? as usize;
        for _ in 0..count {
            let at = r.pos;
            let len = r.u8("entry name length")? as usize;
            let raw = r.take(len, "entry name")?;
            let name = core::str::from_utf8(raw)
                .ok()
                .filter(|s| is_valid_entry_name(s))
                .ok_or_else(|| LibraryError::Invalid {
                    field: "entry name",
                    offset: at,
                    reason: "not an identifier of 1 to 64 characters".into(),
                })?;
            if lib
                .entries
                .last()
                .is_some_and(|(prev, _)| prev.as_str() >= name)
            {
                return Err(LibraryError::Invalid {
                    field: "entry name",
                    offset: at,
                    reason: "names must be strictly ascending".into(),
                });
            }
            let pos = r.u16("entry offset")?;
            lib.entries.push((name.to_string(), pos));
        }
        if r.pos != bytes.len() {
            return Err(LibraryError::Trailing {
                offset: r.pos,
                count: bytes.len() - r.pos,
            });
        }
        Ok(lib)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_stored_and_committed() {
        let mut lib = sample();
        lib.entries = vec![("a".into(), 1), ("main".into(), 0)];
        assert!(lib.check().is_ok());
        assert_ne!(lib.id(), sample().id());
        assert_eq!(Library::from_bytes(&lib.to_bytes()), Ok(lib.clone()));
        assert_eq!(lib.entry("main"), Some(0));
        lib.entries.reverse();
        assert!(lib.check().is_err());
    }

    fn sample() -> Library {
        Library::new(
            vec!["ALU".into(), "BPDIGEST".into()],
            vec![LibId([7; 32])],
            vec![0x08],
            b"hi".to_vec(),
        )
        .unwrap()
    }

    #[test]
    fn container_round_trips() {
        let lib = sample();
        let bytes = lib.to_bytes();
        assert_eq!(&bytes[..5], b"AVML\x01");
        assert_eq!(Library::from_bytes(&bytes), Ok(lib));
    }

    #[test]
    fn id_commits_to_every_segment() {
        let lib = sample();
        let mut other = lib.clone();
        other.data.push(0);
        assert_ne!(lib.id(), other.id());
        let mut other = lib.clone();
        other.isa.pop();
        assert_ne!(lib.id(), other.id());
        let mut other = lib.clone();
        other.libs.clear();
        assert_ne!(lib.id(), other.id());
    }

    #[test]
    fn id_text_round_trips_and_rejects_garbage() {
        let id = sample().id();
        let text = id.to_string();
        assert!(text.starts_with("alu1"));
        assert_eq!(text.parse::<LibId>(), Ok(id));
        assert!("alu1qqqq".parse::<LibId>().is_err());
        let mut bad = text.clone();
        bad.pop();
        bad.push(if text.ends_with('q') { 'p' } else { 'q' });
        assert!(bad.parse::<LibId>().is_err());
    }

    #[test]
    fn strict_decoding_names_field_and_offset() {
        let bytes = sample().to_bytes();
        assert_eq!(Library::from_bytes(b"XXXX\x01"), Err(LibraryError::Magic));
        assert_eq!(
            Library::from_bytes(b"AVML\x02"),
            Err(LibraryError::Version(2))
        );
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert_eq!(
            Library::from_bytes(&trailing),
            Err(LibraryError::Trailing {
                offset: bytes.len(),
                count: 1
            })
        );
        for cut in 0..bytes.len() {
            assert!(Library::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut unsorted = bytes.clone();
        unsorted[7..10].copy_from_slice(b"ZZZ");
        assert!(matches!(
            Library::from_bytes(&unsorted),
            Err(LibraryError::Invalid {
                field: "isa id",
                offset: 10,
                ..
            })
        ));
    }

    #[test]
    fn segment_limits_are_enforced() {
        assert!(Library::new(vec![], vec![], vec![0; MAX_SEGMENT + 1], vec![]).is_err());
        assert!(Library::new(vec!["b".into()], vec![], vec![], vec![]).is_err());
        assert!(Library::new(vec![], vec![LibId([1; 32]); 2], vec![], vec![]).is_err());
    }
}
