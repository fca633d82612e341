"""A claim's and a concept's attributes as the interchange formats and diagrams carry them: scalars,
reference keys and DOIs (shared by :mod:`gutkg.export.graph_formats` and :mod:`gutkg.export.diagrams`).
"""

from __future__ import annotations

import json
from typing import Any


def flatten_value(value: Any) -> str | int | float | bool:
    r"""A scalar for formats that only hold scalars: lists joined with "; ", dicts as JSON.

    Text is shown as every output shows it (:func:`gutkg.textsafety.visible`): a control character,
    which XML cannot hold at all, is spelt ``\u001b``.

    >>> flatten_value(["a", "b\x07"]), flatten_value(2)
    ('a; b\\u0007', 2)
    """
    from gutkg.textsafety import visible

    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return visible(value, multiline=True)
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        if all(isinstance(v, str | int | float) for v in value):
            return visible("; ".join(str(v) for v in value), multiline=True)
        return visible(json.dumps(list(value), ensure_ascii=False, sort_keys=True), multiline=True)
    return visible(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str), multiline=True)


def references_of(data: dict[str, Any]) -> list[str]:
    """Reference keys cited by a claim's evidence, sorted."""
    return sorted({e["source"] for e in data.get("evidence", []) if e.get("source")})


def dois_of(data: dict[str, Any]) -> list[str]:
    """DOIs of the references cited by a claim's evidence, sorted."""
    return sorted({e["doi"] for e in data.get("evidence", []) if e.get("doi")})
