"""Optional parts of gutkg and the extra that installs each (``pip install 'gutkg[server]'``).

The core (load, query, validate, analyse, curate, export files, the explorer page) needs rdflib,
pyoxigraph, pySHACL, NetworkX and click. A few commands need more; they call :func:`require` where
the heavy import happens, so a missing package gives a clear message naming the extra, not a
traceback. :data:`EXTRAS` is the one table of which module comes from which distribution in which
extra; ``pyproject.toml`` lists the same distributions (a test checks both agree).

>>> require("server", "json")  # an importable module passes
>>> sorted(EXTRAS)
['notebook', 'server', 'teaching']
"""

from __future__ import annotations

import importlib

from gutkg.errors import GutKGError

#: extra -> {module gutkg imports: distribution that provides it}
EXTRAS: dict[str, dict[str, str]] = {
    "server": {"starlette": "starlette", "uvicorn": "uvicorn"},
    "teaching": {"pptx": "python-pptx", "cairosvg": "cairosvg"},
    "notebook": {"pyvis": "pyvis", "pandas": "pandas"},
}

#: What each extra is for, as the error message says it.
PURPOSE = {
    "server": "the SPARQL endpoint (gutkg serve)",
    "teaching": "PNG/PDF figures and PowerPoint decks",
    "notebook": "pyvis networks and DataFrames in notebooks",
}


class MissingExtraError(GutKGError):
    """A command needs a package of an extra that is not installed; the message says what to run."""


def require(extra: str, *modules: str, needed_for: str = "") -> None:
    """Import ``modules`` (default: every module of ``extra``) or raise :class:`MissingExtraError`.

    ``needed_for`` names what the user asked for ("PNG figures"); the message then says which
    extra to install and with which command.
    """
    for module in modules or tuple(EXTRAS[extra]):
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(message(extra, module, needed_for)) from None
        except OSError as exc:  # the package is there but a system library it loads is not
            raise MissingExtraError(
                f"{module} cannot load a system library it uses ({exc}), so "
                f"{needed_for or PURPOSE.get(extra, extra)} cannot be made. "
                "Install that library (for cairosvg: the cairo library, e.g. "
                "apt install libcairo2) and try again."
            ) from None


def message(extra: str, module: str, needed_for: str = "") -> str:
    """The error text for a missing ``module`` of ``extra``.

    >>> message("server", "starlette", "gutkg serve")
    "starlette is not installed (needed for gutkg serve). Install the 'server' extra: pip install 'gutkg[server]'"
    """
    dist = EXTRAS.get(extra, {}).get(module, module)
    what = needed_for or PURPOSE.get(extra, extra)
    return f"{dist} is not installed (needed for {what}). Install the {extra!r} extra: pip install 'gutkg[{extra}]'"
