//! The shapes Terraform writes (state v4, state v3, the backend state in `.terraform/`, and
//! `terraform show -json` state and plan output), walked into one list of instances: an address,
//! a resource type and the attribute tree with its sensitive paths.
//!
//! serde reads the top level and splits the document into resources, so only one resource's tree
//! is in memory at a time; [`json_tree`](super::json_tree) keeps the positions below that.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json_tree::{each_element, parse, JsonStr, Node, ParseError};

/// What the document says about itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct StateInfo {
    /// `state-v4`, `state-v3`, `backend` or `show-json`.
    pub format: &'static str,
    pub serial: Option<u64>,
    pub lineage: Option<String>,
    pub terraform_version: Option<String>,
}

/// One step of an attribute path. Keys borrow from the document unless they hold escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A step of the path being walked: keys stay as written in the document (no decoding, no
/// allocation) until a rule or a finding needs them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathStep<'a> {
    Key(JsonStr<'a>),
    Index(usize),
}

impl PathStep<'_> {
    fn is(&self, step: &Step<'_>) -> bool {
        match (self, step) {
            (PathStep::Key(k), Step::Key(s)) => k.is(s),
            (PathStep::Index(i), Step::Index(j)) => i == j,
            _ => false,
        }
    }
}

/// Renders a walked path as Terraform writes it.
pub(crate) fn render_path(path: &[PathStep<'_>]) -> String {
    let steps: Vec<Step<'_>> = path
        .iter()
        .map(|p| match p {
            PathStep::Key(k) => Step::Key(k.value()),
            PathStep::Index(i) => Step::Index(*i),
        })
        .collect();
    render_steps(&steps)
}

/// Renders a path as Terraform writes it: `tags["Name"]`, `ingress[0].cidr_blocks[1]`.
pub(crate) fn render_steps(path: &[Step<'_>]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k)
                if k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    && !k.is_empty() =>
            {
                s.push('.');
                s.push_str(k);
            }
            Step::Key(k) => s.push_str(&format!("[{k:?}]")),
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Which paths of an instance are sensitive.
#[derive(Debug, Clone, Default)]
pub(crate) enum Sensitivity<'a> {
    #[default]
    None,
    /// Every value (an output marked `sensitive`).
    All,
    /// These paths and everything below them.
    Paths(Vec<Vec<Step<'a>>>),
}

impl Sensitivity<'_> {
    pub(crate) fn covers(&self, path: &[PathStep<'_>]) -> bool {
        match self {
            Sensitivity::None => false,
            Sensitivity::All => true,
            Sensitivity::Paths(ps) => ps
                .iter()
                .any(|p| p.len() <= path.len() && p.iter().zip(path).all(|(step, at)| at.is(step))),
        }
    }

    /// Whether no path at all is sensitive.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Sensitivity::None => true,
            Sensitivity::All => false,
            Sensitivity::Paths(ps) => ps.is_empty(),
        }
    }
}

/// What holds the attributes: a resource instance, an output, the backend, or variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    Resource,
    Output,
    Backend,
    /// A variable in a `.tfvars` file.
    Variable,
}

/// One object with attributes.
#[derive(Debug)]
pub(crate) struct Instance<'t, 'a> {
    /// `module.ci.aws_iam_access_key.deploy["blue"]`, `output.db_password`, `terraform.backend`.
    pub address: String,
    /// Resource type (`aws_iam_access_key`); the backend type for the backend.
    pub resource_type: String,
    pub holder: Holder,
    /// Deposed object key, when this is a deposed object.
    pub deposed: Option<String>,
    /// Where in the document (`resources`, `planned_values`, `resource_changes.after`, …).
    pub section: &'static str,
    pub attributes: &'t Node<'a>,
    pub sensitive: Sensitivity<'a>,
}

#[derive(Deserialize)]
struct TopLevel<'a> {
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(default)]
    serial: Option<u64>,
    #[serde(default)]
    lineage: Option<String>,
    #[serde(default)]
    format_version: Option<String>,
    #[serde(borrow, default)]
    resources: Option<&'a RawValue>,
    #[serde(borrow, default)]
    outputs: Option<&'a RawValue>,
    #[serde(borrow, default)]
    modules: Option<&'a RawValue>,
    #[serde(borrow, default)]
    backend: Option<&'a RawValue>,
    #[serde(borrow, default)]
    values: Option<&'a RawValue>,
    #[serde(borrow, default)]
    planned_values: Option<&'a RawValue>,
    #[serde(borrow, default)]
    prior_state: Option<&'a RawValue>,
    #[serde(borrow, default)]
    resource_changes: Option<&'a RawValue>,
}

/// Why a document that looked like Terraform state could not be walked.
#[derive(Debug)]
pub(crate) struct StateError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} column {}: {}",
            self.line, self.column, self.message
        )
    }
}

struct Walk<'d, 'v> {
    doc: &'d [u8],
    visit: &'v mut dyn FnMut(&Instance<'_, '_>),
}

impl Walk<'_, '_> {
    fn offset_of(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize).saturating_sub(self.doc.as_ptr() as usize)
    }

    fn tree<'r>(&self, raw: &'r RawValue) -> Result<Node<'r>, StateError> {
        let base = self.offset_of(raw);
        parse(raw.get().as_bytes(), base).map_err(|e| self.error(e))
    }

    fn error(&self, e: ParseError) -> StateError {
        let (line, column) = line_column(self.doc, e.offset);
        StateError {
            line,
            column,
            message: e.message.to_string(),
        }
    }

    /// Calls `f` with each element of the JSON array `raw`, parsed one at a time: one pass over
    /// the bytes, and only one element's tree in memory.
    fn each<'r>(
        &mut self,
        raw: &'r RawValue,
        mut f: impl FnMut(&mut Self, Node<'r>),
    ) -> Result<(), StateError> {
        let base = self.offset_of(raw);
        let result = each_element(raw.get().as_bytes(), base, |node| f(self, node));
        result.map_err(|e| self.error(e))
    }

    /// State v4 `resources`.
    fn v4_resources(&mut self, raw: &RawValue) -> Result<(), StateError> {
        self.each(raw, |w, node| w.v4_resource(&node))
    }

    fn v4_resource(&mut self, node: &Node<'_>) {
        let text = |k: &str| node.get(k).and_then(|n| n.as_str()).unwrap_or_default();
        let mut base = String::new();
        if let Some(m) = node.get("module").and_then(|n| n.as_str()) {
            base.push_str(&m);
            base.push('.');
        }
        if text("mode") == "data" {
            base.push_str("data.");
        }
        let rtype = text("type").into_owned();
        base.push_str(&format!("{}.{}", rtype, text("name")));
        let Some(Node::Array(instances)) = node.get("instances") else {
            return;
        };
        for inst in instances {
            let mut address = base.clone();
            match inst.get("index_key") {
                Some(Node::String(s)) => address.push_str(&format!("[{:?}]", s.value())),
                Some(Node::Scalar(n)) => {
                    address.push_str(&format!("[{}]", String::from_utf8_lossy(n)))
                }
                _ => {}
            }
            let deposed = inst
                .get("deposed")
                .and_then(|n| n.as_str())
                .map(|s| s.into());
            let sensitive = inst
                .get("sensitive_attributes")
                .map(sensitive_paths)
                .unwrap_or_default();
            for key in ["attributes", "attributes_flat"] {
                if let Some(attributes) = inst.get(key) {
                    (self.visit)(&Instance {
                        address: address.clone(),
                        resource_type: rtype.clone(),
                        holder: Holder::Resource,
                        deposed: deposed.clone(),
                        section: "resources",
                        attributes,
                        sensitive: sensitive.clone(),
                    });
                }
            }
        }
    }

    /// `outputs` of state v3/v4 and of `terraform show -json`: name → {value, sensitive}.
    fn outputs(
        &mut self,
        raw: &RawValue,
        prefix: &str,
        section: &'static str,
    ) -> Result<(), StateError> {
        let node = self.tree(raw)?;
        self.output_node(&node, prefix, section);
        Ok(())
    }

    fn output_node(&mut self, node: &Node<'_>, prefix: &str, section: &'static str) {
        let Node::Object(members) = node else { return };
        for (name, out) in members {
            let Some(value) = out.get("value") else {
                continue;
            };
            let sensitive = if out.get("sensitive").is_some_and(Node::is_true) {
                Sensitivity::All
            } else {
                Sensitivity::None
            };
            (self.visit)(&Instance {
                address: format!("{prefix}output.{}", name.value()),
                resource_type: "output".into(),
                holder: Holder::Output,
                deposed: None,
                section,
                attributes: value,
                sensitive,
            });
        }
    }

    /// State v3 `modules`: path, outputs, and resources keyed by address with flat attributes.
    fn v3_modules(&mut self, raw: &RawValue) -> Result<(), StateError> {
        self.each(raw, |w, node| w.v3_module(&node))
    }

    fn v3_module(&mut self, node: &Node<'_>) {
        let mut prefix = String::new();
        if let Some(Node::Array(path)) = node.get("path") {
            for p in path.iter().skip(1) {
                if let Some(s) = p.as_str() {
                    prefix.push_str(&format!("module.{s}."));
                }
            }
        }
        if let Some(outputs) = node.get("outputs") {
            self.output_node(outputs, &prefix, "outputs");
        }
        let Some(Node::Object(resources)) = node.get("resources") else {
            return;
        };
        for (key, res) in resources {
            let key = key.value();
            let address = format!("{prefix}{}", v3_address(&key));
            let rtype = res
                .get("type")
                .and_then(|n| n.as_str())
                .map(|s| s.into_owned())
                .unwrap_or_else(|| {
                    key.trim_start_matches("data.")
                        .split('.')
                        .next()
                        .unwrap_or("")
                        .to_string()
                });
            let mut objects: Vec<(&Node, Option<String>)> = Vec::new();
            if let Some(primary) = res.get("primary") {
                objects.push((primary, None));
            }
            if let Some(Node::Array(deposed)) = res.get("deposed") {
                for (i, d) in deposed.iter().enumerate() {
                    objects.push((d, Some(i.to_string())));
                }
            }
            for (obj, deposed) in objects {
                if let Some(attributes) = obj.get("attributes") {
                    (self.visit)(&Instance {
                        address: address.clone(),
                        resource_type: rtype.clone(),
                        holder: Holder::Resource,
                        deposed,
                        section: "resources",
                        attributes,
                        sensitive: Sensitivity::None,
                    });
                }
            }
        }
    }

    /// The backend block of `.terraform/terraform.tfstate`.
    fn backend(&mut self, raw: &RawValue) -> Result<(), StateError> {
        let node = self.tree(raw)?;
        let btype = node
            .get("type")
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .into_owned();
        if let Some(config) = node.get("config") {
            (self.visit)(&Instance {
                address: format!("terraform.backend[{btype:?}]"),
                resource_type: btype,
                holder: Holder::Backend,
                deposed: None,
                section: "backend",
                attributes: config,
                sensitive: Sensitivity::None,
            });
        }
        Ok(())
    }

    /// A `terraform show -json` values object: outputs and the module tree.
    fn show_values(&mut self, raw: &RawValue, section: &'static str) -> Result<(), StateError> {
        #[derive(Deserialize)]
        struct Values<'a> {
            #[serde(borrow, default)]
            outputs: Option<&'a RawValue>,
            #[serde(borrow, default)]
            root_module: Option<&'a RawValue>,
        }
        let v: Values = serde_json::from_str(raw.get()).map_err(|e| self.serde_error(raw, e))?;
        if let Some(o) = v.outputs {
            self.outputs(o, "", section)?;
        }
        if let Some(m) = v.root_module {
            self.show_module(m, section, 0)?;
        }
        Ok(())
    }

    fn show_module(
        &mut self,
        raw: &RawValue,
        section: &'static str,
        depth: usize,
    ) -> Result<(), StateError> {
        #[derive(Deserialize)]
        struct Module<'a> {
            #[serde(borrow, default)]
            resources: Option<Vec<&'a RawValue>>,
            #[serde(borrow, default)]
            child_modules: Option<Vec<&'a RawValue>>,
        }
        if depth > 64 {
            return Ok(());
        }
        let m: Module = serde_json::from_str(raw.get()).map_err(|e| self.serde_error(raw, e))?;
        for r in m.resources.unwrap_or_default() {
            let node = self.tree(r)?;
            let Some(values) = node.get("values") else {
                continue;
            };
            let mirror = node.get("sensitive_values");
            self.visit_show_resource(&node, values, mirror, "deposed_key", section);
        }
        for c in m.child_modules.unwrap_or_default() {
            self.show_module(c, section, depth + 1)?;
        }
        Ok(())
    }

    /// Plan output: each change's `before` and `after` with their sensitivity mirrors.
    fn resource_changes(&mut self, raw: &RawValue) -> Result<(), StateError> {
        self.each(raw, |w, node| w.resource_change(&node))
    }

    fn resource_change(&mut self, node: &Node<'_>) {
        let Some(change) = node.get("change") else {
            return;
        };
        for (side, mirror, section) in [
            ("before", "before_sensitive", "resource_changes.before"),
            ("after", "after_sensitive", "resource_changes.after"),
        ] {
            let Some(values) = change.get(side) else {
                continue;
            };
            self.visit_show_resource(node, values, change.get(mirror), "deposed", section);
        }
    }

    /// A resource of `terraform show -json` output (a module's resource or a planned change):
    /// `address`, `type`, a deposed key under `deposed_field`, and a mirror of `values` with
    /// `true` where a value is sensitive.
    fn visit_show_resource(
        &mut self,
        node: &Node<'_>,
        values: &Node<'_>,
        mirror: Option<&Node<'_>>,
        deposed_field: &str,
        section: &'static str,
    ) {
        let mut paths = Vec::new();
        if let Some(m) = mirror {
            mirror_paths(m, &mut Vec::new(), &mut paths);
        }
        let text = |k: &str| node.get(k).and_then(|n| n.as_str()).map(|s| s.into_owned());
        (self.visit)(&Instance {
            address: text("address").unwrap_or_default(),
            resource_type: text("type").unwrap_or_default(),
            holder: Holder::Resource,
            deposed: text(deposed_field),
            section,
            attributes: values,
            sensitive: Sensitivity::Paths(paths),
        });
    }

    fn serde_error(&self, raw: &RawValue, e: serde_json::Error) -> StateError {
        let base = self.offset_of(raw);
        let before = &self.doc[..base.min(self.doc.len())];
        let line0 = memchr::memchr_iter(b'\n', before).count();
        StateError {
            line: line0 + e.line(),
            column: e.column(),
            message: e.to_string(),
        }
    }
}

/// 1-based line and byte column of `offset` in `doc` (as serde_json counts them).
pub(crate) fn line_column(doc: &[u8], offset: usize) -> (usize, usize) {
    let before = &doc[..offset.min(doc.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let column = before.len() - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1) + 1;
    (line, column)
}

/// Whether the v3 `modules` of a document hold nothing (the empty root module Terraform writes
/// next to the backend block in `.terraform/terraform.tfstate`).
fn modules_are_empty(raw: &RawValue) -> bool {
    let empty = |n: Option<&Node<'_>>| match n {
        None | Some(Node::Scalar(b"null")) => true,
        Some(Node::Object(m)) => m.is_empty(),
        Some(Node::Array(a)) => a.is_empty(),
        _ => false,
    };
    match parse(raw.get().as_bytes(), 0) {
        Ok(Node::Array(modules)) => modules
            .iter()
            .all(|m| empty(m.get("resources")) && empty(m.get("outputs"))),
        Ok(Node::Scalar(b"null")) => true,
        _ => false,
    }
}

/// `aws_instance.web.1` (v3) → `aws_instance.web[1]`.
fn v3_address(key: &str) -> String {
    match key.rsplit_once('.') {
        Some((head, n))
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && head.contains('.') =>
        {
            format!("{head}[{n}]")
        }
        _ => key.to_string(),
    }
}

/// `sensitive_attributes`: a list of paths, each a list of `{type: get_attr|index, value}` steps
/// (a lone step object is read as a one-step path).
fn sensitive_paths<'a>(node: &Node<'a>) -> Sensitivity<'a> {
    let Node::Array(items) = node else {
        return Sensitivity::None;
    };
    let step_of = |s: &Node<'a>| -> Option<Step<'a>> {
        let value = s.get("value")?;
        match value {
            Node::String(v) => Some(Step::Key(v.value())),
            Node::Scalar(n) => std::str::from_utf8(n).ok()?.parse().ok().map(Step::Index),
            Node::Object(_) => match value.get("value")? {
                Node::String(v) => Some(Step::Key(v.value())),
                Node::Scalar(n) => std::str::from_utf8(n).ok()?.parse().ok().map(Step::Index),
                _ => None,
            },
            _ => None,
        }
    };
    let mut paths = Vec::new();
    for item in items {
        match item {
            Node::Array(steps) => {
                let path: Option<Vec<Step<'a>>> = steps.iter().map(step_of).collect();
                if let Some(p) = path.filter(|p| !p.is_empty()) {
                    paths.push(p);
                }
            }
            Node::Object(_) => {
                if let Some(s) = step_of(item) {
                    paths.push(vec![s]);
                }
            }
            _ => {}
        }
    }
    Sensitivity::Paths(paths)
}

/// `sensitive_values` mirrors the values with `true` where a value is sensitive.
fn mirror_paths<'a>(node: &Node<'a>, path: &mut Vec<Step<'a>>, out: &mut Vec<Vec<Step<'a>>>) {
    match node {
        Node::Scalar(b"true") => out.push(path.clone()),
        Node::Object(members) => {
            for (k, v) in members {
                path.push(Step::Key(k.value()));
                mirror_paths(v, path, out);
                path.pop();
            }
        }
        Node::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                mirror_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Reads `doc` as Terraform JSON and calls `visit` for every instance. `Ok(None)` when the JSON
/// is valid but not Terraform's.
pub(crate) fn walk(
    doc: &[u8],
    visit: &mut dyn FnMut(&Instance<'_, '_>),
) -> Result<Option<StateInfo>, StateError> {
    let top: TopLevel = serde_json::from_slice(doc).map_err(|e| StateError {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let version = top.version.as_ref().and_then(|v| v.as_u64());
    let format = if top.format_version.is_some()
        && (top.values.is_some()
            || top.planned_values.is_some()
            || top.prior_state.is_some()
            || top.resource_changes.is_some())
    {
        "show-json"
    } else if version == Some(4) {
        "state-v4"
    } else if version == Some(3)
        && top.backend.is_some()
        && top.modules.is_none_or(modules_are_empty)
    {
        "backend"
    } else if version == Some(3) {
        "state-v3"
    } else {
        return Ok(None);
    };
    let info = StateInfo {
        format,
        serial: top.serial,
        lineage: top.lineage.clone(),
        terraform_version: top.terraform_version.clone(),
    };
    let mut w = Walk { doc, visit };
    if let Some(b) = top.backend {
        w.backend(b)?;
    }
    match format {
        "state-v4" => {
            if let Some(o) = top.outputs {
                w.outputs(o, "", "outputs")?;
            }
            if let Some(r) = top.resources {
                w.v4_resources(r)?;
            }
        }
        "state-v3" => {
            if let Some(m) = top.modules {
                w.v3_modules(m)?;
            }
        }
        "show-json" => {
            if let Some(v) = top.values {
                w.show_values(v, "values")?;
            }
            if let Some(v) = top.planned_values {
                w.show_values(v, "planned_values")?;
            }
            if let Some(p) = top.prior_state {
                #[derive(Deserialize)]
                struct Prior<'a> {
                    #[serde(borrow, default)]
                    values: Option<&'a RawValue>,
                }
                let prior: Prior =
                    serde_json::from_str(p.get()).map_err(|e| w.serde_error(p, e))?;
                if let Some(v) = prior.values {
                    w.show_values(v, "prior_state")?;
                }
            }
            if let Some(r) = top.resource_changes {
                w.resource_changes(r)?;
            }
        }
        _ => {}
    }
    Ok(Some(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_terraform() {
        let p = [
            Step::Key("tags".into()),
            Step::Key("Name Tag".into()),
            Step::Index(2),
        ];
        assert_eq!(render_steps(&p), "tags[\"Name Tag\"][2]");
        assert_eq!(v3_address("aws_instance.web.1"), "aws_instance.web[1]");
        assert_eq!(v3_address("aws_instance.web"), "aws_instance.web");
    }

    #[test]
    fn v4_addresses_modules_and_deposed() {
        let doc = br#"{"version":4,"terraform_version":"1.6.0","serial":7,"lineage":"l-1","outputs":{},
          "resources":[{"module":"module.ci","mode":"managed","type":"aws_iam_access_key","name":"deploy",
            "instances":[{"index_key":"blue","attributes":{"id":"x"},"sensitive_attributes":[[{"type":"get_attr","value":"secret"}]]},
                         {"index_key":"blue","deposed":"00aa","attributes":{"id":"y"}}]},
           {"mode":"data","type":"aws_caller_identity","name":"me","instances":[{"index_key":0,"attributes":{}}]}]}"#;
        let mut seen = Vec::new();
        let info = walk(doc, &mut |i| {
            seen.push((
                i.address.clone(),
                i.deposed.clone(),
                matches!(&i.sensitive, Sensitivity::Paths(p) if p == &[vec![Step::Key("secret".into())]]),
            ))
        })
        .unwrap()
        .unwrap();
        assert_eq!(info.format, "state-v4");
        assert_eq!(info.serial, Some(7));
        assert_eq!(
            seen,
            vec![
                (
                    "module.ci.aws_iam_access_key.deploy[\"blue\"]".to_string(),
                    None,
                    true
                ),
                (
                    "module.ci.aws_iam_access_key.deploy[\"blue\"]".to_string(),
                    Some("00aa".to_string()),
                    false
                ),
                ("data.aws_caller_identity.me[0]".to_string(), None, false),
            ]
        );
    }

    #[test]
    fn backend_state_with_its_empty_root_module() {
        let doc = br#"{"version":3,"serial":1,"lineage":"l","backend":{"type":"s3","config":{"secret_key":"k"}},
          "modules":[{"path":["root"],"outputs":{},"resources":{},"depends_on":[]}]}"#;
        let mut seen = Vec::new();
        let info = walk(doc, &mut |i| seen.push(i.address.clone()))
            .unwrap()
            .unwrap();
        assert_eq!(info.format, "backend");
        assert_eq!(seen, vec!["terraform.backend[\"s3\"]".to_string()]);
        let with_state = br#"{"version":3,"serial":1,"lineage":"l","backend":{"type":"s3","config":{}},
          "modules":[{"path":["root"],"outputs":{},"resources":{"aws_instance.a":{"type":"aws_instance","primary":{"attributes":{}}}}}]}"#;
        assert_eq!(
            walk(with_state, &mut |_| {}).unwrap().unwrap().format,
            "state-v3"
        );
    }

    #[test]
    fn not_terraform_and_malformed() {
        assert!(walk(br#"{"name":"pkg","version":"1.0"}"#, &mut |_| {})
            .unwrap()
            .is_none());
        let err = walk(b"{\"version\": 4,\n \"resources\": [}", &mut |_| {}).unwrap_err();
        assert_eq!(err.line, 2);
    }
}
