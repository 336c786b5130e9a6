#!/usr/bin/env bash
# The built server as `npm start` runs it (not through Jest's transforms): it starts on an embedded
# Postgres of its own, answers GraphQL, serves the console, and stops cleanly on SIGTERM. CI runs it after the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
chmod 755 "$data" # the postgres system user (as root) must reach the cluster
log="$data/server.log"
trap '[ -n "${KEEP:-}" ] || rm -rf "$data"' EXIT
[ -n "${NOBUILD:-}" ] || PORT=3999 EMBEDDED_PG_PORT=54399 DATA_DIR="$data" node scripts/build-if-stale.js
PORT=3999 EMBEDDED_PG_PORT=54399 DATA_DIR="$data" node dist/src/main.js > "$log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  grep -q 'Ready' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; echo 'smoke: the server exited before it was ready'; exit 1; }
  sleep 1
done
answer=$(curl -s -X POST http://127.0.0.1:3999/graphql -H 'content-type: application/json' -d '{"query":"{ reportRecipients { id } }"}')
[ "$answer" = '{"data":{"reportRecipients":[]}}' ] || { cat "$log"; echo "smoke: unexpected answer $answer"; exit 1; }
page=$(curl -s http://127.0.0.1:3999/)
grep -q '<div id="root"></div>' <<<"$page" || { cat "$log"; echo 'smoke: the console is not served at /'; exit 1; }
kill -TERM "$server"
wait "$server" || true
if grep -q '"level":50' "$log"; then cat "$log"; echo 'smoke: errors were logged'; exit 1; fi
echo 'smoke: npm start serves GraphQL and the console, and stops cleanly'
