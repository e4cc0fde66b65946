//! Criterion benches of the matcher: throughput over source-like text with a few secrets, and
//! the start-up cost of loading the embedded rules and building the keyword automaton.
//!
//!     cargo bench --bench matcher

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use scanner_core::{Matcher, RuleSet};

/// Deterministic source-like text: code lines, comments, config, and (rarely) a credential.
fn corpus(size: usize) -> Vec<u8> {
    let lines: &[&str] = &[
        "static int foo_probe(struct platform_device *pdev, const struct of_device_id *id)\n",
        "\tret = regmap_update_bits(priv->regmap, REG_CTRL, CTRL_EN | CTRL_RESET, val);\n",
        "/* The token is refreshed by the session manager before the password expires. */\n",
        "def load_config(path):\n    with open(path) as f:\n        return yaml.safe_load(f)\n",
        "  \"name\": \"keyward\", \"version\": \"1.2.3\", \"secret_name\": \"db-credentials\",\n",
        "export PATH=\"$HOME/.cargo/bin:$PATH\" # api_key is read from the environment\n",
        "if (access_key == NULL || strlen(access_key) != KEY_LEN) return -EINVAL;\n",
    ];
    let mut out = Vec::with_capacity(size + 256);
    let mut i = 0usize;
    while out.len() < size {
        out.extend_from_slice(lines[i % lines.len()].as_bytes());
        if i % 5000 == 4999 {
            out.extend_from_slice(b"aws_access_key_id = AKIAZ3MHBX4QTY7VQZ7B\naws_secret_access_key = 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\n");
        }
        i += 1;
    }
    out
}

fn throughput(c: &mut Criterion) {
    let matcher = Matcher::new(RuleSet::default_rules());
    let mut group = c.benchmark_group("matcher");
    for size in [16 * 1024, 4 * 1024 * 1024] {
        let data = corpus(size);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_with_input(BenchmarkId::new("find", size), &data, |b, d| {
            b.iter(|| matcher.find(d).matches.len())
        });
    }
    group.finish();
}

fn startup(c: &mut Criterion) {
    c.bench_function("load rules + build keyword automaton", |b| {
        b.iter(|| {
            let m = Matcher::new(RuleSet::default_rules());
            m.prepare();
            m.rules().len()
        })
    });
}

criterion_group!(benches, throughput, startup);
criterion_main!(benches);
