"""A progress bar for long work (loading, pushing, benchmarking): on a terminal only.

A bar with counts and rate is drawn on stderr when stderr is a terminal, redrawn at most ten
times a second; piped or redirected output stays quiet (scripts and logs get no carriage-return
noise), and ``GUTKG_PROGRESS=0`` silences it everywhere. No dependency: a dozen lines beat
pulling in a rendering library for one line of text.

>>> import io
>>> with Progress(1000, "pushing", stream=io.StringIO()) as bar:  # not a terminal: silent
...     bar.advance(400)
>>> bar.done
400
>>> human(1234567)
'1.2M'
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


def human(n: float) -> str:
    """A short count: 950, 12.3k, 4.5M."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n:.0f}"


class Progress:
    """``with Progress(total, label, unit=...) as bar: bar.advance(n)``.

    ``total`` may be None (unknown): the bar then shows the count and rate only. ``scale``
    converts what :meth:`advance` receives into displayed units (e.g. bytes sent to triples).
    """

    def __init__(
        self,
        total: int | None,
        label: str,
        *,
        unit: str = "triples",
        stream: TextIO | None = None,
        enabled: bool | None = None,
        scale: float = 1.0,
    ) -> None:
        self.total, self.label, self.unit, self.scale = total, label, unit, scale
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = os.environ.get("GUTKG_PROGRESS", "1") != "0" and _isatty(self.stream)
        self.enabled = enabled
        self.done = 0
        self._start = self._last = time.perf_counter()

    def __enter__(self) -> Progress:
        self._start = self._last = time.perf_counter()
        return self

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and now - self._last >= 0.1:
            self._last = now
            self._draw(now)

    def _draw(self, now: float, end: str = "") -> None:
        count = self.done * self.scale
        rate = count / max(now - self._start, 1e-9)
        if self.total:
            frac = min(count / self.total, 1.0)
            bar = "#" * int(frac * 24)
            text = (
                f"{self.label} [{bar:<24}] {frac:4.0%} {human(count)}/{human(self.total)} {self.unit}, {human(rate)}/s"
            )
        else:
            text = f"{self.label} {human(count)} {self.unit}, {human(rate)}/s"
        self.stream.write("\r" + text.ljust(78) + end)
        self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            if exc[0] is None and self.total:
                self.done = max(self.done, int(self.total / self.scale))
            self._draw(time.perf_counter(), end="\n")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
