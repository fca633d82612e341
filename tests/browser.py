"""One way to start real headless Chromium for the browser tests (Debian's, driven by Playwright).

Never downloads a browser: Playwright is pointed at /usr/bin/chromium with the flags the project
requires, on a fresh user-data-dir each time.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HAVE_CHROMIUM = Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is not None
#: Skip marker for tests that need the browser.
needs_chromium = pytest.mark.skipif(
    not HAVE_CHROMIUM, reason=f"{CHROMIUM} (Debian chromium) is not installed: run scripts/setup-system.sh"
)


@contextmanager
def chromium_context(profile: str | Path | None = None, *, width: int = 1280, height: int = 800) -> Iterator[Any]:
    """A Playwright persistent context on Debian's Chromium with a fresh profile folder."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not HAVE_CHROMIUM:
        pytest.skip(f"{CHROMIUM} (Debian chromium) is not installed: run scripts/setup-system.sh")
    folder = str(profile) if profile else tempfile.mkdtemp(prefix="gutkg-chromium-")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            folder, executable_path=CHROMIUM, headless=True, args=FLAGS, viewport={"width": width, "height": height}
        )
        try:
            yield context
        finally:
            context.close()
