//! Where a secret sits says something about it: a key in a test fixture, a documentation page
//! or an `.env.example` file is more often a sample than a leak. Such findings are reported one
//! confidence step lower (and say why), never dropped silently.

/// Directory names that hold tests, fixtures, examples or documentation.
const CONTEXT_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "spec",
    "specs",
    "fixture",
    "fixtures",
    "testdata",
    "test-data",
    "test_data",
    "mock",
    "mocks",
    "__mocks__",
    "example",
    "examples",
    "sample",
    "samples",
    "doc",
    "docs",
    "documentation",
];

/// File-name markers of templates and examples (`.env.example`, `config.sample.yml`).
const TEMPLATE_MARKERS: &[&str] = &[
    ".example",
    ".sample",
    ".template",
    ".tmpl",
    ".dist",
    "example.",
    "sample.",
];

/// Extensions of prose documentation files.
const DOC_EXTENSIONS: &[&str] = &[".md", ".markdown", ".rst", ".adoc", ".asciidoc"];

/// Why a path lowers the confidence of generic findings only (assignments to credential
/// names, credential flags): prose documentation (READMEs, guides) illustrates configuration
/// with made-up passwords, while a provider token pasted there is as live as anywhere else.
pub(crate) fn generic_lowering_reason(path: &str) -> Option<&'static str> {
    let file = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    DOC_EXTENSIONS
        .iter()
        .any(|e| file.ends_with(e))
        .then_some("documentation file")
}

/// Phrases that introduce an illustration in prose or a comment.
const EXAMPLE_PHRASES: &[&[u8]] = &[
    b"for example",
    b"for instance",
    b"e.g.",
    b"example:",
    b"examples:",
];

/// How many lines above a value an introducing phrase still refers to it (`for example:`, a
/// blank comment line, then the value).
const EXAMPLE_LINES_ABOVE: usize = 2;

/// How far back the phrase is looked for: the check runs for every generic candidate, and a
/// minified bundle is one line of megabytes.
const EXAMPLE_REACH: usize = 400;

/// Why the text around a generic finding lowers its confidence: a phrase that introduces an
/// example (`for example:`, `e.g.`) before the value on its own line, or ending one of the two
/// lines above it. A doc comment that shows `vf_token=<uuid>` "for example" illustrates a
/// setting; the finding is reported at low confidence, not dropped. A phrase in the middle of a
/// line above is about something else (`set the environment, e.g. ZORBLY_TOKEN.`), and `e.g.`
/// followed by an identifier is code (`e.g.call(e)` in minified JavaScript).
pub(crate) fn example_text_reason(bytes: &[u8], at: usize) -> Option<&'static str> {
    let at = at.min(bytes.len());
    let floor = at.saturating_sub(EXAMPLE_REACH);
    let line_start =
        |end: usize| memchr::memrchr(b'\n', &bytes[floor..end]).map_or(floor, |i| floor + i + 1);
    let mut start = line_start(at);
    if has_phrase(&bytes[start..at], false) {
        return Some("introduced as an example in the text");
    }
    for _ in 0..EXAMPLE_LINES_ABOVE {
        if start <= floor {
            break;
        }
        let end = start - 1;
        start = line_start(end);
        if has_phrase(&bytes[start..end], true) {
            return Some("introduced as an example in the text");
        }
    }
    None
}

/// An example phrase as words of `text` (not inside an identifier); with `at_end`, only one that
/// ends the line (after it nothing but `:`, spaces and comment marks).
fn has_phrase(text: &[u8], at_end: bool) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    EXAMPLE_PHRASES.iter().any(|p| {
        text.windows(p.len()).enumerate().any(|(i, w)| {
            if !w.eq_ignore_ascii_case(p) || (i > 0 && is_word(text[i - 1])) {
                return false;
            }
            let rest = &text[i + p.len()..];
            if at_end {
                rest.iter()
                    .all(|&b| b.is_ascii_whitespace() || b":*/#-".contains(&b))
            } else {
                rest.first().is_none_or(|&b| !is_word(b))
            }
        })
    })
}

/// Test directories named for what they test: `integration-tests`, `unit_tests`,
/// `aws-signing-test-suite`.
fn is_test_suite_dir(dir: &str) -> bool {
    [
        "-tests",
        "_tests",
        "-test",
        "_test",
        "test-suite",
        "test_suite",
        "testsuite",
    ]
    .iter()
    .any(|s| dir.ends_with(s))
}

/// Why a path lowers confidence, if it does.
pub(crate) fn lowering_reason(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    if parts
        .iter()
        .any(|d| CONTEXT_DIRS.contains(d) || is_test_suite_dir(d))
    {
        return Some("test, example or documentation directory");
    }
    if TEMPLATE_MARKERS.iter().any(|m| file.contains(m)) {
        return Some("example or template file");
    }
    let stem = file.split('.').next().unwrap_or_default();
    // examples-1.json, sample_config.yml, samples.env: named as a sample, not as config.
    let sample_stem = ["example", "examples", "sample", "samples"]
        .iter()
        .any(|w| {
            stem.strip_prefix(w).is_some_and(|rest| {
                rest.is_empty()
                    || rest.starts_with(['-', '_'])
                    || rest.starts_with(|c: char| c.is_ascii_digit())
            })
        });
    if sample_stem {
        return Some("example or template file");
    }
    let test_file = stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_spec")
        || file.contains(".test.")
        || file.contains(".spec.")
        || (stem.ends_with("test") && file.ends_with(".java"))
        || (stem.ends_with("tests") && (file.ends_with(".cs") || file.ends_with(".java")));
    test_file.then_some("test file")
}

#[cfg(test)]
mod tests {
    use super::{example_text_reason, generic_lowering_reason, lowering_reason, EXAMPLE_REACH};

    #[test]
    fn fixtures_examples_and_docs_are_recognized() {
        for p in [
            "tests/data/creds.env",
            "aws-signing-test-suite/v4/get-vanilla/header-signed-request.txt",
            "crates/integration-tests/src/lib.rs",
            "src/__tests__/a.js",
            "docs/setup.md",
            ".env.example",
            "config.sample.yml",
            "pkg/client_test.go",
            "test_upload.py",
            "src/app.spec.ts",
            "FooTest.java",
            "botocore/data/iam/examples-1.json",
            "sample_config.yml",
        ] {
            assert!(lowering_reason(p).is_some(), "{p}");
        }
        for p in [
            ".env",
            "src/config.py",
            "deploy/prod.env",
            "latest/contest.txt",
            "testament.txt",
            "samplerate.c",
            "examplesite/config.yml",
            "src/attestation.rs",
        ] {
            assert!(lowering_reason(p).is_none(), "{p}");
        }
        for p in ["README.md", "guide/install.rst", "docs/API.ADOC"] {
            assert!(generic_lowering_reason(p).is_some(), "{p}");
        }
        for p in ["README", "notes.txt", "markdown.rs"] {
            assert!(generic_lowering_reason(p).is_none(), "{p}");
        }
    }

    #[test]
    fn example_phrases_above_a_value_are_recognized() {
        let reason = |text: &str| example_text_reason(text.as_bytes(), text.find("tok=").unwrap());
        assert!(reason(" * the device name, for example:\n *\n * \"dev tok=1\"").is_some());
        assert!(reason("# e.g. tok=1").is_some());
        assert!(reason("Example:\ntok=1").is_some());
        // Three lines above is another paragraph; after the value does not count.
        assert!(reason("for example:\n\n\n\ntok=1").is_none());
        assert!(reason("tok=1 # for example").is_none());
        assert!(reason("examples/tok=1").is_none());
        // A phrase inside a line above is about something else; `e.g.` before a name is code.
        assert!(reason("# set the environment, e.g. TOK.\ntok=1").is_none());
        assert!(reason("function f(e){return e.g.call(e)};var tok=1").is_none());
        // Only a bounded stretch before the value is read (minified bundles are one line).
        let far = format!("for example: {}tok=1", " ".repeat(EXAMPLE_REACH));
        assert!(reason(&far).is_none());
    }
}
