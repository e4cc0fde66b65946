#!/usr/bin/env bash
# Runs every test of the workspace: unit tests, rule examples, doctests and the end-to-end tests
# of the binary. Tools the tests need are installed here, never assumed:
#   - pre-commit (PyPI), for the test that runs the real pre-commit framework on this checkout;
#   - moto[server] (PyPI), the AWS emulator the verification, response and S3-state tests start
#     on 127.0.0.1 (one server per test, on a free port).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v moto_server >/dev/null 2>&1; then
  echo "installing moto[server] from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5,<6'
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
command -v moto_server >/dev/null || { echo "moto_server is not runnable after installing moto[server]" >&2; exit 1; }
if ! command -v pre-commit >/dev/null 2>&1; then
  echo "installing pre-commit from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check pre-commit
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
pre-commit --version >/dev/null || { echo "pre-commit is not runnable after installing it" >&2; exit 1; }
command -v setpriv >/dev/null || echo "note: setpriv missing; the unreadable-file test runs without dropping root" >&2
cargo test --workspace --locked "$@"
