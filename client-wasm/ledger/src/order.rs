//! Stable sorting and map building with one copy of the sort in the client wasm.
//!
//! `slice::sort_by` and `collect::<BTreeMap<…>>()` (which sorts before it builds) compile
//! a whole merge sort (about 3 KB of wasm) for every element type and comparison; the
//! client wasm had more than twenty. Here the sort runs once, on indices, behind a
//! `dyn` comparison, and maps and sets are built by inserting, so each element type costs
//! only a few hundred bytes. Same results: the sort is stable, and a map keeps the last
//! value of a key as `collect` does. For the sync engine and the ledger, not for speed.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `v` stably by `cmp` (as `v.sort_by(cmp)`).
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably by `key` (as `v.sort_by_key(key)`).
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// The one instance of the sort.
fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// A map of the pairs (as `collect()`: the last value of a key stays).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The value grouped under `key` in `groups` (a small map kept as a `Vec`, added with
/// `V::default()` when new): for grouping a handful of keys without compiling a
/// `BTreeMap` for the pair's types. Sort with [`sort_by_key`] for key order.
pub fn slot<K: PartialEq, V: Default>(groups: &mut Vec<(K, V)>, key: K) -> &mut V {
    let at = match groups.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            groups.push((key, V::default()));
            groups.len() - 1
        }
    };
    &mut groups[at].1
}

/// A set of the items (as `collect()`).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The shared sort gives what the standard library's stable sort gives, equal
        /// keys in their first order; maps and sets what `collect` gives.
        #[test]
        fn sorts_and_collects_as_the_standard_library(
            v in proptest::collection::vec((0u8..8, any::<u16>()), 0..64),
        ) {
            let mut ours = v.clone();
            super::sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std);
            let mut groups: Vec<(u8, Vec<u16>)> = Vec::new();
            for (k, x) in &v {
                super::slot(&mut groups, *k).push(*x);
            }
            super::sort_by_key(&mut groups, |(k, _)| *k);
            let mut map = std::collections::BTreeMap::<u8, Vec<u16>>::new();
            for (k, x) in &v {
                map.entry(*k).or_default().push(*x);
            }
            prop_assert_eq!(groups, map.into_iter().collect::<Vec<_>>());
            let mut ours = v.clone();
            super::sort_by(&mut ours, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut std = v.clone();
            std.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            prop_assert_eq!(ours, std);
            prop_assert_eq!(super::map_of(v.iter().copied()), v.iter().copied().collect());
            prop_assert_eq!(super::set_of(v.iter().copied()), v.iter().copied().collect());
        }
    }
}
