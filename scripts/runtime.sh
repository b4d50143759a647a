#!/usr/bin/env bash
# Prints the path of a pinned Bun, Deno or workerd binary, fetching it from the
# npm registry (the package each project publishes its Linux build in) the first time.
#   scripts/runtime.sh bun      ->  .runtimes/bun-1.4.5/bin/bun
#   scripts/runtime.sh deno     ->  .runtimes/deno-2.9.6/deno
#   scripts/runtime.sh workerd  ->  .runtimes/workerd-1.20261123.1/bin/workerd
# Binaries are kept under .runtimes/ (git-ignored) and reused; a new pin is a new folder.
set -euo pipefail
runtime="${1:?usage: runtime.sh <bun|deno|workerd>}"
root="$(cd "$(dirname "$0")/.." && pwd)/.runtimes"
arm=false
case "$(uname -m)" in aarch64 | arm64) arm=true ;; esac

# The pins: the versions the runtime suite (npm run test:runtimes) was written against.
# workerd's is the one the `workerd` package pins for its own platform packages.
case "$runtime" in
  bun)
    version=1.4.5
    package="@oven/bun-linux-$($arm && echo aarch64 || echo x64)"
    binary=bin/bun ;;
  deno)
    version=2.9.6
    package="@deno/linux-$($arm && echo arm64 || echo x64)-glibc"
    binary=deno ;;
  workerd)
    version=1.20261123.1
    package="@cloudflare/workerd-linux-$($arm && echo arm64 || echo 64)"
    binary=bin/workerd ;;
  *) echo "runtime.sh: unknown runtime '$runtime' (bun, deno or workerd)" >&2; exit 2 ;;
esac

dir="$root/$runtime-$version"
if [ ! -x "$dir/$binary" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz)
  # npm pack does not keep the executable bit of every package's binary.
  chmod +x "$tmp/package/$binary"
  mkdir -p "$root"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
fi
echo "$dir/$binary"
