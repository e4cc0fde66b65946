//! SARIF 2.1.0 report (via `serde-sarif`), for code-scanning dashboards. Secrets appear only
//! redacted unless `--show-secrets`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_sarif::sarif;

use super::{Report, WriteOptions};
use crate::finding::Finding;
use crate::rules::{Confidence, RuleSet};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(c: Confidence) -> sarif::ResultLevel {
    match c {
        Confidence::High => sarif::ResultLevel::Error,
        Confidence::Medium => sarif::ResultLevel::Warning,
        Confidence::Low => sarif::ResultLevel::Note,
    }
}

fn props(map: BTreeMap<String, serde_json::Value>) -> sarif::PropertyBag {
    sarif::PropertyBag::builder()
        .additional_properties(map)
        .build()
}

/// Percent-encodes what may not appear raw in a relative URI reference.
fn uri_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// What a SARIF rule descriptor shows, for pattern and structural rules alike.
struct RuleFacts<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    tags: &'a [String],
    severity: f64,
    confidence: Confidence,
    references: &'a [String],
}

fn facts_of<'a>(id: &'a str, rules: &'a RuleSet) -> RuleFacts<'a> {
    if let Some(r) = rules.get(id) {
        return RuleFacts {
            id,
            name: r.name(),
            description: r.description(),
            tags: r.tags(),
            severity: r.severity(),
            confidence: r.confidence(),
            references: r.references(),
        };
    }
    if let Some(r) = crate::tfstate::state_rule(id) {
        return RuleFacts {
            id,
            name: &r.name,
            description: &r.description,
            tags: &r.tags,
            severity: r.severity(),
            confidence: r.confidence,
            references: &r.references,
        };
    }
    RuleFacts {
        id,
        name: id,
        description: "",
        tags: &[],
        severity: 5.0,
        confidence: Confidence::Medium,
        references: &[],
    }
}

fn rule_descriptor(rule: &RuleFacts<'_>) -> sarif::ReportingDescriptor {
    let mut p = BTreeMap::new();
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    for t in rule.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    p.insert("tags".into(), serde_json::json!(tags));
    p.insert(
        "security-severity".into(),
        serde_json::json!(format!("{:.1}", rule.severity)),
    );
    p.insert(
        "precision".into(),
        serde_json::json!(match rule.confidence {
            Confidence::High => "very-high",
            Confidence::Medium => "high",
            Confidence::Low => "medium",
        }),
    );
    let description = if rule.description.is_empty() {
        rule.name
    } else {
        rule.description
    };
    let mut help = format!(
        "{description}\n\nRevoke or rotate the credential, then remove it from the code. If it must stay (a test fixture), mark the line with `keyward:allow` or add its fingerprint to the baseline."
    );
    if !rule.references.is_empty() {
        help.push_str(&format!("\n\nReferences: {}", rule.references.join(", ")));
    }
    let builder = sarif::ReportingDescriptor::builder()
        .id(rule.id)
        .name(rule.name)
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(rule.name)
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(description)
                .build(),
        )
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help)
                .build(),
        )
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(serde_json::json!(level(rule.confidence)
                    .to_string()
                    .to_lowercase()))
                .build(),
        )
        .properties(props(p));
    match rule.references.first() {
        Some(uri) => builder.help_uri(uri.clone()).build(),
        None => builder.build(),
    }
}

fn result_of(f: &Finding, rule_index: i64, opts: &WriteOptions) -> sarif::Result {
    let secret = if opts.show_secrets {
        f.secret.expose_lossy()
    } else {
        f.secret.redacted()
    };
    let mut message = format!("{} found: {}", f.rule_name, secret);
    for c in &f.companions {
        let v = if opts.show_secrets {
            c.secret.expose_lossy()
        } else {
            c.secret.redacted()
        };
        message.push_str(&format!(
            " with {} {} (line {})",
            c.name, v, c.location.line
        ));
    }
    let uri = uri_of(&f.origin.display_path());
    // A leaked pair is fixed only by removing both values, which is when SARIF (3.27.12) lets
    // a result have several locations: the secret first, then each companion. The companions
    // are also related locations, so viewers that show only the first location can link them.
    let mut locations = vec![sarif::Location::builder()
        .physical_location(physical_location(&uri, &f.location))
        .build()];
    let mut related = Vec::new();
    for (i, c) in f.companions.iter().enumerate() {
        locations.push(
            sarif::Location::builder()
                .physical_location(physical_location(&uri, &c.location))
                .build(),
        );
        related.push(
            sarif::Location::builder()
                .id(i as i64 + 1)
                .physical_location(physical_location(&uri, &c.location))
                .message(sarif::Message::builder().text(c.name.clone()).build())
                .build(),
        );
    }
    let mut fp = BTreeMap::new();
    fp.insert("keyward/v1".to_string(), f.fingerprint.clone());
    let mut p = BTreeMap::new();
    p.insert(
        "confidence".into(),
        serde_json::json!(f.confidence.as_str()),
    );
    p.insert("secretLength".into(), serde_json::json!(f.secret.len()));
    if let Some(enc) = f.encoding {
        p.insert("encoding".into(), serde_json::json!(enc.as_str()));
    }
    for (k, v) in &f.annotations {
        p.insert(k.clone(), v.clone());
    }
    if let crate::finding::Origin::Git(g) = &f.origin {
        p.insert("blob".into(), serde_json::json!(g.blob));
        p.insert(
            "commitsCarrying".into(),
            serde_json::json!(g.commits_carrying),
        );
        p.insert("presentAtHead".into(), serde_json::json!(g.present_at_head));
        if let Some(c) = &g.commit {
            p.insert("commit".into(), serde_json::json!(c.id));
            p.insert(
                "author".into(),
                serde_json::json!(format!("{} <{}>", c.author, c.email)),
            );
            p.insert("commitDate".into(), serde_json::json!(c.date));
            p.insert("commitSubject".into(), serde_json::json!(c.subject));
        }
    }
    if !f.companions.is_empty() {
        let names: Vec<&str> = f.companions.iter().map(|c| c.name.as_str()).collect();
        p.insert("companions".into(), serde_json::json!(names));
    }
    let builder = sarif::Result::builder()
        .rule_id(f.rule_id.clone())
        .rule_index(rule_index)
        .level(level(f.confidence))
        .message(sarif::Message::builder().text(message).build())
        .locations(locations)
        .partial_fingerprints(fp)
        .properties(props(p));
    if related.is_empty() {
        builder.build()
    } else {
        builder.related_locations(related).build()
    }
}

fn physical_location(uri: &str, at: &crate::finding::Location) -> sarif::PhysicalLocation {
    let region = sarif::Region::builder()
        .start_line(at.line as i64)
        .start_column(at.column as i64)
        .end_line(at.end_line as i64)
        .end_column(at.end_column as i64)
        .build();
    sarif::PhysicalLocation::builder()
        .artifact_location(
            sarif::ArtifactLocation::builder()
                .uri(uri.to_string())
                .build(),
        )
        .region(region)
        .build()
}

/// Writes `report` as a SARIF 2.1.0 log. The driver lists the rules that produced results.
pub fn write_sarif(
    w: &mut dyn Write,
    report: &Report,
    rules: &RuleSet,
    opts: &WriteOptions,
) -> io::Result<()> {
    let mut used: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    let descriptors: Vec<sarif::ReportingDescriptor> = used
        .iter()
        .map(|id| rule_descriptor(&facts_of(id, rules)))
        .collect();
    let index_of = |id: &str| used.iter().position(|u| *u == id).unwrap_or(0) as i64;
    let results: Vec<sarif::Result> = report
        .findings
        .iter()
        .map(|f| result_of(f, index_of(&f.rule_id), opts))
        .collect();
    let driver = sarif::ToolComponent::builder()
        .name("keyward")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/keyward/keyward")
        .rules(descriptors)
        .build();
    let mut run_props = BTreeMap::new();
    run_props.insert(
        "summary".to_string(),
        serde_json::to_value(&report.summary).unwrap_or_default(),
    );
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .properties(props(run_props))
        .build();
    let log = sarif::Sarif::builder()
        .schema(SARIF_SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *w, &log)?;
    writeln!(w)
}
