//! The real pre-commit framework (installed from PyPI by scripts/test.sh) runs this checkout's
//! `.pre-commit-hooks.yaml` (`language: rust`, so pre-commit builds keyward with cargo install):
//! a commit adding an AWS key pair is blocked, a clean one passes.

use std::path::Path;
use std::process::Command;

use crate::util::{key_id, secret};

fn sh(dir: &Path, prog: &str, args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let mut c = Command::new(prog);
    c.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Leak")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Leak")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap_or_else(|e| panic!("{prog}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn pre_commit_framework_blocks_a_key_pair_and_passes_a_clean_commit() {
    if std::env::var_os("KEYWARD_SKIP_PRE_COMMIT").is_some() {
        eprintln!("SKIPPED: KEYWARD_SKIP_PRE_COMMIT is set");
        return;
    }
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"));
    let has = Command::new("pre-commit")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(has, "pre-commit is not installed: run ./scripts/test.sh (it installs pre-commit from PyPI), or set KEYWARD_SKIP_PRE_COMMIT=1");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // pre-commit builds the hook with `cargo install`; sharing a target dir makes reruns cheap.
    let env = [
        (
            "PRE_COMMIT_HOME",
            checkout
                .join("target/pre-commit-home")
                .display()
                .to_string(),
        ),
        (
            "CARGO_TARGET_DIR",
            checkout.join("target/pre-commit").display().to_string(),
        ),
    ];
    assert!(sh(p, "git", &["init", "-q", "-b", "main"], &[]).0);
    std::fs::write(p.join("README.md"), "hello\n").unwrap();
    assert!(sh(p, "git", &["add", "README.md"], &[]).0);
    let checkout_s = checkout.display().to_string();
    let (ok, out) = sh(
        p,
        "pre-commit",
        &["try-repo", &checkout_s, "keyward", "--verbose"],
        &env,
    );
    assert!(ok, "a clean change passes: {out}");
    assert!(sh(p, "git", &["commit", "-q", "-m", "clean"], &[]).0);
    let (k, s) = (key_id("AKIA", 300), secret(300));
    std::fs::write(
        p.join("prod.env"),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
    .unwrap();
    assert!(sh(p, "git", &["add", "prod.env"], &[]).0);
    let (ok, out) = sh(
        p,
        "pre-commit",
        &["try-repo", &checkout_s, "keyward", "--verbose"],
        &env,
    );
    assert!(!ok, "a key pair is blocked: {out}");
    assert!(
        out.contains("keyward: blocked") && out.contains("aws-access-key-id"),
        "{out}"
    );
    assert!(!out.contains(&s), "the secret is never printed: {out}");
}
