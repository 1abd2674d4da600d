#!/usr/bin/env bash
# Restarts the web nodes of deploy/compose.yaml one after the other (a new image after `docker compose
# build` or `pull`, a changed .env) without failing a request: each node is taken out of nginx's upstream
# first, and put back once it answers /readyz. The worker is restarted last. See docs/deployment.md.
#   cd deploy && ./rolling-restart.sh            # COMPOSE="podman-compose" ./rolling-restart.sh
set -euo pipefail
cd "$(dirname "$0")"
COMPOSE="${COMPOSE:-docker compose}"

# nginx.conf is mounted as a single file: it is rewritten in place (same inode), never replaced.
mark() { # mark <web1|web2> <down|up>
  local conf
  conf="$(cat nginx.conf)"
  if [ "$2" = down ]; then
    conf="$(sed "s/server $1:3000 \(.*\);/server $1:3000 \1 down;/" <<< "$conf")"
  else
    conf="$(sed "s/server $1:3000 \(.*\) down;/server $1:3000 \1;/" <<< "$conf")"
  fi
  printf '%s\n' "$conf" > nginx.conf
  $COMPOSE exec -T nginx nginx -s reload
  sleep 2   # old nginx workers finish the requests they hold on the node
}

for node in web1 web2; do
  echo "Restarting $node"
  mark "$node" down
  $COMPOSE up -d --no-deps --force-recreate --wait "$node"
  mark "$node" up
done
echo "Restarting worker"
$COMPOSE up -d --no-deps --force-recreate worker
