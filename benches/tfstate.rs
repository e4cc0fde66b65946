//! Criterion bench of the Terraform structural pass: `Scanner::scan_bytes` over a generated
//! ~100 MB v4 state (20,000 resources) read as `terraform.tfstate`, against the same bytes read
//! as plain text (the leading `{` replaced by a space, so the structural pass does not run).
//!
//!     cargo bench --bench tfstate

mod tfstate_gen;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scanner_core::{Origin, RuleSet, ScanOptions, Scanner};

const TARGET_BYTES: usize = 100 * 1024 * 1024;
const RESOURCES: usize = 20_000;

fn tfstate(c: &mut Criterion) {
    let generated = tfstate_gen::generate(TARGET_BYTES, RESOURCES, 997);
    let state = generated.bytes;
    let mut plain = state.clone();
    let brace = plain
        .iter()
        .position(|&b| b == b'{')
        .expect("a JSON object");
    plain[brace] = b' ';

    let scanner = Scanner::new(RuleSet::default_rules(), ScanOptions::default());
    scanner.prepare();
    // The bench measures what it claims: the structural pass runs on one and not the other, and
    // every planted secret is found.
    let structural = scanner.scan_bytes(
        &state,
        Origin::File {
            path: "terraform.tfstate".into(),
        },
    );
    let annotated = structural
        .findings
        .iter()
        .filter(|f| f.annotations.contains_key("terraform"))
        .count();
    assert!(
        annotated >= generated.planted.len(),
        "{annotated} annotated findings for {} planted secrets",
        generated.planted.len()
    );
    let text = scanner.scan_bytes(
        &plain,
        Origin::File {
            path: "plain.txt".into(),
        },
    );
    assert!(text
        .findings
        .iter()
        .all(|f| !f.annotations.contains_key("terraform")));
    eprintln!(
        "tfstate bench: {} bytes, {} resources, {} planted secrets; findings: {} structural, {} plain",
        state.len(),
        generated.resources,
        generated.planted.len(),
        structural.findings.len(),
        text.findings.len()
    );

    let mut group = c.benchmark_group("tfstate");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(state.len() as u64));
    group.bench_function("scan_bytes/structural", |b| {
        b.iter(|| {
            scanner
                .scan_bytes(
                    &state,
                    Origin::File {
                        path: "terraform.tfstate".into(),
                    },
                )
                .findings
                .len()
        })
    });
    group.bench_function("scan_bytes/plain-text", |b| {
        b.iter(|| {
            scanner
                .scan_bytes(
                    &plain,
                    Origin::File {
                        path: "plain.txt".into(),
                    },
                )
                .findings
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, tfstate);
criterion_main!(benches);
