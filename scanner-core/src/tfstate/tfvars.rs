//! `*.tfvars` files: HCL assignments of literal strings, `name = "value"`. Only the literal
//! string assignments matter here (expressions and references hold no secret of their own), so
//! a line-oriented reader is enough and needs no HCL parser.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

/// One `name = "value"` assignment.
pub(crate) struct Assignment {
    pub name: String,
    /// Span of the value between its quotes.
    pub value_span: Range<usize>,
}

fn assignment_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?m)^[ \t]*"?([A-Za-z_][A-Za-z0-9_-]*)"?[ \t]*[=:][ \t]*"((?:[^"\\\r\n]|\\.)*)""#,
        )
        .expect("static regex")
    })
}

/// Every literal string assignment, at any nesting level (map entries count as assignments).
pub(crate) fn assignments(bytes: &[u8]) -> Vec<Assignment> {
    assignment_regex()
        .captures_iter(bytes)
        .filter_map(|c| {
            let name = c.get(1)?;
            let value = c.get(2)?;
            Some(Assignment {
                name: String::from_utf8_lossy(name.as_bytes()).into_owned(),
                value_span: value.range(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_assignments_only() {
        let text = b"region = \"eu-west-1\"\ndb_password = var.x\ntags = {\n  \"owner\" = \"ops\"\n}\nesc = \"a\\\"b\"\n";
        let got: Vec<(String, &[u8])> = assignments(text)
            .into_iter()
            .map(|a| (a.name, &text[a.value_span]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("region".to_string(), &b"eu-west-1"[..]),
                ("owner".to_string(), &b"ops"[..]),
                ("esc".to_string(), &b"a\\\"b"[..]),
            ]
        );
    }
}
