//! An open index: the core and the parts at hand, read in place from a bundle (and, in a
//! sharded build, given the parts fetched later). Every question is asked through a [`View`].

use crate::format::FormatError;
use crate::index::parts::{self, Store};
use crate::index::reader::View;
use crate::index::schema::{Meta, PartId};
use crate::index::shards::{self, Core};

/// An index: the core and the parts at hand. An embedded index has every part from the
/// start; a sharded one starts with the core alone and is given parts as they arrive
/// ([`Index::insert`]).
pub struct Index<'a> {
    core: Core,
    pub(super) store: Store<'a>,
    /// Whether the bundle it was opened from lacked parts (a sharded build's core).
    sharded: bool,
    /// The parts the bundle held.
    bundled: Vec<PartId>,
}

impl<'a> Index<'a> {
    /// Reads an index bundle (`build`'s output, or a sharded build's core in a bundle of its
    /// own): checks the header, reads the core and every part the bundle holds, in place.
    ///
    /// # Errors
    ///
    /// [`FormatError`] for bytes that are not an index of this format and analyzer version,
    /// or whose parts disagree with the core.
    pub fn open(bytes: &'a [u8]) -> Result<Self, FormatError> {
        let (core, parts) = shards::unbundle(bytes)?;
        let mut index = Index { store: Store::new(&core), core, sharded: false, bundled: Vec::new() };
        for part in parts {
            let id = index.store.insert(&index.core, parts::Bytes::Borrowed(part))?;
            index.bundled.push(id);
        }
        index.sharded = !index.is_complete();
        Ok(index)
    }

    /// Adds a part fetched for a sharded index (the bytes of its file, decompressed).
    ///
    /// # Errors
    ///
    /// [`FormatError`] when the bytes are not a part of this index, or are damaged.
    #[cfg(missing_parts)]
    pub fn insert(&mut self, bytes: Vec<u8>) -> Result<PartId, FormatError> {
        self.store.insert(&self.core, parts::Bytes::owned(bytes))
    }

    /// Drops a part (to keep a cache within its size); a later search that needs it says so.
    #[cfg(missing_parts)]
    pub fn remove(&mut self, id: PartId) {
        self.store.remove(id);
    }

    /// Whether the part is at hand.
    pub fn has(&self, id: PartId) -> bool {
        self.store.has(id)
    }

    /// The bytes a part takes (0 when it is not at hand).
    pub fn part_size(&self, id: PartId) -> usize {
        self.store.size(id)
    }

    /// Every part of the index, in a fixed order.
    pub fn all_parts(&self) -> Vec<PartId> {
        self.core.all_parts()
    }

    /// The parts the bundle did not hold: the files of a sharded build, in a fixed order (for
    /// downloading them all).
    pub fn part_files(&self) -> Vec<PartId> {
        self.all_parts().into_iter().filter(|id| !self.bundled.contains(id)).collect()
    }

    /// Whether the index was opened without all its parts: a sharded build, whose parts
    /// are fetched as queries need them.
    pub fn is_sharded(&self) -> bool {
        self.sharded
    }

    /// Whether every part of the index is at hand (an embedded index always is).
    pub fn is_complete(&self) -> bool {
        self.store.is_complete()
    }

    /// The build's identity: a hash of the parts' bytes, which sharded builds put in the
    /// folder name of their parts.
    pub fn build_id(&self) -> u64 {
        self.core.build
    }

    /// What the core says of the papers' vectors (a build with search by meaning).
    pub fn vectors(&self) -> Option<crate::index::shards::VectorsMap> {
        self.core.vectors
    }

    pub fn meta(&self) -> &Meta {
        &self.core.meta
    }

    pub fn doc_count(&self) -> u32 {
        self.core.meta.doc_count
    }

    /// How many terms the dictionary has: term ordinals are below it.
    pub fn term_count(&self) -> usize {
        self.core.meta.term_count as usize
    }

    /// A reader for one search: it reads the parts at hand and notes those it lacked.
    pub fn view(&self) -> View<'_> {
        View::new(&self.core, &self.store)
    }
}
