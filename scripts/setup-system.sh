#!/usr/bin/env bash
# Install the Debian packages gutkg's tests use, when missing (needs root; CI runs as root).
# chromium: browser tests; graphviz: figures; raptor2-utils: rapper reads our exports back;
# poppler-utils: pdftoppm checks PDFs; virtuoso-opensource: a real remote triplestore.
set -euo pipefail
packages=(chromium graphviz raptor2-utils poppler-utils virtuoso-opensource)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "gutkg: missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
