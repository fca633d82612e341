#!/usr/bin/env bash
# The tests on the oldest versions pyproject.toml allows: a fresh venv with every dependency of the
# core and of the server, teaching and notebook extras installed at exactly its lower bound
# (name>=X becomes name==X), gutkg on top without its dependencies, then `pip check` and the store,
# core, query, export and API tests (not the browser, notebook or remote-server tests).
#
# Usage: bash scripts/test_min_versions.sh [VENV_DIR] [pytest args]
#   VENV_DIR defaults to a temporary folder, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${PYTHON:-python3}
venv=${1:-}
shift || true
cleanup=""
if [ -z "$venv" ]; then
  venv=$(mktemp -d "${TMPDIR:-/tmp}/gutkg-min-XXXXXX")
  cleanup=$venv
fi
trap '[ -n "$cleanup" ] && rm -rf "$cleanup"' EXIT

# name==lower-bound for every core dependency; the test tools as the test extra pins them
mapfile -t pins < <("$python" - <<'EOF'
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project["optional-dependencies"]
for dep in project["dependencies"] + extras["server"] + extras["teaching"] + extras["notebook"]:
    spec, _, marker = dep.partition(";")
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)\s*>=\s*([^,\s]+)\s*(?:,.*)?", spec)
    if not m:
        raise SystemExit(f"test_min_versions: no lower bound in {dep!r}")
    print(f"{m[1]}=={m[2]}" + (f";{marker}" if marker else ""))
for dep in extras["test"]:
    if re.split(r"[<>=!~;\[\s]", dep)[0] in {"pytest", "hypothesis"}:
        print(dep)
EOF
)
echo "gutkg: minimum versions: ${pins[*]}" >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q --only-binary :all: "${pins[@]}"
"$venv/bin/python" -m pip install -q --no-deps "$root"
"$venv/bin/python" -m pip check
"$venv/bin/python" -m pip list --format=freeze | grep -iE '^(rdflib|pyoxigraph|pyshacl|networkx|click|starlette|uvicorn|httptools|uvloop|python-pptx|cairosvg|pyvis|pandas|numpy)==' >&2

# The tests that exercise what each dependency provides: stores (pyoxigraph, rdflib), loading and
# SHACL validation (pySHACL), SPARQL, the analyses (NetworkX), the exports (NetworkX readers and
# writers, CairoSVG, python-pptx decks, pyvis networks), the Python API (pandas), the endpoint
# (starlette, uvicorn), the network cache and the packaging checks. The installed gutkg is tested (a wheel, not src/: pytest puts the
# checkout, not src/, on sys.path).
export GUTKG_CACHE="$venv/cache"
"$venv/bin/python" -c 'import gutkg, sys; sys.exit("min-versions: gutkg imported from src/" if "/src/" in gutkg.__file__ else 0)'
# Old versions warn of things that are theirs, not gutkg's: deprecations on today's transitive
# dependencies (rdflib 7.1 on pyparsing 3.3: setParseAction) and networkx 3.3's ImportWarning when
# scipy is absent. Not errors here, as warnings are in the main suite.
"$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not browser" \
  -W "ignore::DeprecationWarning" -W "ignore::ImportWarning" \
  tests/test_store_contract.py tests/test_load_and_validate.py tests/test_sparql.py \
  tests/test_analysis_explain.py tests/test_analysis_rivals_adjust_rank.py tests/test_analysis_cli.py \
  tests/test_export_formats.py tests/test_export_figure.py tests/test_export_slides.py \
  tests/test_export_html.py tests/test_api.py \
  tests/test_endpoint_server.py tests/test_netcache.py tests/test_packaging.py "$@"
