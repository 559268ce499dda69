#!/bin/bash
# Writes a CDS archive of the classes an owner loads from its start to its first event handled
# (Application Class-Data Sharing, a JDK 13+ dynamic archive): started with
# -XX:SharedArchiveFile=ARCHIVE, an owner maps them from the archive instead of loading, verifying and
# linking them from the jar (docs/kubernetes.md, "Owner start time"). Run by gateway/Dockerfile in a
# build stage with the image's JVM; the archive is only good for that JVM and that dormouse.jar (same
# path, size and time). A throwaway Redis and a gateway (static owners) give the owner a wake's
# first event: one client's upgrade and message.
#   usage: train-owner.sh ARCHIVE [JAR] [REDIS_SERVER]
set -eu
ARCHIVE=$1
JAR=${2:-/opt/dormouse/dormouse.jar}
REDIS_SERVER=${3:-redis-server}
WORK=$(mktemp -d)
PIDS=()
trap 'kill -KILL "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

export REDIS_URL=redis://127.0.0.1:16379 DORMOUSE_BIND_ADDRESS=127.0.0.1
export DORMOUSE_LINK_SECRET=cds-training-secret-0123456789abcdef DORMOUSE_LINK_PORT=17070
"$REDIS_SERVER" --bind 127.0.0.1 --port 16379 --save '' --appendonly no >/dev/null &
PIDS+=($!)

await_ready() { # PID ADMIN_PORT
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/readyz")" = 200 ] && return 0
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  echo "train-owner: process $1 did not turn ready" >&2
  exit 1
}

sleep 1
DORMOUSE_OWNER_ID=cds-training DORMOUSE_ROOM=default/training DORMOUSE_ROOM_SPEC='{"handler":"example"}' \
DORMOUSE_ADMIN_PORT=19090 \
  java -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=error -jar "$JAR" owner &
OWNER=$!
PIDS+=($OWNER)
mkdir "$WORK/rooms"
printf 'apiVersion: dormouse.dev/v1alpha1\nkind: WebSocketRoom\nmetadata:\n  name: training\nspec:\n  handler: example\n' \
  > "$WORK/rooms/training.yaml"
DORMOUSE_OWNERS=cds-training=127.0.0.1:17070 DORMOUSE_ROOMS_DIR="$WORK/rooms" DORMOUSE_PORT=18080 \
DORMOUSE_ADMIN_PORT=19091 DORMOUSE_GATEWAY_ID=cds-training \
  java -jar "$JAR" gateway >/dev/null &
PIDS+=($!)
await_ready $OWNER 19090
await_ready "${PIDS[2]}" 19091

# One client: the upgrade, then one text frame ("hello", masked with a zero key); its reply.
exec 3<>/dev/tcp/127.0.0.1/18080
printf 'GET /rooms/training HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n' >&3
# bash reads a socket a byte at a time: the headers of the 101, and nothing of the frames after them.
while IFS= read -r -t 120 line <&3 && [ "$line" != $'\r' ]; do :; done
printf '\x81\x85\x00\x00\x00\x00hello' >&3
reply=
until [[ $reply == *"message: hello"* ]]; do
  if ! IFS= read -r -N 1 -t 120 char <&3; then
    echo "train-owner: no reply from the training room" >&2
    exit 1
  fi
  reply+=$char
done
exec 3>&-

# The gateway first, so that the owner need not wait for it to release it; then SIGTERM: the owner
# drains and exits, and the JVM writes the archive on its way out.
kill -TERM "${PIDS[2]}"
wait "${PIDS[2]}" || true
kill -TERM $OWNER
wait $OWNER || true
test -s "$ARCHIVE"
