#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this file):
#   install what is missing → fmt, clippy, rustdoc (doc links checked) → build →
#   start Apache Kafka and ClickHouse → wait until both answer → cargo test (unit,
#   component, end to end) → stop the services this script started.
# Each stage prints its duration. A service that does not come up fails the run
# loudly, naming its log; no test is skipped because a service is missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
SERVICES="$ROOT/docker/local/services.sh"
T0=$SECONDS

stage() {
  local name=$1; shift
  local t=$SECONDS
  printf '\n=== %s\n' "$name"
  "$@"
  printf '=== %s: %ss\n' "$name" $((SECONDS - t))
}

require_rust() {
  command -v cargo >/dev/null || {
    echo "ERROR: cargo not found. Install Rust 1.89 or newer (https://rustup.rs), then run this again." >&2
    exit 1
  }
  cargo --version
}

started_here=0
stop_services() {
  if [ "$started_here" = 1 ]; then
    printf '\n=== stop services\n'
    "$SERVICES" stop || true
  fi
}
trap stop_services EXIT

start_services() {
  if "$SERVICES" status >/dev/null 2>&1; then
    echo "services already running; using them and leaving them running"
  else
    started_here=1
    "$SERVICES" start
  fi
  # A real request to each, with a timeout; fails loudly if either is down.
  cargo run -q -p workshop-pulse -- check --wait-secs 60
}

stage "toolchain" require_rust
stage "install system packages and Kafka jars" "$SERVICES" install
stage "cargo fmt --check" cargo fmt --all -- --check
stage "cargo clippy -D warnings" cargo clippy --workspace --all-targets --locked -- -D warnings
stage "cargo doc -D warnings" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --document-private-items --locked
stage "build tests" cargo test --workspace --locked --no-run
stage "start Apache Kafka and ClickHouse" start_services
stage "cargo test" cargo test --workspace --locked
printf '\nall stages passed in %ss\n' $((SECONDS - T0))
