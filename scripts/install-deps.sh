#!/usr/bin/env bash
# Installs the Debian packages this project needs, if any is missing. Idempotent; needs root
# (or sudo). Used by .ci/run and by the quick start.
set -euo pipefail

PACKAGES=(
  python3-sklearn python3-pandas python3-numpy   # the example models and the CPython workers
  debootstrap bubblewrap                         # the default base image; running images without Docker
  docker-registry skopeo apache2-utils           # packager tests: a real registry, pulling, htpasswd
  gcc python3-dev                                # python-deps tests: a wheel with a compiled extension
  prometheus                                     # promtool and a real Prometheus for the monitoring tests
  chromium chromium-driver                       # the docs page's test in a real headless browser
)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The prometheus package starts a server on :9090 where systemd runs; the tests start their own
# on a free loopback port and need none.
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
