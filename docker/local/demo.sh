#!/usr/bin/env bash
# The live demo, from a bare Debian machine to a board on http://127.0.0.1:8080:
# install and start Apache Kafka and ClickHouse, build, migrate, create topics,
# start the pipeline, then replay simulated workshop days into it so the board
# fills up live. Ctrl-C stops the pipeline (it flushes and commits first); the
# services keep running until `docker/local/services.sh stop`.
#
# Knobs (environment): DEMO_WORKSHOPS (3), DEMO_SPEEDUP (120: a 10-hour day in
# about 5 minutes), DEMO_SEED (a new one per run, so each run adds new repair
# orders to today), DEMO_LISTEN (127.0.0.1:8080).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
STATE=${WORKSHOP_PULSE_STATE:-$ROOT/.local}
WORKSHOPS=${DEMO_WORKSHOPS:-3}
SPEEDUP=${DEMO_SPEEDUP:-120}
SEED=${DEMO_SEED:-$(date +%s)}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}

log() { printf '[demo %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v cargo >/dev/null || die "cargo not found: install Rust 1.89 or newer (https://rustup.rs)"

docker/local/services.sh start
log "building (release; the first build takes a few minutes)"
cargo build --release --locked -p workshop-pulse -p workshop-pulse-loadtest
BIN="$ROOT/target/release"
"$BIN/workshop-pulse" check --wait-secs 60
"$BIN/workshop-pulse" migrate
"$BIN/workshop-pulse" topics

mkdir -p "$STATE/log"
PIPELINE_LOG="$STATE/log/pipeline.log"
# Huge pages for the engine's heap: a quarter less time per event for a
# hundred workshops' month (docs/performance.md); ignored where the kernel
# has transparent huge pages off.
WP_LISTEN="$LISTEN" GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}" \
  "$BIN/workshop-pulse" run >>"$PIPELINE_LOG" 2>&1 &
PIPELINE=$!
stopped=0
stop_pipeline() {
  [ "$stopped" = 1 ] && return
  stopped=1
  if kill -0 "$PIPELINE" 2>/dev/null; then
    log "stopping the pipeline (flush and commit)"
    kill -TERM "$PIPELINE" 2>/dev/null || true
    wait "$PIPELINE" 2>/dev/null || true
  fi
  log "services still running; stop them with: docker/local/services.sh stop"
}
trap stop_pipeline EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 300); do
  curl -sf "http://$LISTEN/healthz" >/dev/null 2>&1 && break
  kill -0 "$PIPELINE" 2>/dev/null || { tail -n 20 "$PIPELINE_LOG" >&2; die "the pipeline exited; log: $PIPELINE_LOG"; }
  sleep 0.2
done
curl -sf "http://$LISTEN/readyz" >/dev/null || die "the pipeline is not ready; see $PIPELINE_LOG"

cat <<EOT

  Workshop Pulse is running.
    Board:      http://$LISTEN/board/?workshop=W001        (English: &lang=en)
    API:        http://$LISTEN/api/v1/workshops/W001/kpis/today
    Pipeline log: $PIPELINE_LOG
  Replaying today for $WORKSHOPS workshop(s) at ${SPEEDUP}x (seed $SEED). Ctrl-C stops.

EOT
"$BIN/workshop-pulse-loadtest" day --workshops "$WORKSHOPS" --seed "$SEED" --speedup "$SPEEDUP"
log "simulated day complete; the board stays up until Ctrl-C"
wait "$PIPELINE"
