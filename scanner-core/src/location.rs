//! Line and column numbers, computed only for the spans that are reported.

use std::ops::Range;

use crate::finding::Location;

/// Converts byte offsets to 1-based line/column positions. Offsets must be asked in
/// increasing order for the incremental walk to pay off; any order is correct.
pub(crate) struct LineIndex<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    /// Characters from `line_start` to `counted_to`: columns on one long line (a minified
    /// bundle with thousands of findings) are counted on from the last one, not from the start.
    counted_to: usize,
    chars: usize,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        LineIndex {
            bytes,
            pos: 0,
            line: 1,
            line_start: 0,
            counted_to: 0,
            chars: 0,
        }
    }

    /// Whether the byte at `i` ends a line: LF, CR LF (counted at the LF) or a lone CR, the
    /// line terminators of SARIF and of old Mac files alike.
    fn is_break(&self, i: usize) -> bool {
        match self.bytes[i] {
            b'\n' => true,
            b'\r' => self.bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        }
    }

    fn position(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.bytes.len());
        if offset < self.pos {
            // Walk back from where we are rather than from the start: companions before their
            // finding (a key id above its secret) would otherwise make each lookup O(file).
            let back = memchr::memchr2_iter(b'\n', b'\r', &self.bytes[offset..self.pos])
                .filter(|&i| self.is_break(offset + i))
                .count();
            self.line -= back;
            let mut end = offset;
            self.line_start = 0;
            while let Some(i) = memchr::memrchr2(b'\n', b'\r', &self.bytes[..end]) {
                if self.is_break(i) {
                    self.line_start = i + 1;
                    break;
                }
                end = i;
            }
            self.pos = offset;
        }
        for i in memchr::memchr2_iter(b'\n', b'\r', &self.bytes[self.pos..offset]) {
            let at = self.pos + i;
            if self.is_break(at) {
                self.line += 1;
                self.line_start = at + 1;
            }
        }
        self.pos = offset;
        // Columns count characters: every byte that is not a UTF-8 continuation byte.
        let chars = |b: &[u8]| b.iter().filter(|&&b| (b as i8) >= -0x40).count();
        if self.counted_to < self.line_start || self.counted_to > offset {
            self.counted_to = self.line_start;
            self.chars = 0;
        }
        self.chars += chars(&self.bytes[self.counted_to..offset]);
        self.counted_to = offset;
        (self.line, self.chars + 1)
    }

    pub(crate) fn location(&mut self, span: &Range<usize>) -> Location {
        let (line, column) = self.position(span.start);
        let (end_line, end_column) = self.position(span.end);
        Location {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// The bytes of the lines that `span` touches.
pub(crate) fn lines_of(bytes: &[u8], span: &Range<usize>) -> Range<usize> {
    let start = memchr::memrchr(b'\n', &bytes[..span.start.min(bytes.len())]).map_or(0, |i| i + 1);
    let end_from = span.end.min(bytes.len());
    let end = memchr::memchr(b'\n', &bytes[end_from..]).map_or(bytes.len(), |i| end_from + i);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_counted_on_along_one_line_match_a_fresh_count() {
        let text = "é=1;".repeat(50) + "\nab\u{e9}cd";
        let mut idx = LineIndex::new(text.as_bytes());
        for (at, _) in text.char_indices().filter(|(i, _)| i % 3 == 0) {
            let fresh = LineIndex::new(text.as_bytes()).location(&(at..at));
            assert_eq!(idx.location(&(at..at)), fresh, "at {at}");
        }
        // and walking back along the line
        let fresh = LineIndex::new(text.as_bytes()).location(&(3..3));
        assert_eq!(idx.location(&(3..3)), fresh);
    }

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé f\r\nxyz";
        let mut idx = LineIndex::new(text.as_bytes());
        let f = text.find('f').unwrap();
        assert_eq!(
            idx.location(&(f..f + 1)),
            Location {
                line: 2,
                column: 5,
                end_line: 2,
                end_column: 6
            }
        );
        let x = text.find('x').unwrap();
        assert_eq!(idx.location(&(x..x + 3)).line, 3);
        assert_eq!(idx.location(&(0..1)).line, 1);
        // Backwards after forwards gives the same answer as a fresh index.
        assert_eq!(idx.location(&(x..x + 3)).line, 3);
        let back = idx.location(&(f..f + 1));
        assert_eq!(back, LineIndex::new(text.as_bytes()).location(&(f..f + 1)));
        // A lone CR ends a line (old Mac files, SARIF's definition); CR LF is one break.
        let mac = "a\rbc\r\nd";
        let mut idx = LineIndex::new(mac.as_bytes());
        let d = mac.find('d').unwrap();
        let c = mac.find('c').unwrap();
        assert_eq!(
            (
                idx.location(&(d..d + 1)).line,
                idx.location(&(d..d + 1)).column
            ),
            (3, 1)
        );
        assert_eq!(
            (
                idx.location(&(c..c + 1)).line,
                idx.location(&(c..c + 1)).column
            ),
            (2, 2)
        );
        assert_eq!(
            &text.as_bytes()[lines_of(text.as_bytes(), &(f..f + 1))],
            "cdé f\r".as_bytes()
        );
    }
}
