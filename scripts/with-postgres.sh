#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 server:
#
#     scripts/with-postgres.sh make pytest
#
# Installs PostgreSQL with apt-get if its binaries are missing (root only), initialises a cluster in a
# temporary directory, starts it on 127.0.0.1 (port 55432, or the next free one), creates a role with
# CREATEDB (pytest-django creates test_<name>) and a database, exports
# DATABASE_URL=postgres://USER:PASS@127.0.0.1:PORT/zhaoshang, runs the command, stops the server and
# removes the directory. Exits with the command's exit code; exits 1 loudly if PostgreSQL cannot start.
#
# initdb and postgres refuse to run as root: as root the server runs as the `postgres` user.
# Environment: PG_VERSION (15), PG_PORT (55432), PG_DB (zhaoshang), PG_USER (zhaoshang).
set -euo pipefail

PG_VERSION=${PG_VERSION:-15}
PG_PORT=${PG_PORT:-55432}
PG_DB=${PG_DB:-zhaoshang}
PG_USER=${PG_USER:-zhaoshang}

say() { echo "with-postgres: $*" >&2; }
die() {
    say "ERROR: $*"
    exit 1
}

[ $# -gt 0 ] || die "usage: $0 CMD [ARG...]"

find_bindir() {
    local dir
    for dir in "/usr/lib/postgresql/$PG_VERSION/bin" /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL server binaries not found and not root: install postgresql-$PG_VERSION"
    say "installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends postgresql </dev/null
    BINDIR=$(find_bindir) || die "PostgreSQL installed but no initdb under /usr/lib/postgresql/*/bin"
fi
say "using $("$BINDIR/postgres" --version) from $BINDIR"

# As root, run the server's programs as `postgres`; otherwise as ourselves.
if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as (initdb refuses root)"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/zhaoshang-pg.XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PGTMP"; fi
PGDATA_DIR=$PGTMP/data
PGLOG=$PGTMP/postgres.log
SERVER_STARTED=

cleanup() {
    local rc=$?
    if [ -n "$SERVER_STARTED" ]; then
        as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || say "warning: pg_ctl stop failed"
    fi
    rm -rf "$PGTMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_log() {
    if [ -f "$PGLOG" ]; then
        say "server log:"
        tail -n 40 "$PGLOG" >&2 || true
    fi
}

# A port nobody listens on (bash's /dev/tcp connects if something does).
port=$PG_PORT
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    [ "$port" -lt $((PG_PORT + 100)) ] || die "no free port in $PG_PORT..$((PG_PORT + 99))"
done

as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$PGTMP/initdb.log" 2>&1 \
    || {
        cat "$PGTMP/initdb.log" >&2
        die "initdb failed"
    }

# Speed over durability: the cluster is thrown away afterwards.
if ! as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGLOG" -w -t 60 -o \
    "-p $port -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    show_log
    die "PostgreSQL did not start"
fi
SERVER_STARTED=1

ready=
for _ in $(seq 1 60); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ -z "$ready" ]; then
    show_log
    die "PostgreSQL is not accepting connections on 127.0.0.1:$port after 30 s"
fi

password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
as_pg "$BINDIR/psql" -X -q -h "$PGTMP" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" \
    || die "could not create role and database"

export DATABASE_URL="postgres://$PG_USER:$password@127.0.0.1:$port/$PG_DB"
say "PostgreSQL ready on 127.0.0.1:$port, database $PG_DB; running: $*"

set +e
"$@"
rc=$?
set -e
say "command exited with $rc; stopping PostgreSQL"
exit "$rc"
