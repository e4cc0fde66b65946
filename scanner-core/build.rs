//! Embeds every `rules/*.toml` of the workspace into the library, so the binary carries its
//! default rules and needs no files at run time.
//!
//! Two forms are embedded: the TOML itself (for `rules check`, listings and the tests, which run
//! every example) and a pre-parsed JSON form without the examples, which is what a scan loads:
//! start-up must stay in the low milliseconds.
use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    // The rules live beside the crates; a packaged copy (cargo package) carries its own.
    let candidates = [manifest.join("../rules"), manifest.join("rules")];
    let dir = candidates.iter().find(|d| d.is_dir()).cloned();
    let mut entries = Vec::new();
    if let Some(dir) = &dir {
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            // Other data beside the rules (the canary account list) is not a rule file; a file
            // of shared pieces only (fragments, allow lists) is.
            let is_rule_file = fs::read_to_string(&path).is_ok_and(|t| {
                t.contains("[[rules]]") || t.contains("[fragments]") || t.contains("[allow_lists]")
            });
            if path.extension().and_then(|e| e.to_str()) == Some("toml") && is_rule_file {
                println!("cargo:rerun-if-changed={}", path.display());
                entries.push(path);
            }
        }
    }
    entries.sort();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let mut out = String::from(
        "/// (file name, contents) of every embedded rule file, sorted by name.\n\
         pub(crate) static EMBEDDED_RULE_FILES: &[(&str, &str)] = &[\n",
    );
    let mut compact = Vec::new();
    // Shared pieces of all files under their global names.
    let mut shared = serde_json::json!({ "fragments": {}, "allow_lists": {} });
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let abs = fs::canonicalize(path).unwrap();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
        // A file that does not parse is left out here; the test suite fails on it.
        let text = fs::read_to_string(path).unwrap();
        if let Ok(mut file) = text.parse::<toml::Table>() {
            if let Some(toml::Value::Array(rules)) = file.get_mut("rules") {
                for rule in rules.iter_mut() {
                    if let toml::Value::Table(t) = rule {
                        t.remove("examples");
                        t.remove("negative_examples");
                    }
                }
            }
            for kind in ["fragments", "allow_lists"] {
                if let Some(toml::Value::Table(t)) = file.remove(kind) {
                    for (k, v) in t {
                        // Names are global: a second definition would silently win.
                        assert!(
                            shared[kind].get(&k).is_none(),
                            "{name}: {kind} `{k}` is already defined in another rule file"
                        );
                        shared[kind][k] = serde_json::to_value(v).unwrap();
                    }
                }
            }
            let rules = file
                .remove("rules")
                .unwrap_or(toml::Value::Array(Vec::new()));
            compact.push(serde_json::json!({ "file": name, "rules": rules }));
        }
    }
    out.push_str("];\n");
    fs::write(
        out_dir.join("embedded_rules.json"),
        serde_json::to_string(&compact).unwrap(),
    )
    .unwrap();
    fs::write(
        out_dir.join("embedded_shared.json"),
        serde_json::to_string(&shared).unwrap(),
    )
    .unwrap();
    out.push_str(
        "/// The embedded rules without examples, as JSON: `[{file, rules}]`.\n\
         pub(crate) static EMBEDDED_RULES_COMPACT: &str = \
         include_str!(concat!(env!(\"OUT_DIR\"), \"/embedded_rules.json\"));\n\
         /// The shared pieces of the embedded files, as JSON: `{fragments, allow_lists}`.\n\
         pub(crate) static EMBEDDED_SHARED_COMPACT: &str = \
         include_str!(concat!(env!(\"OUT_DIR\"), \"/embedded_shared.json\"));\n",
    );
    fs::write(out_dir.join("embedded_rules.rs"), out).unwrap();
}
