//! The index file's byte layout: a versioned header, a table of sections, and the encodings
//! the sections use. ARCHITECTURE.md documents the whole format; this module is its one
//! implementation, for the writer (`build.rs`) and the reader (the wasm module) alike.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic     8 bytes   b"PAPRSRCH"
//! format    u32       FORMAT_VERSION
//! analyzer  u32       analyze::ANALYZER_VERSION of the analyzer that wrote the index
//! count     u32       number of sections
//! table     count × { tag [u8; 4], offset u32, length u32 }   offsets from the file start
//! ...       section bytes
//! ```
//!
//! A reader looks sections up by tag and skips tags it does not know, so a section can be
//! added without breaking older readers; a change to an existing section bumps the version.

use std::fmt;

/// First bytes of every index file.
pub const MAGIC: &[u8; 8] = b"PAPRSRCH";

/// Version of the layout below and of every section's encoding.
pub const FORMAT_VERSION: u32 = 6;

const HEADER_LEN: usize = 8 + 4 + 4 + 4;
const ENTRY_LEN: usize = 4 + 4 + 4;

/// An index that cannot be read. The messages say how to fix it: an index is only ever
/// produced by the build, so the fix is to rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    NotAnIndex,
    Version { found: u32, expected: u32 },
    Analyzer { found: u32, expected: u32 },
    Truncated(&'static str),
    MissingSection([u8; 4]),
    Corrupt(&'static str),
}

impl FormatError {
    /// What is wrong, without the fix (for a page's visitor, who cannot rebuild the index).
    pub fn problem(&self) -> String {
        match self {
            FormatError::NotAnIndex => "not a paper-search index (bad magic bytes)".into(),
            FormatError::Version { found, expected } => {
                format!("index format version {found}, but this reader reads version {expected}")
            }
            FormatError::Analyzer { found, expected } => {
                format!("index written by analyzer version {found}, but queries use version {expected}")
            }
            FormatError::Truncated(what) => format!("index truncated in {what}"),
            FormatError::MissingSection(tag) => format!("index has no {} section", String::from_utf8_lossy(tag)),
            FormatError::Corrupt(what) => format!("index corrupt: {what}"),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; rebuild the index with ./build.sh", self.problem())
    }
}

impl std::error::Error for FormatError {}

/// Writes an index file: sections are added in order, then [`Writer::finish`] lays out the
/// header and the table.
#[derive(Default)]
pub struct Writer {
    sections: Vec<([u8; 4], Vec<u8>)>,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn section(&mut self, tag: &[u8; 4], bytes: Vec<u8>) {
        self.sections.push((*tag, bytes));
    }

    /// The file's bytes, with `analyzer_version` recorded in the header.
    pub fn finish(self, analyzer_version: u32) -> Vec<u8> {
        let table_end = HEADER_LEN + ENTRY_LEN * self.sections.len();
        let total = table_end + self.sections.iter().map(|(_, b)| b.len()).sum::<usize>();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, FORMAT_VERSION);
        put_u32(&mut out, analyzer_version);
        put_u32(&mut out, self.sections.len() as u32);
        let mut offset = table_end;
        for (tag, bytes) in &self.sections {
            out.extend_from_slice(tag);
            put_u32(&mut out, offset as u32);
            put_u32(&mut out, bytes.len() as u32);
            offset += bytes.len();
        }
        for (_, bytes) in self.sections {
            out.extend_from_slice(&bytes);
        }
        out
    }
}

/// A read index file: the header checked and the section table parsed. Borrowing, no copies.
pub struct Reader<'a> {
    data: &'a [u8],
    table: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Checks magic and versions.
    ///
    /// # Errors
    ///
    /// [`FormatError`] when the bytes are not an index of this format and analyzer version.
    pub fn open(data: &'a [u8], analyzer_version: u32) -> Result<Self, FormatError> {
        if data.len() < HEADER_LEN || &data[..8] != MAGIC {
            return Err(FormatError::NotAnIndex);
        }
        let found = u32_at(data, 8).ok_or(FormatError::Truncated("header"))?;
        if found != FORMAT_VERSION {
            return Err(FormatError::Version { found, expected: FORMAT_VERSION });
        }
        let found = u32_at(data, 12).ok_or(FormatError::Truncated("header"))?;
        if found != analyzer_version {
            return Err(FormatError::Analyzer { found, expected: analyzer_version });
        }
        let count = u32_at(data, 16).ok_or(FormatError::Truncated("header"))? as usize;
        let table =
            data.get(HEADER_LEN..HEADER_LEN + count * ENTRY_LEN).ok_or(FormatError::Truncated("section table"))?;
        Ok(Reader { data, table })
    }

    /// The bytes of the section tagged `tag`.
    ///
    /// # Errors
    ///
    /// [`FormatError::MissingSection`] when there is none, `Truncated` when it lies past the end.
    pub fn section(&self, tag: &[u8; 4]) -> Result<&'a [u8], FormatError> {
        for entry in self.table.chunks_exact(ENTRY_LEN) {
            if &entry[..4] == tag {
                let offset = u32_at(entry, 4).unwrap_or(0) as usize;
                let len = u32_at(entry, 8).unwrap_or(0) as usize;
                return offset
                    .checked_add(len)
                    .and_then(|end| self.data.get(offset..end))
                    .ok_or(FormatError::Truncated("a section"));
            }
        }
        Err(FormatError::MissingSection(*tag))
    }

    /// Every section, with its tag, in table order (a bundle repeats its `PART` tag).
    pub fn sections(&self) -> impl Iterator<Item = ([u8; 4], &'a [u8])> + '_ {
        self.table.chunks_exact(ENTRY_LEN).map(|entry| {
            let tag = [entry[0], entry[1], entry[2], entry[3]];
            let offset = u32_at(entry, 4).unwrap_or(0) as usize;
            let len = u32_at(entry, 8).unwrap_or(0) as usize;
            (tag, self.data.get(offset..offset.saturating_add(len)).unwrap_or(&[]))
        })
    }
}

pub fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn put_f32(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

pub fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The little-endian u32 at byte `at`, if the slice is long enough.
pub fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The u32 at index `i` of a slice of u32s.
pub fn u32_index(bytes: &[u8], i: usize) -> Option<u32> {
    u32_at(bytes, i.checked_mul(4)?)
}

pub fn f32_at(bytes: &[u8], at: usize) -> Option<f32> {
    Some(f32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

pub fn u16_index(bytes: &[u8], i: usize) -> Option<u16> {
    let at = i.checked_mul(2)?;
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

/// Appends `v` as a LEB128 variable-length integer (7 bits a byte, low bits first).
pub fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 integer at `*pos` and advances `*pos`; `None` past the end or on overflow.
pub fn varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        if shift > 28 {
            return None;
        }
        v |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for v in [0, 1, 127, 128, 255, 16_383, 16_384, u32::MAX - 1, u32::MAX] {
            let mut buf = Vec::new();
            put_varint(&mut buf, v);
            let mut pos = 0;
            assert_eq!(varint(&buf, &mut pos), Some(v));
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn truncated_varint_is_none() {
        let mut pos = 0;
        assert_eq!(varint(&[0x80, 0x80], &mut pos), None);
    }

    #[test]
    fn sections_round_trip_and_unknown_tags_are_skipped() {
        let mut w = Writer::new();
        w.section(b"AAAA", vec![1, 2, 3]);
        w.section(b"NEW!", vec![9; 10]);
        w.section(b"BBBB", vec![]);
        let bytes = w.finish(7);
        let r = Reader::open(&bytes, 7).unwrap();
        assert_eq!(r.section(b"AAAA").unwrap(), &[1, 2, 3]);
        assert_eq!(r.section(b"BBBB").unwrap(), &[] as &[u8]);
        assert_eq!(r.section(b"CCCC").err(), Some(FormatError::MissingSection(*b"CCCC")));
    }

    #[test]
    fn refuses_other_versions_with_a_fix() {
        let bytes = Writer::new().finish(1);
        let e = Reader::open(&bytes, 2).err().unwrap();
        assert_eq!(e, FormatError::Analyzer { found: 1, expected: 2 });
        assert!(e.to_string().contains("rebuild"));
        let mut bumped = bytes.clone();
        bumped[8] = 99;
        assert!(matches!(Reader::open(&bumped, 1), Err(FormatError::Version { found: 99, .. })));
        assert_eq!(Reader::open(b"garbage", 1).err(), Some(FormatError::NotAnIndex));
        assert!(Reader::open(&bytes[..bytes.len() - 1], 1).is_err());
    }
}
