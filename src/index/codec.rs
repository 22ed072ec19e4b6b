//! The encodings the writer and the reader share: one byte per field length, packed
//! dictionary values, packed term frequencies, and length-prefixed strings and terms. Each
//! writing function has its reading twin here, so that the two cannot drift apart.

use crate::format;
use crate::index::schema::{TermOrd, FIELDS};

/// Bytes of `DLEN` per paper: its title's and its abstract's length codes. Authors are not
/// length-normalized (their `b` is 0), so their length is not kept.
pub(crate) const LENS_PER_DOC: usize = 2;

/// The ratio between the lengths of consecutive codes: a code keeps a length to within 7.5%,
/// which moves a BM25F field factor by at most 5.5% (abstract, b = 0.75) or 2.2% (title,
/// b = 0.3), and fits lengths of up to 10^15 tokens. Chosen as the coarsest ratio that left
/// relevance as it was with exact lengths (the open set the same in every kind, SciFact train
/// nDCG@10 0.713 against 0.712; 1.2 moved three kinds of the open set); corpus-large's core
/// with its docs part is 55 KB brotli in the module, where exact lengths took 99 KB gzipped.
const LENGTH_RATIO: f64 = 1.15;

/// A field's length in tokens, coded in one byte on a log scale. The logarithm is `libm`'s,
/// not the platform's, so that an index built natively and one built by the wasm indexer are
/// byte for byte the same.
pub(crate) fn length_code(len: usize) -> u8 {
    (libm::log(len as f64 + 1.0) / libm::log(LENGTH_RATIO)).round().min(255.0) as u8
}

/// The length a [`length_code`] stands for.
pub(crate) fn coded_length(code: u8) -> u32 {
    (LENGTH_RATIO.powi(i32::from(code)) - 1.0).round().min(f64::from(u32::MAX)) as u32
}

/// The lengths a paper's fields are ranked by, given their lengths in tokens: the title's and
/// the abstract's as their one-byte codes keep them, and none for the authors.
pub fn stored_lengths(len: [u32; FIELDS]) -> [u32; FIELDS] {
    [coded_length(length_code(len[0] as usize)), coded_length(length_code(len[1] as usize)), 0]
}

/// The term at `*pos` (its ordinal and document frequency as varints, then its string);
/// advances `*pos`.
pub(crate) fn term_at<'b>(bytes: &'b [u8], pos: &mut usize) -> Option<(&'b str, TermOrd, u32)> {
    let ord = format::varint(bytes, pos)?;
    let doc_freq = format::varint(bytes, pos)?;
    Some((string_at(bytes, pos)?, ord, doc_freq))
}

/// The string at `*pos` (a varint length, then UTF-8 bytes); advances `*pos`.
pub(crate) fn string_at<'b>(bytes: &'b [u8], pos: &mut usize) -> Option<&'b str> {
    let len = format::varint(bytes, pos)? as usize;
    let s = std::str::from_utf8(bytes.get(*pos..pos.checked_add(len)?)?).ok()?;
    *pos += len;
    Some(s)
}

/// Packs what a `DICT` key is: bit 0 says it is a folded word of the corpus, bit 1 that it
/// is a term; bits 2 to 32 hold the ordinal of its term (as a word, the term it stems to; as a
/// term, itself); a key that is a word of one term and itself another term (a few in a
/// thousand) holds that other term's ordinal plus one from bit 33 up. Ordinals are below
/// 2^31 - 1: every term's postings take at least two bytes, and its offsets are u32.
pub(crate) fn dict_value(word_of: Option<TermOrd>, term: Option<TermOrd>) -> u64 {
    match (word_of, term) {
        (Some(a), Some(b)) if a == b => u64::from(a) << 2 | 0b11,
        (Some(a), Some(b)) => (u64::from(b) + 1) << 33 | u64::from(a) << 2 | 0b11,
        (Some(a), None) => u64::from(a) << 2 | 0b01,
        (None, Some(b)) => u64::from(b) << 2 | 0b10,
        (None, None) => 0,
    }
}

const DICT_ORD_MASK: u64 = (1 << 31) - 1;

/// The term a `DICT` key stems to as a word, if it is a word.
pub(crate) fn dict_word(value: u64) -> Option<TermOrd> {
    (value & 0b01 != 0).then_some(((value >> 2) & DICT_ORD_MASK) as u32)
}

/// The key's own term ordinal, if it is a term.
pub(crate) fn dict_term(value: u64) -> Option<TermOrd> {
    (value & 0b10 != 0).then(|| match value >> 33 {
        0 => ((value >> 2) & DICT_ORD_MASK) as u32,
        other => (other - 1) as u32,
    })
}

/// How a posting's term frequencies pack into one byte, per field (title, abstract,
/// authors): the largest value the field's bits hold, and their shift. A field at its largest
/// value is followed by a varint of the rest. Almost every posting is one byte of frequencies:
/// 0 or 1 in the title, a few in the abstract, 0 in the authors.
const TF_PACKING: [(u32, u32); FIELDS] = [(3, 6), (15, 0), (3, 4)];

pub(crate) fn put_tfs(out: &mut Vec<u8>, tf: [u32; FIELDS]) {
    let packed = tf.iter().zip(TF_PACKING).fold(0, |packed, (&t, (max, shift))| packed | (t.min(max) << shift));
    out.push(packed as u8);
    for (&t, (max, _)) in tf.iter().zip(TF_PACKING) {
        if t >= max {
            format::put_varint(out, t - max);
        }
    }
}

pub(crate) fn read_tfs(bytes: &[u8], pos: &mut usize) -> Option<[u32; FIELDS]> {
    let packed = u32::from(*bytes.get(*pos)?);
    *pos += 1;
    let mut tf = [0; FIELDS];
    for (t, (max, shift)) in tf.iter_mut().zip(TF_PACKING) {
        *t = (packed >> shift) & max;
        if *t == max {
            *t = max.checked_add(format::varint(bytes, pos)?)?;
        }
    }
    Some(tf)
}

/// A term as the reader's `term_at` reads it: ordinal, document frequency, string.
pub(crate) fn put_term(out: &mut Vec<u8>, (term, ord, doc_freq): &(String, TermOrd, u32)) {
    format::put_varint(out, *ord);
    format::put_varint(out, *doc_freq);
    put_string(out, term);
}

pub(crate) fn put_string(out: &mut Vec<u8>, s: &str) {
    format::put_varint(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_keep_within_seven_and_a_half_percent_through_their_code() {
        for len in (0..70_000).step_by(7).chain([0, 1, 2, 3, 30, 65_535]) {
            let back = f64::from(coded_length(length_code(len)));
            let len = len as f64;
            assert!((back - len).abs() <= 0.5 + 0.075 * (len + 1.0), "{len} came back as {back}");
        }
        assert_eq!(coded_length(length_code(0)), 0);
        assert_eq!(coded_length(length_code(1)), 1);
        assert!(length_code(100) < length_code(140));
    }

    #[test]
    fn term_frequencies_round_trip_below_at_and_past_each_fields_byte() {
        let values = [0, 1, 2, 3, 4, 14, 15, 16, 200, 70_000, u32::MAX];
        for title in values {
            for abstract_tf in values {
                for authors in values {
                    let tf = [title, abstract_tf, authors];
                    let mut out = vec![];
                    put_tfs(&mut out, tf);
                    let small = title < 3 && abstract_tf < 15 && authors < 3;
                    assert_eq!(out.len() == 1, small, "{tf:?} takes one byte only when every field fits");
                    let mut pos = 0;
                    assert_eq!(read_tfs(&out, &mut pos), Some(tf));
                    assert_eq!(pos, out.len());
                }
            }
        }
    }

    #[test]
    fn dictionary_values_say_word_and_term_apart() {
        for (word_of, term) in [
            (Some(5), Some(5)),
            (Some(5), Some(9)),
            (Some(0), None),
            (None, Some(7)),
            (Some((1 << 31) - 1), Some((1 << 31) - 2)),
            (Some(3), Some((1 << 31) - 2)),
        ] {
            let v = dict_value(word_of, term);
            assert_eq!((dict_word(v), dict_term(v)), (word_of, term));
        }
    }
}
