//! Scan a file (or a built-in sample) with the default rules and print redacted findings.
//!
//!     cargo run -p scanner-core --example scan_bytes -- path/to/file

use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};

fn main() -> std::io::Result<()> {
    let scanner = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
    let (bytes, origin) = match std::env::args_os().nth(1) {
        Some(path) => (std::fs::read(&path)?, Origin::File { path: path.into() }),
        None => (
            b"[default]\naws_access_key_id = AKIAZ3MHBX4QTY7VQZ7B\naws_secret_access_key = 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\n".to_vec(),
            Origin::Stdin,
        ),
    };
    let report = scanner.scan_bytes(&bytes, origin);
    for f in &report.findings {
        println!(
            "{}:{}:{} {} [{}] {}",
            f.origin.display_path(),
            f.location.line,
            f.location.column,
            f.rule_id,
            f.confidence.as_str(),
            f.secret // redacted by Display
        );
        for c in &f.companions {
            println!("    with {} {}", c.name, c.secret);
        }
    }
    println!(
        "{} finding(s), {} example key(s) ignored",
        report.findings.len(),
        report.summary.examples
    );
    Ok(())
}
