# Sourced by .ci/run: a throwaway PostgreSQL cluster for the database tests (tests/migrations.rs),
# from Debian's `postgresql` package, no Docker. `ci_postgres_start` initdb's a cluster in a
# temporary directory (trust auth, listening on 127.0.0.1 only, fsync off), starts it, creates
# the database `noted_test`, exports NOTED_TEST_POSTGRES_URL and NOTED_REQUIRE_POSTGRES=1, and
# stops and removes it when the shell exits (trap on EXIT; INT and TERM exit through it).
# PostgreSQL refuses to run as root: as root the cluster runs as the package's `postgres` user.
# Usable alone: `source .ci/postgres.sh && ci_postgres_start`.

ci_postgres_dir=""
ci_postgres_owner=""
ci_postgres_bin=""

# Runs a command as the cluster's owner (the postgres user when we are root).
ci_postgres_as_owner() {
    if [ -n "$ci_postgres_owner" ]; then
        runuser -u "$ci_postgres_owner" -- "$@"
    else
        "$@"
    fi
}

ci_postgres_stop() {
    if [ -n "$ci_postgres_dir" ] && [ -d "$ci_postgres_dir" ]; then
        if [ -f "$ci_postgres_dir/data/postmaster.pid" ]; then
            ci_postgres_as_owner "$ci_postgres_bin/pg_ctl" -D "$ci_postgres_dir/data" \
                -m immediate -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$ci_postgres_dir"
        echo "ci: PostgreSQL stopped and removed"
    fi
    ci_postgres_dir=""
}

ci_postgres_start() {
    ci_postgres_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    if [ -z "$ci_postgres_bin" ] || [ ! -x "$ci_postgres_bin/initdb" ]; then
        echo "ci: no PostgreSQL server binaries under /usr/lib/postgresql (package postgresql)" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "ci: running as root and there is no postgres user to run PostgreSQL as" >&2
            return 1
        fi
        ci_postgres_owner=postgres
    fi
    # A free port: the first of these nothing listens on.
    local port="" p
    for p in $(seq 54329 54399); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            port=$p
            break
        fi
    done
    if [ -z "$port" ]; then
        echo "ci: no free port for PostgreSQL in 54329-54399" >&2
        return 1
    fi
    # The directory holds the cluster (data/), its logs and its socket; all removed at exit.
    # (in /tmp when it runs as postgres, which may not reach a private TMPDIR)
    local base="${TMPDIR:-/tmp}"
    if [ -n "$ci_postgres_owner" ]; then base=/tmp; fi
    ci_postgres_dir="$(mktemp -d "$base/noted-ci-pg.XXXXXX")"
    trap ci_postgres_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if [ -n "$ci_postgres_owner" ]; then
        chown "$ci_postgres_owner" "$ci_postgres_dir"
    fi
    # `noted` is the cluster's superuser; the tests make their own schemas in noted_test.
    if ! ci_postgres_as_owner "$ci_postgres_bin/initdb" -D "$ci_postgres_dir/data" -A trust \
        -U noted --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$ci_postgres_dir/initdb.log" 2>&1; then
        cat "$ci_postgres_dir/initdb.log" >&2
        return 1
    fi
    if ! ci_postgres_as_owner "$ci_postgres_bin/pg_ctl" -D "$ci_postgres_dir/data" \
        -l "$ci_postgres_dir/server.log" -w -t 60 \
        -o "-p $port -k $ci_postgres_dir -c listen_addresses=127.0.0.1 -c fsync=off" \
        start >/dev/null; then
        cat "$ci_postgres_dir/server.log" >&2
        return 1
    fi
    ci_postgres_as_owner "$ci_postgres_bin/createdb" -h 127.0.0.1 -p "$port" -U noted noted_test
    export NOTED_TEST_POSTGRES_URL="postgres://noted@127.0.0.1:$port/noted_test"
    export NOTED_REQUIRE_POSTGRES=1
    echo "ci: PostgreSQL $("$ci_postgres_bin/postgres" --version | awk '{print $3}') at $NOTED_TEST_POSTGRES_URL"
}
