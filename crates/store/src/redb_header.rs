//! A check of the redb file header before redb reads it.
//!
//! redb 2 trusts some header fields that no checksum covers: it asserts on a layout longer than
//! the file, and sizes allocations by the page order of the region tracker's page number, so one
//! flipped bit there makes it allocate terabytes and abort the process (an abort cannot be
//! caught). These fields are checked here first, against the file's length. The two commit
//! slots after them carry redb's own checksums.
//!
//! The offsets are redb 2's file format (`tree_store/page_store/header.rs`); a test in this
//! crate reads them back from a store redb made.

/// redb's magic number, the first bytes of every database file.
const MAGIC: [u8; 9] = [b'r', b'e', b'd', b'b', 0x1A, 0x0A, 0xA9, 0x0D, 0x0A];
const GOD_BYTE: usize = 9;
/// The only god-byte flags redb 2 defines (primary slot, recovery required, two-phase commit).
const GOD_FLAGS: u8 = 0b111;
const PAGE_SIZE_AT: usize = 12;
const REGION_HEADER_PAGES_AT: usize = 16;
const REGION_MAX_DATA_PAGES_AT: usize = 20;
const FULL_REGIONS_AT: usize = 24;
const TRAILING_PAGES_AT: usize = 28;
const REGION_TRACKER_AT: usize = 32;
/// The header's length: the fields above and two 128-byte commit slots from offset 64.
pub(crate) const HEADER_LEN: usize = 320;

/// The page size redb 2 writes and the only one it opens.
const PAGE_SIZE: u64 = 4096;
/// redb's largest region: 4 GiB of pages.
const MAX_REGION_PAGES: u64 = (4 << 30) / PAGE_SIZE;
/// redb's largest page order (a page of order n spans 2^n pages).
const MAX_PAGE_ORDER: u64 = 20;

fn u32_at(header: &[u8], at: usize) -> u64 {
    let mut b = [0; 4];
    b.copy_from_slice(&header[at..at + 4]);
    u64::from(u32::from_le_bytes(b))
}

/// Checks what redb would trust in `header` (the file's first [`HEADER_LEN`] bytes, or all of
/// a shorter file) for a file of `file_len` bytes; the error says what is wrong.
pub(crate) fn check(header: &[u8], file_len: u64) -> Result<(), String> {
    if header.len() < HEADER_LEN || !header.starts_with(&MAGIC) {
        return Err("not a redb database (no redb header)".into());
    }
    let damaged = |what: String| Err(format!("damaged: the redb header's {what}"));
    if header[GOD_BYTE] & !GOD_FLAGS != 0 {
        return damaged(format!("flags byte is {:#04x}", header[GOD_BYTE]));
    }
    let page_size = u32_at(header, PAGE_SIZE_AT);
    if page_size != PAGE_SIZE {
        return damaged(format!("page size is {page_size}, not {PAGE_SIZE}"));
    }
    let header_pages = u32_at(header, REGION_HEADER_PAGES_AT);
    let max_pages = u32_at(header, REGION_MAX_DATA_PAGES_AT);
    let full = u32_at(header, FULL_REGIONS_AT);
    let trailing = u32_at(header, TRAILING_PAGES_AT);
    if max_pages == 0 || max_pages > MAX_REGION_PAGES || header_pages > MAX_REGION_PAGES {
        return damaged(format!(
            "region layout is {header_pages} header and {max_pages} data pages"
        ));
    }
    if trailing > max_pages {
        return damaged(format!(
            "last region has {trailing} pages, more than a region's {max_pages}"
        ));
    }
    // The layout's length, as redb computes it: every region's header and data pages.
    let trailing_region = if trailing > 0 {
        header_pages + trailing
    } else {
        0
    };
    let pages = full * (header_pages + max_pages) + trailing_region;
    let layout_len = pages * PAGE_SIZE;
    if layout_len > file_len {
        return damaged(format!(
            "layout needs {layout_len} bytes, but the file has {file_len}"
        ));
    }
    let mut tracker = [0; 8];
    tracker.copy_from_slice(&header[REGION_TRACKER_AT..REGION_TRACKER_AT + 8]);
    let tracker = u64::from_le_bytes(tracker);
    let order = tracker >> 59;
    let region = (tracker >> 20) & 0x000F_FFFF;
    let regions = full + u64::from(trailing > 0);
    if order > MAX_PAGE_ORDER || region >= regions.max(1) {
        return damaged(format!(
            "region tracker page is in region {region} with order {order}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Vec<u8> {
        let mut h = vec![0; HEADER_LEN];
        h[..9].copy_from_slice(&MAGIC);
        h[PAGE_SIZE_AT..PAGE_SIZE_AT + 4].copy_from_slice(&4096u32.to_le_bytes());
        h[REGION_HEADER_PAGES_AT..REGION_HEADER_PAGES_AT + 4].copy_from_slice(&1u32.to_le_bytes());
        h[REGION_MAX_DATA_PAGES_AT..REGION_MAX_DATA_PAGES_AT + 4]
            .copy_from_slice(&1024u32.to_le_bytes());
        h[TRAILING_PAGES_AT..TRAILING_PAGES_AT + 4].copy_from_slice(&10u32.to_le_bytes());
        h
    }

    #[test]
    fn a_plausible_header_passes() {
        assert_eq!(check(&header(), 11 * 4096), Ok(()));
    }

    #[test]
    fn each_untrusted_field_is_checked() {
        let cases: [(usize, u8, &str); 6] = [
            (0, b'x', "no redb header"),
            (GOD_BYTE, 0x80, "flags"),
            (PAGE_SIZE_AT + 2, 1, "page size"),
            (REGION_MAX_DATA_PAGES_AT + 3, 1, "region layout"),
            (TRAILING_PAGES_AT + 2, 1, "last region"),
            (REGION_TRACKER_AT + 7, 0xf8, "region tracker"),
        ];
        for (at, byte, what) in cases {
            let mut h = header();
            h[at] = byte;
            let err = check(&h, 11 * 4096).unwrap_err();
            assert!(err.contains(what), "byte {at}: {err}");
        }
        let err = check(&header(), 10 * 4096).unwrap_err();
        assert!(err.contains("layout needs"), "{err}");
        assert!(check(&header()[..100], 11 * 4096).is_err());
    }
}
