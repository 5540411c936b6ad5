#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: installed from Debian's packages when
# missing, in a temporary folder, on 127.0.0.1 and a free port. Source it, then call
# annals_postgres_start (exports ANNALS_POSTGRES and friends) and annals_postgres_stop.

annals_postgres_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "PostgreSQL is not installed; installing it from Debian's packages..." >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2 || return 1
        bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    [ -x "$bin/initdb" ] || return 1
    echo "$bin"
}

annals_free_port() {
    local port
    for port in $(seq 55432 55532); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

annals_postgres_start() {
    local bin port data user
    bin=$(annals_postgres_bin) || { echo "error: PostgreSQL could not be installed" >&2; return 1; }
    port=$(annals_free_port) || { echo "error: no free port for PostgreSQL" >&2; return 1; }
    data=$(mktemp -d /tmp/annals-pg.XXXXXX)
    user=$(id -un)
    # initdb refuses to run as root; the packages' postgres user owns the cluster then.
    if [ "$(id -u)" -eq 0 ]; then
        user=postgres
        chown "$user" "$data"
    fi
    local as=()
    [ "$user" != "$(id -un)" ] && as=(runuser -u "$user" --)
    "${as[@]}" "$bin/initdb" -D "$data/cluster" -U postgres -A trust -E UTF8 --no-instructions >/dev/null || return 1
    "${as[@]}" "$bin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c max_connections=300 -c fsync=on" \
        start >/dev/null || { cat "$data/server.log" >&2; return 1; }
    export ANNALS_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    export ANNALS_POSTGRES_BIN="$bin"
    export ANNALS_POSTGRES_DATA="$data/cluster"
    export ANNALS_POSTGRES_OS_USER="$user"
    ANNALS_POSTGRES_TMP="$data"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($data)" >&2
}

annals_postgres_stop() {
    [ -n "${ANNALS_POSTGRES_TMP:-}" ] || return 0
    local as=()
    [ "$ANNALS_POSTGRES_OS_USER" != "$(id -un)" ] && as=(runuser -u "$ANNALS_POSTGRES_OS_USER" --)
    "${as[@]}" "$ANNALS_POSTGRES_BIN/pg_ctl" -D "$ANNALS_POSTGRES_DATA" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$ANNALS_POSTGRES_TMP"
    ANNALS_POSTGRES_TMP=""
}
