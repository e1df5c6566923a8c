//! Typed storage: a [`Value`] under a fixed key, a [`Map`] from encodable
//! keys to values. An absent entry reads as the type's default, and
//! writing the default deletes the entry, so "zero" costs no storage (the
//! C runtime's `avm_set_u256` does the same).

use core::marker::PhantomData;
use core::mem::MaybeUninit;

use crate::codec::Stored;
use crate::env::OrRevert;
use crate::sys::{self, num, ptr, syscall};

/// The longest storage key the chain accepts (docs/rv32-abi.md).
pub const MAX_KEY: usize = 256;
/// The longest value these typed handles read or write.
const MAX_VALUE: usize = 256;

/// Copies the value under `key` into `out`; returns its full length, or
/// `None` if the key is absent.
pub fn get_raw(key: &[u8], out: &mut [u8]) -> Option<usize> {
    // SAFETY: storage_get reads a1 bytes at a0 and writes at most a3 at a2.
    let (n, _) = unsafe {
        syscall(
            num::STORAGE_GET,
            [
                ptr(key),
                key.len() as u32,
                ptr(out.as_mut_ptr()),
                out.len() as u32,
                0,
                0,
            ],
        )
    };
    (n != sys::NONE).then_some(n as usize)
}

/// Stores `value` under `key`.
pub fn set_raw(key: &[u8], value: &[u8]) {
    // SAFETY: storage_set reads a1 bytes at a0 and a3 at a2.
    unsafe {
        syscall(
            num::STORAGE_SET,
            [
                ptr(key),
                key.len() as u32,
                ptr(value),
                value.len() as u32,
                0,
                0,
            ],
        );
    }
}

/// Deletes `key`; returns whether it existed.
pub fn delete_raw(key: &[u8]) -> bool {
    // SAFETY: storage_delete reads a1 bytes at a0.
    unsafe {
        syscall(
            num::STORAGE_DELETE,
            [ptr(key), key.len() as u32, 0, 0, 0, 0],
        )
        .0 == 1
    }
}

/// The typed value under `key`: the default if absent; reverts with
/// "corrupt storage" if the bytes there do not hold a `T`.
fn get<T: Stored + Default>(key: &[u8]) -> T {
    let mut buf = MaybeUninit::<[u8; MAX_VALUE]>::uninit();
    let out = sys::scratch(&mut buf, T::LEN);
    match get_raw(key, out) {
        None => T::default(),
        Some(n) if n == T::LEN => T::load(out).or_revert("corrupt storage"),
        Some(_) => crate::env::revert("corrupt storage"),
    }
}

/// Stores `value` under `key`, or deletes the key if `value` is the default.
fn set<T: Stored + Default + PartialEq>(key: &[u8], value: &T) {
    if *value == T::default() {
        delete_raw(key);
    } else {
        let mut buf = MaybeUninit::<[u8; MAX_VALUE]>::uninit();
        let out = sys::scratch(&mut buf, T::LEN);
        value.store(out);
        set_raw(key, out);
    }
}

/// A value of type `T` under one fixed key.
pub struct Value<T> {
    key: &'static [u8],
    ty: PhantomData<T>,
}

impl<T: Stored + Default + PartialEq> Value<T> {
    /// The value stored under `key`.
    pub const fn new(key: &'static [u8]) -> Value<T> {
        Value {
            key,
            ty: PhantomData,
        }
    }

    /// The value (the default if never set).
    pub fn get(&self) -> T {
        get(self.key)
    }

    /// Sets the value (the default deletes the key).
    pub fn set(&self, value: &T) {
        set(self.key, value)
    }
}

/// A map from `K` to `V`: the entry for `k` lives under the key
/// `prefix || k` (e.g. `b"b" || owner` for a token's balances).
pub struct Map<K, V> {
    prefix: &'static [u8],
    ty: PhantomData<(K, V)>,
}

impl<K: Stored, V: Stored + Default + PartialEq> Map<K, V> {
    /// The map whose keys start with `prefix`.
    pub const fn new(prefix: &'static [u8]) -> Map<K, V> {
        Map {
            prefix,
            ty: PhantomData,
        }
    }

    /// Runs `f` on the storage key of `k`.
    fn with_key<R>(&self, k: &K, f: impl FnOnce(&[u8]) -> R) -> R {
        let n = self.prefix.len() + K::LEN;
        if n > MAX_KEY {
            crate::env::revert("storage key too long");
        }
        let mut buf = MaybeUninit::<[u8; MAX_KEY]>::uninit();
        let key = sys::scratch(&mut buf, n);
        let (prefix, rest) = key.split_at_mut(self.prefix.len());
        prefix.copy_from_slice(self.prefix);
        k.store(rest);
        f(key)
    }

    /// The value for `k` (the default if never set).
    pub fn get(&self, k: &K) -> V {
        self.with_key(k, get)
    }

    /// Sets the value for `k` (the default deletes the entry).
    pub fn set(&self, k: &K, value: &V) {
        self.with_key(k, |key| set(key, value))
    }
}
