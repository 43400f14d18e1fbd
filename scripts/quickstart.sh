#!/usr/bin/env bash
# Quick start: install what is missing, build odahu-pack, package the wine example into an image
# tarball with docker-rest (no Docker daemon; the default Debian + Python base image is built on
# first use, a few minutes, then cached), run that image with bwrap and ask it for a prediction.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

scripts/install-deps.sh
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

echo "== Building odahu-pack and the example artifacts"
mvn -B -q package -DskipTests

OUT="$ROOT/target/quickstart"
mkdir -p "$OUT"
echo "== Packaging the wine example with docker-rest into $OUT/wine.tar"
./odahu-pack pack run --id wine-rest -f examples/packaging/wine-rest.yaml \
  --artifact-path examples/target/artifacts --output "$OUT/wine.tar" --result-dir "$OUT" \
  --no-disable-package-targets

PORT="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "== Running the image with bwrap on 127.0.0.1:$PORT (log: $OUT/server.log)"
rm -rf "$OUT/rootfs"
./odahu-pack image run "$OUT/wine.tar" --rootfs "$OUT/rootfs" \
  -e ODAHU_HOST=127.0.0.1 -e "ODAHU_PORT=$PORT" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT

# Unpacking the image and starting the model take a few seconds; wait for readiness (2 min at most).
if ! /usr/bin/python3 - "$PORT" "$SERVER" <<'WAIT'
import os, sys, time, urllib.request
port, server = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 120
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2) as answer:
            if answer.status == 200:
                break
    except OSError:
        pass
    try:
        os.kill(server, 0)
    except ProcessLookupError:
        sys.exit("The image's server stopped; the end of its log:")
    if time.monotonic() > deadline:
        sys.exit("The image's server was not ready within 2 minutes; the end of its log:")
    time.sleep(0.2)
WAIT
then
  tail -n 30 "$OUT/server.log" >&2
  exit 1
fi

echo "== Asking the image's server for a prediction"
./odahu-pack model invoke --url "http://127.0.0.1:$PORT" --json-file examples/data/wine-request.json
