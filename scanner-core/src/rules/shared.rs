//! Named pieces rules share: regex fragments (`(?&name)`) and allow lists (`allow_lists`).
//! A rule is expanded once, when it is loaded, into a spec that names no shared piece: the
//! matcher, `validate` and the example checks never see a reference.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::schema::RuleSpec;
use super::RuleError;

/// Opening of a fragment reference `(?&name)`. As a group it is not Rust regex syntax; the same
/// characters can still occur in a valid pattern (`\(?&` escaped, `[(?&=]` in a class), which is
/// why only an unescaped `(?&` followed by a name and `)` is a reference.
const REF_OPEN: &str = "(?&";

/// The fragments and allow lists in effect for a file's rules.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct SharedPieces {
    #[serde(default)]
    fragments: BTreeMap<String, String>,
    #[serde(default)]
    allow_lists: BTreeMap<String, Vec<String>>,
}

static EMBEDDED: LazyLock<SharedPieces> = LazyLock::new(|| {
    // Written by build.rs from the embedded files, which the test suite checks.
    serde_json::from_str(super::EMBEDDED_SHARED_COMPACT).unwrap_or_default()
});

impl SharedPieces {
    /// The pieces the embedded rule files define.
    pub(crate) fn embedded() -> &'static SharedPieces {
        &EMBEDDED
    }

    /// The pieces for a file loaded on top of the embedded rules (a configuration, a file given
    /// to `rules check`): the embedded ones plus the file's own, which are checked here.
    pub(crate) fn for_file(
        file_name: &str,
        fragments: &BTreeMap<String, String>,
        allow_lists: &BTreeMap<String, Vec<String>>,
    ) -> Result<SharedPieces, RuleError> {
        let shared = Self::embedded().with_file(fragments, allow_lists);
        shared
            .check_defined(fragments, allow_lists)
            .map_err(|message| RuleError::Parse {
                file: file_name.to_string(),
                message,
            })?;
        Ok(shared)
    }

    /// These pieces plus a file's own; the file's definition of a name wins, for everything
    /// expanded with the result, embedded fragments that use the name included (so a copy of
    /// an embedded file being edited is checked against its own lists).
    pub(crate) fn with_file(
        &self,
        fragments: &BTreeMap<String, String>,
        allow_lists: &BTreeMap<String, Vec<String>>,
    ) -> SharedPieces {
        let mut out = self.clone();
        out.fragments.extend(fragments.clone());
        out.allow_lists.extend(allow_lists.clone());
        out
    }

    /// Checks the pieces a file defines, expanded with these: each fragment and each list entry
    /// must compile as a regex of its own, so a broken piece is reported where it is defined,
    /// even before a rule uses it.
    fn check_defined(
        &self,
        fragments: &BTreeMap<String, String>,
        allow_lists: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), String> {
        let compiles = |what: String, body: &str| -> Result<(), String> {
            let expanded = self
                .expand_regex(body)
                .map_err(|e| format!("{what}: {e}"))?;
            super::compile_regex(&expanded)
                .map(|_| ())
                .map_err(|e| format!("{what}: invalid regex: {e}"))
        };
        for (name, body) in fragments {
            compiles(format!("fragment `{name}`"), body)?;
        }
        for (name, list) in allow_lists {
            for entry in list {
                compiles(format!("allow list `{name}`"), entry)?;
            }
        }
        Ok(())
    }

    /// The rule with every fragment reference replaced and its allow lists added to `allow`.
    pub(crate) fn expand(&self, mut spec: RuleSpec) -> Result<RuleSpec, String> {
        spec.regex = self.expand_regex(&spec.regex)?;
        for c in &mut spec.companions {
            c.regex = self.expand_regex(&c.regex)?;
        }
        let mut allow = Vec::with_capacity(spec.allow.len());
        for a in &spec.allow {
            allow.push(self.expand_regex(a)?);
        }
        for name in std::mem::take(&mut spec.allow_lists) {
            let list = self
                .allow_lists
                .get(&name)
                .ok_or_else(|| format!("unknown allow list `{name}`"))?;
            for a in list {
                allow.push(self.expand_regex(a)?);
            }
        }
        spec.allow = allow;
        for a in &mut spec.allow_match {
            *a = self.expand_regex(a)?;
        }
        Ok(spec)
    }

    /// `pattern` with its references replaced.
    fn expand_regex(&self, pattern: &str) -> Result<String, String> {
        self.expand_within(pattern, &mut Vec::new())
    }

    /// `pattern` with its references replaced; `within` holds the fragments being expanded
    /// around it (fragments may use fragments, but not themselves).
    fn expand_within(&self, pattern: &str, within: &mut Vec<String>) -> Result<String, String> {
        if !pattern.contains(REF_OPEN) {
            return Ok(pattern.to_string());
        }
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        while let Some(at) = rest.find(REF_OPEN) {
            let after = &rest[at + REF_OPEN.len()..];
            let name_len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .count();
            let escaped = rest[..at].bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
            if escaped || name_len == 0 || after.as_bytes().get(name_len) != Some(&b')') {
                // Not a reference: copy it and look further.
                out.push_str(&rest[..at + REF_OPEN.len()]);
                rest = after;
                continue;
            }
            out.push_str(&rest[..at]);
            let name = &after[..name_len];
            let body = self
                .fragments
                .get(name)
                .ok_or_else(|| format!("unknown fragment `{name}`"))?;
            if within.iter().any(|w| w == name) {
                return Err(format!("fragment `{name}` uses itself"));
            }
            within.push(name.to_string());
            let body = self.expand_within(body, within);
            within.pop();
            let body = body.map_err(|e| format!("in fragment `{name}`: {e}"))?;
            out.push_str("(?:");
            out.push_str(&body);
            out.push(')');
            rest = &after[name_len + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleFile;

    fn file(text: &str) -> RuleFile {
        toml::from_str(text).unwrap()
    }

    fn pieces(base: &SharedPieces, f: &RuleFile) -> SharedPieces {
        base.with_file(&f.fragments, &f.allow_lists)
    }

    const FILE: &str = r#"
[fragments]
sep = '''[ \t]*[:=][ \t]*'''
name = '''(?i:zorbly_token)(?&sep)'''
loop = '''a(?&loop)'''

[allow_lists]
dummies = ['''^dummy''', '''(?&sep)''']

[[rules]]
id = "r"
name = "r"
keywords = ["zorbly"]
regex = '''(?&name)(?P<secret>[a-z]{20})'''
confidence = "medium"
allow = ['''^x''']
allow_lists = ["dummies"]
allow_match = ['''(?&sep)csrf''']
"#;

    #[test]
    fn references_expand_nested_and_lists_join_allow() {
        let f = file(FILE);
        let shared = pieces(&SharedPieces::default(), &f);
        let spec = shared.expand(f.rules[0].clone()).unwrap();
        assert_eq!(
            spec.regex,
            r"(?:(?i:zorbly_token)(?:[ \t]*[:=][ \t]*))(?P<secret>[a-z]{20})"
        );
        assert_eq!(
            spec.allow,
            vec!["^x", "^dummy", r"(?:[ \t]*[:=][ \t]*)"],
            "the rule's own entries first, then the lists'"
        );
        assert!(spec.allow_lists.is_empty());
        assert_eq!(spec.allow_match, vec![r"(?:[ \t]*[:=][ \t]*)csrf"]);
    }

    #[test]
    fn unknown_names_and_cycles_are_errors() {
        let f = file(FILE);
        let shared = pieces(&SharedPieces::default(), &f);
        let mut spec = f.rules[0].clone();
        spec.regex = "(?&nope)(?P<secret>x)".into();
        assert_eq!(shared.expand(spec).unwrap_err(), "unknown fragment `nope`");
        let mut spec = f.rules[0].clone();
        spec.allow_lists = vec!["nope".into()];
        assert_eq!(
            shared.expand(spec).unwrap_err(),
            "unknown allow list `nope`"
        );
        let mut spec = f.rules[0].clone();
        spec.regex = "(?&loop)".into();
        assert_eq!(
            shared.expand(spec).unwrap_err(),
            "in fragment `loop`: fragment `loop` uses itself"
        );
        let mut spec = f.rules[0].clone();
        spec.regex = "(?&name)(?&nope)".into();
        assert_eq!(shared.expand(spec).unwrap_err(), "unknown fragment `nope`");
        let mut spec = f.rules[0].clone();
        spec.regex = "(?&bad-nest)".into();
        let mut nested = shared.clone();
        nested
            .fragments
            .insert("bad-nest".into(), "x(?&missing)".into());
        assert_eq!(
            nested.expand(spec).unwrap_err(),
            "in fragment `bad-nest`: unknown fragment `missing`"
        );
    }

    #[test]
    fn broken_pieces_are_reported_where_defined() {
        let f = file(FILE);
        let base = pieces(&SharedPieces::default(), &f);
        let err = base
            .check_defined(&f.fragments, &f.allow_lists)
            .unwrap_err();
        assert_eq!(
            err,
            "fragment `loop`: in fragment `loop`: fragment `loop` uses itself"
        );
        let mut frags = f.fragments.clone();
        frags.remove("loop");
        assert_eq!(base.check_defined(&frags, &f.allow_lists), Ok(()));
        let mut lists = f.allow_lists.clone();
        lists.insert("bad".into(), vec!["(unclosed".into()]);
        let err = base.check_defined(&frags, &lists).unwrap_err();
        assert!(err.starts_with("allow list `bad`: invalid regex"), "{err}");
    }

    /// Valid regexes that contain the characters `(?&` without a reference stay as they are.
    #[test]
    fn escaped_and_class_occurrences_are_not_references() {
        let shared = pieces(&SharedPieces::default(), &file(FILE));
        for p in [
            r"zq[(?&=]+(?P<secret>x)",
            r"zq\(?&(?P<secret>x)",
            r"(?&name",
        ] {
            assert_eq!(shared.expand_regex(p).unwrap(), p);
        }
        assert_eq!(
            shared.expand_regex(r"\\(?&sep)").unwrap(),
            r"\\(?:[ \t]*[:=][ \t]*)",
            "an escaped backslash does not escape the reference"
        );
    }

    #[test]
    fn a_files_own_definition_wins() {
        let base = pieces(&SharedPieces::default(), &file(FILE));
        let own = pieces(&base, &file("[fragments]\nsep = '''='''\n"));
        assert_eq!(own.expand_regex("(?&sep)").unwrap(), "(?:=)");
        assert_eq!(
            base.expand_regex("(?&sep)").unwrap(),
            r"(?:[ \t]*[:=][ \t]*)"
        );
    }
}
