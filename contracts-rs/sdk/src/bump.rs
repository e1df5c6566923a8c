//! An optional bump allocator, for contracts that want `alloc` (`Vec`,
//! `String`): it hands out memory from a fixed arena and never frees, which
//! suits a frame that lives for one call. Install it with
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: avm_sdk::BumpAllocator<65536> = avm_sdk::BumpAllocator::new();
//! ```
//!
//! (and build with `-Zbuild-std=core,alloc`, as contracts-rs does).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::{Cell, UnsafeCell};

/// A bump allocator over an `N`-byte arena in the program's data. An
/// allocation that does not fit returns null (the `alloc` crate then
/// aborts: the call reverts). Frees are ignored (a `realloc` copies).
pub struct BumpAllocator<const N: usize> {
    arena: UnsafeCell<[u8; N]>,
    used: Cell<usize>,
}

// SAFETY: a contract runs on one thread; nothing shares the allocator.
unsafe impl<const N: usize> Sync for BumpAllocator<N> {}

impl<const N: usize> BumpAllocator<N> {
    /// An empty arena.
    pub const fn new() -> BumpAllocator<N> {
        BumpAllocator {
            arena: UnsafeCell::new([0; N]),
            used: Cell::new(0),
        }
    }

    /// The bytes handed out so far (alignment padding included).
    pub fn used(&self) -> usize {
        self.used.get()
    }
}

impl<const N: usize> Default for BumpAllocator<N> {
    fn default() -> BumpAllocator<N> {
        BumpAllocator::new()
    }
}

// SAFETY: every block handed out lies inside the arena, aligned as asked,
// and no two live blocks overlap (the offset only grows).
unsafe impl<const N: usize> GlobalAlloc for BumpAllocator<N> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = self.arena.get() as *mut u8;
        let addr = base as usize + self.used.get();
        let start = match addr.checked_add(layout.align() - 1) {
            Some(a) => a & !(layout.align() - 1),
            None => return core::ptr::null_mut(),
        };
        let offset = start - base as usize;
        match offset.checked_add(layout.size()) {
            Some(end) if end <= N => {
                self.used.set(end);
                base.add(offset)
            }
            _ => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}
