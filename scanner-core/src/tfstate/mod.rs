//! Terraform state, plan JSON and variable files, read structurally.
//!
//! Every source hands its blobs to the scanner; a blob that is Terraform JSON (recognized by its
//! content, or by a `.tfstate`/`.tfvars` name) is also walked here after the pattern rules ran
//! over its bytes. The walk does three things, all keyed by the exact byte span of each string
//! value:
//! - structural rules claim values that are secrets by their place (`rules/terraform-state.toml`);
//! - strings with JSON escapes are decoded and matched again (a PEM key with `\n`, a secret
//!   JSON document in `secret_string`), so escaping hides nothing;
//! - every finding inside a value is annotated with the resource address, attribute path,
//!   serial and lineage, and a remediation hint.

mod document;
mod json_tree;
mod state_rules;
mod tfvars;

use std::collections::BTreeMap;
use std::ops::Range;

use document::{render_path, Holder, Instance, PathStep, StateInfo};
use json_tree::{JsonStr, Node};
pub use state_rules::{parse_state_rules, state_rule, state_rules, StateRule, StateRuleKind};

use crate::matcher::{Matcher, RawCompanion};
use crate::report::{ScanSummary, SkipReason};
use crate::rules::Confidence;
use crate::scan::{Candidate, RuleRef};

/// How a blob is read structurally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TerraformKind {
    /// State, backend state or `terraform show -json` output.
    Json,
    /// `*.tfvars` (HCL assignments).
    Tfvars,
    /// `*.tfvars.json`.
    TfvarsJson,
}

/// Recognizes Terraform files by name or content. Costs a few byte compares for other files.
pub(crate) fn sniff(bytes: &[u8], path: &str) -> Option<TerraformKind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".tfvars") {
        return Some(TerraformKind::Tfvars);
    }
    if name.ends_with(".tfvars.json") {
        return Some(TerraformKind::TfvarsJson);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if body[first] != b'{' {
        return None;
    }
    if name.ends_with(".tfstate") || name.ends_with(".tfstate.backup") {
        return Some(TerraformKind::Json);
    }
    let head = &body[..body.len().min(4096)];
    let finder = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    (finder(b"\"terraform_version\"") || finder(b"\"lineage\"")).then_some(TerraformKind::Json)
}

/// Where a value sits, as shown with a finding.
#[derive(Debug, Clone)]
struct ValueContext {
    address: String,
    attribute: String,
    resource_type: String,
    holder: Holder,
    deposed: Option<String>,
    section: &'static str,
}

/// Walks a Terraform blob, adding structural findings to `cands`, decoding escaped strings, and
/// annotating every candidate that lies inside a value.
pub(crate) fn apply<'r>(
    kind: TerraformKind,
    bytes: &[u8],
    path: &str,
    matcher: &'r Matcher,
    cands: &mut Vec<Candidate<'r>>,
    summary: &mut ScanSummary,
) {
    let body_offset = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut claims = Claims::new(matcher, cands, summary);
    match kind {
        TerraformKind::Json => {
            let doc = &bytes[body_offset..];
            let mut info_seen = None;
            let result = document::walk(doc, &mut |inst| claims.instance(inst, body_offset));
            match result {
                Ok(Some(info)) => info_seen = Some(info),
                Ok(None) => {}
                Err(e) => claims.summary.skip(
                    path.to_string(),
                    SkipReason::MalformedTerraform,
                    format!("not valid Terraform JSON at {e}; scanned as plain text"),
                ),
            }
            claims.finish(info_seen.as_ref());
        }
        TerraformKind::Tfvars => {
            for var in tfvars::assignments(bytes) {
                claims.variable(&var.name, var.value_span, bytes);
            }
            claims.finish(None);
        }
        TerraformKind::TfvarsJson => {
            let doc = &bytes[body_offset..];
            match json_tree::parse(doc, body_offset) {
                Ok(Node::Object(members)) => {
                    for (name, value) in &members {
                        let name = name.value();
                        let mut leaves = Vec::new();
                        collect_strings(value, &mut leaves);
                        for s in leaves {
                            claims.variable(&name, s.span(), bytes);
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let (line, column) = document::line_column(bytes, e.offset);
                    claims.summary.skip(
                        path.to_string(),
                        SkipReason::MalformedTerraform,
                        format!(
                            "not valid JSON at line {line} column {column}: {}; scanned as plain text",
                            e.message
                        ),
                    )
                }
            }
            claims.finish(None);
        }
    }
}

/// Where the strings of a tree lie (from the start of the first to the end of the last) and
/// whether any holds an escape.
#[derive(Default)]
struct StringsSummary {
    range: Option<Range<usize>>,
    escaped: bool,
}

impl StringsSummary {
    fn add(&mut self, node: &Node<'_>) {
        match node {
            Node::String(s) => {
                let span = s.span();
                self.escaped |= s.has_escapes();
                self.range = Some(match self.range.take() {
                    None => span,
                    Some(r) => r.start.min(span.start)..r.end.max(span.end),
                });
            }
            Node::Object(m) => m.iter().for_each(|(_, v)| self.add(v)),
            Node::Array(items) => items.iter().for_each(|v| self.add(v)),
            Node::Scalar(_) => {}
        }
    }
}

fn collect_strings<'a>(node: &Node<'a>, out: &mut Vec<JsonStr<'a>>) {
    match node {
        Node::String(s) => out.push(*s),
        Node::Object(m) => m.iter().for_each(|(_, v)| collect_strings(v, out)),
        Node::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Node::Scalar(_) => {}
    }
}

/// The state of one blob's walk: the candidates so far and what happens to them.
struct Claims<'c, 'r, 's> {
    matcher: &'r Matcher,
    cands: &'c mut Vec<Candidate<'r>>,
    summary: &'s mut ScanSummary,
    /// Indices of the pattern candidates from the text pass, by span start.
    by_start: Vec<usize>,
    /// Their span starts, in the same order.
    starts: Vec<usize>,
    /// Candidates claimed by a structural finding of higher confidence.
    dropped: Vec<bool>,
    /// Context of each annotated candidate.
    context: BTreeMap<usize, (ValueContext, Option<&'static str>)>,
    /// Structural rules that agree with a candidate through one of its companions (the secret
    /// of an AWS key pair found by the pattern rules).
    agree: BTreeMap<usize, &'static str>,
}

impl<'c, 'r, 's> Claims<'c, 'r, 's> {
    fn new(
        matcher: &'r Matcher,
        cands: &'c mut Vec<Candidate<'r>>,
        summary: &'s mut ScanSummary,
    ) -> Self {
        let mut by_start: Vec<usize> = (0..cands.len()).collect();
        by_start.sort_by_key(|&i| cands[i].span.start);
        let starts = by_start.iter().map(|&i| cands[i].span.start).collect();
        let dropped = vec![false; cands.len()];
        Claims {
            matcher,
            cands,
            summary,
            by_start,
            starts,
            dropped,
            context: BTreeMap::new(),
            agree: BTreeMap::new(),
        }
    }

    /// Text-pass candidates whose span starts inside `span` (no allocation when there are none,
    /// the common case: this is asked for every string of the document).
    fn inside(&self, span: &Range<usize>) -> Vec<usize> {
        let from = self.starts.partition_point(|&s| s < span.start);
        let to = from + self.starts[from..].partition_point(|&s| s < span.end);
        self.by_start[from..to].to_vec()
    }

    /// Walks the attribute tree of one instance with the structural rules that apply to it.
    fn instance(&mut self, inst: &Instance<'_, '_>, offset: usize) {
        let rules: Vec<&'static StateRule> = state_rules()
            .iter()
            .filter(|r| r.applies_to(inst))
            .collect();
        if rules.is_empty() {
            // Most instances: no rule applies, so only strings holding a candidate or an
            // escape matter. One cheap look over the strings says whether there are any.
            let mut strings = StringsSummary::default();
            strings.add(inst.attributes);
            let Some(range) = strings.range else { return };
            let range = range.start + offset..range.end + offset;
            if !strings.escaped && self.inside(&range).is_empty() {
                return;
            }
        }
        let mut path = Vec::new();
        self.node(inst, &rules, inst.attributes, &mut path, offset);
    }

    fn node<'a>(
        &mut self,
        inst: &Instance<'_, '_>,
        rules: &[&'static StateRule],
        node: &Node<'a>,
        path: &mut Vec<PathStep<'a>>,
        offset: usize,
    ) {
        match node {
            Node::String(s) => self.leaf(inst, rules, path, s, offset),
            Node::Object(members) => {
                for (k, v) in members {
                    path.push(PathStep::Key(*k));
                    self.node(inst, rules, v, path, offset);
                    path.pop();
                }
            }
            Node::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    self.node(inst, rules, v, path, offset);
                    path.pop();
                }
            }
            Node::Scalar(_) => {}
        }
    }

    fn leaf(
        &mut self,
        inst: &Instance<'_, '_>,
        rules: &[&'static StateRule],
        path: &[PathStep<'_>],
        s: &JsonStr<'_>,
        offset: usize,
    ) {
        let raw = s.span();
        let span = raw.start + offset..raw.end + offset;
        let mut inside = self.inside(&span);
        if s.has_escapes() {
            inside.extend(self.decoded_matches(s, &span, &inside));
        }
        let rule = rules.iter().copied().find(|r| r.claims_at(inst, path));
        if inside.is_empty() && rule.is_none() {
            return;
        }
        let context = || ValueContext {
            address: inst.address.clone(),
            attribute: render_path(path),
            resource_type: inst.resource_type.clone(),
            holder: inst.holder,
            deposed: inst.deposed.clone(),
            section: inst.section,
        };
        let mut claimed_by = None;
        if let Some(rule) = rule {
            let value = s.value();
            let pair = self.companion_inside(&span, rule.confidence);
            if state_rules::is_placeholder(&value) {
                self.summary.placeholders += 1;
            } else if let Some(i) = self.join_pair(inst, rule, &value, &span, offset) {
                // The value completes the pattern finding of its paired attribute (an access
                // key id too far from its secret for the text pass to pair them): one finding
                // for the credential, not a lone id and a lone secret.
                self.agree.insert(i, rule.id.as_str());
                for &k in &inside {
                    if k != i {
                        self.dropped[k] = true;
                    }
                }
            } else if inside
                .iter()
                .any(|&i| self.cands[i].confidence >= rule.confidence)
            {
                // A pattern rule already names this value at least as surely: keep its finding
                // and record which structural rule agrees.
                claimed_by = Some(rule.id.as_str());
            } else if let Some(i) = pair {
                self.agree.insert(i, rule.id.as_str());
            } else {
                let companions = rule
                    .pair_with
                    .as_ref()
                    .and_then(|p| match inst.attributes.get(&p.attribute) {
                        Some(Node::String(id)) if !id.value().is_empty() => Some(RawCompanion {
                            name: p.name.clone(),
                            span: id.span().start + offset..id.span().end + offset,
                            value: id.value().into_owned().into_bytes(),
                        }),
                        _ => None,
                    })
                    .into_iter()
                    .collect();
                let secret = value.into_owned().into_bytes();
                self.replace_with(rule, &span, secret, companions, &inside, context());
            }
        }
        for i in inside {
            self.context.insert(i, (context(), claimed_by));
        }
    }

    /// Attaches `value` (at `span`) as a companion to the pattern candidate found in the
    /// attribute `rule` pairs it with, when that candidate's rule has an empty companion slot
    /// the value fits (the slot's regex captures exactly the value). Returns the candidate.
    fn join_pair(
        &mut self,
        inst: &Instance<'_, '_>,
        rule: &StateRule,
        value: &str,
        span: &Range<usize>,
        offset: usize,
    ) -> Option<usize> {
        let p = rule.pair_with.as_ref()?;
        let Some(Node::String(id)) = inst.attributes.get(&p.attribute) else {
            return None;
        };
        let id_span = id.span().start + offset..id.span().end + offset;
        for i in self.inside(&id_span) {
            let RuleRef::Pattern(pattern) = self.cands[i].rule else {
                continue;
            };
            if self.dropped[i] || self.cands[i].span.end > id_span.end {
                continue;
            }
            let slot = pattern.companions().iter().find(|comp| {
                let spec = &comp.spec;
                let c = &self.cands[i];
                !c.companions.iter().any(|x| x.name == spec.name)
                    && (spec.when_secret_starts_with.is_empty()
                        || spec
                            .when_secret_starts_with
                            .iter()
                            .any(|w| c.secret.starts_with(w.as_bytes())))
                    && comp.regex().is_some_and(|re| {
                        re.captures(value.as_bytes())
                            .and_then(|caps| caps.name("secret"))
                            .is_some_and(|m| m.range() == (0..value.len()))
                    })
            });
            let Some(slot) = slot else { continue };
            let c = &mut self.cands[i];
            c.companions.push(RawCompanion {
                name: slot.spec.name.clone(),
                span: span.clone(),
                value: value.as_bytes().to_vec(),
            });
            if let Some(conf) = slot.spec.confidence_if_found {
                c.confidence = c.confidence.max(conf);
            }
            return Some(i);
        }
        None
    }

    /// A candidate (at least as confident as `confidence`) whose companion is the value at `span`.
    fn companion_inside(&self, span: &Range<usize>, confidence: Confidence) -> Option<usize> {
        self.cands.iter().position(|c| {
            c.confidence >= confidence
                && c.companions
                    .iter()
                    .any(|x| x.span.start >= span.start && x.span.end <= span.end)
        })
    }

    /// Matches the decoded text of an escaped string; returns the indices of new candidates.
    fn decoded_matches(
        &mut self,
        s: &JsonStr<'_>,
        span: &Range<usize>,
        inside: &[usize],
    ) -> Vec<usize> {
        let (decoded, map) = json_tree::unescape(s.raw());
        let out = self.matcher.find(&decoded);
        self.summary.examples += out.examples;
        self.summary.placeholders += out.placeholders;
        self.summary.not_credentials += out.not_credentials;
        let to_raw = |r: &Range<usize>| {
            span.start + json_tree::raw_offset(&map, r.start)
                ..span.start + json_tree::raw_offset(&map, r.end)
        };
        let mut added = Vec::new();
        for m in out.matches {
            let rule = self.matcher.rules().by_index(m.rule);
            let raw_span = to_raw(&m.span);
            // The text pass may have matched the same value in its escaped form.
            let known = inside.iter().any(|&i| {
                let c = &self.cands[i];
                matches!(c.rule, RuleRef::Pattern(r) if r.id() == rule.id())
                    && (c.secret == m.secret || crate::matcher::overlaps(&c.span, &raw_span))
            });
            if known {
                continue;
            }
            self.cands.push(Candidate {
                rule: RuleRef::Pattern(rule),
                span: raw_span,
                secret: m.secret,
                companions: m
                    .companions
                    .into_iter()
                    .map(|c| RawCompanion {
                        span: to_raw(&c.span),
                        ..c
                    })
                    .collect(),
                confidence: m.confidence,
                encoding: m.encoding,
                annotations: BTreeMap::new(),
            });
            self.dropped.push(false);
            added.push(self.cands.len() - 1);
        }
        added
    }

    /// A variable assignment in a `.tfvars` file.
    fn variable(&mut self, name: &str, span: Range<usize>, bytes: &[u8]) {
        let inside = self.inside(&span);
        let rule = state_rules()
            .iter()
            .find(|r| r.kind == StateRuleKind::Variable && r.claims_variable(name));
        if inside.is_empty() && rule.is_none() {
            return;
        }
        let context = ValueContext {
            address: format!("var.{name}"),
            attribute: String::new(),
            resource_type: String::new(),
            holder: Holder::Variable,
            deposed: None,
            section: "variables",
        };
        let mut claimed_by = None;
        if let Some(rule) = rule {
            let value = String::from_utf8_lossy(&bytes[span.clone()]).into_owned();
            if state_rules::is_placeholder(&value) {
                self.summary.placeholders += 1;
            } else if inside
                .iter()
                .any(|&i| self.cands[i].confidence >= rule.confidence)
            {
                claimed_by = Some(rule.id.as_str());
            } else if let Some(i) = self.companion_inside(&span, rule.confidence) {
                // The value is already reported as another finding's companion (the secret
                // key of an access key id on the next line): one finding, not two.
                self.agree.insert(i, rule.id.as_str());
            } else {
                let secret = value.into_bytes();
                self.replace_with(rule, &span, secret, Vec::new(), &inside, context.clone());
            }
        }
        for i in inside {
            self.context.insert(i, (context.clone(), claimed_by));
        }
    }

    /// Adds the structural finding of `rule` for the value at `span`, replacing the less
    /// confident pattern candidates inside it.
    fn replace_with(
        &mut self,
        rule: &'static StateRule,
        span: &Range<usize>,
        secret: Vec<u8>,
        companions: Vec<RawCompanion>,
        inside: &[usize],
        context: ValueContext,
    ) {
        for &i in inside {
            self.dropped[i] = true;
        }
        self.cands.push(Candidate {
            rule: RuleRef::State(rule),
            span: span.clone(),
            secret,
            companions,
            confidence: rule.confidence,
            encoding: None,
            annotations: BTreeMap::new(),
        });
        self.dropped.push(false);
        self.context
            .insert(self.cands.len() - 1, (context, Some(rule.id.as_str())));
    }

    /// Writes the annotations and removes the candidates that structural findings replaced.
    fn finish(self, info: Option<&StateInfo>) {
        for (i, (ctx, state_rule)) in &self.context {
            let state_rule = state_rule.or_else(|| self.agree.get(i).copied());
            let c = &mut self.cands[*i];
            let is_aws = c.rule.tags().iter().any(|t| t == "aws")
                && ctx.resource_type.starts_with("aws_iam_access_key")
                || c.rule.id().starts_with("aws-access-key");
            c.annotations
                .insert("terraform".into(), annotation(ctx, info, state_rule));
            c.annotations.insert(
                "remediation".into(),
                serde_json::json!(remediation(ctx, is_aws)),
            );
        }
        let mut keep = self.dropped.iter().map(|d| !d);
        self.cands.retain(|_| keep.next().unwrap_or(true));
    }
}

fn annotation(
    ctx: &ValueContext,
    info: Option<&StateInfo>,
    state_rule: Option<&str>,
) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("address".into(), ctx.address.clone().into());
    if !ctx.attribute.is_empty() {
        m.insert("attribute".into(), ctx.attribute.clone().into());
    }
    if let Some(d) = &ctx.deposed {
        m.insert("deposed".into(), d.clone().into());
    }
    m.insert("section".into(), ctx.section.into());
    if let Some(info) = info {
        m.insert("format".into(), info.format.into());
        if let Some(s) = info.serial {
            m.insert("serial".into(), s.into());
        }
        if let Some(l) = &info.lineage {
            m.insert("lineage".into(), l.clone().into());
        }
        if let Some(v) = &info.terraform_version {
            m.insert("terraform_version".into(), v.clone().into());
        }
    }
    if let Some(r) = state_rule {
        m.insert("state_rule".into(), r.into());
    }
    serde_json::Value::Object(m)
}

/// What to do about a secret in Terraform files.
fn remediation(ctx: &ValueContext, is_aws_key: bool) -> String {
    let compromised = "Treat this state and every stored copy of it (backend versions, backups, CI artifacts) as compromised: rotate first, then delete the old versions.";
    let mut s = match ctx.holder {
        Holder::Resource if ctx.deposed.is_some() => format!(
            "{} (deposed object {}) was replaced but not destroyed yet (a failed create_before_destroy): the next `terraform apply` tries to destroy it, and until then its secret stays valid. Revoke or delete it now rather than waiting for the apply. {compromised}",
            ctx.address,
            ctx.deposed.as_deref().unwrap_or_default()
        ),
        Holder::Resource if ctx.section == "resources" || ctx.section.starts_with("values") || ctx.section.starts_with("prior") || ctx.section.starts_with("planned") || ctx.section.starts_with("resource_changes") => {
            if ctx.address.starts_with("data.") || ctx.address.contains(".data.") {
                format!("{} is read by a data source: rotate the secret where it is managed, then refresh. {compromised}", ctx.address)
            } else {
                format!("Replace the resource so it gets a new secret: terraform apply -replace='{}'. {compromised}", ctx.address)
            }
        }
        Holder::Resource => format!("Rotate the secret of {}. {compromised}", ctx.address),
        Holder::Output => format!("Rotate the secret behind {} at its source and re-apply; stop exporting it if nothing needs it. {compromised}", ctx.address),
        Holder::Backend => "Remove credentials from the backend block (use the standard credential chain or environment variables), rotate them, and delete committed copies of .terraform/.".to_string(),
        Holder::Variable => format!("Rotate the value of {} and pass it from the environment (TF_VAR_…) or a secrets manager instead of a committed .tfvars file.", ctx.address),
    };
    if is_aws_key {
        s.push_str(" For an AWS access key, `keyward respond --from REPORT.json --finding FINGERPRINT` plans containment, the CloudTrail investigation and the incident report.");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        let state = br#"{
  "version": 4,
  "terraform_version": "1.6.0","#;
        assert_eq!(sniff(state, "x/any.json"), Some(TerraformKind::Json));
        assert_eq!(sniff(b"{}", "prod.tfstate"), Some(TerraformKind::Json));
        assert_eq!(
            sniff(b"  {}", "a/terraform.tfstate.backup"),
            Some(TerraformKind::Json)
        );
        assert_eq!(sniff(b"x = 1", "prod.tfvars"), Some(TerraformKind::Tfvars));
        assert_eq!(
            sniff(b"{}", "prod.auto.tfvars.json"),
            Some(TerraformKind::TfvarsJson)
        );
        assert_eq!(sniff(br#"{"name": "pkg"}"#, "package.json"), None);
        assert_eq!(sniff(b"not json", "x.tfstate"), None);
        assert_eq!(sniff(b"", "x.tfstate"), None);
    }

    #[test]
    fn a_key_id_far_from_its_secret_is_still_one_finding() {
        // Terraform writes the backend config with sorted keys: access_key and secret_key end up
        // further apart than the pattern rules look for a companion.
        let doc = br#"{"version": 3, "serial": 1, "lineage": "l",
 "backend": {"type": "s3", "config": {
  "access_key": "AKIAPBPD22JK4TWIYMGY",
  "acl": null,
  "bucket": "tf-state",
  "dynamodb_table": "tf-locks",
  "encrypt": true,
  "key": "prod.tfstate",
  "profile": null,
  "region": "eu-west-1",
  "secret_key": "Vz7Lq2mNp4Rs8Tu1Wx3Yz5Ab7Cd9Ef1Gh3Ij5Kl7",
  "token": null}, "hash": 1}}"#;
        let scanner = crate::Scanner::new(crate::RuleSet::default_rules(), Default::default());
        let origin = crate::Origin::File {
            path: ".terraform/terraform.tfstate".into(),
        };
        let findings = scanner.scan_bytes(doc, origin).findings;
        assert_eq!(findings.len(), 1, "{findings:#?}");
        let f = &findings[0];
        assert_eq!(f.rule_id, "aws-access-key-id");
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.companions.len(), 1);
        assert_eq!(f.companions[0].name, "secret_access_key");
        assert_eq!(f.companions[0].location.line, 11);
        assert_eq!(
            f.annotations["terraform"]["state_rule"],
            "tfstate-s3-backend-secret"
        );
    }
}

/// A structural rule example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateExampleFailure {
    /// Rule id.
    pub rule: String,
    /// `example` (expected a finding) or `negative_example` (expected none).
    pub kind: &'static str,
    /// Index of the example in its list.
    pub index: usize,
}

/// Runs every structural rule's examples through a default scanner. A value counts as found
/// when the rule reports it, or when a pattern rule reports it and names this rule as agreeing.
///
/// ```
/// assert!(scanner_core::tfstate::check_state_examples().is_empty());
/// ```
pub fn check_state_examples() -> Vec<StateExampleFailure> {
    let scanner = crate::Scanner::new(crate::RuleSet::default_rules(), Default::default());
    let mut failures = Vec::new();
    for rule in state_rules() {
        let path = rule.example_path.as_deref().unwrap_or("terraform.tfstate");
        let origin = crate::Origin::File { path: path.into() };
        let hits = |text: &str| {
            scanner
                .scan_bytes(text.as_bytes(), origin.clone())
                .findings
                .iter()
                .any(|f| {
                    f.rule_id == rule.id
                        || f.annotations
                            .get("terraform")
                            .and_then(|t| t.get("state_rule"))
                            .is_some_and(|r| r == rule.id.as_str())
                })
        };
        for (index, ex) in rule.examples.iter().enumerate() {
            if !hits(ex) {
                failures.push(StateExampleFailure {
                    rule: rule.id.clone(),
                    kind: "example",
                    index,
                });
            }
        }
        for (index, ex) in rule.negative_examples.iter().enumerate() {
            if hits(ex) {
                failures.push(StateExampleFailure {
                    rule: rule.id.clone(),
                    kind: "negative_example",
                    index,
                });
            }
        }
    }
    failures
}

#[cfg(test)]
mod example_tests {
    #[test]
    fn every_state_rule_example_behaves() {
        let failures = super::check_state_examples();
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
