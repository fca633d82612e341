#!/usr/bin/env bash
# Vendor reveal.js (from the npm registry, pinned in assets/teaching/package-lock.json) into
# src/gutkg/export/vendor/, so `gutkg export slides` inlines it and pip installs work offline.
# The vendored files are committed; rerun this after changing the pinned version.
# (cytoscape and mermaid in the same package.json are test-only: never copied into the package.)
set -euo pipefail
cd "$(dirname "$0")/.."
assets=assets/teaching
vendor=src/gutkg/export/vendor
(cd "$assets" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
dist="$assets/node_modules/reveal.js/dist"
mkdir -p "$vendor"
cp "$dist/reveal.js" "$vendor/reveal.js"
cp "$dist/reveal.css" "$vendor/reveal.css"
cp "$assets/node_modules/reveal.js/LICENSE" "$vendor/reveal.js.LICENSE"
node -p "require('./$assets/node_modules/reveal.js/package.json').version" > "$vendor/reveal.js.VERSION"
echo "vendored reveal.js $(cat "$vendor/reveal.js.VERSION") into $vendor"
