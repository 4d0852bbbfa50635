# Installs or starts what the full suite needs where it is missing: Debian's Chromium for the browser
# tests, PostgreSQL and Redis for the second pass, Java and the Nu Html Checker for the conformance gate.
# Sourced by .ci/run and by `make test-all`; `ensure_all` does everything.
log() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif have sudo; then sudo -n "$@"; else return 1; fi; }

apt_updated=0
apt_install() {
  have apt-get || { echo "apt-get is not available to install $*" >&2; return 1; }
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq && apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { have pg_isready && pg_isready -h 127.0.0.1 -p 5432 -q; }
redis_ready() { have redis-cli && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_postgres() {
  pg_ready && return 0
  log "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
  have pg_ctlcluster || apt_install postgresql postgresql-client
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_ready && break; sleep 1; done
  pg_ready || { echo "PostgreSQL could not be started" >&2; return 1; }
  # A freshly installed cluster only lets the postgres OS user in; allow the suite over TCP.
  if ! psql -h 127.0.0.1 -U postgres -c 'select 1' -qtA >/dev/null 2>&1; then
    local hba
    hba=$(ls /etc/postgresql/"$version"/main/pg_hba.conf)
    as_root sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
}

ensure_redis() {
  redis_ready && return 0
  log "Redis is not answering on 127.0.0.1:6379; starting it"
  have redis-server || apt_install redis-server
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 20); do redis_ready && break; sleep 0.5; done
  redis_ready || { echo "Redis could not be started" >&2; return 1; }
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  log "Installing Debian's Chromium for the browser tests"
  apt_install chromium || echo "Chromium could not be installed; browser tests will report it" >&2
}

# --- Conformance gate (tests/site/test_conformance.py): the Nu Html Checker and Java for it -----------------
# The gate runs inside both `make test` passes below once these are installed; the PostgreSQL pass sets
# NEWSROOM_REQUIRE_SERVICES, so a checker that went missing is an error there, not a skip.
VNU_VERSION=26.9.27
TOOLS_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/newsroom"
ensure_conformance_tools() {
  if ! have java; then
    log "Installing Java (Debian's default-jre-headless) for the Nu Html Checker"
    apt_install default-jre-headless
  fi
  local dir="$TOOLS_CACHE/vnu"
  export VNU_JAR="$dir/node_modules/vnu-jar/build/dist/vnu.jar"
  if [ ! -f "$VNU_JAR" ] || [ "$(cat "$dir/installed-version" 2>/dev/null)" != "$VNU_VERSION" ]; then
    log "Installing the Nu Html Checker (vnu-jar $VNU_VERSION from npm) into $dir"
    have npm || apt_install npm
    mkdir -p "$dir"
    # --ignore-scripts: the package's install script only offers to download a Java runtime; Debian's is used.
    npm install --prefix "$dir" --no-save --ignore-scripts --no-audit --no-fund "vnu-jar@$VNU_VERSION" >/dev/null
    echo "$VNU_VERSION" > "$dir/installed-version"
  fi
  java -jar "$VNU_JAR" --version
}
# --- end of the conformance gate's tools ------------------------------------------------------------

# --- A local S3-compatible object store (moto's server mode, pinned in requirements-dev.txt) --------------
# tests/core/test_media_storage.py uploads through one app server and reads through another against it.
MOTO_PORT=5019
moto_ready() {
  .venv/bin/python -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
    "$NEWSROOM_S3_TEST_ENDPOINT/moto-api/" >/dev/null 2>&1
}
ensure_object_storage() {
  export NEWSROOM_S3_TEST_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
  moto_ready && return 0
  log "Starting a local S3-compatible server (moto) on 127.0.0.1:$MOTO_PORT"
  .venv/bin/moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/tmp/newsroom-moto.log 2>&1 &
  for _ in $(seq 40); do moto_ready && return 0; sleep 0.25; done
  echo "The local S3-compatible server could not be started (see /tmp/newsroom-moto.log)" >&2
  return 1
}

ensure_all() {
  ensure_chromium
  ensure_postgres
  ensure_redis
  ensure_object_storage
  ensure_conformance_tools
}
