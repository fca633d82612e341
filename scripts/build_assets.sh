#!/usr/bin/env bash
# Build the query UI assets served by `gutkg serve` and vendor them into the package.
#
# YASGUI comes from the npm registry at the exact version pinned in assets/yasgui/package-lock.json
# (`npm ci`); the built files are copied into src/gutkg/sparql/static/ and committed, so
# `pip install` and the endpoint work with no network. Re-run after changing the pinned version.
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
