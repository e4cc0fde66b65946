//! A JSON tree that remembers where every string value is. serde_json gives structure but not
//! positions, and a state finding must point at the exact line and column of its value.
//!
//! The tree borrows from the document; only keys and values with escapes are decoded, on demand.

use std::borrow::Cow;
use std::ops::Range;

/// Deeper nesting is refused (a stack guard against hostile input; real states nest < 20).
const MAX_DEPTH: usize = 200;

/// A JSON value with the byte position of each string.
#[derive(Debug)]
pub(crate) enum Node<'a> {
    Object(Vec<(JsonStr<'a>, Node<'a>)>),
    Array(Vec<Node<'a>>),
    String(JsonStr<'a>),
    /// A number, `true`, `false` or `null`, as written.
    Scalar(&'a [u8]),
}

/// A string as written between its quotes, and where.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonStr<'a> {
    raw: &'a [u8],
    /// Offset of the first byte after the opening quote, in the whole document.
    start: usize,
    escaped: bool,
}

/// A parse failure at a byte offset of the whole document.
#[derive(Debug)]
pub(crate) struct ParseError {
    pub offset: usize,
    pub message: &'static str,
}

impl<'a> JsonStr<'a> {
    /// Byte span of the string's content (without quotes) in the document.
    pub(crate) fn span(&self) -> Range<usize> {
        self.start..self.start + self.raw.len()
    }

    /// Whether the raw text differs from the value (it holds escapes).
    pub(crate) fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The raw text between the quotes.
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The value with escapes decoded.
    pub(crate) fn value(&self) -> Cow<'a, str> {
        if !self.escaped {
            return String::from_utf8_lossy(self.raw);
        }
        Cow::Owned(String::from_utf8_lossy(&unescape(self.raw).0).into_owned())
    }

    /// The value's bytes with escapes decoded (borrowed when there are none).
    pub(crate) fn bytes(&self) -> Cow<'a, [u8]> {
        if self.escaped {
            Cow::Owned(unescape(self.raw).0)
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// True when the value equals `s` (compared without allocating for unescaped strings).
    pub(crate) fn is(&self, s: &str) -> bool {
        if self.escaped {
            self.value() == s
        } else {
            self.raw == s.as_bytes()
        }
    }
}

/// The decoded bytes of a JSON string's raw text, with checkpoints mapping decoded offsets back
/// to raw offsets: `(decoded, raw)` pairs recorded after every escape. Between checkpoints the
/// two advance together.
pub(crate) fn unescape(raw: &[u8]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut out = Vec::with_capacity(raw.len());
    let mut map = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b != b'\\' || i + 1 >= raw.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let esc = raw[i + 1];
        let mut used = 2;
        match esc {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'u' => {
                let unit = |at: usize| {
                    raw.get(at..at + 4)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                };
                let mut c = None;
                if let Some(hi) = unit(i + 2) {
                    used = 6;
                    if (0xD800..0xDC00).contains(&hi) && raw.get(i + 6..i + 8) == Some(b"\\u") {
                        if let Some(lo) = unit(i + 8) {
                            c = char::decode_utf16([hi, lo]).next().and_then(Result::ok);
                            if c.is_some() {
                                used = 12;
                            }
                        }
                    }
                    if c.is_none() {
                        c = char::from_u32(hi as u32);
                    }
                }
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            other => out.push(other),
        }
        i += used.min(raw.len() - i);
        map.push((out.len(), i));
    }
    (out, map)
}

/// Maps an offset in decoded text back to the raw text, with the checkpoints of [`unescape`].
pub(crate) fn raw_offset(map: &[(usize, usize)], decoded: usize) -> usize {
    match map.partition_point(|&(d, _)| d <= decoded) {
        0 => decoded,
        n => {
            let (d, r) = map[n - 1];
            r + (decoded - d)
        }
    }
}

/// Parses `bytes` (one JSON value, found at `base` in the document).
pub(crate) fn parse(bytes: &[u8], base: usize) -> Result<Node<'_>, ParseError> {
    let mut p = Parser {
        b: bytes,
        i: 0,
        base,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != bytes.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

/// Parses `bytes` (one JSON array, found at `base` in the document) one element at a time,
/// handing each element's tree to `f` before parsing the next.
pub(crate) fn each_element<'a>(
    bytes: &'a [u8],
    base: usize,
    mut f: impl FnMut(Node<'a>),
) -> Result<(), ParseError> {
    let mut p = Parser {
        b: bytes,
        i: 0,
        base,
    };
    p.ws();
    if p.b.get(p.i) != Some(&b'[') {
        return Err(p.err("expected an array"));
    }
    p.i += 1;
    p.ws();
    if p.b.get(p.i) == Some(&b']') {
        p.i += 1;
    } else {
        loop {
            f(p.value(1)?);
            p.ws();
            match p.b.get(p.i) {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return Err(p.err("expected `,` or `]`")),
            }
        }
    }
    p.ws();
    if p.i != bytes.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(())
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    base: usize,
}

impl<'a> Parser<'a> {
    fn err(&self, message: &'static str) -> ParseError {
        ParseError {
            offset: self.base + self.i,
            message,
        }
    }

    fn ws(&mut self) {
        let b = self.b;
        let mut i = self.i;
        while let Some(&c) = b.get(i) {
            match c {
                // Indentation: pretty-printed states are up to half spaces.
                b' ' => {
                    i += 1;
                    while let Some(chunk) = b.get(i..i + 8) {
                        if chunk != b"        " {
                            break;
                        }
                        i += 8;
                    }
                }
                b'\n' | b'\r' | b'\t' => i += 1,
                _ => break,
            }
        }
        self.i = i;
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Node::Object(members));
                }
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a string key"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return Err(self.err("expected `:` after a key"));
                    }
                    self.i += 1;
                    let v = self.value(depth + 1)?;
                    members.push((key, v));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Node::Object(members));
                        }
                        _ => return Err(self.err("expected `,` or `}`")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Node::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Node::Array(items));
                        }
                        _ => return Err(self.err("expected `,` or `]`")),
                    }
                }
            }
            Some(b'"') => Ok(Node::String(self.string()?)),
            Some(_) => {
                let start = self.i;
                while let Some(c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.i += 1;
                }
                Ok(Node::Scalar(&self.b[start..self.i]))
            }
            None => Err(self.err("unexpected end of input")),
        }
    }

    fn string(&mut self) -> Result<JsonStr<'a>, ParseError> {
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            match memchr::memchr2(b'"', b'\\', &self.b[self.i..]) {
                None => {
                    self.i = self.b.len();
                    return Err(self.err("unterminated string"));
                }
                Some(k) => {
                    self.i += k;
                    if self.b[self.i] == b'\\' {
                        escaped = true;
                        self.i += 2;
                        if self.i > self.b.len() {
                            self.i = self.b.len();
                            return Err(self.err("unterminated string"));
                        }
                    } else {
                        let s = JsonStr {
                            raw: &self.b[start..self.i],
                            start: self.base + start,
                            escaped,
                        };
                        self.i += 1;
                        return Ok(s);
                    }
                }
            }
        }
    }
}

impl<'a> Node<'a> {
    /// The member `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Node::Object(m) => m.iter().find(|(k, _)| k.is(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of a string node.
    pub(crate) fn as_str(&self) -> Option<Cow<'a, str>> {
        match self {
            Node::String(s) => Some(s.value()),
            _ => None,
        }
    }

    /// True for the literal `true`.
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Node::Scalar(b"true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_keep_their_positions() {
        let doc = br#"  {"a": ["x", {"b": "y\"z"}], "c": 1}"#;
        let n = parse(&doc[2..], 2).unwrap();
        let Some(Node::Array(items)) = n.get("a") else {
            panic!("array")
        };
        let Node::String(x) = &items[0] else { panic!() };
        assert_eq!(&doc[x.span()], b"x");
        let Some(Node::String(y)) = items[1].get("b") else {
            panic!()
        };
        assert_eq!(&doc[y.span()], br#"y\"z"#);
        assert_eq!(y.value(), "y\"z");
        assert!(matches!(n.get("c"), Some(Node::Scalar(b"1"))));
    }

    #[test]
    fn unescape_maps_offsets_back() {
        let raw = br#"a\nb\u00e9cd\"e"#;
        let (dec, map) = unescape(raw);
        assert_eq!(dec, "a\nbécd\"e".as_bytes());
        let c = dec.iter().position(|&b| b == b'c').unwrap();
        assert_eq!(raw[raw_offset(&map, c)], b'c');
        assert_eq!(raw_offset(&map, 0), 0);
        let e = dec.len() - 1;
        assert_eq!(raw[raw_offset(&map, e)], b'e');
    }

    #[test]
    fn whitespace_runs_of_any_length() {
        for n in 0..40 {
            let doc = format!(
                "{{\n{}\"a\":{}[\"x\"\t,\r\n \"y\"]{}}}",
                " ".repeat(n),
                " ".repeat(n),
                " ".repeat(n % 9)
            );
            let node = parse(doc.as_bytes(), 0).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            let Some(Node::Array(items)) = node.get("a") else {
                panic!("{n}")
            };
            assert_eq!(items.len(), 2);
        }
        let mut seen = Vec::new();
        each_element(b"  [ 1 ,\n        {\"k\": \"v\"} ]  ", 0, |n| {
            seen.push(matches!(n, Node::Object(_)))
        })
        .unwrap();
        assert_eq!(seen, vec![false, true]);
        assert!(each_element(b"[1, 2", 0, |_| {}).is_err());
        assert!(each_element(b"{}", 0, |_| {}).is_err());
    }

    #[test]
    fn hostile_input_is_an_error_not_a_panic() {
        for bad in [
            &b"{"[..],
            b"[1,",
            b"\"abc",
            b"\"ab\\",
            b"{\"a\" 1}",
            b"",
            b"[[[[[[[[",
        ] {
            assert!(parse(bad, 0).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(10_000);
        assert!(parse(deep.as_bytes(), 0).is_err());
        let (d, _) = unescape(b"\\u12");
        assert!(!d.is_empty());
    }
}
