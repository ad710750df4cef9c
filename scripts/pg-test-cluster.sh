#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the integration tests, listening on 127.0.0.1 only.
#
#   scripts/pg-test-cluster.sh start    # init (first time) + start; prints the URL on stdout
#   scripts/pg-test-cluster.sh start --fresh  # same, but drop and recreate the database (CI does)
#   scripts/pg-test-cluster.sh stop     # stop it (data is kept for the next start)
#   scripts/pg-test-cluster.sh status   # "running <URL>" or "stopped"; exit 0 only when running
#   scripts/pg-test-cluster.sh url      # print the URL (whether or not it is running)
#   scripts/pg-test-cluster.sh destroy  # stop it and delete its data
#
#   export TEST_DATABASE_URL="$(scripts/pg-test-cluster.sh start)"
#
# It is independent of the Debian package's own "main" cluster: its own data directory
# (PG_TEST_DIR, default /var/tmp/cchc-pg-test), its own unix socket there, its own port
# (PG_TEST_PORT, else the port it used last time, else 5432, else the first free one
# from 5433), so it works whether that default cluster exists, runs, or was never created.
# As root, the server runs as the `postgres` user (postgres refuses to run as root); as
# any other user, it runs as that user. Only progress goes to stderr; stdout is the URL.
#
# Role `cchc` (password `cchc`, CREATEDB) owns database `cchc_test`; both are created when
# missing on every start. Durability is switched off (fsync etc.): this is for tests only.
set -euo pipefail

DIR="${PG_TEST_DIR:-/var/tmp/cchc-pg-test}"
DATA="$DIR/data"
PORT_FILE="$DIR/port"
LOG="$DIR/server.log"
DB_USER="${PG_TEST_USER:-cchc}"
DB_PASS="${PG_TEST_PASSWORD:-cchc}"
DB_NAME="${PG_TEST_DB:-cchc_test}"

say() { echo "pg-test-cluster: $*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

find_bindir() {
  if [[ -n "${PG_BIN:-}" ]]; then
    echo "$PG_BIN"
    return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$d" && -x "$d/pg_ctl" ]]; then
    echo "$d"
    return
  fi
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  die "no PostgreSQL server binaries found (Debian: apt-get install postgresql; or set PG_BIN)"
}

BIN="$(find_bindir)"

# Run a command as the OS user that owns the cluster.
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user (install Debian's postgresql package)"
  OWNER=postgres
  # cd / first: postgres may not be allowed into the caller's directory (e.g. under /root).
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

port_in_use() {
  # Connecting succeeds if anything listens on 127.0.0.1:$1 (including 0.0.0.0 listeners).
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_running() {
  [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

current_port() {
  if [[ -f "$PORT_FILE" ]]; then cat "$PORT_FILE"; else echo "${PG_TEST_PORT:-5432}"; fi
}

url() {
  echo "postgres://$DB_USER:$DB_PASS@127.0.0.1:$(current_port)/$DB_NAME"
}

choose_port() {
  if [[ -n "${PG_TEST_PORT:-}" ]]; then
    port_in_use "$PG_TEST_PORT" && die "PG_TEST_PORT=$PG_TEST_PORT is already in use on 127.0.0.1"
    echo "$PG_TEST_PORT"
    return
  fi
  local p
  for p in $(cat "$PORT_FILE" 2>/dev/null || true) 5432 $(seq 5433 5532); do
    if ! port_in_use "$p"; then
      echo "$p"
      return
    fi
  done
  die "no free port between 5432 and 5532 on 127.0.0.1"
}

init_cluster() {
  local want_version have_version
  want_version="$("$BIN/pg_ctl" --version | awk '{print $3}' | cut -d. -f1)"
  if [[ -f "$DATA/PG_VERSION" ]]; then
    have_version="$(cat "$DATA/PG_VERSION")"
    [[ "$have_version" == "$want_version" ]] && return
    say "data directory is from PostgreSQL $have_version, binaries are $want_version: re-initialising"
    rm -rf "$DATA"
  fi
  mkdir -p "$DIR"
  chown "$OWNER" "$DIR"
  chmod 700 "$DIR"
  say "initialising a new cluster in $DATA (PostgreSQL $want_version)"
  as_owner "$BIN/initdb" -D "$DATA" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 ||
    {
      cat "$DIR/initdb.log" >&2
      die "initdb failed"
    }
  # Settings that do not depend on the port; the port is given at each start.
  as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# --- cchc test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
EOF
}

psql_owner() {
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$(current_port)" -d postgres "$@"
}

ensure_role_and_db() {
  local has_role has_db
  has_role="$(psql_owner -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")"
  if [[ "$has_role" == 1 ]]; then
    psql_owner -c "ALTER ROLE \"$DB_USER\" WITH LOGIN CREATEDB PASSWORD '$DB_PASS'"
  else
    psql_owner -c "CREATE ROLE \"$DB_USER\" WITH LOGIN CREATEDB PASSWORD '$DB_PASS'"
  fi
  if [[ "$FRESH" == 1 ]]; then
    say "dropping database $DB_NAME (--fresh)"
    psql_owner -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
  fi
  has_db="$(psql_owner -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
  if [[ "$has_db" != 1 ]]; then
    psql_owner -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\" ENCODING 'UTF8' TEMPLATE template0"
  fi
}

wait_ready() {
  local i
  for i in $(seq 1 60); do
    as_owner "$BIN/pg_isready" -q -h "$DIR" -p "$(current_port)" && return 0
    sleep 0.5
  done
  return 1
}

start() {
  init_cluster
  if is_running; then
    say "already running on 127.0.0.1:$(current_port)"
    if ! wait_ready; then
      tail -n 30 "$LOG" >&2 || true
      die "a server process exists for $DATA but does not accept connections (try: $0 stop)"
    fi
  else
    local port
    port="$(choose_port)"
    echo "$port" >"$PORT_FILE"
    say "starting on 127.0.0.1:$port (log: $LOG)"
    as_owner touch "$LOG" 2>/dev/null || true
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $port" -w -t 60 start >/dev/null; then
      tail -n 30 "$LOG" >&2 || true
      die "the server did not start"
    fi
  fi
  ensure_role_and_db
  say "ready: database $DB_NAME, role $DB_USER"
  url
}

stop() {
  if is_running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
    say "stopped"
  else
    say "not running"
  fi
}

FRESH=0
[[ "${2:-}" == "--fresh" ]] && FRESH=1

case "${1:-}" in
start) start ;;
stop) stop ;;
status)
  if is_running; then
    echo "running $(url)"
  else
    echo "stopped"
    exit 1
  fi
  ;;
url) url ;;
destroy)
  stop
  rm -rf "$DIR"
  say "removed $DIR"
  ;;
*)
  echo "usage: $0 start|stop|status|url|destroy" >&2
  exit 2
  ;;
esac
