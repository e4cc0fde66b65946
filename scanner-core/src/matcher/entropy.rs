//! Shannon entropy of a candidate secret: random tokens score high, words and patterns low.

/// Bits of Shannon entropy per byte of `bytes` (0 for empty input): what a rule's `min_entropy`
/// is compared with.
///
/// ```
/// use scanner_core::matcher::shannon_entropy;
/// assert_eq!(shannon_entropy(b"aaaa"), 0.0);
/// assert_eq!(shannon_entropy(b"abcd"), 2.0);
/// ```
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Lengths at which the floors below were simulated; between them the floor is interpolated.
const FLOOR_LENGTHS: [f64; 8] = [12.0, 16.0, 20.0, 24.0, 32.0, 40.0, 48.0, 64.0];
/// Entropy that 99.9% of uniformly random strings of each length clear, per alphabet
/// (simulated, 20,000 strings per cell): hex (16 symbols), one case and digits (36), both cases
/// and digits (62, also used for base64 alphabets).
const FLOORS: [[f64; 8]; 3] = [
    [2.13, 2.48, 2.67, 2.89, 3.11, 3.26, 3.41, 3.55],
    [2.58, 2.95, 3.25, 3.46, 3.76, 3.97, 4.15, 4.37],
    [2.75, 3.20, 3.45, 3.72, 4.05, 4.36, 4.54, 4.80],
];

/// The entropy a generated value of this length and alphabet reaches 999 times in 1,000, or
/// `None` under 12 bytes. A 32-digit hex key averages 3.63 bits per character and one in 60
/// stays under 3.3, so a rule's `min_entropy` of 3.3 would drop that share of real keys: the
/// threshold applied is the lower of the rule's and this floor ([`reaches`]). Also returns the
/// most a value of that alphabet can reach (log2 of its size).
fn random_floor(bytes: &[u8]) -> Option<(f64, f64)> {
    // Without letters a value is a number (ids, account numbers, dates), not a generated key.
    if bytes.len() < 12 || !bytes.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    // Dashes included: a UUID is hex in groups.
    let hex = bytes
        .iter()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'-'))
        || bytes
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F' | b'-'));
    let one_case = bytes
        .iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        || bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    let (row, max_bits) = if hex {
        (&FLOORS[0], 4.0)
    } else if one_case {
        (&FLOORS[1], 36f64.log2())
    } else {
        (&FLOORS[2], 62f64.log2())
    };
    let n = bytes.len() as f64;
    let i = FLOOR_LENGTHS
        .iter()
        .position(|&l| n <= l)
        .unwrap_or(FLOOR_LENGTHS.len());
    let floor = match i {
        0 => row[0],
        i if i == FLOOR_LENGTHS.len() => row[i - 1],
        i => {
            let (l0, l1) = (FLOOR_LENGTHS[i - 1], FLOOR_LENGTHS[i]);
            row[i - 1] + (row[i] - row[i - 1]) * (n - l0) / (l1 - l0)
        }
    };
    Some((floor, max_bits))
}

/// True when `bytes` reaches `min` bits per byte, or the entropy nearly every random value of
/// its length and alphabet reaches. A `min` above what the value's alphabet can reach at all
/// (more than 4 bits for hex) says "not this alphabet" and is kept: `aws-secret-access-key`
/// leaves 40-digit hex (SHA-1 digests) out that way.
pub(crate) fn reaches(bytes: &[u8], min: f64) -> bool {
    let e = shannon_entropy(bytes);
    e >= min || random_floor(bytes).is_some_and(|(floor, max_bits)| min <= max_bits && e >= floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_random() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8vN3kR2b") > 4.5);
    }

    #[test]
    fn a_generated_hex_key_below_a_rules_minimum_still_reaches_it() {
        // 3.19 bits per character: one random 32-digit hex value in 60 is this low.
        let key = b"61b4edf61414fa86dc544b4bb65166fe";
        assert!(shannon_entropy(key) < 3.3);
        assert!(reaches(key, 3.3));
        // Patterns stay below every floor.
        assert!(!reaches(b"aaaabbbbccccddddaaaabbbbccccdddd", 3.3));
        assert!(!reaches(b"deadbeefdeadbeefdeadbeefdeadbeef", 3.3));
        // Short values and numbers keep the rule's threshold.
        assert!(!reaches(b"61b4edf6", 3.3));
        assert!(!reaches(b"40718264935501827364", 3.3));
        assert!(!reaches(b"2023-11-30-0815-2210", 3.3));
        // A UUID is hex in groups: this one has 3.47 bits/char, under a minimum of 3.5.
        assert!(reaches(b"ed5cc6f8-b488-452b-aa48-88bc8e044876", 3.5));
    }
}
