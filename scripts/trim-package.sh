#!/usr/bin/env bash
# Rewrites each packed tarball (dist/js/*.tgz) without the files of its bundled dependencies that never run:
# the library is CommonJS and loads its bundled dependencies with require(), so their ESM copies
# (@bufbuild/*/dist/esm), yaml's browser build, @viz-js/viz's ESM, browser-global and unbundled copies (dist/viz.cjs
# is self-contained), cel-spec's conformance testdata (cel needs only its generated
# protobuf code) and their type declarations (no .d.ts of ours refers to them) are dead weight. npm packs a
# bundled package whole, whatever its own "files" say, hence this step after `jsii-pacmak --target js`.
# The consumer check (scripts/consumer-check.sh) runs the trimmed package.
set -euo pipefail
for tgz in "$@"; do
  work=$(mktemp -d)
  tar -xzf "$tgz" -C "$work"
  nm="$work/package/node_modules"
  [ -d "$nm/@bufbuild/cel" ] || { echo "trim-package: $tgz has no bundled @bufbuild/cel; nothing trimmed"; rm -rf "$work"; continue; }
  before=$(du -sb "$work/package" | cut -f1)
  rm -rf "$nm"/@bufbuild/*/dist/esm "$nm/@bufbuild/cel-spec/dist/cjs/testdata" "$nm/yaml/browser"
  rm -rf "$nm/@viz-js/viz/lib" "$nm/@viz-js/viz/src" "$nm/@viz-js/viz/dist/viz.js" "$nm/@viz-js/viz/dist/viz-global.js"
  find "$nm" \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete
  after=$(du -sb "$work/package" | cut -f1)
  # npm's own tarball conventions: files only (no directory entries), sorted, fixed mtime, no owner, so the
  # result is reproducible.
  (cd "$work" && find package -type f | LC_ALL=C sort) \
    | tar --no-recursion --owner=0 --group=0 --numeric-owner --mtime='1985-10-26 08:15:00 UTC' -czf "$tgz.tmp" -C "$work" -T -
  mv "$tgz.tmp" "$tgz"
  rm -rf "$work"
  echo "trim-package: $(basename "$tgz"): unpacked $before -> $after bytes, packed $(stat -c %s "$tgz") bytes"
done
