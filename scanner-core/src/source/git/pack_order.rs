//! Pack order: reading blobs in the order they sit in their packfile keeps libgit2's delta-base
//! cache warm (a delta's base is usually just before it), instead of rebuilding delta chains for
//! blobs visited in commit order. The order comes from the packs' `.idx` files (version 2),
//! read directly; objects not found there (loose objects, alternates) go last.

use std::collections::HashMap;
use std::path::Path;

use git2::Oid;

/// (pack number, offset in pack) of each wanted object that is in a v2 pack index.
pub(crate) fn positions(git_dir: &Path, wanted: &[Oid]) -> HashMap<Oid, (usize, u64)> {
    let mut out = HashMap::with_capacity(wanted.len());
    let Ok(dir) = std::fs::read_dir(git_dir.join("objects").join("pack")) else {
        return out;
    };
    let mut idx_files: Vec<_> = dir
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        .collect();
    idx_files.sort();
    for (pack, path) in idx_files.iter().enumerate() {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Some(index) = IdxV2::parse(&bytes) else {
            continue;
        };
        for oid in wanted {
            if out.contains_key(oid) {
                continue;
            }
            if let Some(off) = index.offset_of(oid.as_bytes()) {
                out.insert(*oid, (pack, off));
            }
        }
    }
    out
}

struct IdxV2<'a> {
    bytes: &'a [u8],
    n: usize,
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> IdxV2<'a> {
    fn parse(bytes: &'a [u8]) -> Option<IdxV2<'a>> {
        if bytes.get(..4)? != b"\xfftOc" || be32(bytes, 4)? != 2 {
            return None;
        }
        let n = be32(bytes, 8 + 255 * 4)? as usize;
        let need = 8 + 256 * 4 + n * (20 + 4 + 4);
        (bytes.len() >= need).then_some(IdxV2 { bytes, n })
    }

    fn oid(&self, i: usize) -> &[u8] {
        let at = 8 + 256 * 4 + i * 20;
        &self.bytes[at..at + 20]
    }

    fn offset_of(&self, oid: &[u8]) -> Option<u64> {
        let first = oid[0] as usize;
        let lo = if first == 0 {
            0
        } else {
            be32(self.bytes, 8 + (first - 1) * 4)? as usize
        };
        let hi = be32(self.bytes, 8 + first * 4)? as usize;
        let (mut lo, mut hi) = (lo, hi.min(self.n));
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.oid(mid).cmp(oid) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let offs = 8 + 256 * 4 + self.n * 24;
                    let o = be32(self.bytes, offs + mid * 4)?;
                    if o & 0x8000_0000 == 0 {
                        return Some(o as u64);
                    }
                    let large = offs + self.n * 4 + (o & 0x7fff_ffff) as usize * 8;
                    return Some(u64::from_be_bytes(
                        self.bytes.get(large..large + 8)?.try_into().ok()?,
                    ));
                }
            }
        }
        None
    }
}
