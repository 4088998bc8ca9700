#!/usr/bin/env bash
# `make e2e`: builds both images, runs the compose stack with 3 recommendations replicas, waits
# for health, runs packages/system-tests/e2e against it, and tears everything down (also on failure);
# then the same with mutual TLS between the services (compose.mtls.yaml, certificates from make certs).
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=${E2E_PROJECT:-bookstore-e2e}
NODE_IMAGE=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile.recommendations)
STAND_IN="$(cd .. && pwd)/shared/tools/stand-in-node-image.sh"

# A Docker engine and the base image: Docker Hub is out of reach here, so where either is missing
# the shared stand-in script starts dockerd and builds a local image under the official tag.
if ! docker info >/dev/null 2>&1 || ! docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  [ -x "$STAND_IN" ] || [ -f "$STAND_IN" ] || { echo "no Docker engine or $NODE_IMAGE, and no $STAND_IN" >&2; exit 1; }
  bash "$STAND_IN" "$NODE_IMAGE"
fi
if ! command -v docker-compose >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi

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
  if [ "$mode" = mtls ]; then
    [ -f certs/ca.crt ] || make certs
    FILES+=(-f compose.mtls.yaml)
  fi
  echo "== e2e: $mode stack"
  compose up -d --no-build --scale recommendations=3

  echo "waiting for 4 healthy containers"
  for _ in $(seq 1 90); do
    healthy=$(compose ps -q | xargs docker inspect -f '{{.State.Health.Status}}' | grep -c '^healthy$' || true)
    [ "$healthy" -eq 4 ] && break
    sleep 1
  done
  [ "$healthy" -eq 4 ] || { echo "only $healthy of 4 containers became healthy" >&2; exit 1; }

  E2E_PROJECT="$PROJECT" E2E_TLS="$mode" E2E_BASE_URL="http://127.0.0.1:${MARKETPLACE_PORT:-5000}" \
    .tools/node_modules/.bin/pnpm --filter @bookstore/system-tests exec jest -c jest.e2e.config.js
  compose down -v --remove-orphans >/dev/null
done
