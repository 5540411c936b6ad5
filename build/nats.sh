#!/usr/bin/env bash
# Starts a throwaway NATS server with JetStream for the tests: installed from Debian's packages
# when missing, its storage in a temporary folder, on 127.0.0.1 and a free port. Source it, then
# call annals_nats_start (exports ANNALS_NATS_URL and ANNALS_NATS_SERVER) and annals_nats_stop.

annals_nats_bin() {
    local bin
    bin=$(command -v nats-server 2>/dev/null || true)
    [ -z "$bin" ] && [ -x /usr/sbin/nats-server ] && bin=/usr/sbin/nats-server
    if [ -z "$bin" ]; then
        echo "nats-server is not installed; installing it from Debian's packages..." >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        # The package lists are refreshed only when the install fails without them.
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nats-server </dev/null >&2 \
            || { $sudo apt-get update -qq </dev/null >&2 \
                && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nats-server </dev/null >&2; } \
            || return 1
        bin=$(command -v nats-server 2>/dev/null || true)
        [ -z "$bin" ] && bin=/usr/sbin/nats-server
    fi
    [ -x "$bin" ] || return 1
    # The tests start their own servers from this path too, so it must not depend on PATH.
    bin=$(readlink -f "$bin")
    echo "$bin"
}

annals_nats_free_port() {
    local port
    for port in $(seq 54222 54322); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

annals_nats_start() {
    local bin port dir i
    # A second start replaces the first server rather than leaving it running.
    annals_nats_stop
    bin=$(annals_nats_bin) || { echo "error: nats-server could not be installed" >&2; return 1; }
    port=$(annals_nats_free_port) || { echo "error: no free port for NATS" >&2; return 1; }
    dir=$(mktemp -d /tmp/annals-nats.XXXXXX)
    "$bin" -a 127.0.0.1 -p "$port" -js -sd "$dir" -l "$dir/nats.log" </dev/null >>"$dir/nats.log" 2>&1 &
    ANNALS_NATS_PID=$!
    ANNALS_NATS_TMP="$dir"
    # Ready once it accepts connections: up to 20 seconds, unless it exits first.
    local ready=""
    for i in $(seq 1 200); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            ready=1
            break
        fi
        kill -0 "$ANNALS_NATS_PID" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$ready" ]; then
        echo "error: nats-server did not accept connections on 127.0.0.1:$port" >&2
        tail -n 20 "$dir/nats.log" >&2
        annals_nats_stop
        return 1
    fi
    export ANNALS_NATS_URL="nats://127.0.0.1:$port"
    export ANNALS_NATS_SERVER="$bin"
    echo "nats-server $("$bin" --version | sed -n 's/.* v\{0,1\}\([0-9][0-9.]*\).*/\1/p') on 127.0.0.1:$port ($dir)" >&2
}

annals_nats_stop() {
    local i
    if [ -n "${ANNALS_NATS_PID:-}" ]; then
        kill -TERM "$ANNALS_NATS_PID" 2>/dev/null
        for i in $(seq 1 100); do
            kill -0 "$ANNALS_NATS_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$ANNALS_NATS_PID" 2>/dev/null
        wait "$ANNALS_NATS_PID" 2>/dev/null
        ANNALS_NATS_PID=""
    fi
    if [ -n "${ANNALS_NATS_TMP:-}" ]; then
        rm -rf "$ANNALS_NATS_TMP"
        ANNALS_NATS_TMP=""
    fi
    return 0
}
