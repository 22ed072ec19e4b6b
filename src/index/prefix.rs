//! Prefix: which dictionary words an unfinished word expands to.

use crate::analyze;
use crate::index::schema::TermOrd;

/// Most dictionary words an unfinished last word expands to (the most frequent are kept), so a
/// one-letter prefix costs no more than a long one.
pub const MAX_PREFIX_TERMS: usize = 40;

/// Most dictionary words an unfinished word of `chars` chars expands to: a prefix of one or
/// two letters says little about the word being typed, and its most frequent words are the
/// ones with the longest postings, so it expands to fewer.
pub fn max_prefix_terms(chars: usize) -> usize {
    match chars {
        0 | 1 => MAX_PREFIX_TERMS / 4,
        2 => MAX_PREFIX_TERMS / 2,
        _ => MAX_PREFIX_TERMS,
    }
}

/// Prefixes of at most this many chars that begin more than [`PREFIX_TABLE_MIN_WORDS`] words
/// have their expansion computed at build time (`PREF`/`PRFL`): walking the thousands of
/// words of `c` in a large dictionary is most of the cost of the first keystroke.
pub const PREFIX_TABLE_MAX_CHARS: usize = 2;

/// See [`PREFIX_TABLE_MAX_CHARS`]: below this many words, walking them is cheap.
pub const PREFIX_TABLE_MIN_WORDS: usize = 256;

/// Picks the terms a word expands to from dictionary words offered one at a time in byte
/// order: one word per term (the first), none for a term in `have` or for a stop word, and of
/// those the `max` most frequent, ties going to the earlier word. Only words that enter the
/// pick are copied, and a bit per term finds repeats, so offering the thousands of words of a
/// one-letter prefix costs little more than reading them. The same picker fills the build's
/// prefix table and the query side's expansions, so both pick alike.
pub struct TopTerms {
    max: usize,
    seen: Vec<u64>,
    /// How many distinct terms were offered: each one's place in byte order.
    offered: u32,
    /// The pick, best first, each with its sort key: `u32::MAX - doc_freq` above its place.
    top: Vec<(u64, String, TermOrd)>,
}

impl TopTerms {
    /// A picker for a dictionary of `term_count` terms.
    pub fn new(term_count: usize, have: &[TermOrd], max: usize) -> Self {
        let mut picker =
            TopTerms { max, seen: vec![0; term_count.div_ceil(64)], offered: 0, top: Vec::with_capacity(max + 1) };
        for &ord in have {
            picker.first_time(ord);
        }
        picker
    }

    fn first_time(&mut self, ord: TermOrd) -> bool {
        let (i, bit) = (ord as usize / 64, 1u64 << (ord % 64));
        self.seen.get_mut(i).is_some_and(|w| std::mem::replace(w, *w | bit) & bit == 0)
    }

    /// Offers a word of the term `ord`, which `doc_freq` papers contain. Stop words are never
    /// picked: `o` is not looking for `of`, and scoring it would read every paper.
    pub fn offer(&mut self, word: &str, ord: TermOrd, doc_freq: u32) {
        if analyze::is_stop_word(word) || !self.first_time(ord) {
            return;
        }
        let key = (u64::from(u32::MAX - doc_freq) << 32) | u64::from(self.offered);
        self.offered += 1;
        if self.top.len() == self.max && self.top.last().is_none_or(|last| key > last.0) {
            return;
        }
        let at = self.top.partition_point(|t| t.0 < key);
        self.top.insert(at, (key, word.to_string(), ord));
        self.top.truncate(self.max);
    }

    /// The picked words with their terms and the terms' document frequencies, most frequent
    /// first.
    pub fn finish(self) -> Vec<(String, TermOrd, u32)> {
        self.top.into_iter().map(|(key, w, ord)| (w, ord, u32::MAX - (key >> 32) as u32)).collect()
    }

    /// The picked words, their terms and document frequencies, in byte order.
    pub(crate) fn finish_in_byte_order(mut self) -> Vec<(String, TermOrd, u32)> {
        self.top.sort_unstable_by_key(|t| t.0 as u32);
        self.finish()
    }
}
