#!/usr/bin/env bash
# Synthesize every example with cdk8s-cli, from its own folder, into examples/<name>/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
status=0
for dir in examples/*/; do
  [ -f "$dir/cdk8s.yaml" ] || continue
  name=$(basename "$dir")
  rm -rf "$dir/dist"
  if (cd "$dir" && "$root/node_modules/.bin/cdk8s" synth --no-check-upgrade > "$root/.tmp-synth-$name.log" 2>&1); then
    echo "examples/$name: $(ls "$dir/dist" | wc -l) file(s) in examples/$name/dist"
  else
    echo "examples/$name: synth FAILED"; cat "$root/.tmp-synth-$name.log"; status=1
  fi
  rm -f "$root/.tmp-synth-$name.log"
done
exit $status
