//! The repository's pack files and their `.idx` indexes (version 2), read directly: where each
//! object sits (to visit blobs in pack order and to read them without libgit2, see
//! `pack_reader.rs`) and where each pack entry ends.
//!
//! Pack order matters for speed: a delta's base is usually just before it, so reading blobs in
//! pack order keeps the delta-base cache warm instead of rebuilding chains in commit order.

use std::fs::File;
use std::path::Path;

use git2::Oid;

/// Bytes of a SHA-1 object id; repositories with another hash have no pack we can index here
/// (their objects are read by libgit2).
const OID_LEN: usize = 20;

/// One pack: its data file, kept open for positioned reads, and its index.
pub(crate) struct Pack {
    pub(crate) file: File,
    /// Offset where the trailing checksum begins: the last entry ends there.
    pub(crate) data_end: u64,
    index: Vec<u8>,
    count: usize,
    /// Every entry's offset, ascending: an entry ends where the next one begins.
    pub(crate) sorted_offsets: Vec<u64>,
}

/// All packs of a repository (`objects/pack/*.idx` with their `.pack`), in name order.
#[derive(Default)]
pub(crate) struct PackSet {
    pub(crate) packs: Vec<Pack>,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl PackSet {
    /// Opens every readable v2 index and its pack; unreadable or unknown ones are left out
    /// (their objects are then read through libgit2).
    pub(crate) fn open(git_dir: &Path) -> PackSet {
        let Ok(dir) = std::fs::read_dir(git_dir.join("objects").join("pack")) else {
            return PackSet::default();
        };
        let mut idx_files: Vec<_> = dir
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
            .collect();
        idx_files.sort();
        let packs = idx_files
            .iter()
            .filter_map(|idx| Pack::open(idx, &idx.with_extension("pack")))
            .collect();
        PackSet { packs }
    }

    /// (pack number, offset) of an object, if some pack holds it.
    pub(crate) fn locate(&self, oid: &[u8]) -> Option<(usize, u64)> {
        self.packs
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.offset_of(oid).map(|o| (i, o)))
    }
}

impl Pack {
    fn open(idx_path: &Path, pack_path: &Path) -> Option<Pack> {
        let index = std::fs::read(idx_path).ok()?;
        if index.get(..4)? != b"\xfftOc" || be32(&index, 4)? != 2 {
            return None;
        }
        let count = be32(&index, 8 + 255 * 4)? as usize;
        let need = 8 + 256 * 4 + count * (OID_LEN + 4 + 4) + 2 * OID_LEN;
        if index.len() < need {
            return None;
        }
        let file = File::open(pack_path).ok()?;
        let len = file.metadata().ok()?.len();
        let data_end = len.checked_sub(OID_LEN as u64)?;
        let mut pack = Pack {
            file,
            data_end,
            index,
            count,
            sorted_offsets: Vec::new(),
        };
        let mut offsets = (0..count)
            .map(|i| pack.offset_at(i))
            .collect::<Option<Vec<u64>>>()?;
        offsets.sort_unstable();
        if offsets.last().is_some_and(|&o| o >= data_end) {
            return None;
        }
        pack.sorted_offsets = offsets;
        Some(pack)
    }

    fn oid(&self, i: usize) -> &[u8] {
        let at = 8 + 256 * 4 + i * OID_LEN;
        &self.index[at..at + OID_LEN]
    }

    fn offset_at(&self, i: usize) -> Option<u64> {
        let offs = 8 + 256 * 4 + self.count * (OID_LEN + 4);
        let o = be32(&self.index, offs + i * 4)?;
        if o & 0x8000_0000 == 0 {
            return Some(o as u64);
        }
        let large = offs + self.count * 4 + (o & 0x7fff_ffff) as usize * 8;
        Some(u64::from_be_bytes(
            self.index.get(large..large + 8)?.try_into().ok()?,
        ))
    }

    /// The offset of `oid` in this pack.
    pub(crate) fn offset_of(&self, oid: &[u8]) -> Option<u64> {
        if oid.len() != OID_LEN {
            return None;
        }
        let first = oid[0] as usize;
        let lo = if first == 0 {
            0
        } else {
            be32(&self.index, 8 + (first - 1) * 4)? as usize
        };
        let hi = be32(&self.index, 8 + first * 4)? as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.oid(mid).cmp(oid) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.offset_at(mid),
            }
        }
        None
    }

    /// Where the entry starting at `offset` ends (the next entry, or the trailing checksum).
    pub(crate) fn entry_end(&self, offset: u64) -> u64 {
        let i = self.sorted_offsets.partition_point(|&o| o <= offset);
        self.sorted_offsets.get(i).copied().unwrap_or(self.data_end)
    }
}

/// (pack number, offset) of each wanted object that some pack indexes.
pub(crate) fn positions(packs: &PackSet, wanted: &[Oid]) -> Vec<Option<(usize, u64)>> {
    wanted
        .iter()
        .map(|oid| packs.locate(oid.as_bytes()))
        .collect()
}
