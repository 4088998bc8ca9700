#!/usr/bin/env bash
# `make test-fresh`: the README's two commands on a fresh machine. A brand-new container of the
# Dockerfiles' Node base image gets a fresh clone of HEAD (committed work only) and nothing but the
# README's prerequisites (make, git); there it runs `make test`, then `make run` and checks that the
# homepage shows 3 books, then stops it with Ctrl+C (SIGINT). No host cache, store or tool is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_IMAGE=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile.recommendations)
scripts/ensure-docker.sh

work=$(mktemp -d)
name="bookstore-fresh-$$"
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

commit=$(git rev-parse HEAD)
git clone --quiet --no-local . "$work/bookstore"
git -C "$work/bookstore" checkout --quiet --detach "$commit"
echo "test-fresh: $commit in a new $NODE_IMAGE container"

# Chromium needs more shared memory than Docker's 64 MB default; the tests run it as root with
# --no-sandbox. The clone is copied in, so nothing the container writes reaches the host.
docker create --name "$name" --shm-size=1g -e CI="${CI:-}" -w /bookstore "$NODE_IMAGE" bash -euo pipefail -c '
  phase() { echo "test-fresh: $1 ($(( SECONDS - start )) s so far)"; }
  start=$SECONDS
  echo "test-fresh: node $(node --version), npm $(npm --version), no pnpm: $(command -v pnpm || echo none)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends make git >/dev/null
  phase "prerequisites installed (make, git)"
  make test
  phase "make test passed"
  setsid make run >/tmp/run.log 2>&1 &
  node scripts/check-homepage.js http://127.0.0.1:5000/ 180 || { tail -40 /tmp/run.log; exit 1; }
  kill -INT -- -$!
  for _ in $(seq 1 30); do kill -0 $! 2>/dev/null || break; sleep 1; done
  if kill -0 $! 2>/dev/null; then echo "make run did not stop on Ctrl+C" >&2; tail -20 /tmp/run.log; exit 1; fi
  phase "make run served the homepage with 3 books and stopped on Ctrl+C"
' >/dev/null
docker cp "$work/bookstore/." "$name:/bookstore"
docker start --attach "$name"
