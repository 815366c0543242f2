#!/usr/bin/env bash
# Local services for Workshop Pulse, without Docker: Apache Kafka 4.3.1 (single node,
# KRaft mode, assembled from Maven Central and run on the machine's OpenJDK 17) and
# Debian's ClickHouse server, both on loopback, all state under one directory.
#
#   docker/local/services.sh install   # apt packages + Kafka jars (idempotent)
#   docker/local/services.sh start     # install, start both, wait until they answer
#   docker/local/services.sh stop      # SIGTERM both and wait for a clean exit
#   docker/local/services.sh status
#
# State lives in $WORKSHOP_PULSE_STATE (default: <project>/.local):
#   kafka/<version>/libs   the broker's jars       data/kafka, data/clickhouse
#   kafka/cluster-id       made once, then kept     log/kafka, log/clickhouse
#   run/*.pid              pid files                etc/  rendered configs
#
# Every failure says what failed and where its log is, and exits non-zero.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/docker/local"
STATE=${WORKSHOP_PULSE_STATE:-$ROOT/.local}
KAFKA_VERSION=4.3.1
KAFKA_LIBS="$STATE/kafka/$KAFKA_VERSION/libs"
KAFKA_PORT=9092
CLICKHOUSE_HTTP_PORT=8123
CLICKHOUSE_TCP_PORT=9000
START_TIMEOUT_SECS=${WORKSHOP_PULSE_START_TIMEOUT_SECS:-90}

log() { printf '[services %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to run: $*"
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

# ---------------------------------------------------------------------------- install

install_packages() {
  local pkgs=()
  if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ]; then pkgs+=(openjdk-17-jre-headless); fi
  command -v mvn >/dev/null || pkgs+=(maven)
  command -v clickhouse-server >/dev/null || pkgs+=(clickhouse-server)
  command -v clickhouse-client >/dev/null || pkgs+=(clickhouse-client)
  command -v curl >/dev/null || pkgs+=(curl)
  # Building rdkafka's bundled librdkafka needs cmake, a C/C++ toolchain, zlib and
  # (librdkafka#5135) the curl header even though curl itself is not linked.
  command -v cmake >/dev/null || pkgs+=(cmake)
  command -v c++ >/dev/null || pkgs+=(g++)
  command -v make >/dev/null || pkgs+=(make)
  [ -f /usr/include/zlib.h ] || pkgs+=(zlib1g-dev)
  [ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || pkgs+=(libcurl4-openssl-dev)
  if [ ${#pkgs[@]} -eq 0 ]; then
    log "system packages present"
    return
  fi
  log "installing with apt: ${pkgs[*]}"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null \
    || die "apt-get install ${pkgs[*]} failed"
}

install_kafka_jars() {
  if [ -f "$KAFKA_LIBS/.complete" ]; then
    log "Apache Kafka $KAFKA_VERSION jars present in $KAFKA_LIBS"
    return
  fi
  log "assembling Apache Kafka $KAFKA_VERSION from Maven Central (docker/local/kafka/pom.xml)"
  rm -rf "$KAFKA_LIBS.partial"
  mvn -q -B -Dstyle.color=never -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS.partial" -Dkafka.version="$KAFKA_VERSION" \
    || die "mvn could not assemble Kafka $KAFKA_VERSION (see the Maven output above)"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.partial" "$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
  log "Kafka jars: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) files in $KAFKA_LIBS"
}

cmd_install() {
  install_packages
  install_kafka_jars
}

# ------------------------------------------------------------------------- clickhouse

clickhouse_answers() {
  [ "$(curl -s --max-time 2 "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/?query=SELECT%201" 2>/dev/null)" = 1 ]
}

start_clickhouse() {
  local pidfile="$STATE/run/clickhouse.pid" etc="$STATE/etc/clickhouse"
  if pid_alive "$pidfile" && clickhouse_answers; then
    log "ClickHouse already running (pid $(cat "$pidfile"))"
    return
  fi
  if port_open "$CLICKHOUSE_HTTP_PORT" || port_open "$CLICKHOUSE_TCP_PORT"; then
    die "port $CLICKHOUSE_HTTP_PORT or $CLICKHOUSE_TCP_PORT is taken by a process this project did not start; stop it first"
  fi
  mkdir -p "$etc" "$STATE/data/clickhouse" "$STATE/log/clickhouse" "$STATE/run"
  sed "s|@DIR@|$STATE|g" "$HERE/clickhouse/config.xml.in" >"$etc/config.xml"
  cp "$HERE/clickhouse/users.xml" "$etc/users.xml"
  local t0=$SECONDS
  # Run from the data directory: 18.16 resolves some relative paths against the cwd.
  (cd "$STATE/data/clickhouse" && clickhouse-server --config-file="$etc/config.xml" \
    --daemon --pid-file="$pidfile") >"$STATE/log/clickhouse/stdout.log" 2>&1 \
    || die "clickhouse-server did not start; see $STATE/log/clickhouse/"
  # Readiness is a real query: /ping answers even when every query would fail.
  until clickhouse_answers; do
    if [ $((SECONDS - t0)) -ge "$START_TIMEOUT_SECS" ]; then
      tail -n 20 "$STATE/log/clickhouse/server.err.log" >&2 2>/dev/null || true
      die "ClickHouse did not answer SELECT 1 within ${START_TIMEOUT_SECS}s; log: $STATE/log/clickhouse/"
    fi
    sleep 0.1
  done
  log "ClickHouse $(curl -s "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/?query=SELECT%20version()") ready on 127.0.0.1:$CLICKHOUSE_HTTP_PORT in $((SECONDS - t0))s"
}

# ------------------------------------------------------------------------------ kafka

kafka_java() { java -cp "$KAFKA_LIBS/*" "$@"; }

kafka_cluster_id_answer() {
  # A real request: the Admin client asks the broker for the cluster id.
  timeout 20 java -Dlog4j2.configurationFile="$HERE/kafka/log4j2.xml" -Dkafka.logs.dir="$STATE/log/kafka/tools" \
    -cp "$KAFKA_LIBS/*" org.apache.kafka.tools.ClusterTool cluster-id \
    --bootstrap-server "127.0.0.1:$KAFKA_PORT" 2>/dev/null | sed -n 's/^Cluster ID: //p'
}

start_kafka() {
  local pidfile="$STATE/run/kafka.pid" etc="$STATE/etc/kafka" idfile="$STATE/kafka/cluster-id"
  if pid_alive "$pidfile"; then
    log "Kafka already running (pid $(cat "$pidfile"))"
    return
  fi
  if port_open "$KAFKA_PORT" || port_open 9093; then
    die "port $KAFKA_PORT or 9093 is taken by a process this project did not start; stop it first"
  fi
  [ -f "$KAFKA_LIBS/.complete" ] || die "Kafka jars missing; run: docker/local/services.sh install"
  mkdir -p "$etc" "$STATE/data/kafka" "$STATE/log/kafka" "$STATE/run"
  sed "s|@DATA_DIR@|$STATE/data|g" "$HERE/kafka/server.properties.in" >"$etc/server.properties"
  if [ ! -s "$idfile" ]; then
    kafka_java kafka.tools.StorageTool random-uuid >"$idfile.tmp" 2>/dev/null \
      || die "kafka.tools.StorageTool random-uuid failed"
    mv "$idfile.tmp" "$idfile"
  fi
  local t0=$SECONDS
  kafka_java -Dlog4j2.configurationFile="$HERE/kafka/log4j2.xml" -Dkafka.logs.dir="$STATE/log/kafka/tools" \
    kafka.tools.StorageTool format --standalone --ignore-formatted \
    -t "$(cat "$idfile")" -c "$etc/server.properties" >>"$STATE/log/kafka/format.log" 2>&1 \
    || die "formatting the KRaft storage failed; see $STATE/log/kafka/format.log"
  nohup java -Xms256m -Xmx1g -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$HERE/kafka/log4j2.xml" -Dkafka.logs.dir="$STATE/log/kafka" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$etc/server.properties" \
    >"$STATE/log/kafka/stdout.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local answer=""
  until answer=$(kafka_cluster_id_answer) && [ -n "$answer" ]; do
    pid_alive "$pidfile" || { tail -n 30 "$STATE/log/kafka/stdout.log" >&2; die "Kafka exited during start-up; log: $STATE/log/kafka/"; }
    if [ $((SECONDS - t0)) -ge "$START_TIMEOUT_SECS" ]; then
      die "Kafka did not answer a cluster-id request within ${START_TIMEOUT_SECS}s; log: $STATE/log/kafka/"
    fi
    sleep 0.5
  done
  [ "$answer" = "$(cat "$idfile")" ] || die "the broker on :$KAFKA_PORT reports cluster $answer, not ours ($(cat "$idfile"))"
  log "Apache Kafka $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT (cluster $answer) in $((SECONDS - t0))s"
}

# ------------------------------------------------------------------------ stop/status

stop_one() {
  local name=$1 pidfile="$STATE/run/$1.pid"
  if ! pid_alive "$pidfile"; then
    log "$name not running"
    rm -f "$pidfile"
    return
  fi
  local pid t0=$SECONDS
  pid=$(cat "$pidfile")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if [ $((SECONDS - t0)) -ge 60 ]; then
      log "$name (pid $pid) ignored SIGTERM for 60s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name stopped in $((SECONDS - t0))s"
}

cmd_status() {
  local rc=0
  if pid_alive "$STATE/run/kafka.pid"; then log "Kafka: running (pid $(cat "$STATE/run/kafka.pid"))"; else log "Kafka: stopped"; rc=1; fi
  if pid_alive "$STATE/run/clickhouse.pid" && clickhouse_answers; then
    log "ClickHouse: running (pid $(cat "$STATE/run/clickhouse.pid"))"
  else log "ClickHouse: stopped"; rc=1; fi
  return $rc
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_install; start_clickhouse; start_kafka ;;
  stop) stop_one kafka; stop_one clickhouse ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
