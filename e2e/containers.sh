#!/usr/bin/env bash
# Builds both images from the repository's Dockerfiles and runs them as containers (issue 16; first
# part: the images and the local run inside one). On a machine without Docker it installs Debian's
# engine and starts it with host networking only; without a registry it makes the Dockerfiles' base
# image from Debian's packages. It removes what it started. Run from anywhere, after
# `mvn -DskipTests package` (or `install`) has written the jars:
#   e2e/containers.sh
# Host networking only: no bridge network, no container address (private-range traffic is not
# allowed on the machines this runs on).
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=eclipse-temurin:17-jre
TAG=${DORMOUSE_IMAGE_TAG:-check}
STARTED_DOCKERD=
CONTAINERS=()
WORK=$(mktemp -d)
RUN=containers-$$
cleanup() {
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
  # Whatever the container scenarios left behind (a test JVM that died before its own cleanup).
  docker ps -aq --filter "label=dormouse.e2e.run=$RUN" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker rmi "dormouse:$TAG-rolled" >/dev/null 2>&1 || true
  if [ -n "$STARTED_DOCKERD" ]; then
    kill "$STARTED_DOCKERD" 2>/dev/null || true
    wait "$STARTED_DOCKERD" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "containers: $*"; }
fail() { echo "containers: FAILED: $*" >&2; exit 1; }

if ! command -v docker >/dev/null || ! command -v debootstrap >/dev/null; then
  say "installing docker.io and debootstrap from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq docker.io debootstrap >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq docker.io debootstrap >/dev/null; }
fi
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (no bridge, no iptables)"
  dockerd --bridge=none --iptables=false --ip-masq=false >"$WORK/dockerd.log" 2>&1 &
  STARTED_DOCKERD=$!
  for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { cat "$WORK/dockerd.log" >&2; fail "dockerd did not start"; }
fi

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  say "making $BASE from Debian bookworm's openjdk-17-jre-headless (no registry needed)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$WORK/root" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; fail "debootstrap"; }
  tar -C "$WORK/root" -c . | docker import - "$BASE" >/dev/null
  rm -rf "$WORK/root"
fi

[ -f gateway/target/dormouse.jar ] && [ -f operator/target/dormouse-operator.jar ] \
  || fail "build the jars first: mvn -DskipTests package"
# Each build leaves the previous image of its tag and its CDS build stage untagged: remove those this
# run made (and only those), or every run keeps about 1.5 GB more.
dangling() { docker images -q --filter dangling=true | sort -u; }
dangling >"$WORK/dangling-before"
for image in "gateway/Dockerfile dormouse:$TAG" "operator/Dockerfile dormouse-operator:$TAG"; do
  set -- $image
  start=$(date +%s)
  docker build --network host -f "$1" -t "$2" . >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; fail "docker build -f $1"; }
  say "built $2 in $(( $(date +%s) - start )) s, $(docker image inspect -f '{{.Size}}' "$2" | awk '{printf "%d MB", $1/1e6}')"
done
dangling | comm -13 "$WORK/dangling-before" - | xargs -r docker rmi >/dev/null 2>&1 || true

# The local run inside the image, as a pod runs it: UID 10001, read-only root, /tmp the only
# writable place, JavaScript rooms included.
port=$((20000 + RANDOM % 20000))
name=dormouse-check-$$
CONTAINERS+=("$name")
docker run -d --name "$name" --network host --read-only --tmpfs /tmp:exec \
  -v "$PWD/examples/rooms:/rooms:ro" "dormouse:$TAG" \
  dev --rooms /rooms --host 127.0.0.1 --port "$port" --admin-port $((port + 1)) --publish-port $((port + 2)) >/dev/null
for _ in $(seq 300); do
  curl -sf -o /dev/null "http://127.0.0.1:$((port + 1))/healthz" && break
  [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$((port + 1))/healthz" || { docker logs "$name" >&2; fail "dev did not answer /healthz"; }
[ "$(docker exec "$name" id -u)" = 10001 ] || fail "the image does not run as UID 10001"

npm install --silent --prefix "$WORK/ws" ws@8 >/dev/null 2>&1 || fail "npm install ws"
for path in /websocket /rooms/seed; do
  reply=$(NODE_PATH="$WORK/ws/node_modules" node -e '
    const ws = new (require("ws"))(process.argv[1]);
    const timer = setTimeout(() => { console.log("timeout"); process.exit(2); }, 20000);
    ws.on("open", () => ws.send("hello"));
    ws.on("message", (d) => { console.log(String(d)); process.exit(0); });
    ws.on("error", (e) => { console.log("error " + e.message); process.exit(1); });
  ' "ws://127.0.0.1:$port$path")
  case "$reply" in
    "[Durable Object] message: hello, from: "*". Total connections: 1") say "$path answered: $reply" ;;
    *) docker logs "$name" >&2; fail "$path answered '$reply'" ;;
  esac
done
say "memory of the dev container, idle: $(docker stats --no-stream --format '{{.MemUsage}}' "$name")"
docker rm -f "$name" >/dev/null

# The whole system on containers (issue 16): the chart's gateway and operator Deployments and the
# operator's owner pods run from these images by the e2e harness's container mode (DormouseCluster);
# the seed transcript, scale to zero and wake, a killed owner replaced, the owner image rolled to a
# new tag. Each container's start to Ready and memory at idle are printed at the end.
say "whole-system scenarios on the containers"
start=$(date +%s)
# -am: the e2e module's dependencies come from this build, not from a local repository (CI only ran
# verify); the selection below keeps every other module's tests from running again.
scenarios=theSeedTranscriptThroughAGatewayAndAnOwnerPod+aRoomScaledToZeroWakesOnTheNextMessageWithItsAttachmentRestored
scenarios+=+aKilledOwnerIsReplacedAndTrafficResumesWithAttachmentsIntact+theOwnerImageRolledToANewTagWhileClientsChatLosesNothing
mvn -B -o -ntp -pl e2e -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="DormouseOnKubernetesIT#$scenarios" -Dfailsafe.failIfNoSpecifiedTests=false \
  -Ddormouse.e2e.image="dormouse:$TAG" -Ddormouse.e2e.operatorImage="dormouse-operator:$TAG" \
  -Ddormouse.e2e.run="$RUN" >"$WORK/scenarios.log" 2>&1 \
  || { tail -150 "$WORK/scenarios.log" >&2; fail "the container scenarios (logs: e2e/target/e2e-logs)"; }
grep '^container ' "$WORK/scenarios.log" | sed 's/^/containers: /'
say "scenarios passed in $(( $(date +%s) - start )) s"
say "passed"
