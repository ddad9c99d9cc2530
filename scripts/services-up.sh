#!/usr/bin/env bash
# Start PostgreSQL and Redis when they are installed but down; fail loudly if either stays down.
set -euo pipefail
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "Starting PostgreSQL…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "ERROR: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
# The test role must be able to create the test database.
psql -h 127.0.0.1 -U postgres -tAc "select rolcreatedb or rolsuper from pg_roles where rolname='postgres'" | grep -q t \
  || { echo "ERROR: role postgres cannot create databases" >&2; exit 1; }

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Starting Redis…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG || { echo "ERROR: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "ERROR: redis-server binary missing (integration tests start their own)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "ERROR: /usr/bin/chromium missing (browser tests)" >&2; exit 1; }
echo "PostgreSQL and Redis are up."
