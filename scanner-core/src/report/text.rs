//! Human-readable report: one block per finding and a summary line.

use std::io::{self, Write};

use super::Report;
use crate::finding::{Finding, Secret};

/// Text writer options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours (only when writing to a terminal).
    pub color: bool,
    /// Reveal secrets.
    pub show_secrets: bool,
    /// List every skipped input.
    pub verbose: bool,
}

struct Paint(bool);
impl Paint {
    fn c(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn show(secret: &Secret, opts: &TextOptions) -> String {
    if opts.show_secrets {
        secret
            .expose_lossy()
            .replace('\n', "\\n")
            .replace('\r', "\\r")
    } else {
        secret.redacted()
    }
}

fn write_finding(w: &mut dyn Write, f: &Finding, opts: &TextOptions, p: &Paint) -> io::Result<()> {
    let conf_color = match f.confidence {
        crate::rules::Confidence::High => "1;31",
        crate::rules::Confidence::Medium => "1;33",
        crate::rules::Confidence::Low => "2",
    };
    writeln!(
        w,
        "{} {} {}",
        p.c("1", &f.rule_name),
        p.c("2", &format!("({})", f.rule_id)),
        p.c(conf_color, &format!("[{}]", f.confidence.as_str()))
    )?;
    writeln!(
        w,
        "  {}",
        p.c(
            "36",
            &format!(
                "{}:{}:{}",
                f.origin.display_path(),
                f.location.line,
                f.location.column
            )
        )
    )?;
    if let crate::finding::Origin::Git(g) = &f.origin {
        if let Some(c) = &g.commit {
            writeln!(
                w,
                "  commit:      {} {}",
                &c.id[..c.id.len().min(12)],
                c.subject
            )?;
            writeln!(w, "  author:      {} <{}> {}", c.author, c.email, c.date)?;
        }
        writeln!(
            w,
            "  carried by:  {} commit{}",
            g.commits_carrying,
            if g.commits_carrying == 1 { "" } else { "s" }
        )?;
        if g.present_at_head {
            writeln!(w, "  at HEAD:     yes")?;
        } else {
            writeln!(
                w,
                "  at HEAD:     {}",
                p.c("1;33", "no — removed from HEAD but alive in history: rotate it, and consider rewriting history")
            )?;
        }
    }
    writeln!(w, "  secret:      {}", show(&f.secret, opts))?;
    for c in &f.companions {
        writeln!(
            w,
            "  {:<12} {} (line {})",
            format!("{}:", c.name),
            show(&c.secret, opts),
            c.location.line
        )?;
    }
    for (k, v) in &f.annotations {
        let shown = match v {
            serde_json::Value::Object(m) => m
                .iter()
                .filter(|(_, x)| !x.is_null() && **x != serde_json::Value::Bool(false))
                .map(|(a, x)| match x {
                    serde_json::Value::Bool(true) => a.clone(),
                    serde_json::Value::String(s) => format!("{a}={s}"),
                    other => format!("{a}={other}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        writeln!(w, "  {:<12} {shown}", format!("{k}:"))?;
    }
    if let Some(enc) = f.encoding {
        writeln!(
            w,
            "  encoding:    {} (the location points at the encoded text)",
            enc.as_str()
        )?;
    }
    writeln!(w, "  fingerprint: {}", f.fingerprint)?;
    writeln!(w)
}

/// Writes `report` as text.
pub fn write_text(w: &mut dyn Write, report: &Report, opts: &TextOptions) -> io::Result<()> {
    let p = Paint(opts.color);
    for f in &report.findings {
        write_finding(w, f, opts, &p)?;
    }
    let s = &report.summary;
    if opts.verbose {
        for sk in &s.skipped_inputs {
            writeln!(
                w,
                "skipped {} [{}]: {}",
                sk.path,
                sk.reason.as_str(),
                sk.detail
            )?;
        }
    }
    let secs = s.elapsed.as_secs_f64();
    let mib = s.bytes as f64 / (1024.0 * 1024.0);
    let rate = if secs > 0.0 { mib / secs } else { 0.0 };
    let mut line = format!(
        "{} finding{} in {} file{} ({:.1} MiB) in {:.2} s ({:.0} MiB/s)",
        s.findings,
        if s.findings == 1 { "" } else { "s" },
        s.files,
        if s.files == 1 { "" } else { "s" },
        mib,
        secs,
        rate
    );
    let skipped = s.skipped_total();
    if skipped > 0 {
        let parts: Vec<String> = s
            .skipped
            .iter()
            .map(|(r, n)| format!("{}: {n}", r.as_str()))
            .collect();
        line.push_str(&format!("; {skipped} skipped ({})", parts.join(", ")));
    }
    if let Some(c) = s.commits {
        line.push_str(&format!("; {c} commits"));
    }
    for (n, what) in [
        (s.baseline_suppressed, "in baseline"),
        (s.examples, "example"),
        (s.placeholders, "placeholder"),
        (s.not_credentials, "not a credential"),
        (s.allowlisted, "allowlisted"),
        (s.below_confidence, "below confidence"),
    ] {
        if n > 0 {
            line.push_str(&format!("; {n} {what}"));
        }
    }
    let color = if s.findings > 0 { "1;31" } else { "32" };
    writeln!(w, "{}", p.c(color, &line))?;
    if skipped > 0 && !opts.verbose {
        writeln!(w, "(--verbose lists skipped inputs)")?;
    }
    if let Some(n) = s.shallow_missing_parents {
        writeln!(w, "warning: shallow clone: {n} commit(s) have parents that are not in this clone; history before them was not scanned (`git fetch --unshallow` scans it)")?;
    }
    Ok(())
}
