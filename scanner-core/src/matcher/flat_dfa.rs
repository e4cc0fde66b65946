//! The keyword automaton as a flat transition table, laid out for the one loop that dominates a
//! scan: every byte of every file goes through it.
//!
//! `aho_corasick`'s DFA builds the automaton (failure links, case folding, overlapping matches);
//! this module copies its transitions into a table that the scan loop can index without calls or
//! checks. Three choices make that loop cheap:
//! - byte classes from the keywords themselves: a byte that occurs in no keyword (case-folded)
//!   leads every state back to the start state, so all such bytes share class 0, and the stride
//!   stays small (a few dozen classes instead of 256);
//! - `u16` state ids (shifted by the stride, not premultiplied) halve the table's cache footprint;
//! - match states are numbered first, so "did any cursor reach a match?" is one comparison per
//!   cursor, and the rare match is handled out of line.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, PatternID};

const SMALL_SHIFT: u32 = 6;
const LARGE_SHIFT: u32 = 8;

/// Transition table of an Aho-Corasick DFA (unanchored, overlapping matches).
#[derive(Debug)]
pub(crate) struct FlatDfa {
    classes: [u8; 256],
    shift: u32,
    table: Vec<u16>,
    start: u16,
    /// States below this id are match states.
    match_limit: u16,
    /// Patterns matched in state `s`: `patterns[match_at[s]..match_at[s + 1]]`.
    match_at: Vec<u32>,
    patterns: Vec<PatternID>,
}

/// The automaton has more states than a `u16` can number; the caller keeps the original DFA.
#[derive(Debug)]
pub(crate) struct TooLarge;

impl FlatDfa {
    /// Copies `dfa`, whose patterns are made of the bytes in `pattern_bytes` (already folded:
    /// both cases of a letter are listed when the automaton is case-insensitive).
    pub(crate) fn new(dfa: &DFA, pattern_bytes: &[u8]) -> Result<FlatDfa, TooLarge> {
        let mut classes = [0u8; 256];
        let mut representatives = vec![0u8]; // class 0: bytes in no pattern (0 is one if unused)
        let mut seen_fold = HashMap::<u8, u8>::new();
        for &b in pattern_bytes {
            let fold = b.to_ascii_lowercase();
            let class = *seen_fold.entry(fold).or_insert_with(|| {
                representatives.push(fold);
                (representatives.len() - 1) as u8
            });
            classes[b as usize] = class;
        }
        // A byte in no pattern must still be checked to send every state to the start state;
        // pick one that really is in no pattern, or there is no class 0 at all.
        representatives[0] = match (0..=255u8).find(|b| {
            !pattern_bytes.contains(b) && !pattern_bytes.contains(&b.to_ascii_uppercase())
        }) {
            Some(b) => b,
            None => return Err(TooLarge),
        };
        // Two fixed strides, so the scan loops shift by a constant: 64 classes cover letters
        // (case-folded), digits and the punctuation of every default keyword.
        let shift = if representatives.len() <= 1 << SMALL_SHIFT {
            SMALL_SHIFT
        } else {
            LARGE_SHIFT
        };

        let start = dfa.start_state(Anchored::No).map_err(|_| TooLarge)?;
        // Breadth-first from the start state: every state of an Aho-Corasick trie is reachable.
        let mut order = vec![start];
        let mut index = HashMap::from([(start, 0usize)]);
        let mut next = 0;
        while next < order.len() {
            let sid = order[next];
            next += 1;
            for &rep in &representatives {
                let to = dfa.next_state(Anchored::No, sid, rep);
                index.entry(to).or_insert_with(|| {
                    order.push(to);
                    order.len() - 1
                });
            }
        }
        if order.len() > u16::MAX as usize || dfa.is_match(start) {
            return Err(TooLarge);
        }
        // Renumber: match states first.
        let mut renumbered: Vec<StateID> =
            order.iter().copied().filter(|&s| dfa.is_match(s)).collect();
        let match_limit = renumbered.len() as u16;
        renumbered.extend(order.iter().copied().filter(|&s| !dfa.is_match(s)));
        let id_of: HashMap<StateID, u16> = renumbered
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, i as u16))
            .collect();

        let mut table = vec![0u16; renumbered.len() << shift];
        let mut match_at = Vec::with_capacity(match_limit as usize + 1);
        let mut patterns = Vec::new();
        for (id, &sid) in renumbered.iter().enumerate() {
            for (class, &rep) in representatives.iter().enumerate() {
                table[(id << shift) | class] = id_of[&dfa.next_state(Anchored::No, sid, rep)];
            }
            if id < match_limit as usize {
                match_at.push(patterns.len() as u32);
                patterns.extend((0..dfa.match_len(sid)).map(|i| dfa.match_pattern(sid, i)));
            }
        }
        match_at.push(patterns.len() as u32);
        Ok(FlatDfa {
            classes,
            shift,
            table,
            start: id_of[&start],
            match_limit,
            match_at,
            patterns,
        })
    }

    /// Size figures for tests and benchmarks.
    #[cfg(test)]
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} states ({} matching), stride {}, table {} KiB",
            self.table.len() >> self.shift,
            self.match_limit,
            1usize << self.shift,
            self.table.len() * 2 / 1024
        )
    }

    pub(crate) fn start(&self) -> u16 {
        self.start
    }

    #[inline(always)]
    fn next<const SHIFT: u32>(&self, state: u16, byte: u8) -> u16 {
        let at = ((state as usize) << SHIFT) | self.classes[byte as usize] as usize;
        // SAFETY: every table entry is a state id below `table.len() >> shift` (built above), and
        // every class is below the stride, so `at` is within the table.
        unsafe { *self.table.get_unchecked(at) }
    }

    #[inline(always)]
    fn is_match(&self, state: u16) -> bool {
        state < self.match_limit
    }

    #[cold]
    fn emit(&self, state: u16, end: usize, own: usize, out: &mut Vec<(PatternID, usize)>) {
        if end > own {
            let s = state as usize;
            let (a, b) = (self.match_at[s] as usize, self.match_at[s + 1] as usize);
            out.extend(self.patterns[a..b].iter().map(|&p| (p, end)));
        }
    }

    /// One cursor over `hay[from..to]` starting in `state`, reporting matches that end after
    /// `own`; returns the final state.
    pub(crate) fn stream(
        &self,
        hay: &[u8],
        from: usize,
        own: usize,
        to: usize,
        state: u16,
        out: &mut Vec<(PatternID, usize)>,
    ) -> u16 {
        if self.shift == SMALL_SHIFT {
            self.stream_with::<SMALL_SHIFT>(hay, from, own, to, state, out)
        } else {
            self.stream_with::<LARGE_SHIFT>(hay, from, own, to, state, out)
        }
    }

    #[inline(never)]
    fn stream_with<const SHIFT: u32>(
        &self,
        hay: &[u8],
        from: usize,
        own: usize,
        to: usize,
        mut state: u16,
        out: &mut Vec<(PatternID, usize)>,
    ) -> u16 {
        for (p, &b) in hay[from..to].iter().enumerate() {
            state = self.next::<SHIFT>(state, b);
            if self.is_match(state) {
                self.emit(state, from + p + 1, own, out);
            }
        }
        state
    }

    /// Four cursors in lockstep over four equally long slices starting at `starts[k]`; the
    /// matches of cursor k count when they end after `own[k]`. Returns the cursors' states.
    /// A DFA step is a dependent load, so independent cursors keep the core busy while each
    /// waits on its load.
    pub(crate) fn four(
        &self,
        hay: &[u8],
        starts: [usize; 4],
        len: usize,
        own: [usize; 4],
        out: &mut Vec<(PatternID, usize)>,
    ) -> [u16; 4] {
        if self.shift == SMALL_SHIFT {
            self.four_with::<SMALL_SHIFT>(hay, starts, len, own, out)
        } else {
            self.four_with::<LARGE_SHIFT>(hay, starts, len, own, out)
        }
    }

    // Out of line: inlined into the matcher, the loop's pointers and states spill to the stack.
    #[inline(never)]
    fn four_with<const SHIFT: u32>(
        &self,
        hay: &[u8],
        starts: [usize; 4],
        len: usize,
        own: [usize; 4],
        out: &mut Vec<(PatternID, usize)>,
    ) -> [u16; 4] {
        for k in 0..4 {
            // Written so that nothing can overflow: the unsafe reads below rely on it.
            assert!(
                starts[k] <= hay.len() && len <= hay.len() - starts[k],
                "cursor {k} runs past the input"
            );
            assert!(starts[k] >= starts[0], "cursor {k} starts before cursor 0");
        }
        let lead = &hay[starts[0]..];
        let gaps = [
            starts[1] - starts[0],
            starts[2] - starts[0],
            starts[3] - starts[0],
        ];
        let mut states = [self.start; 4];
        let mut i = 0;
        while i < len {
            // SAFETY: asserted above: every cursor's `len` bytes are inside `hay`, so
            // `lead[j + gap]` exists for every j < len.
            (i, states) = unsafe { self.advance_four::<SHIFT>(lead, gaps, i, len, states) };
            for (k, &s) in states.iter().enumerate() {
                if self.is_match(s) {
                    self.emit(s, starts[k] + i, own[k], out);
                }
            }
        }
        states
    }

    /// Advances the four cursors from byte `i` until one of them reaches a match state or byte
    /// `len`; returns the index after the last byte read and the states. Cursor 0 reads
    /// `lead[j]`, cursor k `lead[j + gaps[k - 1]]`.
    ///
    /// A function of its own that calls nothing: its dozen live values (one pointer, three
    /// gaps, four states, table, classes, match limit, end) fit the registers. Written inside
    /// the caller, whose starts, ends and output are live too, a rebuild of unrelated code once
    /// made the compiler keep a state and the table pointer on the stack: +30% scan time.
    ///
    /// # Safety
    /// `lead[j]` and `lead[j + gap]` must be in bounds for every `j < len` and every gap.
    #[inline(never)]
    unsafe fn advance_four<const SHIFT: u32>(
        &self,
        lead: &[u8],
        gaps: [usize; 3],
        i: usize,
        len: usize,
        states: [u16; 4],
    ) -> (usize, [u16; 4]) {
        let [mut s0, mut s1, mut s2, mut s3] = states;
        let [g1, g2, g3] = gaps;
        let base = lead.as_ptr();
        let mut j = i;
        while j < len {
            // SAFETY: the caller guarantees these reads are in bounds.
            let (b0, b1, b2, b3) = unsafe {
                (
                    *base.add(j),
                    *base.add(j + g1),
                    *base.add(j + g2),
                    *base.add(j + g3),
                )
            };
            s0 = self.next::<SHIFT>(s0, b0);
            s1 = self.next::<SHIFT>(s1, b1);
            s2 = self.next::<SHIFT>(s2, b2);
            s3 = self.next::<SHIFT>(s3, b3);
            j += 1;
            if self.is_match(s0.min(s1).min(s2.min(s3))) {
                break;
            }
        }
        (j, [s0, s1, s2, s3])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    fn build(patterns: &[Vec<u8>]) -> (DFA, FlatDfa) {
        let dfa = aho_corasick::dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(patterns)
            .unwrap();
        let mut bytes: Vec<u8> = patterns.iter().flatten().copied().collect();
        bytes.extend(bytes.clone().iter().map(u8::to_ascii_uppercase));
        bytes.sort_unstable();
        bytes.dedup();
        let flat = FlatDfa::new(&dfa, &bytes).unwrap();
        (dfa, flat)
    }

    /// Deterministic bytes drawn mostly from the patterns' own bytes, so matches are dense.
    fn haystack(patterns: &[Vec<u8>], len: usize) -> Vec<u8> {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let p = &patterns[(x % patterns.len() as u64) as usize];
            match (x >> 32) % 4 {
                0 => out.extend_from_slice(p),
                1 => out.extend(p.iter().map(u8::to_ascii_uppercase)),
                2 => out.push((x >> 40) as u8),
                _ => out.extend_from_slice(&p[..p.len() / 2]),
            }
        }
        out.truncate(len);
        out
    }

    fn check(patterns: Vec<Vec<u8>>, want_stride: usize) {
        let (_, flat) = build(&patterns);
        assert!(flat.describe().contains(&format!("stride {want_stride}")));
        let reference = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .unwrap();
        let hay = haystack(&patterns, 50_000);
        let mut want: Vec<(PatternID, usize)> = reference
            .find_overlapping_iter(&hay)
            .map(|m| (m.pattern(), m.end()))
            .collect();
        want.sort();
        assert!(want.len() > 1000, "the haystack should be match-dense");

        let mut one = Vec::new();
        flat.stream(&hay, 0, 0, hay.len(), flat.start(), &mut one);
        one.sort();
        assert_eq!(one, want);

        // Four cursors over quarters with a lead, as the keyword index runs them.
        let lead = patterns.iter().map(Vec::len).max().unwrap() - 1;
        let chunk = hay.len() / 4;
        let own: [usize; 4] = std::array::from_fn(|k| k * chunk);
        let starts: [usize; 4] = std::array::from_fn(|k| own[k].saturating_sub(lead));
        let mut four = Vec::new();
        let states = flat.four(&hay, starts, chunk, own, &mut four);
        for k in 0..4 {
            let stop = if k == 3 { hay.len() } else { (k + 1) * chunk };
            flat.stream(&hay, starts[k] + chunk, own[k], stop, states[k], &mut four);
        }
        four.sort();
        assert_eq!(four, want);
    }

    #[test]
    fn matches_what_aho_corasick_finds_with_the_small_stride() {
        let patterns = [
            "akia", "password", "ghp_", "xoxb-", "secret_a", "-----beg", "key", "ey",
        ]
        .map(|p| p.as_bytes().to_vec())
        .to_vec();
        check(patterns, 64);
    }

    #[test]
    fn matches_what_aho_corasick_finds_with_the_large_stride() {
        // More than 64 distinct byte classes: every punctuation byte and high bytes.
        let mut patterns: Vec<Vec<u8>> = (0x21u8..0x7f)
            .collect::<Vec<u8>>()
            .chunks(3)
            .map(<[u8]>::to_vec)
            .collect();
        patterns.push(vec![0xc3, 0xa9, b'x']);
        patterns.push(b"token".to_vec());
        check(patterns, 256);
    }
}
