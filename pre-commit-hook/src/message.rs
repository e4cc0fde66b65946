//! What a blocked commit or push prints after the findings: the three ways out.

/// The explanation shown when the hook blocks (never contains a secret).
pub fn blocked_message(findings: usize) -> String {
    format!(
        "\nkeyward: blocked: {findings} secret{} in the changes above (shown redacted).\n\
         Ways out:\n  \
         1. Remove the secret (read it from the environment or a secret manager), `git add`, commit again.\n     \
         If it was real, rotate it now: it may already be in shell history, backups or CI logs.\n  \
         2. If it is not a secret (a test fixture), put `keyward:allow` in a comment on that line.\n  \
         3. Accept it as known: run `keyward baseline create` at the repository root; the hook reads\n     \
         `.keyward-baseline` and lets known fingerprints through.\n",
        if findings == 1 { "" } else { "s" }
    )
}
