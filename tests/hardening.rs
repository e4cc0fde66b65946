//! Hardening: hostile files and repositories end to end, with the memory each run takes
//! (peak RSS from GNU time), and the no-leak guarantees across every output.
//!
//! Memory bound, stated: a tree scan holds one read buffer per worker (files up to 4 MiB are read,
//! larger ones memory-mapped, so resident pages are the kernel's to drop), the compiled rules and
//! the findings; it does not grow with the number of files. A history scan holds the blob list
//! (one entry per distinct blob-path pair), libgit2's pack windows (capped at 96 MiB) and one
//! inflated blob per worker, each at most `--max-file-size` (checked from the object header before
//! inflating).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::git::{commit_file, git, init};
use crate::util::{findings, key_id, run, scan_json, secret};

fn pair(n: u64) -> (String, String) {
    (key_id("AKIA", n), secret(n))
}

/// Runs keyward under GNU time; returns (exit code, stdout, stderr, peak RSS in MiB). Kills it
/// after 10 minutes, which would be a hang, not slowness.
fn measured(args: &[&str], cwd: &Path) -> (i32, String, String, u64) {
    let rss_file = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(rss_file.path())
        .arg(env!("CARGO_BIN_EXE_keyward"))
        .args(args)
        .current_dir(cwd)
        .env("KEYWARD_TEST", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("GNU time runs keyward");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(600) {
            child.kill().unwrap();
            panic!("keyward {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let kb: u64 = fs::read_to_string(rss_file.path())
        .unwrap()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        {
            eprintln!("peak RSS of keyward {args:?}: {} MiB", kb / 1024);
            kb / 1024
        },
    )
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("bad JSON ({e}): {s}"))
}

#[test]
fn sparse_2gb_file_and_device_files_are_skipped_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let f = fs::File::create(dir.path().join("disk.img")).unwrap();
    f.set_len(2 << 30).unwrap();
    drop(f);
    let (k, s) = pair(301);
    fs::write(dir.path().join("ok.env"), format!("id={k}\nsecret={s}\n")).unwrap();
    let (code, out, err, rss) = measured(
        &["scan", ".", "--format", "json", "/dev/zero", "/dev/null"],
        dir.path(),
    );
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(v["summary"]["skipped"]["too-large"], 1, "{}", v["skipped"]);
    assert_eq!(
        v["summary"]["skipped"]["not-regular-file"], 2,
        "{}",
        v["skipped"]
    );
    assert!(rss < 200, "2 GB sparse file never read: {rss} MiB");
    // Allowed in: memory-mapped, recognized as binary from its first page.
    let (code, out, _, rss) = measured(
        &["scan", ".", "--format", "json", "--max-file-size", "3G"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert_eq!(json(&out)["summary"]["skipped"]["binary"], 1);
    assert!(rss < 200, "mapped, not copied: {rss} MiB");
}

#[test]
fn fifty_megabyte_line_deep_json_and_pathological_runs() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(302);
    // 50 MB on one line with a key pair in the middle.
    let mut line = "x=1;".repeat(25 * 1024 * 1024 / 4);
    line.push_str(&format!(
        "cfg={{accessKeyId:\"{k}\",secretAccessKey:\"{s}\"}};"
    ));
    line.push_str(&"y=2;".repeat(25 * 1024 * 1024 / 4));
    fs::write(dir.path().join("one-line.js"), &line).unwrap();
    drop(line);
    // Nesting that would overflow a recursive parser, as JSON and as Terraform state.
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    fs::write(dir.path().join("deep.json"), &deep).unwrap();
    fs::write(
        dir.path().join("deep.tfstate"),
        format!("{{\"version\":4,\"lineage\":\"l\",\"resources\":[{deep}]}}"),
    )
    .unwrap();
    // Long base64-like runs right after keywords.
    let run64 = crate::util::Rng::new(5).pick(crate::util::B64, 4 * 1024 * 1024);
    fs::write(
        dir.path().join("runs.env"),
        format!("aws_secret_access_key={run64}\npassword={run64}\ntoken: {run64}\nAKIA{run64}\n"),
    )
    .unwrap();
    let (code, out, err, rss) = measured(&["scan", ".", "--format", "json"], dir.path());
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    let f = findings(&v)
        .iter()
        .find(|f| f["annotations"]["aws"]["key_id"] == k.as_str())
        .expect("found in 50 MB line");
    assert_eq!(f["line"], 1);
    assert_eq!(
        v["summary"]["skipped"]["malformed-terraform"], 1,
        "{}",
        v["skipped"]
    );
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    assert!(
        rss < 600,
        "bounded by the largest file and the thread count: {rss} MiB"
    );
}

#[test]
fn very_deep_directories() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = dir.path().to_path_buf();
    for i in 0..400 {
        p.push(format!("d{}", i % 10));
    }
    fs::create_dir_all(&p).unwrap();
    let (k, s) = pair(303);
    fs::write(
        p.join("deep.env"),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
    .unwrap();
    let (_, v) = scan_json(dir.path(), &[]);
    assert_eq!(findings(&v).len(), 1);
}

#[test]
fn peak_memory_does_not_grow_with_the_number_of_files() {
    let few = tempfile::tempdir().unwrap();
    let many = tempfile::tempdir().unwrap();
    let body = "fn main() { let greeting = \"hello\"; println!(\"{greeting}\"); }\n".repeat(40);
    fs::write(few.path().join("a.rs"), &body).unwrap();
    for d in 0..100 {
        let sub = many.path().join(format!("m{d}"));
        fs::create_dir(&sub).unwrap();
        for f in 0..200 {
            fs::write(sub.join(format!("f{f}.rs")), &body).unwrap();
        }
    }
    let (_, _, _, rss_few) = measured(&["scan", ".", "-j", "2"], few.path());
    let (code, out, _, rss_many) =
        measured(&["scan", ".", "-j", "2", "--format", "json"], many.path());
    assert_eq!(code, 0);
    assert_eq!(json(&out)["summary"]["files"], 20_000);
    assert!(
        rss_many < rss_few + 40,
        "20,000 files: {rss_many} MiB against {rss_few} MiB for one"
    );
}

#[test]
fn one_gigabyte_blob_and_100k_refs() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init(repo);
    let (k, s) = pair(304);
    commit_file(
        repo,
        "app.env",
        &format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
        "config",
    );
    // 1 GiB of text: compresses to a few MB in the object store.
    {
        let mut f = fs::File::create(repo.join("dump.sql")).unwrap();
        let chunk = "INSERT INTO t VALUES (1, 'row');\n".repeat(32 * 1024);
        for _ in 0..(1 << 30) / chunk.len() {
            f.write_all(chunk.as_bytes()).unwrap();
        }
    }
    git(repo, &["add", "dump.sql"]);
    git(repo, &["commit", "-q", "-m", "dump"]);
    fs::remove_file(repo.join("dump.sql")).unwrap();
    // 100,000 tags, written as packed refs the way `git pack-refs` stores them.
    let head = git(repo, &["rev-parse", "HEAD"]);
    let mut packed = String::from("# pack-refs with: peeled fully-peeled sorted \n");
    let mut names: Vec<String> = (0..100_000).map(|i| format!("refs/tags/t{i:06}")).collect();
    names.sort();
    for n in names {
        packed.push_str(&format!("{head} {n}\n"));
    }
    fs::write(repo.join(".git/packed-refs"), packed).unwrap();
    let (code, out, err, rss) = measured(&["git", ".", "--format", "json", "--no-progress"], repo);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(findings(&v).len(), 1, "one secret, however many refs");
    assert_eq!(v["summary"]["skipped"]["too-large"], 1, "{}", v["skipped"]);
    assert!(rss < 300, "the 1 GiB blob is never inflated: {rss} MiB");
}

#[test]
fn missing_pack_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init(repo);
    let (k, s) = pair(305);
    commit_file(repo, "a.txt", "one\n", "one");
    git(repo, &["repack", "-q", "-a", "-d"]);
    commit_file(
        repo,
        "b.env",
        &format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
        "two",
    );
    git(repo, &["repack", "-q"]); // a second pack with only the new objects
                                  // Drop the first pack: the first commit's objects are gone.
    let packs: Vec<_> = fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .collect();
    assert_eq!(packs.len(), 2);
    let oldest = packs
        .iter()
        .min_by_key(|p| fs::metadata(p).unwrap().modified().unwrap())
        .unwrap()
        .clone();
    let first_blob = git(repo, &["rev-parse", "HEAD~1:a.txt"]);
    fs::remove_file(&oldest).unwrap();
    fs::remove_file(oldest.with_extension("idx")).unwrap();
    let r = run(&["git", ".", "--format", "json", "--no-progress"], repo);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(r.code == 1 || r.code == 2 || r.code == 4, "{}", r.code);
    if r.code == 2 {
        // The commit graph itself is gone: a clear error naming the object.
        assert!(
            r.stderr.contains("object") || r.stderr.contains("not found"),
            "{}",
            r.stderr
        );
    } else {
        let v = json(&r.stdout);
        assert!(
            v["summary"]["skipped"]["git-object-error"]
                .as_u64()
                .unwrap_or(0)
                >= 1
                || r.stderr.contains(&first_blob[..7]),
            "{v}"
        );
    }
}

#[test]
fn no_secret_in_any_output_unless_show_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init(repo);
    let (k, s) = pair(306);
    let gh = format!(
        "ghp_{}",
        crate::util::Rng::new(306).pick(
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            36
        )
    );
    let text = format!("AWS_SECRET_ACCESS_KEY={s}\nAWS_ACCESS_KEY_ID={k}\nGITHUB_TOKEN={gh}\n");
    commit_file(repo, "leak.env", &text, "leak");
    fs::write(
        repo.join("terraform.tfstate"),
        format!("{{\"version\":4,\"lineage\":\"x\",\"serial\":1,\"resources\":[{{\"type\":\"aws_iam_access_key\",\"name\":\"k\",\"instances\":[{{\"attributes\":{{\"id\":\"{k}\",\"secret\":\"{s}\"}}}}]}}]}}"),
    )
    .unwrap();
    fs::write(repo.join("staged.env"), format!("GITHUB_TOKEN={gh}\n")).unwrap();
    git(repo, &["add", "staged.env"]);
    let runs: Vec<Vec<&str>> = vec![
        vec!["scan", "."],
        vec!["scan", ".", "-v", "--format", "json"],
        vec!["scan", ".", "--format", "sarif"],
        vec!["git", ".", "--no-progress"],
        vec!["git", ".", "--format", "sarif", "--no-progress"],
        vec!["git", ".", "--staged"],
        vec!["git", ".", "--staged", "--hook-message"],
        vec!["baseline", "create", ".", "-o", "/dev/stdout"],
    ];
    for args in &runs {
        let r = run(args, repo);
        for secret in [&s, &gh] {
            assert!(
                !r.stdout.contains(secret.as_str()) && !r.stderr.contains(secret.as_str()),
                "{args:?} printed a secret:\n{}\n{}",
                r.stdout,
                r.stderr
            );
        }
    }
    let r = run(&["scan", ".", "--show-secrets"], repo);
    assert!(
        r.stdout.contains(&s) && r.stdout.contains(&gh),
        "--show-secrets shows them"
    );
}

#[test]
fn history_reports_are_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init(repo);
    for i in 0..5 {
        let (k, s) = pair(310 + i);
        commit_file(
            repo,
            &format!("f{i}.env"),
            &format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
            &format!("c{i}"),
        );
    }
    for format in ["json", "sarif"] {
        let a = run(&["git", ".", "--format", format, "--no-progress"], repo);
        let b = run(
            &["git", ".", "--format", format, "--no-progress", "-j", "1"],
            repo,
        );
        assert_eq!(a.code, 1);
        assert_eq!(a.stdout, b.stdout, "{format} differs between runs");
    }
}

#[test]
fn zero_bytes_cr_only_and_nul_heavy_files() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.env"), b"").unwrap();
    let (k, s) = pair(320);
    // Classic Mac line endings: the pair is found and lines are counted at each CR.
    fs::write(
        dir.path().join("mac.cfg"),
        format!("# settings\raws_access_key_id={k}\raws_secret_access_key={s}\r"),
    )
    .unwrap();
    // Mostly NUL: binary, skipped and counted; with --binary, scanned without trouble.
    let mut nul = vec![0u8; 1 << 20];
    let (k2, s2) = pair(321);
    nul.extend_from_slice(
        format!("\nAWS_ACCESS_KEY_ID={k2}\nAWS_SECRET_ACCESS_KEY={s2}\n").as_bytes(),
    );
    nul.extend(std::iter::repeat_n(0u8, 1 << 20));
    fs::write(dir.path().join("core.dump"), &nul).unwrap();
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        v["summary"]["files"], 2,
        "the empty file is scanned, the dump skipped"
    );
    assert_eq!(v["summary"]["skipped"]["binary"], 1);
    let all = findings(&v);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["secret"], k.as_str());
    assert_eq!(all[0]["line"], 2);
    assert_eq!(all[0]["column"], "aws_access_key_id=".len() + 1);
    assert_eq!(all[0]["companions"][0]["line"], 3);
    let (_, v) = scan_json(dir.path(), &["--binary"]);
    assert!(findings(&v).iter().any(|f| f["secret"] == k2.as_str()));
}
