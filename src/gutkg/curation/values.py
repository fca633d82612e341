"""The words curators type for value sets (sign, status, strength...) and the IRIs they mean.

One table per value set, built from the names in :mod:`gutkg.vocab` plus a few common spellings,
so ``in-vivo``, ``in vivo`` and ``In_Vivo`` all mean ``gkv:InVivo``. An unknown word is an error
that lists the accepted ones; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gutkg.errors import ValidationError
from gutkg.vocab import (
    CATEGORIES,
    DIRECTIONS,
    GKV,
    MODELS,
    SIGNS,
    STANCES,
    STATUSES,
    STRENGTHS,
)


def norm(word: str) -> str:
    """Case-, space-, hyphen- and underscore-insensitive form.

    >>> norm(" No_Effect "), norm("in-vivo"), norm("cross sectional")
    ('noeffect', 'invivo', 'crosssectional')
    """
    return re.sub(r"[\s_\-]+", "", word.strip().casefold())


def _table(names: Mapping[Any, str], extra: Mapping[str, Any] | None = None) -> dict[str, str]:
    table = {norm(name): str(iri) for iri, name in names.items()}
    table.update({norm(k): str(v) for k, v in (extra or {}).items()})
    return table


#: value set -> (accepted word -> IRI, the words shown in messages)
TABLES: dict[str, tuple[dict[str, str], list[str]]] = {
    "sign": (
        _table(
            SIGNS,
            {
                "increase": GKV.Increases,
                "+": GKV.Increases,
                "decrease": GKV.Decreases,
                "-": GKV.Decreases,
                "no-effect": GKV.NoEffect,
                "none": GKV.NoEffect,
                "0": GKV.NoEffect,
            },
        ),
        ["increases", "decreases", "no-effect"],
    ),
    "status": (_table(STATUSES, {"hypothesized": GKV.Hypothesised}), [n for n in STATUSES.values()]),
    "strength": (_table({k: v[1] for k, v in STRENGTHS.items()}), [v[1] for v in STRENGTHS.values()]),
    "model": (
        _table(MODELS, {"synthesis": GKV.Synthesis, "review": GKV.Synthesis}),
        ["in-vivo", "ex-vivo", "in-vitro", "synthesis"],
    ),
    "direction": (
        _table(
            DIRECTIONS,
            {
                "rct": GKV.ControlledHumanIntervention,
                "randomised": GKV.ControlledHumanIntervention,
                "interventional": GKV.Interventional,
                "knockout": GKV.Interventional,
                "prospective": GKV.ProspectiveCohort,
                "mendelian randomization": GKV.MendelianRandomisation,
                "mr": GKV.MendelianRandomisation,
                "transfer": GKV.CommunityTransfer,
                "germ-free": GKV.CommunityTransfer,
                "temporal": GKV.Temporal,
                "familial": GKV.FamilialAggregation,
                "case-control": GKV.CrossSectional,
                "review": GKV.Unspecified,
            },
        ),
        list(DIRECTIONS.values()),
    ),
    "stance": (
        _table(STANCES, {"support": GKV.Supports, "oppose": GKV.Opposes, "against": GKV.Opposes, "for": GKV.Supports}),
        list(STANCES.values()),
    ),
    "category": (_table(CATEGORIES, {str(k).rsplit("#", 1)[-1]: k for k in CATEGORIES}), list(CATEGORIES.values())),
}


def iri_for(kind: str, word: str) -> str:
    """The IRI a curator's word means in value set ``kind``.

    >>> iri_for("model", "In-Vitro")
    'https://w3id.org/gutkg/vocab#InVitro'
    >>> iri_for("strength", "high")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    gutkg.errors.ValidationError: unknown strength 'high': use one of minimal, weak, moderate, strong
    """
    table, shown = TABLES[kind]
    key = norm(word.removeprefix("gkv:"))
    if key not in table:
        raise ValidationError(f"unknown {kind} {word!r}: use one of " + ", ".join(shown))
    return table[key]


def sign_slug(sign_iri: str) -> str:
    """The sign's spelling inside claim ids: ``increases``, ``decreases`` or ``no_effect``.

    >>> sign_slug(str(GKV.NoEffect))
    'no_effect'
    """
    return {str(GKV.Increases): "increases", str(GKV.Decreases): "decreases", str(GKV.NoEffect): "no_effect"}[sign_iri]


def strength_rank(iri: str) -> int:
    """The rank (1-4) of a strength IRI on the ordered scale."""
    return {str(k): v[0] for k, v in STRENGTHS.items()}[iri]


def category_name(class_iri: str) -> str:
    """The short category name (``disease``) for a category class IRI."""
    return {str(k): v for k, v in CATEGORIES.items()}[class_iri]


def boolean(word: str, what: str) -> bool:
    """``yes/no/true/false/1/0`` (empty is false).

    >>> boolean("Yes", "zonulin"), boolean("", "zonulin")
    (True, False)
    """
    key = norm(word)
    if key in {"yes", "true", "1", "y"}:
        return True
    if key in {"", "no", "false", "0", "n"}:
        return False
    raise ValidationError(f"{what} must be yes or no, not {word!r}")


def text(value: str, what: str, *, one_line: bool = True, required: bool = True) -> str:
    """A cleaned text value: stripped, one line for labels, no control, bidirectional or invisible
    characters (:mod:`gutkg.textsafety`).

    Text is stored as RDF literals, never interpreted: ``<b>`` stays the four characters ``<b>``.

    >>> text("  tight  junction ", "label")
    'tight  junction'
    """
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{what} is empty: give a value")
    if one_line and ("\n" in value or "\r" in value):
        raise ValidationError(f"{what} must be one line: {value!r}")
    from gutkg.textsafety import checked

    return checked(value, what, multiline=not one_line)  # the rule validate applies


#: Local names of concepts and topics: lower-case words joined by underscores.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")


def slug(label: str) -> str:
    """A concept id derived from a label.

    >>> slug("Crohn's disease"), slug("IL-1β"), slug("<b>Café</b> label")
    ('crohns_disease', 'il_1beta', 'b_cafe_b_label')
    """
    import unicodedata

    s = label.casefold().replace("'", "").replace("’", "")
    s = "".join(_GREEK.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "_", s)
    return s.strip("_")


_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "μ": "mu"}
