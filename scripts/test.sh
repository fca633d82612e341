#!/usr/bin/env bash
# The whole test suite on a fresh machine: system packages, a virtualenv, the package, pytest.
# Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

# --- test-only JavaScript (teaching exports) ----------------------------------------------------
# cytoscape.js and mermaid read our Cytoscape JSON and Mermaid exports back in headless Chromium.
# Installed from the npm registry (pinned by assets/teaching/package-lock.json) into the git-ignored
# assets/teaching/node_modules, never into the package; skipped when the lock file is unchanged.
if command -v npm >/dev/null 2>&1; then
  lock_hash=$(sha256sum assets/teaching/package-lock.json | cut -d' ' -f1)
  stamp=assets/teaching/node_modules/.gutkg-lock-hash
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
    (cd assets/teaching && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_hash" > "$stamp"
  fi
else
  echo "gutkg: npm not found: the Cytoscape JSON and Mermaid read-back tests will be skipped" >&2
fi
# -------------------------------------------------------------------------------------------------
status=0
.venv/bin/python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "gutkg: no tests ran" >&2
  exit 1
fi
# The oldest allowed dependency versions (a second venv, about 4.5 min on 2 busy cores): not in the
# default run, to keep CI under 30 min; GUTKG_MIN_VERSIONS=1 adds it (do so when bounds change).
if [ "$status" -eq 0 ] && [ "${GUTKG_MIN_VERSIONS:-0}" = "1" ]; then
  bash scripts/test_min_versions.sh || status=$?
fi
exit "$status"
