#!/usr/bin/env bash
# Smoke test of compose.yaml where a container engine runs (Docker with compose v2): builds the image, starts
# PostgreSQL, both web nodes, the worker and nginx as the project "motcua-smoke" with throwaway secrets, a
# self-signed certificate and ports 18080/18443, checks the product through nginx, then removes everything
# (volumes included). It leaves deploy/.env and deploy/tls alone. See docs/deployment.md.
#   deploy/smoke-test.sh
set -euo pipefail
cd "$(dirname "$0")"
COMPOSE="${COMPOSE:-docker compose}"
work="$(mktemp -d)"
project=(-p motcua-smoke --env-file "$work/.env")
cleanup() {
  $COMPOSE "${project[@]}" down -v --remove-orphans > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/tls/privkey.pem" -out "$work/tls/fullchain.pem" 2> /dev/null
chmod 644 "$work/tls/privkey.pem"
cat > "$work/.env" << ENV
PUBLIC_BASE_URL=https://localhost:18443
POSTGRES_PASSWORD=$(openssl rand -hex 16)
SESSION_SECRET=$(openssl rand -hex 32)
LOOKUP_LINK_SECRET=$(openssl rand -hex 32)
ENCRYPTION_KEY=$(openssl rand -hex 32)
HTTP_PORT=18080
HTTPS_PORT=18443
TLS_DIR=$work/tls
ENV

$COMPOSE "${project[@]}" up -d --build --wait
origin=https://localhost:18443
check() { # check <what> <expected> <curl arguments…>
  local what="$1" expected="$2" got
  shift 2
  got="$(curl -sS --cacert "$work/tls/fullchain.pem" "$@")"
  if [[ "$got" != *"$expected"* ]]; then
    echo "SMOKE FAILED: $what: expected $expected, got: $got" >&2
    $COMPOSE "${project[@]}" ps >&2
    $COMPOSE "${project[@]}" logs --tail 50 >&2
    exit 1
  fi
  echo "ok: $what"
}
check 'ready through nginx' '"database":"up"' "$origin/readyz"
check 'HTTP redirects to HTTPS' '301' -o /dev/null -w '%{http_code}' http://localhost:18080/
check 'officer app' '<div id="root">' "$origin/"
check 'public look-up page' 'Tra cứu' "$origin/tra-cuu"
check 'integration API refuses without a key' '401' -o /dev/null -w '%{http_code}' "$origin/api/v1/dossiers"
$COMPOSE "${project[@]}" ps
echo 'SMOKE PASSED'
