#!/usr/bin/env bash
# Dependency hygiene with cargo-deny (deny.toml): licenses, bans and sources always; advisories
# whenever the RustSec advisory database can be fetched (it lives in a git repository, which
# some build machines cannot reach: then the skip is printed, never silent).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deny >/dev/null 2>&1 || cargo install cargo-deny --locked
cargo deny --log-level warn check licenses bans sources
if cargo deny --log-level error fetch db >/dev/null 2>&1; then
  cargo deny --log-level warn check advisories
else
  echo "cargo deny: advisories NOT checked: the RustSec advisory database could not be fetched from this machine" >&2
fi
