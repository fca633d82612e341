"""How results find their renderers without importing them: a small registry (HTML and text).

Results (:mod:`gutkg.analysis`, :class:`gutkg.cards.Card`, :class:`gutkg.store.QueryResult`) know
nothing of HTML. A renderer module imports the result types and registers a function per type::

    @renders(PathResult)
    def paths_html(result: PathResult) -> str: ...

A result's ``_repr_html_`` asks :func:`html` for its card, and its ``text()`` asks :func:`text`
for its text form (registered with :func:`renders_text`). The dependency runs one way: renderers →
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

#: Modules that register renderers, imported the first time a card or a text form is asked for.
RENDERERS = ("gutkg.html_cards", "gutkg.analysis.text", "gutkg.analysis.explain_text", "gutkg.analysis.rivals_text")

_REGISTRY: dict[type, Callable[[Any], str]] = {}
_TEXT: dict[type, Callable[..., str]] = {}
_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        import importlib

        _loaded = True
        for name in RENDERERS:
            importlib.import_module(name)


def renders_text(cls: type) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register the decorated function as the text form of ``cls`` (and its subclasses); it takes
    the result and the keyword options of the result's ``text()`` (``details=...``)."""

    def register(func: Callable[..., str]) -> Callable[..., str]:
        _TEXT[cls] = func
        return func

    return register


def text(obj: Any, **options: Any) -> str:
    """``obj``'s text form, drawn by the renderer registered for its type (:class:`LookupError` if none)."""
    _load()
    for cls in type(obj).__mro__:
        if cls in _TEXT:
            return _TEXT[cls](obj, **options)
    raise LookupError(f"no text renderer is registered for {type(obj).__name__}")


def renders(cls: type) -> Callable[[Callable[[T], str]], Callable[[T], str]]:
    """Register the decorated function as the HTML card of ``cls`` (and its subclasses)."""

    def register(func: Callable[[T], str]) -> Callable[[T], str]:
        _REGISTRY[cls] = func
        return func

    return register


def html(obj: Any) -> str:
    """``obj``'s HTML card: its registered renderer, else its text form in an escaped ``<pre>``."""
    _load()
    for cls in type(obj).__mro__:
        if cls in _REGISTRY:
            return _REGISTRY[cls](obj)
    return pre(obj.text() if hasattr(obj, "text") else str(obj))


def pre(text: str) -> str:
    """Plain text, escaped, as a wrapped ``<pre>``."""
    return "<pre style='white-space:pre-wrap;font-size:90%'>" + _html.escape(text) + "</pre>"
