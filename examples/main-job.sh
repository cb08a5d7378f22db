#!/usr/bin/env bash
# The main job, offline: start apprunner-local, create Example 1 of the create-service reference
# (corrected: examples/hello-app/create-service.json) with the apprunner CLI, wait until the
# service is RUNNING, ask the app for its greeting at its ServiceUrl, then delete the service and
# stop the endpoint. Run from anywhere: `bash examples/main-job.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release -p apprunner-local -p apprunner-cli
bin=target/release
data=target/apprunner-local/main-job
rm -rf "$data"
mkdir -p "$data"

# The endpoint (any free port), from the repository root: the example's RepositoryUrl "." is
# this repository, whose committed branch main holds examples/hello-app.
"$bin/apprunner-local" --port 0 --data-dir "$data" >"$data/endpoint.out" 2>"$data/endpoint.log" &
endpoint_pid=$!
trap 'kill "$endpoint_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q 'listening on' "$data/endpoint.out" 2>/dev/null && break
    sleep 0.1
done
endpoint=$(grep -o 'http://[0-9.:]*' "$data/endpoint.out")
echo "apprunner-local: $endpoint (log: $data/endpoint.log)"

# The AWS documentation's example key pair, which the endpoint accepts by default.
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export APPRUNNER_WAIT_INTERVAL=0.5

input=examples/hello-app/create-service.json
branch=$(git rev-parse --abbrev-ref HEAD)
if [ "$branch" != main ]; then
    # The example deploys branch main; deploy the branch checked out here instead.
    sed "s/\"Value\": \"main\"/\"Value\": \"$branch\"/" "$input" >"$data/create-service.json"
    input="$data/create-service.json"
fi

started=$(date +%s.%N)
"$bin/apprunner" create-service --cli-input-json "file://$input" --endpoint-url "$endpoint" --wait \
    >"$data/created.json"
"$bin/apprunner" describe-service --endpoint-url "$endpoint" \
    --service-arn "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Service"]["ServiceArn"])' "$data/created.json")" \
    >"$data/described.json"
read -r arn status url < <(python3 -c '
import json, sys
service = json.load(open(sys.argv[1]))["Service"]
print(service["ServiceArn"], service["Status"], service["ServiceUrl"])' "$data/described.json")
elapsed=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
echo "python-app: $status after ${elapsed}s at http://$url/"
[ "$status" = RUNNING ]

echo "GET http://$url/ -> $(curl --silent --show-error --fail "http://$url/")"

"$bin/apprunner" delete-service --service-arn "$arn" --endpoint-url "$endpoint" --wait >/dev/null
echo "python-app: deleted"
