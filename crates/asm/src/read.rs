//! Reading files from disk without trusting them: only regular files, and only up to a
//! size, so a FIFO, a device such as `/dev/zero` or a huge file named like a library or a
//! source neither hangs the reader nor fills its memory.

use std::io::{self, Read};
use std::path::Path;

use avm_alu::library::{MAX_ENTRIES, MAX_ENTRY_NAME, MAX_IMPORTS, MAX_ISA, MAX_SEGMENT};

/// The largest library file worth reading: the largest valid library (every count and
/// segment at its maximum) is smaller, so a longer file is refused unread.
pub const MAX_LIBRARY_FILE: usize = 5
    + 1
    + MAX_ISA * 9
    + 2
    + MAX_SEGMENT
    + 1
    + MAX_IMPORTS * 32
    + 2
    + MAX_SEGMENT
    + 1
    + MAX_ENTRIES * (1 + MAX_ENTRY_NAME + 2);

/// The bytes of the regular file at `path` (after symlinks), if it holds at most `max`.
///
/// The file is opened without blocking (a FIFO with no writer does not hang the open) and
/// checked to be a regular file before a byte is read; then at most `max + 1` bytes are
/// read, so a file that grows while being read is still refused rather than read whole.
/// The errors are `InvalidInput` ("not a regular file") and `FileTooLarge`.
pub fn read_regular_file(path: &Path, max: usize) -> io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {max} bytes"),
        )
    };
    if meta.len() > max as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use avm_alu::library::{LibId, Library};

    #[test]
    fn the_largest_library_fits_the_file_limit() {
        let lib = Library {
            isa: (0..MAX_ISA).map(|i| format!("X{i:07}")).collect(),
            libs: (0..MAX_IMPORTS).map(|i| LibId([i as u8; 32])).collect(),
            code: vec![0; MAX_SEGMENT],
            data: vec![0; MAX_SEGMENT],
            entries: (0..MAX_ENTRIES)
                .map(|i| (format!("{i:0>64}"), i as u16))
                .collect(),
        };
        let bytes = lib.to_bytes();
        assert!(bytes.len() <= MAX_LIBRARY_FILE, "{}", bytes.len());
        assert!(MAX_LIBRARY_FILE - bytes.len() < 64, "{}", bytes.len());
    }

    #[test]
    fn reads_a_regular_file_up_to_the_limit() {
        let dir = std::env::temp_dir().join(format!("avm-asm-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_regular_file(&path, 5).unwrap(), b"12345");
        let err = read_regular_file(&path, 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        let err = read_regular_file(&dir, 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_without_reading_them() {
        let err = read_regular_file(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
