//! Test helpers: run the binary, make deterministic fake credentials.

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn keyward() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyward"));
    c.env_remove("NO_COLOR").env("KEYWARD_TEST", "1");
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str], cwd: &Path) -> Run {
    let mut c = keyward();
    c.args(args).current_dir(cwd);
    run_command(c, None)
}

pub fn run_stdin(args: &[&str], cwd: &Path, input: &[u8]) -> Run {
    let mut c = keyward();
    c.args(args).current_dir(cwd);
    run_command(c, Some(input))
}

/// Runs a prepared command to completion, feeding it `input` (or nothing) on stdin.
pub fn run_command(mut c: Command, input: Option<&[u8]>) -> Run {
    use std::io::Write;
    c.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn keyward");
    if let Some(input) = input {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    let out: Output = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Scans `dir` with JSON output and secrets shown; returns the parsed report.
pub fn scan_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "scan",
        ".",
        "--format",
        "json",
        "--show-secrets",
        "--no-progress",
    ];
    args.extend_from_slice(extra);
    let r = run(&args, dir);
    assert!(
        r.code == 0 || r.code == 1,
        "exit {} stderr {}",
        r.code,
        r.stderr
    );
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {}", r.stdout));
    (r.code, v)
}

/// A tiny deterministic generator so fixtures are made in code, not copied.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

pub const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn key_id(prefix: &str, seed: u64) -> String {
    format!("{prefix}{}", Rng::new(seed).pick(B32, 16))
}

pub fn secret(seed: u64) -> String {
    Rng::new(seed + 1000).pick(B64, 40)
}

pub fn session_token(seed: u64) -> String {
    format!("IQoJb3JpZ2luX2Vj{}", Rng::new(seed + 2000).pick(B64, 300))
}

pub fn findings(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["findings"].as_array().expect("findings array")
}

/// Standard base64 with padding (test data for encoded-credential shapes).
pub fn base64_encode(b: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                out.push(T[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
