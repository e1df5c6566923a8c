//! The address space of one machine: 2^32 bytes, paged lazily.
//!
//! Pages are 4 KiB with their own permissions, found through a two-level
//! table (1024 tables of 1024 pages, a table allocated when its 4 MiB of
//! address space is first mapped). A mapped page that was never written
//! reads as zeros and holds no memory; the first write allocates it, which
//! the machine charges ([`crate::gas::PAGE`]) and bounds
//! ([`crate::Config::max_resident_pages`]). Unmapped addresses fault.
//!
//! Allocated pages live in one pool, numbered from 1 (0 is the shared zero
//! page). Two small direct-mapped caches of the table, one for reads and
//! one for writes, give the interpreter's fast path a page in one probe;
//! they hold page numbers, not pointers, so a cloned memory stays valid.
//!
//! Misaligned loads and stores are allowed and behave as the sequence of
//! their bytes (a store that crosses into a page it may not write faults
//! before writing anything). LR/SC and AMOs must be 4-aligned.

/// The page size in bytes.
pub const PAGE_SIZE: u32 = 4096;

type Page = [u8; PAGE_SIZE as usize];

/// Entries of each translation cache (a power of two).
const TLB: usize = 64;

/// A translation cache entry: virtual page `vpn` is pool page `page`.
#[derive(Clone, Copy)]
struct Tlb {
    vpn: u32,
    page: u32,
}

/// No virtual page number is this large (they are 20 bits).
const EMPTY: Tlb = Tlb {
    vpn: u32::MAX,
    page: 0,
};

/// Access permissions of a page or segment.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Default)]
pub struct Perms(u8);

impl Perms {
    /// Readable.
    pub const R: Perms = Perms(1);
    /// Writable.
    pub const W: Perms = Perms(2);
    /// Executable.
    pub const X: Perms = Perms(4);
    /// Readable and writable (stack, heap, data).
    pub const RW: Perms = Perms(3);
    /// Readable and executable (code).
    pub const RX: Perms = Perms(5);

    /// From ELF `p_flags` (PF_X = 1, PF_W = 2, PF_R = 4).
    pub const fn from_elf_flags(flags: u32) -> Perms {
        Perms(((flags & 4) >> 2 | (flags & 2) | (flags & 1) << 2) as u8)
    }
    /// May be read.
    pub const fn readable(self) -> bool {
        self.0 & 1 != 0
    }
    /// May be written.
    pub const fn writable(self) -> bool {
        self.0 & 2 != 0
    }
    /// May be executed.
    pub const fn executable(self) -> bool {
        self.0 & 4 != 0
    }
    /// No access: an unmapped page.
    pub const fn is_none(self) -> bool {
        self.0 == 0
    }
}

/// Why an access by the host (or while building memory) failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, thiserror::Error)]
pub enum MemoryError {
    /// The address is unmapped or lacks the needed permission.
    #[error("no access to address {addr:#x}")]
    Denied {
        /// The first byte that could not be accessed.
        addr: u32,
    },
    /// Allocating the page would exceed the resident page limit.
    #[error("resident page limit reached writing {addr:#x}")]
    Limit {
        /// The first byte that could not be written.
        addr: u32,
    },
}

/// Why a guest store could not complete yet.
pub(crate) enum StoreMiss {
    /// The page (number) is writable but not allocated: allocate, retry.
    Untouched(u32),
    /// Unmapped or not writable: fault at this address.
    Denied(u32),
}

#[derive(Clone)]
struct Table {
    perms: [u8; 1024],
    /// Pool page numbers; 0 for a page not allocated.
    pages: [u32; 1024],
}

/// One machine's memory. Cloning copies every allocated page.
#[derive(Clone)]
pub struct Memory {
    root: Box<[Option<Box<Table>>; 1024]>,
    /// Page 0 reads as zeros and is never written; pages 1.. are allocated.
    pool: Vec<Page>,
    /// Readable pages (allocated or the zero page).
    reads: [Tlb; TLB],
    /// Writable, allocated pages.
    writes: [Tlb; TLB],
    max_resident: u32,
}

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory")
            .field("resident", &self.resident_pages())
            .field("max_resident", &self.max_resident)
            .finish_non_exhaustive()
    }
}

impl Memory {
    /// An empty address space that may hold up to `max_resident` pages.
    ///
    /// ```
    /// use avm_rv32::{Memory, Perms};
    /// let mut mem = Memory::new(16);
    /// mem.map(0x1000, 0x2000, Perms::RW);
    /// mem.write(0x1ffe, &[1, 2, 3, 4]).unwrap();
    /// let mut buf = [0; 4];
    /// mem.read(0x1ffe, &mut buf).unwrap();
    /// assert_eq!(buf, [1, 2, 3, 4]);
    /// assert_eq!(mem.resident_pages(), 2);
    /// assert!(mem.read(0x3000, &mut buf).is_err());
    /// ```
    pub fn new(max_resident: u32) -> Memory {
        let root: Vec<Option<Box<Table>>> = std::iter::repeat_with(|| None).take(1024).collect();
        Memory {
            root: root
                .into_boxed_slice()
                .try_into()
                .unwrap_or_else(|_| unreachable!()),
            pool: vec![[0; PAGE_SIZE as usize]],
            reads: [EMPTY; TLB],
            writes: [EMPTY; TLB],
            max_resident,
        }
    }

    /// Gives the pages covering `[start, start + len)` the permissions
    /// `perms`, adding to any they have. Addresses past 2^32 are ignored.
    pub fn map(&mut self, start: u32, len: u32, perms: Perms) {
        if len == 0 {
            return;
        }
        self.reads = [EMPTY; TLB];
        self.writes = [EMPTY; TLB];
        let first = start / PAGE_SIZE;
        let last = ((start as u64 + len as u64 - 1).min(u32::MAX as u64) as u32) / PAGE_SIZE;
        for vpn in first..=last {
            let table = self.root[(vpn >> 10) as usize].get_or_insert_with(|| {
                Box::new(Table {
                    perms: [0; 1024],
                    pages: [0; 1024],
                })
            });
            table.perms[(vpn & 1023) as usize] |= perms.0;
        }
    }

    /// The permissions of the page holding `addr`.
    pub fn perms(&self, addr: u32) -> Perms {
        let vpn = addr >> 12;
        match &self.root[(vpn >> 10) as usize] {
            Some(t) => Perms(t.perms[(vpn & 1023) as usize]),
            None => Perms(0),
        }
    }

    /// Pages allocated so far.
    pub fn resident_pages(&self) -> u32 {
        self.pool.len() as u32 - 1
    }

    /// The most pages that may be allocated.
    pub fn max_resident_pages(&self) -> u32 {
        self.max_resident
    }

    /// Reads `buf.len()` bytes at `addr`, which must be readable.
    pub fn read(&self, addr: u32, buf: &mut [u8]) -> Result<(), MemoryError> {
        let mut at = addr;
        let mut done = 0;
        while done < buf.len() {
            let off = (at % PAGE_SIZE) as usize;
            let n = (PAGE_SIZE as usize - off).min(buf.len() - done);
            let page = self
                .readable_page(at)
                .ok_or(MemoryError::Denied { addr: at })?;
            buf[done..done + n].copy_from_slice(&page[off..off + n]);
            done += n;
            at = at.wrapping_add(n as u32);
        }
        Ok(())
    }

    /// Writes `data` at `addr`, which must be writable; nothing is written
    /// unless all of it can be.
    pub fn write(&mut self, addr: u32, data: &[u8]) -> Result<(), MemoryError> {
        self.write_with(addr, data, true)
    }

    /// Writes `data` at `addr`, which must be mapped, whatever its
    /// permissions: for building memory from a program image.
    pub(crate) fn init(&mut self, addr: u32, data: &[u8]) -> Result<(), MemoryError> {
        self.write_with(addr, data, false)
    }

    fn write_with(&mut self, addr: u32, data: &[u8], check: bool) -> Result<(), MemoryError> {
        let pages = |f: &mut dyn FnMut(u32, usize, usize)| {
            let (mut at, mut done) = (addr, 0);
            while done < data.len() {
                let n = (PAGE_SIZE as usize - (at % PAGE_SIZE) as usize).min(data.len() - done);
                f(at, done, n);
                done += n;
                at = at.wrapping_add(n as u32);
            }
        };
        // Check everything first, so a failed write leaves memory unchanged.
        let mut error = None;
        let mut fresh = 0;
        pages(&mut |at, _, _| {
            let p = self.perms(at);
            if error.is_none() && (p.is_none() || check && !p.writable()) {
                error = Some(MemoryError::Denied { addr: at });
            } else if !self.is_allocated(at >> 12) {
                fresh += 1;
                if error.is_none() && self.resident_pages() + fresh > self.max_resident {
                    error = Some(MemoryError::Limit { addr: at });
                }
            }
        });
        if let Some(e) = error {
            return Err(e);
        }
        pages(&mut |at, done, n| {
            let vpn = at >> 12;
            if !self.is_allocated(vpn) {
                self.allocate_unchecked(vpn);
            }
            let off = (at % PAGE_SIZE) as usize;
            let page = self.page_number(vpn) as usize;
            if let Some(page) = self.pool.get_mut(page).filter(|_| page != 0) {
                page[off..off + n].copy_from_slice(&data[done..done + n]);
            }
        });
        Ok(())
    }

    /// The pool page of virtual page `vpn`; 0 if it is not allocated.
    fn page_number(&self, vpn: u32) -> u32 {
        match &self.root[(vpn >> 10) as usize] {
            Some(t) => t.pages[(vpn & 1023) as usize],
            None => 0,
        }
    }

    fn is_allocated(&self, vpn: u32) -> bool {
        self.page_number(vpn) != 0
    }

    fn allocate_unchecked(&mut self, vpn: u32) {
        let number = self.pool.len() as u32;
        if let Some(t) = self.root[(vpn >> 10) as usize].as_deref_mut() {
            let slot = &mut t.pages[(vpn & 1023) as usize];
            if *slot == 0 {
                *slot = number;
                self.pool.push([0; PAGE_SIZE as usize]);
                // The read cache may map this page to the zero page.
                self.reads[vpn as usize % TLB] = EMPTY;
            }
        }
    }

    /// Allocates the mapped page `vpn` for a guest write; false at the limit.
    pub(crate) fn allocate(&mut self, vpn: u32) -> bool {
        if self.resident_pages() >= self.max_resident {
            return false;
        }
        self.allocate_unchecked(vpn);
        true
    }

    /// The pool page holding readable `addr`, through the table.
    #[inline(always)]
    fn readable_number(&self, addr: u32) -> Option<u32> {
        let vpn = addr >> 12;
        let table = self.root[(vpn >> 10) as usize].as_deref()?;
        let i = (vpn & 1023) as usize;
        if table.perms[i] & Perms::R.0 == 0 {
            return None;
        }
        Some(table.pages[i])
    }

    #[inline(always)]
    fn readable_page(&self, addr: u32) -> Option<&Page> {
        self.pool.get(self.readable_number(addr)? as usize)
    }

    /// The pool page holding writable `addr`, through the table, caching it
    /// for the fast path.
    #[inline(always)]
    fn writable_page(&mut self, addr: u32) -> Result<&mut Page, StoreMiss> {
        let vpn = addr >> 12;
        let Some(table) = self.root[(vpn >> 10) as usize].as_deref() else {
            return Err(StoreMiss::Denied(addr));
        };
        let i = (vpn & 1023) as usize;
        if table.perms[i] & Perms::W.0 == 0 {
            return Err(StoreMiss::Denied(addr));
        }
        let page = table.pages[i];
        if page == 0 {
            return Err(StoreMiss::Untouched(vpn));
        }
        self.writes[vpn as usize % TLB] = Tlb { vpn, page };
        self.pool
            .get_mut(page as usize)
            .ok_or(StoreMiss::Denied(addr))
    }

    /// The interpreter's fast path for a load of `N` (1, 2 or 4) bytes,
    /// little-endian and zero-extended: `None` unless it lies within one
    /// readable page, when the caller takes the general path ([`Self::load`]).
    #[inline(always)]
    pub(crate) fn load_fast<const N: usize>(&self, addr: u32) -> Option<u32> {
        let vpn = addr >> 12;
        let e = self.reads[vpn as usize % TLB];
        if e.vpn != vpn {
            return None;
        }
        let off = (addr % PAGE_SIZE) as usize;
        let b = self.pool.get(e.page as usize)?.get(off..off + N)?;
        Some(match N {
            1 => b[0] as u32,
            2 => u16::from_le_bytes([b[0], b[1]]) as u32,
            _ => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        })
    }

    /// The interpreter's fast path for a store of the low `N` (1, 2 or 4)
    /// bytes of `value`: false, having written nothing, unless it lies
    /// within one writable, allocated page, when the caller takes the
    /// general path ([`Self::store`]).
    #[inline(always)]
    pub(crate) fn store_fast<const N: usize>(&mut self, addr: u32, value: u32) -> bool {
        let vpn = addr >> 12;
        let e = self.writes[vpn as usize % TLB];
        if e.vpn != vpn {
            return false;
        }
        let off = (addr % PAGE_SIZE) as usize;
        let Some(page) = self.pool.get_mut(e.page as usize) else {
            return false;
        };
        match page.get_mut(off..off + N) {
            Some(b) => {
                b.copy_from_slice(&value.to_le_bytes()[..N]);
                true
            }
            None => false,
        }
    }

    /// A guest load of `N` bytes; the error is the first denied address.
    /// Caches the page for the fast path.
    #[inline(always)]
    pub(crate) fn load<const N: usize>(&mut self, addr: u32) -> Result<[u8; N], u32> {
        let off = (addr % PAGE_SIZE) as usize;
        if off + N <= PAGE_SIZE as usize {
            let page = self.readable_number(addr).ok_or(addr)?;
            let vpn = addr >> 12;
            self.reads[vpn as usize % TLB] = Tlb { vpn, page };
            let page = self.pool.get(page as usize).ok_or(addr)?;
            let mut out = [0; N];
            out.copy_from_slice(&page[off..off + N]);
            Ok(out)
        } else {
            self.load_split(addr)
        }
    }

    #[cold]
    fn load_split<const N: usize>(&self, addr: u32) -> Result<[u8; N], u32> {
        let mut out = [0; N];
        for (k, byte) in out.iter_mut().enumerate() {
            let at = addr.wrapping_add(k as u32);
            *byte = self.readable_page(at).ok_or(at)?[(at % PAGE_SIZE) as usize];
        }
        Ok(out)
    }

    /// A guest store of `N` bytes.
    #[inline(always)]
    pub(crate) fn store<const N: usize>(
        &mut self,
        addr: u32,
        bytes: [u8; N],
    ) -> Result<(), StoreMiss> {
        let off = (addr % PAGE_SIZE) as usize;
        if off + N <= PAGE_SIZE as usize {
            self.writable_page(addr)?[off..off + N].copy_from_slice(&bytes);
            Ok(())
        } else {
            self.store_split(addr, bytes)
        }
    }

    #[cold]
    fn store_split<const N: usize>(&mut self, addr: u32, bytes: [u8; N]) -> Result<(), StoreMiss> {
        for k in 0..N {
            self.writable_page(addr.wrapping_add(k as u32))?;
        }
        for (k, byte) in bytes.into_iter().enumerate() {
            let at = addr.wrapping_add(k as u32);
            self.writable_page(at)?[(at % PAGE_SIZE) as usize] = byte;
        }
        Ok(())
    }
}
