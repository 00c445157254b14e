#!/usr/bin/env bash
# Start-up smoke test: starts the built server on a fresh database, checks that it answers,
# authenticates and serves its documents, then stops it with SIGTERM and expects exit 0.
# Uses a temp embedded database, or the server in DATABASE_URL when the caller sets one.
set -euo pipefail

cd "$(dirname "$0")/.."

READY_TIMEOUT_S=60
SHUTDOWN_TIMEOUT_S=20

fail() {
  echo "smoke: FAIL: $*" >&2
  if [[ -n "${LOG_FILE:-}" && -f "$LOG_FILE" ]]; then
    echo "--- server output (last 50 lines) ---" >&2
    tail -n 50 "$LOG_FILE" >&2 || true
  fi
  exit 1
}

now_ms() { node -e 'process.stdout.write(String(Date.now()))'; }

[[ -f dist/cli/main.js ]] || fail "dist/cli/main.js is missing: run 'npm run build' first"

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/parley-smoke.XXXXXX")"
LOG_FILE="$WORK_DIR/server.log"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK_DIR"
}
trap cleanup EXIT

free_port() { node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'; }
PORT="$(free_port)"
METRICS_PORT="$(free_port)"
PLATFORM_TOKEN="smoke-$(node -e 'process.stdout.write(require("node:crypto").randomBytes(16).toString("hex"))')"
BASE="http://127.0.0.1:$PORT"
BACKEND="embedded"
[[ -n "${DATABASE_URL:-}" ]] && BACKEND="server"

echo "smoke: starting parley on port $PORT ($BACKEND database)"
START_MS="$(now_ms)"
PORT="$PORT" HOST=127.0.0.1 PARLEY_DATA_DIR="$WORK_DIR/data" PARLEY_PLATFORM_TOKEN="$PLATFORM_TOKEN" \
  PARLEY_METRICS_LISTEN="127.0.0.1:$METRICS_PORT" \
  LOG_LEVEL="${LOG_LEVEL:-warn}" node dist/cli/main.js serve >"$LOG_FILE" 2>&1 &
SERVER_PID=$!

# 1. Readiness.
deadline=$((SECONDS + READY_TIMEOUT_S))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/ready" || true)" == "200" ]]; do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited before it was ready"
  ((SECONDS < deadline)) || fail "not ready after ${READY_TIMEOUT_S}s"
  sleep 0.2
done
READY_MS=$(($(now_ms) - START_MS))
echo "smoke: ready in ${READY_MS} ms"

# 2. An authenticated round trip with the platform token.
request() { # method path [body] -> prints "<status> <body>"
  local method=$1 path=$2 body=${3:-}
  local args=(-s -X "$method" -H "Authorization: Bearer $PLATFORM_TOKEN" -w '\n%{http_code}')
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  curl "${args[@]}" "$BASE$path"
}
json_field() { # field <<< json
  node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => { const v = JSON.parse(s)[process.argv[1]]; process.stdout.write(v === undefined ? "" : String(v)); });' "$1"
}

ACCOUNT_NAME="Smoke Test $$"
response="$(request POST /api/v1/accounts "{\"name\":\"$ACCOUNT_NAME\"}")"
status="${response##*$'\n'}"
body="${response%$'\n'*}"
[[ "$status" == "201" ]] || fail "POST /api/v1/accounts answered $status: $body"
ACCOUNT_ID="$(json_field id <<<"$body")"
[[ -n "$ACCOUNT_ID" ]] || fail "no account id in: $body"

response="$(request GET "/api/v1/accounts/$ACCOUNT_ID")"
status="${response##*$'\n'}"
body="${response%$'\n'*}"
[[ "$status" == "200" ]] || fail "GET /api/v1/accounts/$ACCOUNT_ID answered $status: $body"
[[ "$(json_field name <<<"$body")" == "$ACCOUNT_NAME" ]] || fail "unexpected account: $body"
echo "smoke: account $ACCOUNT_ID created and read back"

# 3. Metrics on their own address (not on the main port), the OpenAPI document, security headers.
for url in "http://127.0.0.1:$METRICS_PORT/metrics" "$BASE/api/openapi.json"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  [[ "$status" == "200" ]] || fail "GET $url answered $status"
done
status="$(curl -s -o /dev/null -w '%{http_code}' "$BASE/metrics")"
[[ "$status" == "404" ]] || fail "GET /metrics on the main port answered $status, expected 404"
headers="$(curl -s -D - -o /dev/null "$BASE/api/openapi.json")"
for header in 'x-content-type-options: nosniff' 'x-frame-options: DENY' 'content-security-policy:'; do
  grep -qi "^$header" <<<"$headers" || fail "no '$header' header in: $headers"
done
echo "smoke: metrics on :$METRICS_PORT only, /api/openapi.json 200, security headers present"

# 3b. A second server on the same embedded database is refused while the first one runs.
if [[ "$BACKEND" == "embedded" ]]; then
  second_exit=0
  PORT=0 HOST=127.0.0.1 PARLEY_DATA_DIR="$WORK_DIR/data" LOG_LEVEL=warn \
    timeout 30 node dist/cli/main.js serve >"$WORK_DIR/second.log" 2>&1 || second_exit=$?
  [[ "$second_exit" == "1" ]] || fail "a second server on the same data directory exited $second_exit, expected 1"
  grep -q "in use by another Parley process (pid $SERVER_PID)" "$WORK_DIR/second.log" ||
    fail "the second server did not name the holder: $(cat "$WORK_DIR/second.log")"
  echo "smoke: a second server on the same data directory is refused, naming pid $SERVER_PID"
fi

# 4. Graceful shutdown.
kill -TERM "$SERVER_PID"
STOP_MS="$(now_ms)"
deadline=$((SECONDS + SHUTDOWN_TIMEOUT_S))
while kill -0 "$SERVER_PID" 2>/dev/null; do
  ((SECONDS < deadline)) || fail "still running ${SHUTDOWN_TIMEOUT_S}s after SIGTERM"
  sleep 0.1
done
exit_code=0
wait "$SERVER_PID" || exit_code=$?
SERVER_PID=""
STOPPED_MS=$(($(now_ms) - STOP_MS))
[[ "$exit_code" == "0" ]] || fail "exited with code $exit_code after SIGTERM"

echo "smoke: OK ($BACKEND database): ready in ${READY_MS} ms, auth round trip, metrics, openapi, headers, SIGTERM exit 0 in ${STOPPED_MS} ms"
