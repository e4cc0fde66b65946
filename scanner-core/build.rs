//! Embeds every `rules/*.toml` of the workspace into the library, so the binary carries its
//! default rules and needs no files at run time.
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
            if path.extension().and_then(|e| e.to_str()) == Some("toml") {
                println!("cargo:rerun-if-changed={}", path.display());
                entries.push(path);
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// (file name, contents) of every embedded rule file, sorted by name.\npub(crate) static EMBEDDED_RULE_FILES: &[(&str, &str)] = &[\n");
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy();
        let abs = fs::canonicalize(path).unwrap();
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            name,
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    fs::write(dest, out).unwrap();
}
