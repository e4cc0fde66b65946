#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 60), one after another, with a seed
# corpus made from the rules' own examples. Crashes land in fuzz/artifacts/<target>/; copy each
# into fuzz/regressions/<target>/ (the test suite replays them) once fixed.
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
# Needs cargo-fuzz (installed here from the crates registry if missing). The machine's stable
# toolchain builds the sanitizer flags with RUSTC_BOOTSTRAP=1 (no nightly toolchain is fetched).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(matcher decode terraform config reports)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
python3 - <<'PY'
import pathlib, tomllib, hashlib
root = pathlib.Path("fuzz/corpus")
def seed(target, text):
    d = root / target; d.mkdir(parents=True, exist_ok=True)
    b = text.encode()
    (d / hashlib.sha1(b).hexdigest()).write_bytes(b)
for f in sorted(pathlib.Path("rules").glob("*.toml")):
    data = tomllib.loads(f.read_text())
    for r in data.get("rules", []):
        for ex in r.get("examples", []) + r.get("negative_examples", []):
            for t in ("matcher", "decode", "reports"):
                seed(t, ex)
    for r in data.get("state_rules", []):
        for ex in r.get("examples", []) + r.get("negative_examples", []):
            seed("terraform", ex)
    seed("config", f.read_text())
PY
cargo fuzz build -O "${targets[@]/#/}" >/dev/null 2>&1 || cargo fuzz build -O
status=0
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${secs}s"
  mkdir -p "fuzz/corpus/$t"
  if ! cargo fuzz run -O "$t" "fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 | tail -n 12; then
    echo "!! $t failed: see fuzz/artifacts/$t" >&2
    status=1
  fi
done
exit $status
