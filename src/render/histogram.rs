//! The per-plane histogram behind percentile limits and histogram equalisation.
//!
//! Values are binned by the leading 16 bits of an order-preserving integer key (sign,
//! exponent and 7 bits of mantissa), not by equal steps between the extremes. That needs
//! no extremes before counting, so a plane is counted slice by slice as its bytes arrive
//! and the count costs nothing once the last byte is in; and any rank is then resolved
//! *exactly* by one more pass over the values of its bin, which counts the other 16 bits
//! of their keys ([`Histogram::values_at_ranks`]).

/// Bins of a histogram: one per leading 16 bits of a key.
pub const SUMMARY_BINS: usize = 1 << 16;

/// The bins finite values fall in: NaN and ±infinity have keys below and above them.
const FINITE_BINS: std::ops::Range<usize> = 0x0080..0xFF80;

/// The order-preserving key of `v`: for finite values `a < b` ⇔ `key(a) < key(b)`
/// (with -0 just below +0).
pub(crate) fn sort_key(v: f32) -> u32 {
    let bits = v.to_bits();
    // Negative values: every bit flipped (larger magnitudes sort lower); others: sign set.
    bits ^ ((((bits as i32) >> 31) as u32) | 0x8000_0000)
}

/// The value of a key made by [`sort_key`].
pub(crate) fn key_value(key: u32) -> f32 {
    let mask = if key & 0x8000_0000 != 0 { 0x8000_0000 } else { u32::MAX };
    f32::from_bits(key ^ mask)
}

/// Counts of the values of a plane per key bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    counts: Vec<u64>,
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram { counts: vec![0; SUMMARY_BINS] }
    }
}

/// Where a rank falls: the bin, and the finite values in the bins before it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RankHit {
    bin: usize,
    before: u64,
}

impl Histogram {
    /// Counts more values (NaN and infinities too, in bins of their own that no finite
    /// value shares). Branch-free: one increment per value.
    pub fn add(&mut self, values: &[f32]) {
        let counts: &mut [u64; SUMMARY_BINS] = match self.counts.as_mut_slice().try_into() {
            Ok(counts) => counts,
            Err(_) => return,
        };
        for &v in values {
            counts[(sort_key(v) >> 16) as usize] += 1;
        }
    }

    /// The bin holding the finite value of 0-based rank `rank`, or `None` past the last.
    fn locate(&self, rank: u64) -> Option<RankHit> {
        let mut before = 0;
        for bin in FINITE_BINS {
            let count = self.counts[bin];
            if rank < before + count {
                return Some(RankHit { bin, before });
            }
            before += count;
        }
        None
    }

    /// The finite values of 0-based ranks `ranks` among `values` (the values this
    /// histogram counted), exactly: the bins the ranks fall in are found here, then one
    /// pass over `values` gathers what those bins hold ([`BinKeys`]), which places every
    /// rank on a single value. NaN for a rank past the last finite value.
    pub fn values_at_ranks(&self, values: &[f32], ranks: &[u64]) -> Vec<f64> {
        self.values_at_ranks_keeping(values, ranks, MAX_SORTED_KEYS)
    }

    /// [`Histogram::values_at_ranks`], sorting at most `max_keys` keys (tests use both ways).
    fn values_at_ranks_keeping(&self, values: &[f32], ranks: &[u64], max_keys: usize) -> Vec<f64> {
        let hits: Vec<Option<RankHit>> = ranks.iter().map(|&r| self.locate(r)).collect();
        let mut bins: Vec<usize> = hits.iter().flatten().map(|h| h.bin).collect();
        bins.sort_unstable();
        bins.dedup();
        let keys = BinKeys::gather(values, &bins, max_keys);
        ranks
            .iter()
            .zip(&hits)
            .map(|(&rank, hit)| {
                hit.and_then(|h| keys.nth(h.bin, rank - h.before)).map_or(f64::NAN, |k| f64::from(key_value(k)))
            })
            .collect()
    }

    /// Finite values counted below `v`, with the values of `v`'s own bin counted in
    /// proportion to where `v` lies between the bin's edges.
    fn cumulative_at(&self, v: f64, walker: &mut CdfWalker) -> f64 {
        let key = sort_key(v as f32);
        let bin = ((key >> 16) as usize).clamp(FINITE_BINS.start, FINITE_BINS.end);
        while walker.bin < bin {
            walker.before += self.counts.get(walker.bin).copied().unwrap_or(0);
            walker.bin += 1;
        }
        let Some(&count) = self.counts.get(bin).filter(|_| FINITE_BINS.contains(&bin)) else {
            return walker.before as f64;
        };
        let low = f64::from(key_value((bin as u32) << 16));
        let high = f64::from(key_value(((bin as u32) << 16) | 0xFFFF));
        let frac = if high > low { ((v - low) / (high - low)).clamp(0.0, 1.0) } else { 1.0 };
        walker.before as f64 + frac * count as f64
    }

    /// The cumulative distribution at `values` (which must be non-decreasing), written to
    /// `out`: one walk over the bins, no allocation.
    pub(crate) fn cumulative_sorted(&self, values: impl Iterator<Item = f64>, out: &mut [f64]) {
        let mut walker = CdfWalker { bin: FINITE_BINS.start, before: 0 };
        for (slot, v) in out.iter_mut().zip(values) {
            *slot = self.cumulative_at(v, &mut walker);
        }
    }
}

/// At most this many keys are sorted to resolve ranks (4 MiB); crowded bins are counted.
const MAX_SORTED_KEYS: usize = 1 << 20;

/// The keys of the values in a few bins: enough to place any rank inside those bins.
enum BinKeys {
    /// Every such key, sorted. The bins of percentile limits usually hold a few thousand
    /// values, so this is the usual case, and the cheapest (one push per value found).
    Sorted(Vec<u32>),
    /// Per bin, counts of the keys' low 16 bits: bounded memory when the bins are crowded
    /// (a plane of a few distinct values), at the cost of a count per value found.
    Counted(Vec<usize>, Vec<Vec<u64>>),
}

impl BinKeys {
    /// One pass over `values` (one per four bins when counting).
    fn gather(values: &[f32], bins: &[usize], max_keys: usize) -> Self {
        let sorted = wanted_bins(bins).and_then(|wanted| keys_in_bins(values, wanted, max_keys));
        match sorted {
            Some(mut keys) => {
                keys.sort_unstable();
                BinKeys::Sorted(keys)
            }
            None => BinKeys::Counted(bins.to_vec(), fine_counts(values, bins)),
        }
    }

    /// The key `n` places into `bin` (0: the bin's smallest value), if the bin has so many.
    fn nth(&self, bin: usize, n: u64) -> Option<u32> {
        match self {
            BinKeys::Sorted(keys) => {
                let start = keys.partition_point(|&k| ((k >> 16) as usize) < bin);
                let at = start.checked_add(usize::try_from(n).ok()?)?;
                keys.get(at).copied().filter(|&k| (k >> 16) as usize == bin)
            }
            BinKeys::Counted(bins, fine) => {
                let counts = fine.get(bins.iter().position(|&b| b == bin)?)?;
                let mut before = 0;
                for (low, &count) in counts.iter().enumerate() {
                    if n < before + count {
                        return Some(((bin as u32) << 16) | low as u32);
                    }
                    before += count;
                }
                None
            }
        }
    }
}

/// Up to four bins as the block test wants them, padded with a bin no key has (keys' bins
/// are below 2^16); None for more than four.
fn wanted_bins(bins: &[usize]) -> Option<[u32; 4]> {
    if bins.len() > 4 {
        return None;
    }
    let mut wanted = [u32::MAX; 4];
    for (slot, &bin) in wanted.iter_mut().zip(bins) {
        *slot = bin as u32;
    }
    Some(wanted)
}

/// The blocks of 16 values (and the tail) holding a value of one of the `wanted` bins. Each
/// block is tested as a whole (a loop the compiler turns into SIMD): almost every block
/// holds none of the few wanted values.
fn blocks_with(values: &[f32], wanted: [u32; 4]) -> impl Iterator<Item = &[f32]> {
    values.chunks(16).filter(move |block| {
        let mut any = false;
        for &v in *block {
            let bin = sort_key(v) >> 16;
            any |= (bin == wanted[0]) | (bin == wanted[1]) | (bin == wanted[2]) | (bin == wanted[3]);
        }
        any
    })
}

/// The keys of the values in the `wanted` bins, unsorted; None past `max` of them.
fn keys_in_bins(values: &[f32], wanted: [u32; 4], max: usize) -> Option<Vec<u32>> {
    let mut keys = Vec::new();
    for block in blocks_with(values, wanted) {
        keys.extend(block.iter().map(|&v| sort_key(v)).filter(|k| wanted.contains(&(k >> 16))));
        if keys.len() > max {
            return None;
        }
    }
    Some(keys)
}

/// For each of `bins`, the counts of the low 16 bits of the keys of the values in that
/// bin: one pass over `values` per four bins (percentile limits need at most four).
fn fine_counts(values: &[f32], bins: &[usize]) -> Vec<Vec<u64>> {
    let mut fine = Vec::with_capacity(bins.len());
    for group in bins.chunks(4) {
        let Some(wanted) = wanted_bins(group) else { continue };
        let mut counts = vec![vec![0u64; SUMMARY_BINS]; group.len()];
        for block in blocks_with(values, wanted) {
            for &v in block {
                let key = sort_key(v);
                if let Some(table) = wanted.iter().position(|&bin| bin == key >> 16).and_then(|i| counts.get_mut(i)) {
                    table[(key & 0xFFFF) as usize] += 1;
                }
            }
        }
        fine.extend(counts);
    }
    fine
}

/// Position of a walk over the bins in increasing value order.
struct CdfWalker {
    bin: usize,
    before: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of_values(values: &[f32]) -> Histogram {
        let mut h = Histogram::default();
        h.add(values);
        h
    }

    #[test]
    fn keys_sort_like_the_values() {
        let values = [f32::MIN, -1e30, -2.5, -1.0, -1e-40, -0.0, 0.0, 1e-40, 1.0, 2.5, 1e30, f32::MAX];
        for pair in values.windows(2) {
            assert!(sort_key(pair[0]) < sort_key(pair[1]), "{pair:?}");
        }
        for v in values {
            assert_eq!(key_value(sort_key(v)).to_bits(), v.to_bits());
        }
    }

    #[test]
    fn non_finite_values_fall_outside_the_finite_bins() {
        for v in [f32::NAN, -f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(!FINITE_BINS.contains(&((sort_key(v) >> 16) as usize)), "{v}");
        }
        for v in [f32::MIN, -f32::MIN_POSITIVE, 0.0, f32::MAX] {
            assert!(FINITE_BINS.contains(&((sort_key(v) >> 16) as usize)), "{v}");
        }
        let h = of_values(&[0.0, 0.5, 1.0, f32::NAN, f32::INFINITY, -1.0]);
        assert_eq!(h.counts[FINITE_BINS].iter().sum::<u64>(), 4);
    }

    #[test]
    fn ranks_resolve_to_exact_values() {
        let spread: Vec<f32> = (0..10_000).map(|i| ((i * 7919) % 10_000) as f32 * 0.001 - 3.0).collect();
        // Crowded bins: half the values are one value (a sorted list of them would be long).
        let crowded: Vec<f32> = (0..10_000).map(|i| if i % 2 == 0 { 0.25 } else { i as f32 * 1e-4 }).collect();
        for values in [spread, crowded] {
            let mut sorted = values.clone();
            sorted.sort_by(f32::total_cmp);
            let h = of_values(&values);
            // Two ranks (sorted keys, or counted past `max_keys`), and more bins than four.
            let rank_sets: [&[u64]; 2] = [&[25, 9_974], &[0, 1, 25, 4_999, 5_000, 9_974, 9_999, 10_000]];
            for (ranks, max_keys) in rank_sets.into_iter().flat_map(|r| [(r, 0), (r, 100), (r, MAX_SORTED_KEYS)]) {
                let got = h.values_at_ranks_keeping(&values, ranks, max_keys);
                for (&rank, &v) in ranks.iter().zip(&got) {
                    match sorted.get(rank as usize) {
                        Some(&want) => assert_eq!(v, f64::from(want), "rank {rank}, at most {max_keys} keys sorted"),
                        None => assert!(v.is_nan(), "rank {rank}"),
                    }
                }
            }
        }
    }

    #[test]
    fn cumulative_counts_values_below() {
        let h = of_values(&[0.1, 0.3, 0.6, 0.9]);
        let mut out = [0.0; 4];
        h.cumulative_sorted([-1.0, 0.2, 0.7, 2.0].into_iter(), &mut out);
        assert_eq!(out, [0.0, 1.0, 3.0, 4.0]);
    }
}
