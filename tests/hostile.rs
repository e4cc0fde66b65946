//! Hostile inputs: nothing panics, nothing hangs, every skip is counted with its reason.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::util::{findings, key_id, run, scan_json, secret};

fn pair(n: u64) -> (String, String) {
    (key_id("AKIA", n), secret(n))
}

#[test]
fn binary_files_are_skipped_and_counted_unless_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(100);
    let mut bytes = vec![0u8, 1, 2, 3, 0, 0];
    bytes.extend_from_slice(
        format!("\nAWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n").as_bytes(),
    );
    fs::write(dir.path().join("blob.bin"), &bytes).unwrap();
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["skipped"]["binary"], 1);
    assert_eq!(v["skipped"][0]["path"], "blob.bin");
    let (code, v) = scan_json(dir.path(), &["--binary"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v)[0]["secret"], k.as_str());
}

#[test]
fn invalid_utf8_crlf_and_utf16_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(101);
    let mut bytes = b"\xfa\xff\xfe garbage \xc3\x28 more\r\n".to_vec();
    bytes.extend_from_slice(format!("id={k}\r\nsecret={s}\r\n").as_bytes());
    fs::write(dir.path().join("latin.txt"), &bytes).unwrap();
    let (k2, s2) = pair(102);
    let text = format!("AWS_ACCESS_KEY_ID={k2}\r\nAWS_SECRET_ACCESS_KEY={s2}\r\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    fs::write(dir.path().join("utf16.ps1"), &utf16).unwrap();
    let (_, v) = scan_json(dir.path(), &[]);
    let all = findings(&v);
    let f = all
        .iter()
        .find(|f| f["secret"] == k.as_str())
        .expect("found in invalid UTF-8");
    assert_eq!(f["line"], 2);
    assert_eq!(f["companions"][0]["secret"], s.as_str());
    let f = all
        .iter()
        .find(|f| f["secret"] == k2.as_str())
        .expect("found in UTF-16");
    assert_eq!(f["companions"][0]["secret"], s2.as_str());
}

#[test]
fn huge_file_and_huge_line() {
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(103);
    // 200 MB of ordinary text with the credential at the very end (memory-mapped path).
    let mut f = fs::File::create(dir.path().join("big.log")).unwrap();
    let line = b"2024-01-01 INFO request served in 12 ms path=/api/v1/items status=200 bytes=512\n";
    let mut written = 0;
    while written < 200 * 1024 * 1024 {
        f.write_all(line).unwrap();
        written += line.len();
    }
    writeln!(f, "AWS_ACCESS_KEY_ID={k} AWS_SECRET_ACCESS_KEY={s}").unwrap();
    drop(f);
    // A 20 MB single line (minified bundle) with a key in the middle.
    let (k2, s2) = pair(104);
    let mut one = "a=1;".repeat(5 * 1024 * 1024 / 2);
    one.push_str(&format!(
        "var c={{accessKeyId:\"{k2}\",secretAccessKey:\"{s2}\"}};"
    ));
    one.push_str(&"b=2;".repeat(5 * 1024 * 1024 / 2));
    fs::write(dir.path().join("bundle.min.js"), &one).unwrap();
    let (_, v) = scan_json(dir.path(), &[]);
    let all = findings(&v);
    let big = all
        .iter()
        .find(|f| f["secret"] == k.as_str())
        .expect("found at end of 200 MB file");
    assert_eq!(big["companions"][0]["secret"], s.as_str());
    let min = all
        .iter()
        .find(|f| f["secret"] == k2.as_str())
        .expect("found in 20 MB line");
    assert_eq!(min["line"], 1);
    assert_eq!(min["companions"][0]["secret"], s2.as_str());
    // Over --max-file-size: skipped and counted, not silently dropped.
    let (_, v) = scan_json(dir.path(), &["--max-file-size", "1M"]);
    assert_eq!(v["summary"]["skipped"]["too-large"], 2);
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_special_files() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::create_dir_all(p.join("a/b")).unwrap();
    symlink(p.join("a"), p.join("a/b/loop")).unwrap();
    let (k, s) = pair(105);
    fs::write(p.join("a/creds.env"), format!("id={k}\nsecret={s}\n")).unwrap();
    symlink(p.join("a/creds.env"), p.join("link.env")).unwrap();
    let fifo = p.join("pipe");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let (_, v) = scan_json(p, &[]);
    assert_eq!(findings(&v).len(), 1, "the file once, not via the link");
    assert_eq!(v["summary"]["skipped"]["symlink"], 2);
    if ok {
        assert_eq!(
            v["summary"]["skipped"]["not-regular-file"], 1,
            "FIFO never read"
        );
    }
    let (_, v) = scan_json(p, &["--follow"]);
    assert!(
        v["summary"]["skipped"]["walk-error"].as_u64().unwrap() >= 1,
        "loop reported: {}",
        v["skipped"]
    );
    assert!(!findings(&v).is_empty());
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_strict_changes_the_exit_code() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(p.join("ok.txt"), "fine\n").unwrap();
    fs::write(p.join("locked.env"), "x\n").unwrap();
    fs::set_permissions(p.join("locked.env"), fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything, so drop to an unprivileged user when running as root.
    let as_root = unsafe_is_root();
    let run_as = |args: &[&str]| -> (i32, String) {
        let mut cmd = if as_root {
            let mut c = std::process::Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_keyward"),
            ]);
            c
        } else {
            std::process::Command::new(env!("CARGO_BIN_EXE_keyward"))
        };
        let out = cmd.args(args).current_dir(p).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = run_as(&["scan", ".", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["skipped"]["unreadable"], 1, "{out}");
    assert!(v["skipped"][0]["detail"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("permission"));
    let (code, _) = run_as(&["scan", ".", "--strict"]);
    assert_eq!(code, 4);
    let (code, out) = run_as(&["scan", ".", "--verbose"]);
    assert_eq!(code, 0);
    assert!(out.contains("skipped locked.env [unreadable]"), "{out}");
}

fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

#[test]
fn missing_path_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.txt"), "x\n").unwrap();
    let r = run(&["scan", "a.txt", "nope", "--format", "json"], dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["skipped"]["unreadable"], 1);
    assert_eq!(v["summary"]["files"], 1);
    let _ = Path::new(".");
}

#[cfg(unix)]
#[test]
fn odd_file_names_keep_reports_valid() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(106);
    let text = format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n");
    fs::write(dir.path().join("new\nline.env"), &text).unwrap();
    fs::write(
        dir.path()
            .join(std::ffi::OsStr::from_bytes(b"bad\xff\xfename.env")),
        &text,
    )
    .unwrap();
    let (code, v) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v).len(), 2, "{v}");
    let r = run(&["scan", ".", "--format", "sarif"], dir.path());
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("SARIF stays valid JSON");
    for res in doc["runs"][0]["results"].as_array().unwrap() {
        let uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            !uri.contains('\n') && uri.is_ascii(),
            "percent-encoded URI: {uri}"
        );
    }
}

/// No network unless verification or response is asked for: scans run in a network namespace
/// with no interfaces (`unshare -n`) and give the same result as outside it.
#[cfg(target_os = "linux")]
#[test]
fn scans_need_no_network() {
    let can_unshare = std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !can_unshare {
        eprintln!("SKIPPED: unshare -n is not permitted here (needs root or user namespaces)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (k, s) = pair(107);
    fs::write(
        dir.path().join("a.env"),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
    .unwrap();
    let exe = env!("CARGO_BIN_EXE_keyward");
    let offline = std::process::Command::new("unshare")
        .args(["-n", exe, "scan", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let online = run(&["scan", ".", "--format", "json"], dir.path());
    assert_eq!(offline.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&offline.stdout),
        online.stdout,
        "same report without a network"
    );
    // History, staged changes and Terraform state too: none of them needs a network either.
    fs::write(
        dir.path().join("terraform.tfstate"),
        format!("{{\"version\":4,\"lineage\":\"l\",\"serial\":1,\"resources\":[{{\"type\":\"aws_iam_access_key\",\"name\":\"k\",\"instances\":[{{\"attributes\":{{\"id\":\"{k}\",\"secret\":\"{s}\"}}}}]}}]}}"),
    )
    .unwrap();
    crate::git::init(dir.path());
    crate::git::git(dir.path(), &["add", "-A"]);
    crate::git::git(dir.path(), &["commit", "-q", "-m", "state"]);
    fs::write(
        dir.path().join("staged.env"),
        format!("AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"),
    )
    .unwrap();
    crate::git::git(dir.path(), &["add", "staged.env"]);
    for args in [
        &["git", ".", "--format", "json", "--no-progress"][..],
        &["git", ".", "--staged", "--format", "json"][..],
    ] {
        let offline = std::process::Command::new("unshare")
            .arg("-n")
            .arg(exe)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let online = run(args, dir.path());
        assert_eq!(offline.status.code(), Some(online.code), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&offline.stdout),
            online.stdout,
            "{args:?}"
        );
    }
}
