"""How results find their renderers without importing them: a small registry.

Results (:mod:`gutkg.analysis`, :class:`gutkg.cards.Card`, :class:`gutkg.store.QueryResult`) know
nothing of HTML. A renderer module imports the result types and registers a function per type::

    @renders(PathResult)
    def paths_html(result: PathResult) -> str: ...

A result's ``_repr_html_`` asks :func:`html` for its card. The dependency runs one way: renderers →
results; results → this registry, which names its renderer modules (:data:`RENDERERS`) and imports
them on first use, never the reverse.

>>> class Thing:
...     def text(self) -> str:
...         return "a <b> & c"
>>> html(Thing())  # no renderer registered: the text form, escaped
"<pre style='white-space:pre-wrap;font-size:90%'>a &lt;b&gt; &amp; c</pre>"
"""

from __future__ import annotations

import html as _html
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: Modules that register renderers, imported the first time a card is asked for.
RENDERERS = ("gutkg.html_cards",)

_REGISTRY: dict[type, Callable[[Any], str]] = {}
_loaded = False


def renders(cls: type) -> Callable[[Callable[[T], str]], Callable[[T], str]]:
    """Register the decorated function as the HTML card of ``cls`` (and its subclasses)."""

    def register(func: Callable[[T], str]) -> Callable[[T], str]:
        _REGISTRY[cls] = func
        return func

    return register


def html(obj: Any) -> str:
    """``obj``'s HTML card: its registered renderer, else its text form in an escaped ``<pre>``."""
    global _loaded
    if not _loaded:
        import importlib

        _loaded = True
        for name in RENDERERS:
            importlib.import_module(name)
    for cls in type(obj).__mro__:
        if cls in _REGISTRY:
            return _REGISTRY[cls](obj)
    return pre(obj.text() if hasattr(obj, "text") else str(obj))


def pre(text: str) -> str:
    """Plain text, escaped, as a wrapped ``<pre>``."""
    return "<pre style='white-space:pre-wrap;font-size:90%'>" + _html.escape(text) + "</pre>"
