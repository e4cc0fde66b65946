//! `keyward git`, `--staged`, hooks and baselines against real git repositories made here.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::util::{findings, key_id, run, secret};

/// A git command with the test identity (for commands whose failure is the point).
fn git_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Ada Leak")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Leak")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir);
    c
}

/// Runs git in `dir` with a fixed identity and clock (so commit ids are reproducible per test).
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd(dir, args)
        .env("GIT_AUTHOR_DATE", "2024-03-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-03-01T12:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "commit.gpgsign", "false"]);
}

pub fn commit_file(dir: &Path, path: &str, content: &str, msg: &str) -> String {
    let p = dir.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", msg]);
    git(dir, &["rev-parse", "HEAD"])
}

fn creds(n: u64) -> (String, String, String) {
    let (k, s) = (key_id("AKIA", n), secret(n));
    (
        k.clone(),
        s.clone(),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
}

fn git_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut a = vec!["git"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json", "--show-secrets", "--no-progress"]);
    let r = run(&a, dir);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    (r.code, v, r.stderr)
}

#[test]
fn history_finds_each_secret_once_with_its_introducing_commit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    commit_file(p, "README.md", "hello\n", "Initial commit");
    let (k, s, text) = creds(200);
    let intro = commit_file(
        p,
        "deploy/prod.env",
        &format!("# prod\n{text}"),
        "Add prod settings",
    );
    commit_file(
        p,
        "deploy/prod.env",
        &format!("# prod\nREGION=eu-west-1\n{text}"),
        "Set region",
    );
    commit_file(p, "src/main.rs", "fn main() {}\n", "Add main");
    git(p, &["rm", "-q", "deploy/prod.env"]);
    git(p, &["commit", "-q", "-m", "Remove leaked settings"]);
    // A token that only lives on a side branch, and one only on a tag.
    git(p, &["checkout", "-q", "-b", "feature/x"]);
    let token = "ghp_Yf3kQ9wX2mLp7RtZ0vB8nC4sJ6hD1aE5gK7u";
    let side = commit_file(
        p,
        "scripts/release.sh",
        &format!("#!/bin/sh\nexport GITHUB_TOKEN={token}\n"),
        "Release script",
    );
    git(p, &["checkout", "-q", "main"]);
    git(p, &["checkout", "-q", "--detach"]);
    let (k2, _, text2) = creds(201);
    let tagged = commit_file(p, "tag-only.env", &text2, "Tagged settings");
    git(p, &["tag", "v1.0"]);
    git(p, &["checkout", "-q", "main"]);
    let head_secret = creds(202);
    commit_file(p, "live.env", &head_secret.2, "Live settings");

    let (code, v, _) = git_json(p, &[]);
    assert_eq!(code, 1);
    let all = findings(&v);
    let aws: Vec<_> = all.iter().filter(|f| f["secret"] == k.as_str()).collect();
    assert_eq!(
        aws.len(),
        1,
        "one finding across two blob versions: {all:#?}"
    );
    let f = aws[0];
    assert_eq!(f["path"], "deploy/prod.env");
    assert_eq!(f["line"], 2);
    assert_eq!(f["companions"][0]["secret"], s.as_str());
    let o = &f["origin"];
    assert_eq!(o["kind"], "git");
    assert_eq!(o["commit"]["id"], intro.as_str());
    assert_eq!(o["commit"]["author"], "Ada Leak");
    assert_eq!(o["commit"]["email"], "ada@example.com");
    assert_eq!(o["commit"]["subject"], "Add prod settings");
    assert_eq!(o["commit"]["date"], "2024-03-01T12:00:00+00:00");
    assert_eq!(
        o["commits_carrying"], 3,
        "intro, region edit, main.rs commit"
    );
    assert_eq!(o["present_at_head"], false);
    let side_f = all
        .iter()
        .find(|f| f["secret"] == token)
        .expect("side-branch token");
    assert_eq!(side_f["origin"]["commit"]["id"], side.as_str());
    let tag_f = all
        .iter()
        .find(|f| f["secret"] == k2.as_str())
        .expect("tag-only secret");
    assert_eq!(tag_f["origin"]["commit"]["id"], tagged.as_str());
    let live = all
        .iter()
        .find(|f| f["secret"] == head_secret.0.as_str())
        .unwrap();
    assert_eq!(live["origin"]["present_at_head"], true);
    assert_eq!(v["summary"]["commits"], 8);

    // Text output says what a secret gone from HEAD means.
    let r = run(&["git", ".", "--no-progress"], p);
    assert!(
        r.stdout.contains("removed from HEAD but alive in history"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(&s), "redacted");
    // SARIF carries commit and author.
    let r = run(&["git", ".", "--format", "sarif", "--no-progress"], p);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let res = doc["runs"][0]["results"].as_array().unwrap();
    let aws = res
        .iter()
        .find(|x| x["properties"]["commit"] == intro.as_str())
        .expect("commit in SARIF properties");
    assert_eq!(aws["properties"]["author"], "Ada Leak <ada@example.com>");
    assert_eq!(
        aws["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/prod.env"
    );
}

#[test]
fn since_branch_and_range_limit_the_commits() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    let (k_old, _, t_old) = creds(210);
    let base = commit_file(p, "old.env", &t_old, "Old secret on main");
    git(p, &["checkout", "-q", "-b", "pr"]);
    let (k_new, _, t_new) = creds(211);
    let pr = commit_file(p, "new.env", &t_new, "New secret in the PR");
    let secrets = |args: &[&str]| -> Vec<String> {
        let (_, v, _) = git_json(p, args);
        findings(&v)
            .iter()
            .map(|f| f["secret"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(secrets(&[".", "--since", "main"]), vec![k_new.clone()]);
    assert_eq!(
        secrets(&[".", "--range", &format!("{base}..{pr}")]),
        vec![k_new.clone()]
    );
    let mut both = secrets(&[".", "--branch", "pr"]);
    both.sort();
    let mut want = vec![k_old.clone(), k_new.clone()];
    want.sort();
    assert_eq!(both, want);
    assert_eq!(secrets(&[".", "--branch", "main"]), vec![k_old]);
    // A missing base is an error that says how to fetch it, never a smaller scan.
    let r = run(&["git", ".", "--since", "origin/main"], p);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("git fetch") && r.stderr.contains("fetch-depth: 0"),
        "{}",
        r.stderr
    );
}

#[test]
fn shallow_bare_empty_submodule_lfs_and_corrupt_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(&src).unwrap();
    init(&src);
    commit_file(&src, "a.txt", "one\n", "one");
    commit_file(&src, "b.txt", "two\n", "two");
    let (k, _, t) = creds(220);
    commit_file(&src, "c.env", &t, "three");
    // Shallow clone: scans what exists and says how much is missing.
    let url = format!("file://{}", src.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let (code, v, _) = git_json(&dir.path().join("shallow"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v)[0]["secret"], k.as_str());
    assert_eq!(v["summary"]["shallow_missing_parents"], 1);
    let r = run(&["git", ".", "--no-progress"], &dir.path().join("shallow"));
    assert!(r.stdout.contains("warning: shallow clone"), "{}", r.stdout);
    // Bare repository.
    git(dir.path(), &["clone", "-q", "--bare", &url, "bare.git"]);
    let (code, v, _) = git_json(&dir.path().join("bare.git"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v).len(), 1);
    // Empty repository: nothing to scan, clean exit.
    let empty = dir.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    init(&empty);
    let (code, v, _) = git_json(&empty, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["commits"], 0);
    // Submodule gitlink and LFS pointer: skipped and counted.
    let head = git(&src, &["rev-parse", "HEAD"]);
    git(
        &src,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},vendor/lib"),
        ],
    );
    fs::write(src.join("big.bin"), "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n").unwrap();
    git(&src, &["add", "big.bin"]);
    git(&src, &["commit", "-q", "-m", "submodule and lfs"]);
    let (_, v, _) = git_json(&src, &[]);
    assert_eq!(v["summary"]["skipped"]["submodule"], 1);
    assert_eq!(v["summary"]["skipped"]["lfs-pointer"], 1);
    // Corrupt repository: a missing blob is reported, the scan goes on, the exit code says so.
    let blob = git(&src, &["rev-parse", "HEAD:a.txt"]);
    let obj = src.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    fs::remove_file(&obj).expect("loose object exists");
    let (code, v, _) = git_json(&src, &["--confidence", "high"]);
    assert_eq!(v["summary"]["skipped"]["git-object-error"], 1, "{v}");
    assert_eq!(code, 1, "findings still reported");
    let r = run(&["git", ".", "--branch", "HEAD~2", "--no-progress"], &src);
    assert_eq!(
        r.code, 4,
        "no findings but an unreadable object: {}",
        r.stdout
    );
    // Not a repository at all.
    let r = run(&["git", "."], &empty.join(".."));
    assert_eq!(r.code, 2);
}

#[test]
fn staged_reports_only_added_lines_and_ignores_pure_renames() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    let (k_old, _, t_old) = creds(230);
    // Before the first commit the whole index is what would be recorded.
    fs::write(p.join("first.env"), &t_old).unwrap();
    git(p, &["add", "first.env"]);
    let (code, v, _) = git_json(p, &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v)[0]["secret"], k_old.as_str());
    git(p, &["commit", "-q", "-m", "first"]);
    // Nothing staged: clean.
    assert_eq!(git_json(p, &["--staged"]).0, 0);
    // Editing a file that already holds a secret reports only what the edit adds.
    let (k_new, s_new, t_new) = creds(231);
    fs::write(p.join("first.env"), format!("{t_old}# note\n")).unwrap();
    fs::write(p.join("second.env"), format!("x=1\n{t_new}")).unwrap();
    git(p, &["add", "-A"]);
    let (code, v, _) = git_json(p, &["--staged"]);
    assert_eq!(code, 1);
    let all = findings(&v);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["secret"], k_new.as_str());
    assert_eq!(all[0]["path"], "second.env");
    assert_eq!(all[0]["line"], 2, "line in the staged file");
    assert_eq!(all[0]["companions"][0]["secret"], s_new.as_str());
    git(p, &["commit", "-q", "-m", "second"]);
    // A secret key added under an existing key id still pairs with it.
    let (k3, s3, _) = creds(232);
    fs::write(p.join("third.env"), format!("AWS_ACCESS_KEY_ID={k3}\n")).unwrap();
    git(p, &["add", "-A"]);
    git(p, &["commit", "-q", "-m", "id only"]);
    fs::write(
        p.join("third.env"),
        format!("AWS_ACCESS_KEY_ID={k3}\nAWS_SECRET_ACCESS_KEY={s3}\n"),
    )
    .unwrap();
    git(p, &["add", "-A"]);
    let (_, v, _) = git_json(p, &["--staged"]);
    assert_eq!(findings(&v)[0]["secret"], k3.as_str());
    assert_eq!(findings(&v)[0]["companions"][0]["secret"], s3.as_str());
    git(p, &["commit", "-q", "-m", "pair"]);
    // A pure rename adds nothing.
    git(p, &["mv", "second.env", "renamed.env"]);
    let (code, v, _) = git_json(p, &["--staged"]);
    assert_eq!(code, 0, "{v}");
}

fn hooks_dir(p: &Path) -> std::path::PathBuf {
    p.join(".git/hooks")
}

#[test]
fn pre_commit_hook_blocks_secrets_and_lets_clean_commits_through() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    commit_file(p, "README.md", "hi\n", "init");
    // A foreign hook is never overwritten silently.
    fs::create_dir_all(hooks_dir(p)).unwrap();
    fs::write(
        hooks_dir(p).join("pre-commit"),
        "#!/bin/sh\necho foreign-hook-ran >&2\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(
            hooks_dir(p).join("pre-commit"),
            fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let r = run(&["hook", "install"], p);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--chain") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    let r = run(&["hook", "install", "--chain"], p);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A commit with a key pair is blocked; the message shows the ways out, never the secret.
    let (_, s, text) = creds(240);
    fs::write(p.join("leak.env"), &text).unwrap();
    git(p, &["add", "leak.env"]);
    let out = git_cmd(p, &["commit", "-m", "leak"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "commit must be blocked: {err}");
    assert!(
        err.contains("foreign-hook-ran"),
        "chained hook ran first: {err}"
    );
    assert!(
        err.contains("keyward: blocked")
            && err.contains("keyward:allow")
            && err.contains("baseline"),
        "{err}"
    );
    assert!(!err.contains(&s), "never the full secret: {err}");
    // Marking the line lets it through.
    fs::write(p.join("leak.env"), text.replace('\n', " # keyward:allow\n")).unwrap();
    git(p, &["add", "leak.env"]);
    let out = git_cmd(p, &["commit", "-q", "-m", "allowed"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Uninstall restores the chained hook.
    let r = run(&["hook", "uninstall"], p);
    assert_eq!(r.code, 0);
    assert!(fs::read_to_string(hooks_dir(p).join("pre-commit"))
        .unwrap()
        .contains("foreign-hook-ran"));
}

#[test]
fn hooks_respect_core_hooks_path_and_pre_push_scans_pushed_commits() {
    let dir = tempfile::tempdir().unwrap();
    let remote = dir.path().join("remote.git");
    let p = dir.path().join("work");
    fs::create_dir_all(&p).unwrap();
    git(dir.path(), &["init", "-q", "--bare", "remote.git"]);
    init(&p);
    git(&p, &["config", "core.hooksPath", "my-hooks"]);
    git(
        &p,
        &["remote", "add", "origin", &remote.display().to_string()],
    );
    commit_file(&p, "README.md", "hi\n", "init");
    let r = run(&["hook", "install", "--hook", "pre-push"], &p);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        p.join("my-hooks/pre-push").exists(),
        "installed under core.hooksPath"
    );
    let push = |p: &Path| {
        git_cmd(p, &["push", "-q", "origin", "main"])
            .output()
            .unwrap()
    };
    let out = push(&p);
    assert!(
        out.status.success(),
        "clean push passes: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, _, text) = creds(250);
    commit_file(&p, "leak.env", &text, "leak");
    let out = push(&p);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "push of a secret is blocked: {err}");
    assert!(err.contains("keyward: blocked"), "{err}");
}

#[test]
fn baseline_suppresses_known_findings_and_survives_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    init(p);
    let (_, _, text) = creds(260);
    commit_file(p, "a.env", &text, "leak");
    let r = run(&["baseline", "create", "--git", "."], p);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let baseline = fs::read_to_string(p.join(".keyward-baseline")).unwrap();
    let lines: Vec<&str> = baseline.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with(" aws-access-key-id"), "{baseline}");
    // Move the secret down and rename the file: the baseline still matches.
    commit_file(p, "b.env", &format!("\n\n# moved\n{text}"), "move");
    let (code, v, _) = git_json(p, &[".", "--baseline", ".keyward-baseline"]);
    assert_eq!(code, 0, "{v}");
    assert!(
        v["summary"]["baseline_suppressed"].as_u64().unwrap() >= 1,
        "{v}"
    );
    let r = run(&["scan", ".", "--baseline", ".keyward-baseline"], p);
    assert_eq!(r.code, 0, "{}", r.stdout);
    fs::write(p.join("bad-baseline"), "not a fingerprint\n").unwrap();
    let r = run(&["scan", ".", "--baseline", "bad-baseline"], p);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad-baseline:1"), "{}", r.stderr);
}
