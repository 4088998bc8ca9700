#!/usr/bin/env bash
# Installs the Debian packages the tests use, when missing (apt-get, as root):
#   python3-grpcio, python3-grpc-tools  the Python client generated from proto/ (interop test);
#   python3-pkg-resources               grpc_tools.protoc imports it (a bare Debian lacks it)
#   openssl                             CA and certificates made at run time by the TLS tests
#   chromium                            the browser tests (driven by playwright-core)
#   bsdutils                            `script`: a pseudo-terminal for the make run/dev log tests
#   prometheus                          promtool (rule checks and unit tests) and the real-Prometheus test
#   redis-server                        the Valkey/Redis event store's tests (Redis 7.0, the code Valkey forked from)
# Not root or no apt: says what is missing and fails, so no test is skipped silently.
set -euo pipefail
packages=(python3-grpcio python3-grpc-tools python3-pkg-resources openssl chromium bsdutils prometheus redis-server "$@")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
  exit 1
fi
echo "installing ${missing[*]}"
# Debian's prometheus starts a system-wide daemon on :9090 after install (where an init system
# runs), which would take Recommendations' default metrics port. The tests start their own, so
# service starts are refused during the install (policy-rc.d, honoured by invoke-rc.d and
# deb-systemd-invoke) unless the machine already has a policy.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
