"""Check claim files against the curation standard while curating: ``gutkg validate`` on them plus the
concepts and references they need (the whole graph need not be consistent yet).

Usage: python scripts/curation_check.py graph/claims/ibd.ttl [more files]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    graph = ROOT / "graph"
    needed = [graph / "concepts", *sorted(graph.glob("references*.ttl"))]
    gutkg = Path(sys.executable).with_name("gutkg")
    cmd = [str(gutkg) if gutkg.exists() else "gutkg", "validate", *map(str, needed), *argv]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
