#!/usr/bin/env bash
# `make e2e`: builds both images, runs the compose stack with 3 recommendations replicas, waits
# for health, runs packages/system-tests/e2e against it, and tears everything down (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=${E2E_PROJECT:-bookstore-e2e}
scripts/ensure-docker.sh --compose

compose() { docker-compose -p "$PROJECT" -f compose.yaml "$@"; }
cleanup() {
  status=$?
  if [ $status -ne 0 ]; then compose logs --tail 40 || true; fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  exit $status
}
trap cleanup EXIT

make images
compose up -d --no-build --scale recommendations=3

echo "waiting for 4 healthy containers"
for _ in $(seq 1 90); do
  healthy=$(compose ps -q | xargs docker inspect -f '{{.State.Health.Status}}' | grep -c '^healthy$' || true)
  [ "$healthy" -eq 4 ] && break
  sleep 1
done
[ "$healthy" -eq 4 ] || { echo "only $healthy of 4 containers became healthy" >&2; exit 1; }

E2E_PROJECT="$PROJECT" E2E_BASE_URL="http://127.0.0.1:${MARKETPLACE_PORT:-5000}" \
  pnpm --filter @bookstore/system-tests exec jest -c jest.e2e.config.js
