#!/usr/bin/env bash
# Brings every src project's PublicAPI.Unshipped.txt in line with its code after a deliberate change to
# the public surface: adds the symbols the analyzer reports as undeclared (RS0016), drops the declared
# ones that are gone (RS0017), and keeps the file sorted. Review the diff before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in src/*/*.csproj; do
  dir=$(dirname "$project")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
  # A build also reports the projects it depends on: keep this project's lines only.
  grep -F "[$PWD/$project]" "$log" >"$log.own" || true
  mv "$log.own" "$log"
  added=$(grep -oP "RS0016: Symbol '\K.+?(?=' is not part of the declared public API)" "$log" | sort -u || true)
  removed=$(grep -oP "RS0017: Symbol '\K.+?(?=' is part of the declared API)" "$log" | sort -u || true)
  [[ -z "$added" && -z "$removed" ]] && continue
  {
    head -n 1 "$unshipped"
    { tail -n +2 "$unshipped"; [[ -n "$added" ]] && printf '%s\n' "$added"; } |
      grep -vxF -f <(printf '%s\n' "$removed" | sed '/^$/d'; echo '#never-a-symbol') | LC_ALL=C sort -u
  } >"$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  echo "$unshipped: $(printf '%s' "$added" | grep -c . || true) added, $(printf '%s' "$removed" | grep -c . || true) removed"
done
