//! Reading blobs for a history scan: packed blobs with this crate's pack reader, each worker over
//! contiguous runs of the pack order (see `pack_reader.rs`); loose objects, objects of packs we
//! cannot index and anything the pack reader rejects through libgit2, whose verdict on a corrupt
//! object is the one reported.

use std::path::Path;

use git2::Repository;
use rayon::prelude::*;

use super::pack_index::PackSet;
use super::pack_reader::{Object, PackReader};
use super::{BlobEntry, BlobSink};

/// Blobs per unit of work: small enough to balance two to a few dozen workers, large enough that
/// a worker's delta-base cache pays off within its run.
const RUN: usize = 512;

/// Reads every entry in `order`; `pos[i]` is where entry `i` sits in `packs`, if it is packed.
pub(crate) fn blobs(
    repo_path: &Path,
    packs: &PackSet,
    pos: &[Option<(usize, u64)>],
    entries: &[BlobEntry],
    order: &[usize],
    sink: &BlobSink<'_>,
) {
    let (packed, rest): (Vec<usize>, Vec<usize>) = order.iter().partition(|&&i| pos[i].is_some());
    let max = sink.max_size();
    let retry: Vec<usize> = packed
        .par_chunks(RUN)
        .flat_map_iter(|run| {
            let mut reader = PackReader::new(packs);
            let mut retry = Vec::new();
            for &i in run {
                let Some((pack, offset)) = pos[i] else {
                    continue;
                };
                match reader.read(pack, offset, max) {
                    Ok(Object::Data(bytes)) => sink.deliver(i, &bytes),
                    Ok(Object::TooLarge(size)) => {
                        sink.too_large(i, size);
                    }
                    Err(_) => retry.push(i),
                }
            }
            retry
        })
        .collect();
    let rest: Vec<usize> = rest.into_iter().chain(retry).collect();
    with_libgit2(repo_path, entries, &rest, sink);
}

/// Reads with libgit2, one `Repository` per rayon worker over contiguous runs of the order.
fn with_libgit2(repo_path: &Path, entries: &[BlobEntry], order: &[usize], sink: &BlobSink<'_>) {
    order.par_iter().with_min_len(256).for_each_init(
        || Repository::open(repo_path).ok(),
        |repo, &i| {
            let Some(repo) = repo else {
                sink.unreadable(i, "repository could not be opened");
                return;
            };
            // The header gives the size without inflating the object.
            if let Ok((size, _)) = repo.odb().and_then(|odb| odb.read_header(entries[i].oid)) {
                if sink.too_large(i, size as u64) {
                    return;
                }
            }
            match repo.find_blob(entries[i].oid) {
                Ok(blob) => sink.deliver(i, blob.content()),
                Err(e) => sink.unreadable(i, e.message()),
            }
        },
    );
}
