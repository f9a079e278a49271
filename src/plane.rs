//! One 2-D plane of pixel values, decoded and scaled: what the renderer draws and the
//! statistics are computed on.

/// Pixel values of one image plane as physical values (BSCALE/BZERO applied, BLANK → NaN).
///
/// Rows are stored in FITS order: row 0 is the *bottom* row of the image (y up), so
/// `data[y * width + x]` is FITS pixel (x + 1, y + 1). Renderers flip when drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Plane {
    /// The value at 0-based pixel (x, y), or `None` outside the plane.
    pub fn get(&self, x: usize, y: usize) -> Option<f32> {
        if x < self.width && y < self.height {
            self.data.get(y * self.width + x).copied()
        } else {
            None
        }
    }
}

/// Which plane of a cube: (channel, Stokes index).
pub type PlaneKey = (u64, u64);

/// Planes kept in memory under a byte budget, the least recently used dropped first: the
/// neighbours of the channel on show are read ahead, and stepping back and forth through a
/// cube re-reads nothing.
#[derive(Debug)]
pub struct PlaneCache<T> {
    budget: u64,
    used: u64,
    /// Oldest first.
    items: std::collections::VecDeque<(PlaneKey, u64, T)>,
}

impl<T> PlaneCache<T> {
    pub fn new(budget: u64) -> Self {
        PlaneCache { budget, used: 0, items: std::collections::VecDeque::new() }
    }

    pub fn contains(&self, key: PlaneKey) -> bool {
        self.items.iter().any(|(k, _, _)| *k == key)
    }

    /// Removes and returns the item for `key`.
    pub fn take(&mut self, key: PlaneKey) -> Option<T> {
        let at = self.items.iter().position(|(k, _, _)| *k == key)?;
        let (_, bytes, item) = self.items.remove(at)?;
        self.used -= bytes;
        Some(item)
    }

    /// Keeps `item` (of `bytes`), dropping the oldest items until it fits; an item larger
    /// than the whole budget is kept alone (it is the plane about to be shown).
    pub fn insert(&mut self, key: PlaneKey, bytes: u64, item: T) {
        self.take(key);
        while self.used + bytes > self.budget && !self.items.is_empty() {
            let Some((_, old, _)) = self.items.pop_front() else { break };
            self.used -= old;
        }
        self.used += bytes;
        self.items.push_back((key, bytes, item));
    }

    /// Bytes held.
    pub fn used(&self) -> u64 {
        self.used
    }

    pub fn clear(&mut self) {
        self.items.clear();
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_within_budget_dropping_the_oldest() {
        let mut cache = PlaneCache::new(10);
        cache.insert((0, 0), 4, "a");
        cache.insert((1, 0), 4, "b");
        cache.insert((2, 0), 4, "c");
        assert!(!cache.contains((0, 0)), "the oldest went to make room");
        assert_eq!(cache.used(), 8);
        assert_eq!(cache.take((1, 0)), Some("b"));
        assert_eq!(cache.take((1, 0)), None);
        assert_eq!(cache.used(), 4);
    }

    #[test]
    fn an_item_larger_than_the_budget_is_kept_alone() {
        let mut cache = PlaneCache::new(10);
        cache.insert((0, 0), 4, 1);
        cache.insert((1, 0), 11, 2);
        assert!(!cache.contains((0, 0)) && cache.contains((1, 0)));
        cache.insert((2, 0), 4, 3);
        assert!(!cache.contains((1, 0)) && cache.contains((2, 0)), "and goes first when another comes");
    }

    #[test]
    fn inserting_a_key_again_replaces_it() {
        let mut cache = PlaneCache::new(10);
        cache.insert((0, 0), 4, 1);
        cache.insert((0, 0), 6, 2);
        assert_eq!(cache.used(), 6);
        assert_eq!(cache.take((0, 0)), Some(2));
    }
}
