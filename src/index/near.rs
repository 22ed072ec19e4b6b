//! Near: the automaton that finds the dictionary words within a few edits of a word, as
//! the dictionary's fst is walked.

/// Longest word, in chars, that [`View::words_near`](super::View::words_near) looks for.
pub const NEAR_MAX_CHARS: usize = 23;

/// The fst automaton of [`View::words_near`](super::View::words_near): it computes the edit-distance table between
/// the target and the dictionary word as the walk reads it, one row per char, and tells the
/// walk to leave a branch once every entry of the row exceeds the distance (no longer word can
/// come back within it). The rows are arrays, so a state costs no allocation.
pub(crate) struct Near<'t> {
    target: &'t [char],
    max: u8,
    /// Whether the target may be a prefix of the word (the word being typed).
    prefix: bool,
}

#[derive(Clone, Copy)]
pub(crate) struct NearState {
    /// `row[i]`: the distance between `target[..i]` and the chars read.
    row: [u8; NEAR_MAX_CHARS + 1],
    /// The row one char earlier, for swaps of neighbouring letters.
    before: [u8; NEAR_MAX_CHARS + 1],
    /// The last char read, for swaps.
    last: char,
    /// How many chars have been read.
    chars: u8,
    /// The least distance between the whole target and any prefix of the chars read.
    best_prefix: u8,
    /// The bytes of a char not read whole yet.
    pending: [u8; 4],
    pending_len: u8,
    /// The first letter differs: nothing here matches.
    dead: bool,
}

impl<'t> Near<'t> {
    /// The automaton for the words within `distance` edits of `target` (of a prefix of them,
    /// with `prefix`) that start with its first letter. `target` is at most
    /// [`NEAR_MAX_CHARS`] chars.
    pub fn new(target: &'t [char], distance: u32, prefix: bool) -> Self {
        Near { target, max: distance.min(u32::from(u8::MAX)) as u8, prefix }
    }

    /// The distance of the word read so far.
    pub fn distance(&self, state: &NearState) -> u32 {
        u32::from(if self.prefix { state.best_prefix } else { state.row[self.target.len()] })
    }

    /// The distance between the whole target and the whole word read so far (with `prefix`,
    /// [`Near::distance`] is the least over the word's prefixes).
    pub fn whole_distance(&self, state: &NearState) -> u32 {
        u32::from(state.row[self.target.len()])
    }
}

impl fst::Automaton for &Near<'_> {
    type State = NearState;

    fn start(&self) -> NearState {
        let mut row = [0u8; NEAR_MAX_CHARS + 1];
        for (i, r) in row.iter_mut().enumerate() {
            *r = i.min(usize::from(u8::MAX)) as u8;
        }
        let n = self.target.len();
        NearState {
            row,
            before: row,
            last: '\0',
            chars: 0,
            best_prefix: row[n],
            pending: [0; 4],
            pending_len: 0,
            dead: false,
        }
    }

    fn is_match(&self, state: &NearState) -> bool {
        !state.dead && state.chars > 0 && state.pending_len == 0 && self.distance(state) <= u32::from(self.max)
    }

    fn can_match(&self, state: &NearState) -> bool {
        let n = self.target.len();
        !state.dead
            && ((self.prefix && state.best_prefix <= self.max) || state.row[..=n].iter().any(|&d| d <= self.max))
    }

    fn accept(&self, state: &NearState, byte: u8) -> NearState {
        let mut next = *state;
        if next.dead {
            return next;
        }
        next.pending[usize::from(next.pending_len)] = byte;
        next.pending_len += 1;
        let want = match next.pending[0] {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        if usize::from(next.pending_len) < want {
            return next;
        }
        let c = std::str::from_utf8(&next.pending[..want]).ok().and_then(|s| s.chars().next());
        next.pending_len = 0;
        let Some(c) = c else {
            next.dead = true;
            return next;
        };
        if next.chars == 0 && self.target.first() != Some(&c) {
            next.dead = true;
            return next;
        }
        let n = self.target.len();
        let j = next.chars.saturating_add(1);
        // An entry `|i - j|` off the diagonal is at least that far, so only the band within
        // `max` of it can come within `max`; the rest only need to be more than `max`, and
        // an entry computed from them stays more than `max` too.
        let far = self.max.saturating_add(1);
        let mut row = [far; NEAR_MAX_CHARS + 1];
        row[0] = j;
        let band = usize::from(self.max);
        for i in usize::from(j).saturating_sub(band).max(1)..=(usize::from(j) + band).min(n) {
            let cost = u8::from(self.target[i - 1] != c);
            let mut d = (state.row[i].saturating_add(1)).min(row[i - 1].saturating_add(1)).min(state.row[i - 1] + cost);
            if j > 1 && i > 1 && self.target[i - 1] == state.last && self.target[i - 2] == c {
                d = d.min(state.before[i - 2].saturating_add(1));
            }
            row[i] = d;
        }
        next.before = state.row;
        next.row = row;
        next.last = c;
        next.chars = j;
        next.best_prefix = next.best_prefix.min(row[n]);
        next
    }
}

/// The optimal-string-alignment distance between `a` and `b` (or, with `prefix_of_b`, the
/// least distance between `a` and a prefix of `b`), if it is at most `max`.
#[cfg(test)]
pub(crate) fn edit_distance(a: &[char], b: &[char], max: u32, prefix_of_b: bool) -> Option<u32> {
    let m = b.len();
    let mut before: Vec<u32> = vec![0; m + 1];
    let mut prev: Vec<u32> = (0..=m as u32).collect();
    let mut cur: Vec<u32> = vec![0; m + 1];
    for i in 1..=a.len() {
        cur[0] = i as u32;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = u32::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = if prefix_of_b { prev.iter().copied().min().unwrap_or(0) } else { prev[m] };
    (d <= max).then_some(d)
}
