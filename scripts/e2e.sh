#!/usr/bin/env bash
# `make e2e`: builds both images, runs the compose stack with Valkey and 3 recommendations replicas, waits
# for health, runs packages/system-tests/e2e against it, and tears everything down (also on failure);
# then the same with mutual TLS between the services (compose.mtls.yaml, certificates from make certs).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=${E2E_PROJECT:-bookstore-e2e}
PNPM="$(pwd)/.tools/node_modules/.bin/pnpm"
scripts/ensure-docker.sh --compose

# Both stacks, one after the other: plaintext (compose.yaml), then mutual TLS between the services
# (compose.mtls.yaml over it, certificates from make certs). E2E_MODES narrows it to one.
MODES=${E2E_MODES:-plaintext mtls}
FILES=(-f compose.yaml)
compose() { docker-compose -p "$PROJECT" "${FILES[@]}" "$@"; }
cleanup() {
  status=$?
  if [ $status -ne 0 ]; then compose logs --tail 40 || true; fi
  compose down -v --remove-orphans >/dev/null 2>&1 || true
  exit $status
}
trap cleanup EXIT

make images
for mode in $MODES; do
  FILES=(-f compose.yaml)
  TESTS=""
  if [ "$mode" = mtls ]; then
    node scripts/certs-current.js certs || make certs
    FILES+=(-f compose.mtls.yaml)
    # scale-out.test.ts scales with compose.yaml alone, which would add a plaintext replica to
    # the mTLS stack: scaling is proven once, on the plaintext stack.
    TESTS=e2e/compose-stack.test.ts
  fi
  echo "== e2e: $mode stack"
  compose up -d --no-build --scale recommendations=3

  # 3 recommendations replicas, the marketplace and Valkey.
  containers=5
  echo "waiting for $containers healthy containers"
  for _ in $(seq 1 90); do
    healthy=$(compose ps -q | xargs docker inspect -f '{{.State.Health.Status}}' | grep -c '^healthy$' || true)
    [ "$healthy" -eq "$containers" ] && break
    sleep 1
  done
  [ "$healthy" -eq "$containers" ] || { echo "only $healthy of $containers containers became healthy" >&2; exit 1; }

  E2E_PROJECT="$PROJECT" E2E_TLS="$mode" E2E_BASE_URL="http://127.0.0.1:${MARKETPLACE_PORT:-5000}" \
    "$PNPM" --filter @bookstore/system-tests exec jest -c jest.e2e.config.js $TESTS
  compose down -v --remove-orphans >/dev/null
done
