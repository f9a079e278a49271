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
    /// pass over `values` counts the low 16 bits of the keys in those bins, which places
    /// every rank on a single value. NaN for a rank past the last finite value.
    pub fn values_at_ranks(&self, values: &[f32], ranks: &[u64]) -> Vec<f64> {
        let hits: Vec<Option<RankHit>> = ranks.iter().map(|&r| self.locate(r)).collect();
        let mut bins: Vec<usize> = hits.iter().flatten().map(|h| h.bin).collect();
        bins.sort_unstable();
        bins.dedup();
        let fine = fine_counts(values, &bins);
        ranks
            .iter()
            .zip(&hits)
            .map(|(&rank, hit)| {
                let Some(hit) = hit else { return f64::NAN };
                let Some(counts) = bins.iter().position(|&b| b == hit.bin).and_then(|i| fine.get(i)) else {
                    return f64::NAN;
                };
                let mut before = hit.before;
                for (low, &count) in counts.iter().enumerate() {
                    if rank < before + count {
                        return f64::from(key_value(((hit.bin as u32) << 16) | low as u32));
                    }
                    before += count;
                }
                f64::NAN
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

/// For each of `bins`, the counts of the low 16 bits of the keys of the values in that
/// bin: one pass over `values` per four bins (percentile limits need at most four).
fn fine_counts(values: &[f32], bins: &[usize]) -> Vec<Vec<u64>> {
    let mut fine = Vec::with_capacity(bins.len());
    for group in bins.chunks(4) {
        // Padded with a bin no key has (keys' bins are below 2^16).
        let mut wanted = [u32::MAX; 4];
        for (slot, &bin) in wanted.iter_mut().zip(group) {
            *slot = bin as u32;
        }
        let mut counts = vec![vec![0u64; SUMMARY_BINS]; group.len()];
        count_low_bits(values, wanted, &mut counts);
        fine.extend(counts);
    }
    fine
}

/// Counts the low 16 key bits of the values whose bin is one of `wanted`, into `counts`
/// (one table per wanted bin). Blocks of 16 values are first tested as a whole (a loop the
/// compiler turns into SIMD): almost every block holds none of the few wanted values.
fn count_low_bits(values: &[f32], wanted: [u32; 4], counts: &mut [Vec<u64>]) {
    for block in values.chunks(16) {
        let mut any = false;
        for &v in block {
            let bin = sort_key(v) >> 16;
            any |= (bin == wanted[0]) | (bin == wanted[1]) | (bin == wanted[2]) | (bin == wanted[3]);
        }
        if !any {
            continue;
        }
        for &v in block {
            let key = sort_key(v);
            if let Some(i) = wanted.iter().position(|&bin| bin == key >> 16) {
                if let Some(table) = counts.get_mut(i) {
                    table[(key & 0xFFFF) as usize] += 1;
                }
            }
        }
    }
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
        let values: Vec<f32> = (0..10_000).map(|i| ((i * 7919) % 10_000) as f32 * 0.001 - 3.0).collect();
        let mut sorted = values.clone();
        sorted.sort_by(f32::total_cmp);
        let h = of_values(&values);
        let ranks = [0, 1, 25, 4_999, 5_000, 9_974, 9_999, 10_000];
        let got = h.values_at_ranks(&values, &ranks);
        for (&rank, &v) in ranks.iter().zip(&got) {
            match sorted.get(rank as usize) {
                Some(&want) => assert_eq!(v, f64::from(want), "rank {rank}"),
                None => assert!(v.is_nan(), "rank {rank}"),
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
