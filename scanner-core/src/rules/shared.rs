//! Named pieces rules share: regex fragments (`(?&name)`) and allow lists (`allow_lists`).
//! A rule is expanded once, when it is loaded, into a spec that names no shared piece: the
//! matcher, `validate` and the example checks never see a reference.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::schema::RuleSpec;

/// Fragments may use fragments; deeper nesting than this is taken for a cycle.
const MAX_DEPTH: usize = 8;

/// Opening of a fragment reference. Not valid Rust regex syntax, so it cannot clash with a
/// pattern that means something else.
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

    /// These pieces plus a file's own; the file's definition of a name wins (so a copy of an
    /// embedded file being edited is checked against its own lists).
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
    /// even before a rule uses it. Returns the number of pieces.
    pub(crate) fn check_defined(
        &self,
        fragments: &BTreeMap<String, String>,
        allow_lists: &BTreeMap<String, Vec<String>>,
    ) -> Result<usize, String> {
        let compiles = |what: String, body: &str| -> Result<(), String> {
            let expanded = self
                .expand_regex(body, 0)
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
        Ok(fragments.len() + allow_lists.len())
    }

    /// The rule with every fragment reference replaced and its allow lists added to `allow`.
    pub(crate) fn expand(&self, mut spec: RuleSpec) -> Result<RuleSpec, String> {
        spec.regex = self.expand_regex(&spec.regex, 0)?;
        for c in &mut spec.companions {
            c.regex = self.expand_regex(&c.regex, 0)?;
        }
        let mut allow = Vec::with_capacity(spec.allow.len());
        for a in &spec.allow {
            allow.push(self.expand_regex(a, 0)?);
        }
        for name in std::mem::take(&mut spec.allow_lists) {
            let list = self
                .allow_lists
                .get(&name)
                .ok_or_else(|| format!("unknown allow list `{name}`"))?;
            for a in list {
                allow.push(self.expand_regex(a, 0)?);
            }
        }
        spec.allow = allow;
        for a in &mut spec.allow_match {
            *a = self.expand_regex(a, 0)?;
        }
        Ok(spec)
    }

    fn expand_regex(&self, pattern: &str, depth: usize) -> Result<String, String> {
        if !pattern.contains(REF_OPEN) {
            return Ok(pattern.to_string());
        }
        if depth >= MAX_DEPTH {
            return Err(format!(
                "fragments nested more than {MAX_DEPTH} deep (a fragment that uses itself?)"
            ));
        }
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        while let Some(at) = rest.find(REF_OPEN) {
            out.push_str(&rest[..at]);
            let after = &rest[at + REF_OPEN.len()..];
            let end = after
                .find(')')
                .ok_or_else(|| format!("unclosed fragment reference in `{pattern}`"))?;
            let name = &after[..end];
            let body = self
                .fragments
                .get(name)
                .ok_or_else(|| format!("unknown fragment `{name}`"))?;
            out.push_str("(?:");
            out.push_str(&self.expand_regex(body, depth + 1)?);
            out.push(')');
            rest = &after[end + 1..];
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
        assert!(shared.expand(spec).unwrap_err().contains("nested"));
        let mut spec = f.rules[0].clone();
        spec.regex = "(?&name".into();
        assert!(shared.expand(spec).unwrap_err().contains("unclosed"));
    }

    #[test]
    fn broken_pieces_are_reported_where_defined() {
        let f = file(FILE);
        let base = pieces(&SharedPieces::default(), &f);
        let err = base
            .check_defined(&f.fragments, &f.allow_lists)
            .unwrap_err();
        assert!(
            err.starts_with("fragment `loop`: fragments nested"),
            "{err}"
        );
        let mut frags = f.fragments.clone();
        frags.remove("loop");
        assert_eq!(base.check_defined(&frags, &f.allow_lists), Ok(3));
        let mut lists = f.allow_lists.clone();
        lists.insert("bad".into(), vec!["(unclosed".into()]);
        let err = base.check_defined(&frags, &lists).unwrap_err();
        assert!(err.starts_with("allow list `bad`: invalid regex"), "{err}");
    }

    #[test]
    fn a_files_own_definition_wins() {
        let base = pieces(&SharedPieces::default(), &file(FILE));
        let own = pieces(&base, &file("[fragments]\nsep = '''='''\n"));
        assert_eq!(own.expand_regex("(?&sep)", 0).unwrap(), "(?:=)");
        assert_eq!(
            base.expand_regex("(?&sep)", 0).unwrap(),
            r"(?:[ \t]*[:=][ \t]*)"
        );
    }
}
