//! Provider names, for generic rules that leave a named credential to its provider's rule.
//!
//! A value under `TWITCH_STREAM_KEY` that the Twitch rule rejected failed a format that rule
//! knows; a generic rule accepting any `<name>_key` would report it anyway and second-guess
//! the provider rule. Rules with `yields_to_provider_names` skip names that contain a
//! provider's name, taken from the first word of each provider rule's id (`twitch` in
//! `twitch-stream-key`): ids are provider-first by convention (docs/rules-format.md).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules::RuleSet;

/// First words of rule ids that name a kind of credential or a technology, not a provider, or
/// are ordinary words of identifiers (`data` of data-gov, `frontend` of frontend-public-env-secret).
const NOT_PROVIDERS: &[&str] = &[
    "new",
    "ado",
    // Infrastructure code prefixes names of every kind with these (`aws_rds_password`,
    // `AWS_LAMBDA_ZORBLY_TOKEN`); the AWS and IBM rules know only their own key shapes.
    "aws",
    "ibm",
    "data",
    "defined",
    "dependency",
    "frontend",
    "windows",
    "dotnet",
    "powershell",
    "netrc",
    "odbc",
    "krb5",
    "pwhash",
    "gradle",
    "redis",
    "oracle",
    "mongodb",
    "django",
    "particle",
    "modal",
    "segment",
    "linear",
    "square",
    "monday",
    "resend",
    "replicate",
    "harness",
    "clerk",
    "generic",
    "private",
    "public",
    "tfstate",
    "tfvars",
    "http",
    "https",
    "basic",
    "bearer",
    "json",
    "jwt",
    "uri",
    "url",
    "ssh",
    "pgp",
    "gpg",
    "password",
    "secret",
    "token",
    "api",
    "oauth",
    "webhook",
    "database",
    "kubernetes",
    "docker",
];

/// Case-insensitive matcher of provider names; `None` when the rule set has none.
pub(crate) fn provider_names(rules: &RuleSet) -> Option<AhoCorasick> {
    let mut names: Vec<String> = rules
        .iter()
        .filter(|r| !r.is_fallback())
        .filter_map(|r| r.id().split(['-', '_', '.']).next())
        .map(str::to_ascii_lowercase)
        // Names are matched as whole words of an identifier, so three letters are enough
        // (`npm` of NPM_TOKEN, not of `npmrc`); two-letter ids (`gc`, `s3`) are too often
        // ordinary words.
        .filter(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphanumeric()))
        .filter(|w| !NOT_PROVIDERS.contains(&w.as_str()))
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&names)
        .ok()
}

/// True when `name` contains one of the provider names as a whole word of the identifier:
/// words are separated by non-alphanumerics and by lower-to-upper case changes, so `twitch` is
/// a word of `TWITCH_STREAM_KEY` and `twitchToken` but not of `switchToken`, and `expo` is not a
/// word of `EXPORT_KEY`.
pub(crate) fn names_a_provider(names: &AhoCorasick, name: &[u8]) -> bool {
    names
        .find_overlapping_iter(name)
        .any(|m| starts_word(name, m.start()) && ends_word(name, m.end()))
}

fn starts_word(s: &[u8], at: usize) -> bool {
    at == 0
        || !s[at - 1].is_ascii_alphanumeric()
        || (s[at - 1].is_ascii_lowercase() && s[at].is_ascii_uppercase())
        || (s[at - 1].is_ascii_digit() && s[at].is_ascii_alphabetic())
}

fn ends_word(s: &[u8], at: usize) -> bool {
    at == s.len()
        || !s[at].is_ascii_alphanumeric()
        || (s[at - 1].is_ascii_lowercase() && s[at].is_ascii_uppercase())
        || (s[at - 1].is_ascii_alphabetic() && s[at].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_words_come_from_provider_rule_ids() {
        let names =
            provider_names(&RuleSet::default_rules()).expect("default rules name providers");
        let named = |n: &str| names_a_provider(&names, n.as_bytes());
        assert!(named("TWITCH_STREAM_KEY"));
        assert!(named("stripeToken"));
        assert!(named("const gitlab-runner-key = "));
        assert!(named("NPM_TOKEN"));
        // Generic rule ids and short words are not provider names.
        assert!(!named("zorbly_token"));
        assert!(!named("generic_token"));
        assert!(!named("laws_key"));
        assert!(!named("metadata_token"));
        // A provider name inside a longer word is not that provider.
        assert!(!named("EXPORT_KEY"));
        assert!(!named("switchToken"));
        assert!(!named("CLARK_TOKEN"));
        assert!(!named("npmrc_token"));
        assert!(!named("new_token"));
        assert!(!named("AWS_LAMBDA_ZORBLY_TOKEN"));
    }

    #[test]
    fn the_named_token_rule_leaves_provider_names_to_their_rules() {
        let matcher = crate::Matcher::new(RuleSet::default_rules());
        let rules_of = |text: &str| -> Vec<String> {
            let out = matcher.find(text.as_bytes());
            out.matches
                .iter()
                .map(|m| matcher.rules().by_index(m.rule).id().to_string())
                .collect()
        };
        let value = "Qm7xT2pLk9vR4sW8nB3cY6dF1gH5jK0z";
        assert_eq!(
            rules_of(&format!("ZORBLY_RUNNER_KEY = \"{value}\"")),
            ["generic-named-token-assignment"]
        );
        // GitLab has rules of its own, which know its token formats and rejected this one.
        assert!(rules_of(&format!("GITLAB_RUNNER_KEY = \"{value}\"")).is_empty());
        // Legacy npm tokens were UUIDs; the npm rule knows today's format, generic rules stay out.
        let uuid = "6f1d2a9c-4b7e-4e21-9c3d-8a5b0f7e2d14";
        assert_eq!(
            rules_of(&format!("ZORBLY_TOKEN = \"{uuid}\"")),
            ["generic-hex-key-assignment"]
        );
        let npm = rules_of(&format!("NPM_TOKEN = \"{uuid}\""));
        assert!(!npm.iter().any(|r| r.contains("-hex-")), "{npm:?}");
    }
}
