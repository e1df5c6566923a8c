//! Loading ELF32 RISC-V executables, validated strictly, by hand: the
//! subset we accept (a 52-byte header and a table of 32-byte program
//! headers) is small, and parsing it ourselves keeps every check explicit
//! and every failure a value naming the field and its file offset.
//! Section headers are not read: execution needs only the segments.

use crate::memory::{Perms, PAGE_SIZE};

/// Bounds on what [`parse`] accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ElfLimits {
    /// Most program headers.
    pub max_program_headers: u16,
    /// Most bytes of all loadable segments together (their memory sizes).
    pub max_image_size: u32,
    /// Most bytes from the lowest to the highest executable address; the
    /// pre-decoded code array has one 32-byte slot per 4 bytes of it
    /// (64 MiB at the default 8 MiB).
    pub max_code_span: u32,
}

impl Default for ElfLimits {
    fn default() -> Self {
        ElfLimits {
            max_program_headers: 64,
            max_image_size: 64 << 20,
            max_code_span: 8 << 20,
        }
    }
}

/// A loadable segment of a validated image.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Segment {
    /// First address (`p_vaddr`).
    pub vaddr: u32,
    /// Size in memory (`p_memsz`); bytes past `data` are zero.
    pub mem_size: u32,
    /// The bytes from the file (`p_filesz` of them).
    pub data: Vec<u8>,
    /// Permissions (`p_flags`).
    pub perms: Perms,
}

impl Segment {
    /// One past the last address, as a u64 (it may be 2^32).
    pub fn end(&self) -> u64 {
        self.vaddr as u64 + self.mem_size as u64
    }
}

/// A validated executable: entry point and loadable segments, sorted by
/// address, non-empty, W^X, and on disjoint pages unless their permissions
/// are equal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Image {
    /// Entry point (`e_entry`), inside an executable segment, 4-aligned.
    pub entry: u32,
    /// Loadable segments in address order.
    pub segments: Vec<Segment>,
}

/// What is wrong with a program header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SegmentProblem {
    /// `p_offset + p_filesz` is past the end of the file.
    OutsideFile,
    /// `p_filesz` exceeds `p_memsz`.
    FileSizeAboveMemSize,
    /// `p_vaddr + p_memsz` is past the 32-bit address space.
    AddressWraps,
    /// Both writable and executable (W^X).
    WritableAndExecutable,
    /// `p_align` is not 0 or a power of two, or `p_vaddr` and `p_offset`
    /// differ modulo it.
    Alignment,
    /// `p_flags` has bits other than R, W, X.
    UnknownFlags,
    /// An executable segment whose `p_vaddr` is not a multiple of 4.
    MisalignedCode,
    /// A dynamic-linking or TLS segment: only static executables run.
    NotStatic,
}

impl std::fmt::Display for SegmentProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SegmentProblem::OutsideFile => "file range lies past the end of the file",
            SegmentProblem::FileSizeAboveMemSize => "file size exceeds memory size",
            SegmentProblem::AddressWraps => "memory range wraps past 0xffffffff",
            SegmentProblem::WritableAndExecutable => "writable and executable (W^X)",
            SegmentProblem::Alignment => "alignment is not a power of two or not honoured",
            SegmentProblem::UnknownFlags => "flags other than R, W, X",
            SegmentProblem::MisalignedCode => "executable segment not 4-byte aligned",
            SegmentProblem::NotStatic => "dynamic or TLS segment in a static executable",
        })
    }
}

/// Why an ELF file was rejected.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum ElfError {
    /// The file ends before a structure it must contain.
    #[error("file is {len} bytes, too short for the {what} at offset {offset:#x}")]
    Truncated {
        /// The structure.
        what: &'static str,
        /// Where it starts.
        offset: u64,
        /// The file length.
        len: u64,
    },
    /// A header field has a value we do not accept.
    #[error("{field} at offset {offset:#x} is {found:#x}; expected {expected}")]
    Field {
        /// The field's name in the ELF specification.
        field: &'static str,
        /// The field's file offset.
        offset: u64,
        /// Its value.
        found: u64,
        /// What would be accepted.
        expected: &'static str,
    },
    /// A program header is invalid.
    #[error("program header {index} at offset {offset:#x} (p_vaddr {vaddr:#x}): {problem}")]
    Segment {
        /// Its index in the table.
        index: usize,
        /// Its file offset.
        offset: u64,
        /// Its `p_vaddr`.
        vaddr: u32,
        /// What is wrong.
        problem: SegmentProblem,
    },
    /// Two segments with different permissions share a page.
    #[error(
        "program headers {first} and {second} share page {page:#x} with different permissions"
    )]
    Overlap {
        /// Index of one segment.
        first: usize,
        /// Index of the other.
        second: usize,
        /// The first shared page's address.
        page: u32,
    },
    /// `e_entry` is not a 4-aligned address inside an executable segment.
    #[error(
        "e_entry at offset 0x18 is {entry:#x}, not a 4-aligned address in an executable segment"
    )]
    Entry {
        /// The entry point.
        entry: u32,
    },
    /// The segments exceed [`ElfLimits::max_image_size`].
    #[error("segments total {size} bytes in memory; the limit is {limit}")]
    ImageTooLarge {
        /// Their total memory size.
        size: u64,
        /// The limit.
        limit: u32,
    },
    /// The executable segments span more than [`ElfLimits::max_code_span`].
    #[error("executable segments span {span} bytes; the limit is {limit}")]
    CodeTooLarge {
        /// From the lowest to the highest executable address.
        span: u64,
        /// The limit.
        limit: u32,
    },
}

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const PT_SHLIB: u32 = 5;
const PT_TLS: u32 = 7;
const EF_RISCV_RVC: u32 = 0x1;
const EF_RISCV_FLOAT_ABI: u32 = 0x6;
const EF_RISCV_RVE: u32 = 0x8;
const EF_RISCV_TSO: u32 = 0x10;
const KNOWN_FLAGS: u32 = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI | EF_RISCV_RVE | EF_RISCV_TSO;

fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([b[off], b[off + 1]])
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

fn expect(
    field: &'static str,
    offset: u64,
    found: u64,
    ok: bool,
    expected: &'static str,
) -> Result<(), ElfError> {
    if ok {
        Ok(())
    } else {
        Err(ElfError::Field {
            field,
            offset,
            found,
            expected,
        })
    }
}

/// Parses and validates an ELF32 little-endian RISC-V static executable.
///
/// ```
/// use avm_rv32::{elf, ElfError};
/// let err = elf::parse(b"\x7fELF\x02", &Default::default()).unwrap_err();
/// assert!(matches!(err, ElfError::Truncated { .. }));
/// ```
pub fn parse(bytes: &[u8], limits: &ElfLimits) -> Result<Image, ElfError> {
    let len = bytes.len() as u64;
    if bytes.len() < 52 {
        return Err(ElfError::Truncated {
            what: "ELF header",
            offset: 0,
            len,
        });
    }
    let magic = u32_at(bytes, 0);
    expect(
        "EI_MAG",
        0,
        magic as u64,
        &bytes[..4] == b"\x7fELF",
        "\\x7fELF",
    )?;
    expect(
        "EI_CLASS",
        4,
        bytes[4] as u64,
        bytes[4] == 1,
        "1 (ELFCLASS32)",
    )?;
    expect(
        "EI_DATA",
        5,
        bytes[5] as u64,
        bytes[5] == 1,
        "1 (ELFDATA2LSB)",
    )?;
    expect(
        "EI_VERSION",
        6,
        bytes[6] as u64,
        bytes[6] == 1,
        "1 (EV_CURRENT)",
    )?;
    expect(
        "EI_OSABI",
        7,
        bytes[7] as u64,
        bytes[7] == 0,
        "0 (ELFOSABI_NONE)",
    )?;
    let e_type = u16_at(bytes, 16);
    expect("e_type", 16, e_type as u64, e_type == 2, "2 (ET_EXEC)")?;
    let machine = u16_at(bytes, 18);
    expect(
        "e_machine",
        18,
        machine as u64,
        machine == 243,
        "243 (EM_RISCV)",
    )?;
    let version = u32_at(bytes, 20);
    expect(
        "e_version",
        20,
        version as u64,
        version == 1,
        "1 (EV_CURRENT)",
    )?;
    let entry = u32_at(bytes, 24);
    let phoff = u32_at(bytes, 28) as u64;
    let flags = u32_at(bytes, 36);
    expect(
        "e_flags",
        36,
        flags as u64,
        flags & (EF_RISCV_RVC | EF_RISCV_FLOAT_ABI) == 0 && flags & !KNOWN_FLAGS == 0,
        "no RVC (compressed) and soft-float ABI",
    )?;
    let ehsize = u16_at(bytes, 40);
    expect("e_ehsize", 40, ehsize as u64, ehsize == 52, "52")?;
    let phentsize = u16_at(bytes, 42);
    expect("e_phentsize", 42, phentsize as u64, phentsize == 32, "32")?;
    let phnum = u16_at(bytes, 44);
    expect(
        "e_phnum",
        44,
        phnum as u64,
        phnum >= 1 && phnum <= limits.max_program_headers,
        "at least 1 and at most the limit",
    )?;
    let table_end = phoff + phnum as u64 * 32;
    if table_end > len {
        return Err(ElfError::Truncated {
            what: "program header table",
            offset: phoff,
            len,
        });
    }

    let mut segments: Vec<(usize, Segment)> = Vec::new();
    let mut total: u64 = 0;
    for index in 0..phnum as usize {
        let at = phoff as usize + index * 32;
        let p_type = u32_at(bytes, at);
        let offset = u32_at(bytes, at + 4) as u64;
        let vaddr = u32_at(bytes, at + 8);
        let filesz = u32_at(bytes, at + 16) as u64;
        let memsz = u32_at(bytes, at + 20) as u64;
        let p_flags = u32_at(bytes, at + 24);
        let align = u32_at(bytes, at + 28);
        let bad = |problem| ElfError::Segment {
            index,
            offset: at as u64,
            vaddr,
            problem,
        };
        match p_type {
            PT_LOAD => {}
            PT_DYNAMIC | PT_INTERP | PT_SHLIB | PT_TLS => {
                return Err(bad(SegmentProblem::NotStatic))
            }
            // PT_NULL, PT_NOTE, PT_PHDR, GNU and processor-specific headers
            // (PT_RISCV_ATTRIBUTES) carry nothing to execute.
            _ => continue,
        }
        if p_flags & !7 != 0 {
            return Err(bad(SegmentProblem::UnknownFlags));
        }
        let perms = Perms::from_elf_flags(p_flags);
        if perms.writable() && perms.executable() {
            return Err(bad(SegmentProblem::WritableAndExecutable));
        }
        if offset + filesz > len {
            return Err(bad(SegmentProblem::OutsideFile));
        }
        if filesz > memsz {
            return Err(bad(SegmentProblem::FileSizeAboveMemSize));
        }
        // An empty segment maps nothing, so its address and alignment do not
        // matter (GNU ld emits one, at address 0 with an unaligned offset, for
        // an output section left empty).
        if memsz == 0 {
            continue;
        }
        if vaddr as u64 + memsz > 1 << 32 {
            return Err(bad(SegmentProblem::AddressWraps));
        }
        if align > 1
            && (!align.is_power_of_two() || (vaddr as u64 ^ offset) & (align as u64 - 1) != 0)
        {
            return Err(bad(SegmentProblem::Alignment));
        }
        if perms.executable() && !vaddr.is_multiple_of(4) {
            return Err(bad(SegmentProblem::MisalignedCode));
        }
        total += memsz;
        if total > limits.max_image_size as u64 {
            return Err(ElfError::ImageTooLarge {
                size: total,
                limit: limits.max_image_size,
            });
        }
        let data = bytes[offset as usize..(offset + filesz) as usize].to_vec();
        segments.push((
            index,
            Segment {
                vaddr,
                mem_size: memsz as u32,
                data,
                perms,
            },
        ));
    }
    segments.sort_by_key(|(_, s)| s.vaddr);
    for pair in segments.windows(2) {
        let ((i, a), (j, b)) = (&pair[0], &pair[1]);
        let a_last_page = (a.end() - 1) / PAGE_SIZE as u64;
        let b_first_page = b.vaddr as u64 / PAGE_SIZE as u64;
        if a.end() > b.vaddr as u64 || (a_last_page >= b_first_page && a.perms != b.perms) {
            let page = (b_first_page * PAGE_SIZE as u64) as u32;
            return Err(ElfError::Overlap {
                first: *i,
                second: *j,
                page,
            });
        }
    }
    let code: Vec<&Segment> = segments
        .iter()
        .map(|(_, s)| s)
        .filter(|s| s.perms.executable())
        .collect();
    if let (Some(first), Some(last)) = (code.first(), code.last()) {
        let span = last.end() - first.vaddr as u64;
        if span > limits.max_code_span as u64 {
            return Err(ElfError::CodeTooLarge {
                span,
                limit: limits.max_code_span,
            });
        }
    }
    let in_code = code
        .iter()
        .any(|s| entry >= s.vaddr && (entry as u64) < s.end());
    if !in_code || !entry.is_multiple_of(4) {
        return Err(ElfError::Entry { entry });
    }
    Ok(Image {
        entry,
        segments: segments.into_iter().map(|(_, s)| s).collect(),
    })
}
