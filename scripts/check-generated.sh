#!/usr/bin/env bash
# Fails when `buf generate` would change the committed code under packages/contracts/src/gen.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=packages/contracts/src/gen
node_modules/.bin/buf generate
node scripts/embed-descriptor-set.js
if ! git diff --quiet -- "$GEN" || [ -n "$(git ls-files --others --exclude-standard -- "$GEN")" ]; then
  echo "generated code is stale: run 'make generate' and commit the result" >&2
  git status --short -- "$GEN" >&2
  git diff --stat -- "$GEN" >&2
  exit 1
fi
echo "generated code is up to date"
