#!/usr/bin/env bash
# What the Docker targets (images, up, down, e2e, test-fresh) need, made ready or named in one line:
# a Docker engine, the Dockerfiles' Node base image and docker-compose. Where Docker Hub is out of
# reach, a stand-in script builds a local image under the official tag: NODE_IMAGE_STAND_IN names
# it (default: this workplace's ../shared/tools/stand-in-node-image.sh, which also starts dockerd);
# docker-compose comes from Debian when apt is there. With --compose, also the Valkey image that
# compose.yaml names (VALKEY_IMAGE_STAND_IN, default ../shared/tools/stand-in-valkey-image.sh,
# builds it where it cannot be pulled).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_IMAGE=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile.recommendations)
STAND_IN=${NODE_IMAGE_STAND_IN:-"$(cd .. && pwd)/shared/tools/stand-in-node-image.sh"}

if ! docker info >/dev/null 2>&1 || ! docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  if ! { docker info >/dev/null 2>&1 && docker pull -q "$NODE_IMAGE" >/dev/null 2>&1; }; then
    [ -f "$STAND_IN" ] || {
      echo "needs a running Docker engine and the image $NODE_IMAGE (docker pull failed; NODE_IMAGE_STAND_IN may name a script that builds it)" >&2
      exit 1
    }
    bash "$STAND_IN" "$NODE_IMAGE"
  fi
fi
if [ "${1:-}" = --compose ] && ! command -v docker-compose >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "needs docker-compose (Debian package docker-compose, or Docker's compose v1)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
if [ "${1:-}" = --compose ]; then
  VALKEY_IMAGE=$(sed -n 's/^ *image: *\(valkey\/valkey:[^ ]*\) *$/\1/p' compose.yaml)
  VALKEY_STAND_IN=${VALKEY_IMAGE_STAND_IN:-"$(cd .. && pwd)/shared/tools/stand-in-valkey-image.sh"}
  [ -n "$VALKEY_IMAGE" ] || { echo "compose.yaml names no valkey/valkey image" >&2; exit 1; }
  if ! docker image inspect "$VALKEY_IMAGE" >/dev/null 2>&1 && ! docker pull -q "$VALKEY_IMAGE" >/dev/null 2>&1; then
    [ -f "$VALKEY_STAND_IN" ] || {
      echo "needs the image $VALKEY_IMAGE (docker pull failed; VALKEY_IMAGE_STAND_IN may name a script that builds it)" >&2
      exit 1
    }
    bash "$VALKEY_STAND_IN" "$VALKEY_IMAGE"
  fi
fi
