#!/bin/sh
# Checks the served API documents with real clients, against a Breadbox
# server started here on loopback with a fresh SQLite database:
#   1. redocly lint on /api/v1/openapi.json,
#   2. openapi-typescript generates types from it and tsc compiles a small
#      typed client against them,
#   3. newman runs /api/v1/postman.json and every request's tests must pass,
#   4. graphql-http's server audits run against /graphql and every MUST passes.
# Needs Go, Node 20 and npm. Run from anywhere: sh clients/check.sh
set -eu

clients_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(dirname "$clients_dir")
work_dir=$(mktemp -d)
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work_dir"
}
trap cleanup EXIT INT TERM

cd "$clients_dir"
npm ci --no-audit --no-fund --loglevel=error

echo "building breadbox"
(cd "$repo_dir" && go build -o "$work_dir/breadbox" ./cmd/breadbox)

# A free loopback port, picked by the kernel.
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
base="http://127.0.0.1:$port"
export BREADBOX_DATABASE_URL="sqlite:$work_dir/breadbox.db"
export BREADBOX_ADDR="127.0.0.1:$port"
export BREADBOX_PUBLIC_URL="$base"

"$work_dir/breadbox" migrate
org_id=$("$work_dir/breadbox" org create --name "Client checks" --plan enterprise --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))')
all_scopes="accounts:write,contacts:write,deals:write,health:write,touchpoints:write,devices:write,tasks:write,notes:write,mrr:read,leads:write,compliance:read,admin:read,contracts:read"
api_key=$("$work_dir/breadbox" key create --org "$org_id" --name newman --scopes "$all_scopes" --test --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))')

"$work_dir/breadbox" serve >"$work_dir/server.log" 2>&1 &
server_pid=$!
attempt=0
until curl -fsS "$base/healthz" >/dev/null 2>&1; do
	attempt=$((attempt + 1))
	if [ "$attempt" -gt 100 ]; then
		echo "the server did not respond on $base/healthz within 10 s; its log:" >&2
		cat "$work_dir/server.log" >&2
		exit 1
	fi
	sleep 0.1
done

curl -fsS "$base/api/v1/openapi.json" -o "$work_dir/openapi.json"
curl -fsS "$base/api/v1/postman.json" -o "$work_dir/postman.json"

echo "redocly lint"
npx --no-install redocly lint --config "$clients_dir/redocly.yaml" "$work_dir/openapi.json"

echo "openapi-typescript and tsc"
mkdir -p "$clients_dir/generated"
npx --no-install openapi-typescript "$work_dir/openapi.json" -o "$clients_dir/generated/breadbox.d.ts"
npx --no-install tsc --noEmit -p "$clients_dir/tsconfig.json"

echo "newman"
npx --no-install newman run "$work_dir/postman.json" \
	--env-var "baseUrl=$base/api/v1" --env-var "apiKey=$api_key" \
	--color off

echo "graphql-http server audit"
node "$clients_dir/graphql-audit.mjs" "$base/graphql" "$api_key"
