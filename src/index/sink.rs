//! What the writer hands its parts to: each part as the bytes of its file ([`part`]), the
//! errors a sink may return ([`BuildError`]), and how far the build has got ([`Progress`]).

use std::fmt;

use crate::analyze::ANALYZER_VERSION;
use crate::format::Writer;
use crate::index::schema::PartId;

/// How far the build has got, for a progress display: `done` of `total` in a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Why an index could not be written.
#[derive(Debug)]
pub enum BuildError {
    /// The fst builder refused its input, which sorted input rules out.
    Fst(fst::Error),
    /// The sink could not take a part (a file could not be written, say).
    Sink(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Fst(e) => write!(f, "cannot build the dictionary: {e}"),
            BuildError::Sink(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<fst::Error> for BuildError {
    fn from(e: fst::Error) -> Self {
        BuildError::Fst(e)
    }
}

/// A part's file: its `PART` section, then its own sections.
pub(crate) fn part(id: PartId, sections: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    let mut w = Writer::new();
    w.section(b"PART", id.section());
    for (tag, bytes) in sections {
        w.section(tag, bytes);
    }
    w.finish(ANALYZER_VERSION)
}
