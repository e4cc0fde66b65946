//! Generated values under credential names are found: the filters that keep placeholders,
//! identifiers and code out must not take a share of real random keys with them. Each shape
//! is 1,000 values from a fixed seed (deterministic: the same values every run), written under
//! a made-up provider's credential names in env, YAML and JSON syntax, scanned at the default
//! confidence. A filter that matches by accident (a value starting with `+` read as
//! `${VAR:+alt}`, `++` inside base64 read as code, two `_` in URL-safe base64 read as an
//! identifier, a 32-digit hex key under a provider rule's entropy minimum) costs 1–5% of a
//! shape; the bound is 0.5%.

use crate::util::{base64_encode, findings, scan_json, Rng, B64};
use std::collections::HashSet;

const PER_SHAPE: usize = 1000;
const HEX: &[u8] = b"0123456789abcdef";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn value(shape: &str, rng: &mut Rng) -> String {
    loop {
        let v = match shape {
            "base64-40" => rng.pick(B64, 40),
            "base64-of-32-bytes" => {
                let bytes: Vec<u8> = (0..32).map(|_| rng.below(256) as u8).collect();
                base64_encode(&bytes)
            }
            "url-safe-43" => rng.pick(URL_SAFE, 43),
            "alnum-32" => rng.pick(ALNUM, 32),
            "lower-digits-32" => rng.pick(LOWER_DIGITS, 32),
            "hex-32" | "hex-32-provider" => rng.pick(HEX, 32),
            _ => unreachable!("unknown shape {shape}"),
        };
        // A generator's output has letters and digits; one without is not what this measures.
        let has = |f: fn(&u8) -> bool| v.as_bytes().iter().any(f);
        if has(u8::is_ascii_digit) && has(u8::is_ascii_alphabetic) {
            return v;
        }
    }
}

fn line(shape: &str, i: usize, v: &str) -> String {
    if shape == "hex-32-provider" {
        // Left to the provider's rule (generic rules yield to the provider's name), whose
        // minimum of 3.3 bits/char is above one random 32-digit hex key in 60.
        return format!("AIRCALL_API_TOKEN={v}\n");
    }
    match i % 3 {
        0 => format!("ZORBLY_SECRET={v}\n"),
        1 => format!("zorbly_api_key: \"{v}\"\n"),
        _ => format!("{{\"zorblyToken\": \"{v}\"}}\n"),
    }
}

#[test]
fn generated_values_under_credential_names_are_found() {
    let shapes = [
        "base64-40",
        "base64-of-32-bytes",
        "url-safe-43",
        "alnum-32",
        "lower-digits-32",
        "hex-32",
        "hex-32-provider",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(20261130);
    let mut written = Vec::new();
    for shape in shapes {
        for i in 0..PER_SHAPE {
            let v = value(shape, &mut rng);
            let name = format!("{shape}-{i}.txt");
            std::fs::write(dir.path().join(&name), line(shape, i, &v)).unwrap();
            written.push((shape, name, v));
        }
    }
    let (_, report) = scan_json(dir.path(), &[]);
    let found: HashSet<String> = findings(&report)
        .iter()
        .filter_map(|f| f["secret"].as_str().map(str::to_string))
        .collect();
    let mut problems = Vec::new();
    for shape in shapes {
        let missed: Vec<&(&str, String, String)> = written
            .iter()
            .filter(|(s, _, v)| *s == shape && !found.contains(v))
            .collect();
        if missed.len() * 200 > PER_SHAPE {
            problems.push(format!(
                "{shape}: {} of {PER_SHAPE} not found, e.g. {}",
                missed.len(),
                missed
                    .iter()
                    .take(5)
                    .map(|(_, f, v)| format!("{f}: {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
