#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster and creates a csbot test database; prints the URL to use as
# CSBOT_TEST_PG_URL. Used by .ci/run so the records store is tested against a real PostgreSQL.
set -euo pipefail
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  echo "no PostgreSQL cluster found" >&2
  exit 1
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qAtc \"select 1 from pg_roles where rolname='csbot'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role csbot login password 'csbot-test'\"" >/dev/null
su postgres -c "psql -qAtc \"select 1 from pg_database where datname='csbot_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O csbot csbot_test"
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
echo "postgresql+psycopg://csbot:csbot-test@127.0.0.1:${port}/csbot_test"
