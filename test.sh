#!/usr/bin/env bash
# Runs every test project and ends with one line: "N passed, N failed, N skipped".
# Starts a throwaway PostgreSQL and a throwaway NATS server with JetStream (each installed from
# Debian's packages if missing) and stops them after.
# Usage: ./test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")"

results=$(mktemp -d)
source build/postgres.sh
source build/nats.sh
trap 'annals_postgres_stop; annals_nats_stop; rm -rf "$results"' EXIT

# The PostgreSQL tests never skip: without a server the run fails here.
if ! annals_postgres_start; then
    echo "error: could not start PostgreSQL for the tests" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# Nor does NATS (JetStream) skip: without a server the run fails here too.
if ! annals_nats_start; then
    echo "error: could not start NATS for the tests" >&2
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

# Tests that restart the PostgreSQL server run alone, after the rest, so no other test project
# (test projects run in parallel) loses its connection to them.
# A test that hangs is stopped, and named, after 10 minutes instead of holding the run.
hang=(--blame-hang-timeout 10m --blame-hang-dump-type none)
dotnet test Annals.slnx -c Release --logger trx --results-directory "$results" --filter "Category!=ServerRestart" "${hang[@]}" "$@"
status=$?
dotnet test tests/Annals.Postgres.Tests -c Release --no-build --logger trx --results-directory "$results" --filter "Category=ServerRestart" "${hang[@]}" "$@"
restart_status=$?
[ "$status" -eq 0 ] && status=$restart_status

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    value() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
    total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The build or the test host failed before any test could report.
    failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
