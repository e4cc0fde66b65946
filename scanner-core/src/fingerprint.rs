//! Fingerprints name a secret without revealing it. They depend only on the rule and the
//! secret, so they survive line moves, renames, rebases and squashes: baselines built on them
//! stay valid.

use sha2::{Digest, Sha256};

/// Hex SHA-256 of `rule_id`, a NUL and the secret, cut to 128 bits.
///
/// ```
/// let a = scanner_core::fingerprint("aws-access-key-id", b"AKIAZ3MHBX4QTY7VQZ7B");
/// assert_eq!(a.len(), 32);
/// assert_eq!(a, scanner_core::fingerprint("aws-access-key-id", b"AKIAZ3MHBX4QTY7VQZ7B"));
/// ```
pub fn fingerprint(rule_id: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0u8]);
    h.update(secret);
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}
