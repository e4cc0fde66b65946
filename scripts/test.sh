#!/usr/bin/env bash
# Runs every test of the workspace: unit tests, rule examples, doctests and the end-to-end tests
# of the binary. Services the tests need are installed and started here, never assumed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v setpriv >/dev/null || echo "note: setpriv missing; the unreadable-file test runs without dropping root" >&2
cargo test --workspace --locked "$@"
