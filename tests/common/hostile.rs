//! Tools of the hostile-input property tests: a mutator that damages valid inputs the way
//! crafted files do (bit flips, lying length and count fields, truncation, splices), and an
//! allocator that remembers the largest single allocation, so that a test can assert that a
//! header claiming gigabytes allocated nothing of the sort.
#![allow(dead_code)] // each test crate uses its own subset

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use proptest::prelude::*;

/// The system allocator, recording the largest allocation each thread asks of it (per thread,
/// so that tests running side by side do not see each other's allocations).
pub struct Recording;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

/// Any single allocation past this fails (the test aborts with "memory allocation of N bytes
/// failed") instead of the machine running out of memory.
pub const HARD_LIMIT: usize = 1 << 30;

fn note(size: usize) {
    // `try_with`: allocations made while the thread's locals are torn down are not recorded.
    let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
}

unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        if layout.size() > HARD_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        if layout.size() > HARD_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        if new_size > HARD_LIMIT {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Forgets the largest allocation seen so far.
pub fn reset_largest() {
    LARGEST.with(|l| l.set(0));
}

/// The largest single allocation of this thread since [`reset_largest`].
pub fn largest() -> usize {
    LARGEST.with(|l| l.get())
}

/// The most one parse of a small hostile input may allocate at once.
pub const ALLOC_CAP: usize = 64 * 1024 * 1024;

/// Fails when a single allocation since [`reset_largest`] passed `cap` bytes.
pub fn assert_bounded(cap: usize, what: &str) {
    let got = largest();
    assert!(
        got <= cap,
        "{what}: one allocation of {got} bytes (cap {cap}): a header's claim was believed"
    );
}

/// One way of damaging an input.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Flips one bit.
    Flip { at: usize, bit: u8 },
    /// Overwrites one byte.
    Byte { at: usize, value: u8 },
    /// Overwrites a little-endian u32 (length, count and size fields).
    U32 { at: usize, value: u32 },
    /// Overwrites a little-endian u64 (GGUF lengths and counts).
    U64 { at: usize, value: u64 },
    /// Cuts the input short.
    Truncate { at: usize },
    /// Inserts bytes.
    Insert { at: usize, bytes: Vec<u8> },
    /// Removes a run of bytes.
    Remove { at: usize, len: usize },
    /// Copies a run of bytes elsewhere (repeated chunks and headers).
    Splice { from: usize, to: usize, len: usize },
}

/// Lengths and counts a crafted header would claim.
fn lying_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(2),
        Just(0x7fff_ffff),
        Just(0x8000_0000),
        Just(u32::MAX),
        Just(u32::MAX - 7),
        Just(1 << 20),
        Just(10_000_000),
        any::<u32>(),
    ]
}

fn lying_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(10_000_000_000),
        Just(u64::MAX),
        Just(i64::MAX as u64),
        Just(u32::MAX as u64 + 1),
        any::<u64>(),
    ]
}

/// A position: mostly in the header (the first 128 bytes), sometimes anywhere.
fn position() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0usize..128, 2 => any::<usize>()]
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (position(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        2 => (position(), any::<u8>()).prop_map(|(at, value)| Mutation::Byte { at, value }),
        4 => (position(), lying_u32()).prop_map(|(at, value)| Mutation::U32 { at, value }),
        2 => (position(), lying_u64()).prop_map(|(at, value)| Mutation::U64 { at, value }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        1 => (position(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        1 => (position(), 1usize..64).prop_map(|(at, len)| Mutation::Remove { at, len }),
        1 => (any::<usize>(), position(), 1usize..256)
            .prop_map(|(from, to, len)| Mutation::Splice { from, to, len }),
    ]
}

/// One to eight mutations.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..8)
}

/// `seed` with `muts` applied in order (positions wrap around the current length).
pub fn apply(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in muts {
        let n = b.len();
        if n == 0 {
            break;
        }
        match m {
            Mutation::Flip { at, bit } => b[at % n] ^= 1 << bit,
            Mutation::Byte { at, value } => b[at % n] = *value,
            Mutation::U32 { at, value } => {
                let at = at % n;
                for (i, x) in value.to_le_bytes().iter().enumerate() {
                    if at + i < n {
                        b[at + i] = *x;
                    }
                }
            }
            Mutation::U64 { at, value } => {
                let at = at % n;
                for (i, x) in value.to_le_bytes().iter().enumerate() {
                    if at + i < n {
                        b[at + i] = *x;
                    }
                }
            }
            Mutation::Truncate { at } => b.truncate(at % n),
            Mutation::Insert { at, bytes } => {
                let at = at % (n + 1);
                b.splice(at..at, bytes.iter().copied());
            }
            Mutation::Remove { at, len } => {
                let at = at % n;
                let end = (at + len).min(n);
                b.drain(at..end);
            }
            Mutation::Splice { from, to, len } => {
                let from = from % n;
                let end = (from + len).min(n);
                let run: Vec<u8> = b[from..end].to_vec();
                let to = to % (n + 1);
                b.splice(to..to, run);
            }
        }
    }
    b
}

/// Random bytes, sometimes behind a real magic number (so the parser gets past it).
pub fn noise_after(magic: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), prop::collection::vec(any::<u8>(), 0..512)).prop_map(move |(m, tail)| {
        if m {
            let mut v = magic.to_vec();
            v.extend(tail);
            v
        } else {
            tail
        }
    })
}

/// The proptest settings of these tests: `cases` inputs, no files of failures left behind
/// (a failure prints its minimal input), bounded shrinking.
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}
