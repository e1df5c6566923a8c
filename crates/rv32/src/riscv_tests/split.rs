//! Laying out the segments of the riscv-tests link scripts by their
//! sections: code pages and data pages.
//!
//! Two versions of the environment's `link.ld` give GNU ld segments the
//! loader rejects. Without `PHDRS` (up to riscv-test-env 09bbc99), ld puts
//! `.tohost`, `.text`, `.data` and `.bss` into one `PT_LOAD` with flags RWX
//! (W^X). With `PHDRS { text PT_LOAD FLAGS(SHF_ALLOC | SHF_EXECINSTR); }`
//! (from 11e4374), ld 2.40 writes one `PT_LOAD` with flags 0 (the section
//! flag names mean nothing in `FLAGS`), so the entry is in no executable
//! segment. Before loading, the runner rewrites each such segment into one
//! segment per run of pages: a page holding an executable section becomes
//! R-X, one holding a writable section RW-, any other R--. The section
//! headers say which is which (the loader itself never reads them). A page
//! that holds both cannot be honoured, and is an error, as is such a
//! segment in a file without section headers. Files without one are passed
//! through untouched.

use std::borrow::Cow;
use std::ops::Range;

use crate::memory::PAGE_SIZE;

const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const PF_R: u32 = 4;
const SHF_WRITE: u32 = 1;
const SHF_ALLOC: u32 = 2;
const SHF_EXECINSTR: u32 = 4;
const PAGE: u64 = PAGE_SIZE as u64;

/// Why a writable and executable segment, or one without permission
/// flags, cannot be split into code and data pages.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum SplitError {
    /// The file has no section headers to tell code from data.
    #[error(
        "program header {index} (p_vaddr {vaddr:#x}) is {}, \
         and there are no section headers to tell its code from its data",
        if *flags == 0 { "without permission flags" } else { "writable and executable" }
    )]
    NoSections {
        /// The program header's index.
        index: usize,
        /// Its `p_vaddr`.
        vaddr: u32,
        /// Its `p_flags`: RWX, or 0.
        flags: u32,
    },
    /// The section header table is malformed.
    #[error(
        "section header table at offset {offset:#x} ({count} entries of {entry_size} bytes) \
         does not fit the {len}-byte file with 40-byte entries"
    )]
    SectionTable {
        /// `e_shoff`.
        offset: u32,
        /// `e_shnum`.
        count: u16,
        /// `e_shentsize`.
        entry_size: u16,
        /// The file's length.
        len: u64,
    },
    /// One page holds both code and writable data.
    #[error(
        "page {page:#x} holds both code ({code}) and writable data ({data}), \
         which W^X keeps on separate pages"
    )]
    MixedPage {
        /// The page's address.
        page: u32,
        /// The executable section on it.
        code: String,
        /// The writable section on it.
        data: String,
    },
}

/// `elf`, with every RWX or flags-0 `PT_LOAD` replaced by W^X segments
/// (appended as a new program header table), or `elf` itself if it has
/// none. Anything malformed outside the section headers is left for the
/// loader to report.
pub(crate) fn split_by_sections(elf: &[u8]) -> Result<Cow<'_, [u8]>, SplitError> {
    let Some(phdrs) = program_headers(elf) else {
        return Ok(Cow::Borrowed(elf));
    };
    let needs_split = |ph: &[u8]| {
        let end = field(ph, 2) as u64 + field(ph, 5) as u64;
        let flags = field(ph, 6);
        field(ph, 0) == PT_LOAD
            && (flags & (PF_W | PF_X) == PF_W | PF_X || flags == 0)
            && field(ph, 5) != 0
            && end <= 1 << 32
    };
    let Some(first) = phdrs.iter().position(|ph| needs_split(ph)) else {
        return Ok(Cow::Borrowed(elf));
    };
    let sections = Sections::read(elf).map_err(|e| match e {
        None => SplitError::NoSections {
            index: first,
            vaddr: field(phdrs[first], 2),
            flags: field(phdrs[first], 6),
        },
        Some(e) => e,
    })?;
    let mut table: Vec<[u8; 32]> = Vec::with_capacity(phdrs.len() + 4);
    for ph in phdrs {
        let mut entry = [0u8; 32];
        entry.copy_from_slice(ph);
        if needs_split(ph) {
            split(&entry, &sections, &mut table)?;
        } else {
            table.push(entry);
        }
    }
    let mut out = elf.to_vec();
    out.resize(elf.len().next_multiple_of(4), 0);
    let (Ok(phoff), Ok(phnum)) = (u32::try_from(out.len()), u16::try_from(table.len())) else {
        return Ok(Cow::Borrowed(elf));
    };
    out.extend(table.iter().flatten());
    out[28..32].copy_from_slice(&phoff.to_le_bytes());
    out[44..46].copy_from_slice(&phnum.to_le_bytes());
    Ok(Cow::Owned(out))
}

/// The program header table, if the ELF header is one the loader could
/// accept (ELF32, little-endian, 32-byte entries inside the file).
fn program_headers(elf: &[u8]) -> Option<Vec<&[u8]>> {
    if elf.len() < 52 || &elf[..4] != b"\x7fELF" || elf[4] != 1 || elf[5] != 1 {
        return None;
    }
    if u16_at(elf, 42)? != 32 {
        return None;
    }
    let phoff = u32_at(elf, 28)? as usize;
    let phnum = u16_at(elf, 44)? as usize;
    let table = elf.get(phoff..phoff.checked_add(phnum * 32)?)?;
    Some(table.chunks_exact(32).collect())
}

/// The `n`th 32-bit field of a program header.
fn field(ph: &[u8], n: usize) -> u32 {
    u32::from_le_bytes([ph[4 * n], ph[4 * n + 1], ph[4 * n + 2], ph[4 * n + 3]])
}

fn set_field(ph: &mut [u8; 32], n: usize, value: u32) {
    ph[4 * n..4 * n + 4].copy_from_slice(&value.to_le_bytes());
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The allocated sections that are code or writable data, with names.
struct Sections {
    /// Page-rounded address ranges of executable sections, each with the
    /// first section's name, sorted and merged.
    code: Vec<(Range<u64>, String)>,
    /// Page-rounded address ranges of writable sections with their names.
    data: Vec<(Range<u64>, String)>,
}

impl Sections {
    /// Reads the section header table: `Err(None)` if there is none.
    fn read(elf: &[u8]) -> Result<Sections, Option<SplitError>> {
        let (offset, entry_size, count) = (
            u32_at(elf, 32).unwrap_or(0),
            u16_at(elf, 46).unwrap_or(0),
            u16_at(elf, 48).unwrap_or(0),
        );
        if offset == 0 || count == 0 {
            return Err(None);
        }
        let bad = SplitError::SectionTable {
            offset,
            count,
            entry_size,
            len: elf.len() as u64,
        };
        let start = offset as usize;
        let end = start.saturating_add(count as usize * 40);
        let table = match elf.get(start..end) {
            Some(table) if entry_size == 40 => table,
            _ => return Err(Some(bad)),
        };
        let headers: Vec<&[u8]> = table.chunks_exact(40).collect();
        let names = u16_at(elf, 50)
            .and_then(|i| headers.get(i as usize))
            .and_then(|h| elf.get(field(h, 4) as usize..)?.get(..field(h, 5) as usize));
        let name = |i: usize, h: &[u8]| {
            names
                .and_then(|n| n.get(field(h, 0) as usize..))
                .and_then(|n| n.split(|&b| b == 0).next())
                .filter(|n| !n.is_empty())
                .map_or_else(
                    || format!("section {i}"),
                    |n| String::from_utf8_lossy(n).into_owned(),
                )
        };
        let (mut code, mut data) = (Vec::new(), Vec::new());
        for (i, h) in headers.iter().enumerate() {
            let (flags, addr, size) = (field(h, 2), field(h, 3) as u64, field(h, 5) as u64);
            if flags & SHF_ALLOC == 0 || size == 0 {
                continue;
            }
            let pages = addr / PAGE * PAGE..(addr + size).div_ceil(PAGE) * PAGE;
            if flags & SHF_EXECINSTR != 0 {
                code.push((pages.clone(), name(i, h)));
            }
            if flags & SHF_WRITE != 0 {
                data.push((pages, name(i, h)));
            }
        }
        Ok(Sections {
            code: merged(code),
            data: merged(data),
        })
    }
}

/// Sorts ranges and merges the ones that share a page, keeping the first
/// name of each run (adjacent ones stay apart, so that an error names the
/// section on the page it is about).
fn merged(mut ranges: Vec<(Range<u64>, String)>) -> Vec<(Range<u64>, String)> {
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out: Vec<(Range<u64>, String)> = Vec::with_capacity(ranges.len());
    for (range, name) in ranges {
        match out.last_mut() {
            Some((last, _)) if range.start < last.end => last.end = last.end.max(range.end),
            _ => out.push((range, name)),
        }
    }
    out
}

/// Appends to `table` the W^X segments that replace the RWX or flags-0
/// segment `ph`.
fn split(ph: &[u8; 32], sections: &Sections, table: &mut Vec<[u8; 32]>) -> Result<(), SplitError> {
    let (offset, vaddr, paddr) = (field(ph, 1), field(ph, 2), field(ph, 3));
    let (file_size, mem_size, align) = (field(ph, 4), field(ph, 5), field(ph, 7));
    let segment = vaddr as u64..vaddr as u64 + mem_size as u64;
    let within = |r: &Range<u64>| r.start < segment.end && segment.start < r.end;
    let code: Vec<&(Range<u64>, String)> =
        sections.code.iter().filter(|(r, _)| within(r)).collect();
    let data: Vec<&(Range<u64>, String)> =
        sections.data.iter().filter(|(r, _)| within(r)).collect();
    for (c, code_name) in &code {
        if let Some((d, data_name)) = data
            .iter()
            .find(|(d, _)| d.start < c.end && c.start < d.end)
        {
            return Err(SplitError::MixedPage {
                page: c.start.max(d.start) as u32,
                code: code_name.clone(),
                data: data_name.clone(),
            });
        }
    }
    // Runs of pages in address order: code, data, and R-- for the gaps.
    let mut runs: Vec<(Range<u64>, u32)> = code
        .iter()
        .map(|(r, _)| (r.clone(), PF_R | PF_X))
        .chain(data.iter().map(|(r, _)| (r.clone(), PF_R | PF_W)))
        .collect();
    runs.sort_by_key(|(r, _)| r.start);
    let mut at = segment.start;
    let mut parts: Vec<(Range<u64>, u32)> = Vec::new();
    // Adjacent runs with the same permissions become one segment.
    let mut push = |range: Range<u64>, flags: u32| match parts.last_mut() {
        Some((last, f)) if *f == flags && last.end == range.start => last.end = range.end,
        _ => parts.push((range, flags)),
    };
    for (range, flags) in runs {
        let range = range.start.max(segment.start)..range.end.min(segment.end);
        if at < range.start {
            push(at..range.start, PF_R);
        }
        at = range.end;
        push(range, flags);
    }
    if at < segment.end {
        push(at..segment.end, PF_R);
    }
    for (range, flags) in parts {
        let delta = (range.start - segment.start) as u32;
        let size = (range.end - range.start) as u32;
        let in_file = file_size.saturating_sub(delta).min(size);
        let mut entry = *ph;
        // A part past the file's bytes maps zeros: no file offset to align.
        let (part_offset, part_align) = if in_file == 0 {
            (0, 0)
        } else {
            (offset.wrapping_add(delta), align)
        };
        set_field(&mut entry, 1, part_offset);
        set_field(&mut entry, 2, vaddr + delta);
        set_field(&mut entry, 3, paddr.wrapping_add(delta));
        set_field(&mut entry, 4, in_file);
        set_field(&mut entry, 5, size);
        set_field(&mut entry, 6, flags);
        set_field(&mut entry, 7, part_align);
        table.push(entry);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elf::{parse, ElfLimits};
    use crate::memory::Perms;

    /// An ELF with one RWX segment of `pages` pages at 0x8000_0000 (file
    /// bytes for all but the last page) and the given sections
    /// (name, flags, address, size).
    fn rwx_elf(pages: u32, sections: &[(&str, u32, u32, u32)]) -> Vec<u8> {
        let mem = pages * PAGE_SIZE;
        let file = mem - PAGE_SIZE;
        let mut out = vec![0u8; 0x1000];
        out[..4].copy_from_slice(b"\x7fELF");
        out[4..7].copy_from_slice(&[1, 1, 1]);
        out[16..18].copy_from_slice(&2u16.to_le_bytes());
        out[18..20].copy_from_slice(&243u16.to_le_bytes());
        out[20..24].copy_from_slice(&1u32.to_le_bytes());
        out[24..28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        out[28..32].copy_from_slice(&52u32.to_le_bytes());
        out[40..42].copy_from_slice(&52u16.to_le_bytes());
        out[42..44].copy_from_slice(&32u16.to_le_bytes());
        out[44..46].copy_from_slice(&1u16.to_le_bytes());
        let ph = [1, 0x1000, 0x8000_0000, 0x8000_0000, file, mem, 7, 0x1000];
        for (n, v) in ph.iter().enumerate() {
            out[52 + 4 * n..56 + 4 * n].copy_from_slice(&v.to_le_bytes());
        }
        // Code: `li a7, 93; li a0, 0; ecall` at the entry.
        let code = [0x05d0_0893u32, 0x0000_0513, 0x0000_0073];
        out.extend(
            (0..file / 4)
                .map(|i| code.get(i as usize).copied().unwrap_or(0x13))
                .flat_map(u32::to_le_bytes),
        );
        // Section names, then the table: a null section, the given ones,
        // and .shstrtab.
        let mut names = vec![0u8];
        let mut headers = vec![[0u32; 10]];
        for &(name, flags, addr, size) in sections {
            headers.push([names.len() as u32, 1, flags, addr, 0, size, 0, 0, 4, 0]);
            names.extend(name.bytes().chain([0]));
        }
        let strtab_offset = out.len() as u32;
        headers.push([names.len() as u32, 3, 0, 0, strtab_offset, 0, 0, 0, 1, 0]);
        names.extend(b".shstrtab\0");
        let last = headers.len() - 1;
        headers[last][5] = names.len() as u32;
        out.extend(&names);
        out.resize(out.len().next_multiple_of(4), 0);
        let shoff = out.len() as u32;
        out.extend(headers.iter().flatten().flat_map(|v| v.to_le_bytes()));
        out[32..36].copy_from_slice(&shoff.to_le_bytes());
        out[46..48].copy_from_slice(&40u16.to_le_bytes());
        out[48..50].copy_from_slice(&(headers.len() as u16).to_le_bytes());
        out[50..52].copy_from_slice(&(last as u16).to_le_bytes());
        out
    }

    const CODE: u32 = SHF_ALLOC | SHF_EXECINSTR;
    const DATA: u32 = SHF_ALLOC | SHF_WRITE;

    #[test]
    fn code_and_data_pages_become_separate_segments() {
        // .text on page 0, nothing on page 1, .tohost on page 2, .bss on
        // page 3 (past the file's bytes).
        let elf = rwx_elf(
            4,
            &[
                (".text", CODE, 0x8000_0000, 12),
                (".tohost", DATA, 0x8000_2000, 16),
                (".bss", DATA, 0x8000_3000, 8),
            ],
        );
        assert!(parse(&elf, &ElfLimits::default()).is_err(), "RWX as built");
        let split = split_by_sections(&elf).unwrap();
        let image = parse(&split, &ElfLimits::default()).unwrap();
        let layout: Vec<(u32, u32, Perms, usize)> = image
            .segments
            .iter()
            .map(|s| (s.vaddr, s.mem_size, s.perms, s.data.len()))
            .collect();
        assert_eq!(
            layout,
            [
                (0x8000_0000, 0x1000, Perms::RX, 0x1000),
                (0x8000_1000, 0x1000, Perms::R, 0x1000),
                (0x8000_2000, 0x2000, Perms::RW, 0x1000),
            ]
        );
        assert_eq!(image.segments[0].data[..4], 0x05d0_0893u32.to_le_bytes());
        assert_eq!(image.entry, 0x8000_0000);
    }

    #[test]
    fn a_segment_without_flags_is_laid_out_by_its_sections() {
        // As riscv-test-env's link.ld with `FLAGS(SHF_ALLOC | SHF_EXECINSTR)`
        // comes out of ld 2.40: .text.init, .tohost, .text in one PT_LOAD
        // with flags 0.
        let mut elf = rwx_elf(
            3,
            &[
                (".text.init", CODE, 0x8000_0000, 12),
                (".tohost", DATA, 0x8000_1000, 72),
                (".text", CODE, 0x8000_2000, 0x514),
            ],
        );
        elf[52 + 24] = 0;
        assert!(matches!(
            parse(&elf, &ElfLimits::default()),
            Err(crate::ElfError::Entry { entry: 0x8000_0000 })
        ));
        let split = split_by_sections(&elf).unwrap();
        let image = parse(&split, &ElfLimits::default()).unwrap();
        let layout: Vec<(u32, u32, Perms)> = image
            .segments
            .iter()
            .map(|s| (s.vaddr, s.mem_size, s.perms))
            .collect();
        assert_eq!(
            layout,
            [
                (0x8000_0000, 0x1000, Perms::RX),
                (0x8000_1000, 0x1000, Perms::RW),
                (0x8000_2000, 0x1000, Perms::RX),
            ]
        );
        elf[48..50].copy_from_slice(&0u16.to_le_bytes());
        let err = split_by_sections(&elf).unwrap_err();
        assert!(
            err.to_string().contains("without permission flags"),
            "{err}"
        );
    }

    #[test]
    fn a_page_with_code_and_writable_data_is_refused() {
        let elf = rwx_elf(
            2,
            &[
                (".text", CODE, 0x8000_0000, 0x100),
                (".data", DATA, 0x8000_0f00, 0x200),
            ],
        );
        assert_eq!(
            split_by_sections(&elf).unwrap_err(),
            SplitError::MixedPage {
                page: 0x8000_0000,
                code: ".text".into(),
                data: ".data".into()
            }
        );
    }

    #[test]
    fn without_section_headers_the_segment_cannot_be_split() {
        let mut elf = rwx_elf(2, &[(".text", CODE, 0x8000_0000, 12)]);
        elf[48..50].copy_from_slice(&0u16.to_le_bytes());
        assert_eq!(
            split_by_sections(&elf).unwrap_err(),
            SplitError::NoSections {
                index: 0,
                vaddr: 0x8000_0000,
                flags: 7,
            }
        );
    }

    #[test]
    fn a_section_table_outside_the_file_is_an_error() {
        let mut elf = rwx_elf(2, &[(".text", CODE, 0x8000_0000, 12)]);
        let len = elf.len() as u64;
        elf[32..36].copy_from_slice(&(len as u32 - 8).to_le_bytes());
        assert!(matches!(
            split_by_sections(&elf).unwrap_err(),
            SplitError::SectionTable { len: l, .. } if l == len
        ));
    }

    #[test]
    fn files_without_an_rwx_segment_pass_through() {
        let mut elf = rwx_elf(2, &[(".text", CODE, 0x8000_0000, 12)]);
        elf[52 + 24] = 5;
        assert!(matches!(split_by_sections(&elf), Ok(Cow::Borrowed(_))));
        assert!(matches!(
            split_by_sections(b"\x7fELF"),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn names_past_the_string_table_fall_back_to_indices() {
        let mut elf = rwx_elf(
            2,
            &[
                (".text", CODE, 0x8000_0000, 0x100),
                (".data", DATA, 0x8000_0f00, 0x200),
            ],
        );
        // Point .data's name far past .shstrtab.
        let shoff = u32_at(&elf, 32).unwrap() as usize;
        elf[shoff + 80..shoff + 84].copy_from_slice(&0xffff_ff00u32.to_le_bytes());
        assert!(matches!(
            split_by_sections(&elf).unwrap_err(),
            SplitError::MixedPage { data, .. } if data == "section 2"
        ));
    }
}
