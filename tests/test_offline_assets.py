"""Shipped pages and assets load nothing from the network: no external src= or href= at all."""

from __future__ import annotations

import re
from pathlib import Path

import gutkg

PACKAGE = Path(gutkg.__file__).parent
#: Link targets a page may build at run time for a reader to click (never loaded by the page).
ALLOWED = re.compile(
    r"https?://(doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|purl\.obolibrary\.org|"
    r"id\.nlm\.nih\.gov|identifiers\.org|purl\.uniprot\.org|w3id\.org)/"
)
ATTR = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""", re.I)


def shipped_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in {".html", ".js", ".css", ".j2", ".tmpl"}]


def test_shipped_assets_exist():
    names = {p.name for p in shipped_files()}
    assert "yasgui.min.js" in names
    assert any(n.startswith("vis-network") or n.endswith(".js") for n in names)


def test_no_shipped_file_points_off_the_machine():
    offenders = []
    for path in shipped_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(PACKAGE)}: {url}" for url in ATTR.findall(text) if not ALLOWED.match(url)]
    assert not offenders, "external URLs in shipped files (they break offline use):\n" + "\n".join(offenders[:20])
