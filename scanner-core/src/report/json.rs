//! JSON report: a documented, versioned schema (`docs/json-schema.md`).

use std::io::{self, Write};

use serde::Serialize;

use super::{Report, ScanSummary, SkippedInput, WriteOptions};
use crate::finding::{Finding, Location, Secret};

/// Version of the JSON report schema; bumped on any incompatible change.
pub const JSON_SCHEMA_VERSION: &str = "keyward-report/1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: &'a ScanSummary,
    skipped: &'a [SkippedInput],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonCompanion<'a> {
    name: &'a str,
    secret: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    rule_name: &'a str,
    confidence: &'static str,
    severity: f64,
    path: String,
    origin: &'a crate::finding::Origin,
    line: usize,
    column: usize,
    end: Position,
    secret: String,
    secret_length: usize,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    companions: Vec<JsonCompanion<'a>>,
    tags: &'a [String],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    annotations: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

fn secret_text(s: &Secret, opts: &WriteOptions) -> String {
    if opts.show_secrets {
        s.expose_lossy()
    } else {
        s.redacted()
    }
}

fn to_json<'a>(f: &'a Finding, opts: &WriteOptions) -> JsonFinding<'a> {
    let Location {
        line,
        column,
        end_line,
        end_column,
    } = f.location;
    JsonFinding {
        rule: &f.rule_id,
        rule_name: &f.rule_name,
        confidence: f.confidence.as_str(),
        severity: f.severity,
        path: f.origin.display_path(),
        origin: &f.origin,
        line,
        column,
        end: Position {
            line: end_line,
            column: end_column,
        },
        secret: secret_text(&f.secret, opts),
        secret_length: f.secret.len(),
        fingerprint: &f.fingerprint,
        encoding: f.encoding.map(|e| e.as_str()),
        companions: f
            .companions
            .iter()
            .map(|c| JsonCompanion {
                name: &c.name,
                secret: secret_text(&c.secret, opts),
                line: c.location.line,
                column: c.location.column,
            })
            .collect(),
        tags: &f.tags,
        annotations: &f.annotations,
    }
}

/// Writes `report` as one JSON document.
pub fn write_json(w: &mut dyn Write, report: &Report, opts: &WriteOptions) -> io::Result<()> {
    let doc = JsonReport {
        schema: JSON_SCHEMA_VERSION,
        tool: Tool {
            name: "keyward",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(|f| to_json(f, opts)).collect(),
        summary: &report.summary,
        skipped: &report.summary.skipped_inputs,
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
