//! The dictionary parts: the words and terms of each key range as an fst, their document
//! frequencies, the prefix table, the acronyms and their long forms.

use std::collections::BTreeMap;
use std::ops::Bound;

use fst::MapBuilder;

use crate::format;
use crate::index::analysis::Analyzed;
use crate::index::codec::{dict_value, put_string, put_term};
use crate::index::prefix::{max_prefix_terms, TopTerms, PREFIX_TABLE_MAX_CHARS, PREFIX_TABLE_MIN_WORDS};
use crate::index::schema::{PartId, PartKind, TermOrd};
use crate::index::shards::Layout;
use crate::index::sink::{part, BuildError, Progress};

/// Most long forms kept for one acronym (the most frequent).
const MAX_LONG_FORMS: usize = 3;

/// A term with its ordinal and document frequency.
type Known = (String, TermOrd, u32);

/// The dictionary's entries, by key: the words and terms, the prefix table, the acronyms and
/// the long forms. All four sort in one key space, which the shards split into ranges.
pub(super) struct Dictionary<'t> {
    /// word or term → its packed value.
    keys: BTreeMap<&'t str, u64>,
    /// The terms, by ordinal, and their document frequencies.
    terms: &'t [&'t str],
    freqs: &'t [u32],
    /// folded word → its term.
    words: &'t BTreeMap<String, String>,
    /// prefix → the words it expands to: ordinal, document frequency, word (in byte order).
    prefixes: BTreeMap<String, Vec<(TermOrd, u32, String)>>,
    /// acronym term → its most frequent long forms, each a list of terms (with their ordinals
    /// and document frequencies).
    acronyms: BTreeMap<String, Vec<Vec<Known>>>,
    /// long form (terms joined by spaces) → its acronym's term.
    long_forms: BTreeMap<String, Known>,
}

impl<'t> Dictionary<'t> {
    pub fn new(
        analyzed: &'t Analyzed,
        terms: &'t [&'t str],
        freqs: &'t [u32],
        ord: &dyn Fn(&str) -> Option<TermOrd>,
    ) -> Self {
        // One dictionary of words and terms: most terms are also words (`network`), and one
        // fst of both is much smaller than two.
        let mut pairs: BTreeMap<&str, (Option<TermOrd>, Option<TermOrd>)> = BTreeMap::new();
        for (word, term) in &analyzed.words {
            pairs.entry(word).or_default().0 = ord(term);
        }
        for (i, &term) in terms.iter().enumerate() {
            pairs.entry(term).or_default().1 = Some(i as TermOrd);
        }
        let keys = pairs.into_iter().map(|(key, (word_of, term))| (key, dict_value(word_of, term))).collect();

        // The expansions of the short prefixes that begin many words, picked as the query side
        // would pick them, with one more word in case the prefix is itself a term (which a query
        // word does not expand to).
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for word in analyzed.words.keys() {
            for (end, c) in word.char_indices().take(PREFIX_TABLE_MAX_CHARS) {
                *counts.entry(&word[..end + c.len_utf8()]).or_default() += 1;
            }
        }
        let mut prefixes = BTreeMap::new();
        for (prefix, count) in counts {
            if count <= PREFIX_TABLE_MIN_WORDS {
                continue;
            }
            let mut top = TopTerms::new(terms.len(), &[], max_prefix_terms(prefix.chars().count()) + 1);
            for (word, term) in analyzed.words.range(prefix.to_string()..).take_while(|(w, _)| w.starts_with(prefix)) {
                if let Some(o) = ord(term) {
                    top.offer(word, o, freqs[o as usize]);
                }
            }
            let picked = top.finish_in_byte_order().into_iter().map(|(w, o, df)| (o, df, w)).collect();
            prefixes.insert(prefix.to_string(), picked);
        }

        // Acronyms: the most frequent long forms of each, and each long form's acronym. Each
        // term comes with its ordinal and document frequency, so that a query needs no other
        // shard of the dictionary to use them.
        let known = |term: &str| ord(term).map(|o| (term.to_string(), o, freqs[o as usize]));
        let mut acronyms = BTreeMap::new();
        let mut long_forms: BTreeMap<String, (u32, Known)> = BTreeMap::new();
        for (short, forms) in &analyzed.acronyms {
            let Some(short_known) = known(short) else { continue };
            let mut forms: Vec<(&Vec<String>, &u32)> = forms.iter().collect();
            forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            forms.truncate(MAX_LONG_FORMS);
            let mut known_forms = Vec::new();
            for (long, &count) in forms {
                // A long form two acronyms share belongs to the one more papers define it for;
                // the first in byte order when they tie.
                let entry = long_forms.entry(long.join(" ")).or_insert((count, short_known.clone()));
                if count > entry.0 {
                    *entry = (count, short_known.clone());
                }
                // A long form with a word no paper has as a term could never be matched.
                if let Some(terms) = long.iter().map(|t| known(t)).collect::<Option<Vec<Known>>>() {
                    known_forms.push(terms);
                }
            }
            acronyms.insert(short.clone(), known_forms);
        }
        let long_forms = long_forms.into_iter().map(|(long, (_, short))| (long, short)).collect();
        Dictionary { keys, terms, freqs, words: &analyzed.words, prefixes, acronyms, long_forms }
    }

    /// The shards' first keys: a shard grows until it reaches the layout's size, and ends
    /// early, past half that size, where a new first letter begins, so that small letters
    /// share a shard and the words of one letter (which typo matching reads) span few.
    fn boundaries(&self, target: usize) -> Vec<String> {
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for key in self.keys.keys() {
            *sizes.entry(key).or_default() += key.len() + 4;
        }
        for (prefix, words) in &self.prefixes {
            *sizes.entry(prefix).or_default() += words.iter().map(|(_, _, w)| w.len() + 5).sum::<usize>();
        }
        for (short, forms) in &self.acronyms {
            *sizes.entry(short).or_default() += forms.iter().flatten().map(|t| t.0.len() + 4).sum::<usize>();
        }
        for (long, short) in &self.long_forms {
            *sizes.entry(long).or_default() += long.len() + short.0.len() + 8;
        }
        let mut out = Vec::new();
        let mut size = 0;
        let mut last_first: Option<char> = None;
        for (key, bytes) in sizes {
            let first = key.chars().next();
            let new_letter = last_first.is_some() && first != last_first;
            if size > 0 && (size >= target || (new_letter && size >= target / 2)) {
                out.push(key.to_string());
                size = 0;
            }
            size += bytes;
            last_first = first;
        }
        out
    }

    /// Writes the dictionary shards; returns the shard map's first term ordinals and first keys.
    pub fn write(
        &self,
        layout: &Layout,
        emit: &mut dyn FnMut(PartId, Vec<u8>) -> Result<(), BuildError>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Vec<TermOrd>, Vec<Vec<u8>>), BuildError> {
        let boundaries =
            if layout.dict_shard_bytes == usize::MAX { Vec::new() } else { self.boundaries(layout.dict_shard_bytes) };
        let count = boundaries.len() + 1;
        let mut first_terms = Vec::with_capacity(count);
        for n in 0..count {
            progress(Progress { stage: "dictionary shards", done: n, total: count });
            let low = if n == 0 { Bound::Unbounded } else { Bound::Included(boundaries[n - 1].as_str()) };
            let high = boundaries.get(n).map_or(Bound::Unbounded, |b| Bound::Excluded(b.as_str()));
            let first_term = match low {
                Bound::Included(b) => self.terms.partition_point(|t| *t < b),
                _ => 0,
            };
            let end_term = match high {
                Bound::Excluded(b) => self.terms.partition_point(|t| *t < b),
                _ => self.terms.len(),
            };
            first_terms.push(first_term as TermOrd);

            let mut dict = MapBuilder::memory();
            for (key, &value) in self.keys.range::<str, _>((low, high)) {
                dict.insert(key, value)?;
            }
            let mut freqs = Vec::new();
            for &df in &self.freqs[first_term..end_term] {
                format::put_varint(&mut freqs, df);
            }
            // The terms outside the shard that its words stem to, so that the shard alone
            // tells each of its words' document frequency.
            let mut foreign: Vec<TermOrd> = self
                .words
                .range::<str, _>((low, high))
                .filter_map(|(_, term)| self.terms.binary_search(&term.as_str()).ok())
                .filter(|&o| !(first_term..end_term).contains(&o))
                .map(|o| o as TermOrd)
                .collect();
            foreign.sort_unstable();
            foreign.dedup();
            let mut foreign_freqs = Vec::new();
            let mut prev = 0;
            for ord in foreign {
                format::put_varint(&mut foreign_freqs, ord - prev);
                format::put_varint(&mut foreign_freqs, self.freqs[ord as usize]);
                prev = ord;
            }
            let mut pref = MapBuilder::memory();
            let mut pref_lists = Vec::new();
            for (prefix, words) in self.prefixes.range::<str, _>((low, high)) {
                pref.insert(prefix, pref_lists.len() as u64)?;
                format::put_varint(&mut pref_lists, words.len() as u32);
                for (ord, df, word) in words {
                    format::put_varint(&mut pref_lists, *ord);
                    format::put_varint(&mut pref_lists, *df);
                    put_string(&mut pref_lists, word);
                }
            }
            let mut acro = MapBuilder::memory();
            let mut acro_forms = Vec::new();
            for (short, forms) in self.acronyms.range::<str, _>((low, high)) {
                acro.insert(short, acro_forms.len() as u64)?;
                format::put_varint(&mut acro_forms, forms.len() as u32);
                for form in forms {
                    format::put_varint(&mut acro_forms, form.len() as u32);
                    for term in form {
                        put_term(&mut acro_forms, term);
                    }
                }
            }
            let mut long = MapBuilder::memory();
            let mut long_acronyms = Vec::new();
            for (form, short) in self.long_forms.range::<str, _>((low, high)) {
                long.insert(form, long_acronyms.len() as u64)?;
                put_term(&mut long_acronyms, short);
            }
            let id = PartId { kind: PartKind::Dict, n: n as u32 };
            emit(
                id,
                part(
                    id,
                    vec![
                        (b"DICT", dict.into_inner()?),
                        (b"DFRQ", freqs),
                        (b"DFEX", foreign_freqs),
                        (b"PREF", pref.into_inner()?),
                        (b"PRFL", pref_lists),
                        (b"ACRO", acro.into_inner()?),
                        (b"ACRL", acro_forms),
                        (b"LONG", long.into_inner()?),
                        (b"LONL", long_acronyms),
                    ],
                ),
            )?;
        }
        Ok((first_terms, boundaries.into_iter().map(String::into_bytes).collect()))
    }
}
