#!/usr/bin/env bash
# Build the query UI assets served by `gutkg serve` and the explorer's vis-network, and vendor
# them into the package.
#
# YASGUI comes from the npm registry at the exact version pinned in assets/yasgui/package-lock.json
# (`npm ci`); the built files are copied into src/gutkg/sparql/static/ and committed, so
# `pip install` and the endpoint work with no network. vis-network comes the same way from
# assets/vis-network/package-lock.json: its standalone build (which bundles its peer dependencies)
# goes to src/gutkg/export/vendor/ with its licence and version, inlined by `gutkg export html`.
# Re-run after changing a pinned version.
# Usage: bash scripts/build_assets.sh
set -euo pipefail
cd "$(dirname "$0")/.."
src=assets/yasgui
out=src/gutkg/sparql/static
command -v npm >/dev/null || { echo "build_assets: npm is needed (apt-get install npm)" >&2; exit 1; }
(cd "$src" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
build="$src/node_modules/@zazuko/yasgui/build"
mkdir -p "$out"
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$out/"
# The bundle's CORS error message links to MDN; keep the text but drop the link, so the shipped
# page names no external URL at all (nothing else in it points off the machine).
sed -i 's#<a target="_blank" rel="noopener noreferrer" href="https://developer.mozilla.org/en-US/docs/Web/Security/Same-origin_policy">\([^<]*\)</a>#\1#g' "$out/yasgui.min.js"
# Licences of everything bundled into yasgui.min.js, from each package's own metadata.
node - "$src" > "$out/THIRD_PARTY_LICENSES.md" <<'JS'
const fs = require("fs"), path = require("path");
const root = path.join(process.argv[2], "node_modules");
const lock = JSON.parse(fs.readFileSync(path.join(process.argv[2], "package-lock.json"), "utf8"));
const rows = [];
for (const [key, meta] of Object.entries(lock.packages)) {
  if (!key.startsWith("node_modules/")) continue;
  const name = key.slice("node_modules/".length);
  let license = meta.license || "", author = "";
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, name, "package.json"), "utf8"));
    license = license || (typeof pkg.license === "string" ? pkg.license : (pkg.license || {}).type || "");
    author = typeof pkg.author === "string" ? pkg.author : (pkg.author || {}).name || "";
  } catch (e) {}
  rows.push(`| ${name} | ${meta.version} | ${license} | ${author.replace(/\|/g, "/")} |`);
}
rows.sort();
console.log("# Third-party code in yasgui.min.js / yasgui.min.css\n");
console.log("Built by scripts/build_assets.sh from the npm packages pinned in assets/yasgui/package-lock.json.\n");
console.log("| package | version | licence | author |\n|---|---|---|---|");
console.log(rows.join("\n"));
JS
echo "build_assets: wrote $out/yasgui.min.js, yasgui.min.css, THIRD_PARTY_LICENSES.md"

vis=assets/vis-network
vendor=src/gutkg/export/vendor
(cd "$vis" && npm ci --no-audit --no-fund --ignore-scripts --legacy-peer-deps --loglevel=error)
pkg="$vis/node_modules/vis-network"
mkdir -p "$vendor"
cp "$pkg/standalone/umd/vis-network.min.js" "$vendor/vis-network.min.js"
# the source-map comment would name a file that is not shipped
sed -i '/^\/\/# sourceMappingURL=/d' "$vendor/vis-network.min.js"
node -e 'process.stdout.write(require(process.argv[1]).version + "\n")' "$(pwd)/$pkg/package.json" \
  > "$vendor/vis-network.VERSION"
{ echo "vis-network $(cat "$vendor/vis-network.VERSION") is dual licensed under Apache-2.0 OR MIT"
  echo "(you may use it under either). Both texts follow, from the npm package."
  echo; cat "$pkg/LICENSE-MIT"; echo; echo "----"; echo; cat "$pkg/LICENSE-APACHE-2.0"; } \
  > "$vendor/vis-network.LICENSE"
echo "build_assets: wrote $vendor/vis-network.min.js, vis-network.LICENSE, vis-network.VERSION"
