"""Text that would mislead a reader or drive a terminal: found, named, and shown escaped.

One rule for every place text enters or leaves gutkg. ``validate`` flags it, ``add`` / ``import``
refuse it, and every text output (terminal, CSV, GraphML, GEXF, figures) shows it as the same
visible escape, so a label with an ANSI escape reads ``be\\u001b[2Jta`` everywhere and never clears a
screen.

Unsafe are the characters Unicode calls controls (Cc: ESC, BEL, NUL...), format characters (Cf:
bidirectional overrides such as U+202E, zero-width spaces and joiners, the byte-order mark U+FEFF,
soft hyphens), line and paragraph separators (Zl, Zp) and lone surrogates (Cs). Multi-line text
(definitions, descriptions) may hold line feeds and tabs; labels may not.
"""

from __future__ import annotations

import re
import unicodedata

#: The UTF-8 byte-order mark, which Turtle parsers do not accept at the start of a file.
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")
#: Unicode categories that are never shown as themselves (see the module docstring).
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
#: Controls allowed in multi-line text.
LAYOUT = frozenset("\n\t")

_SPACES = re.compile(r"\s+")


def _is_unsafe(char: str, multiline: bool) -> bool:
    if multiline and char in LAYOUT:
        return False
    return unicodedata.category(char) in UNSAFE_CATEGORIES


def unsafe_chars(text: str, *, multiline: bool = False) -> list[str]:
    """The distinct unsafe characters of ``text``, in order of first appearance.

    >>> unsafe_chars("zonulin"), unsafe_chars("\\u202enilunoz"), unsafe_chars("a\\nb", multiline=True)
    ([], ['\\u202e'], [])
    """
    if text.isprintable():  # the common case: nothing to inspect (space is printable)
        return []
    return list(dict.fromkeys(c for c in text if _is_unsafe(c, multiline)))


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character's code point and Unicode name.

    >>> describe("\\x1b"), describe("\\u200b")
    ('U+001B (control character)', 'U+200B ZERO WIDTH SPACE')
    """
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} " + (name or "(control character)")


def problem(text: str, *, multiline: bool = False) -> str:
    """A one-line description of what is unsafe in ``text``, or ``""`` if nothing is (with an
    escaped excerpt around the first such character).

    >>> problem("be\\x1bta")
    'U+001B (control character) in be\\\\u001bta'
    """
    bad = unsafe_chars(text, multiline=multiline)
    if not bad:
        return ""
    first = min(text.index(c) for c in bad)
    start = max(0, first - 40)
    excerpt = ("…" if start else "") + visible(text[start : start + 100], multiline=False)
    return ", ".join(describe(c) for c in bad) + " in " + excerpt + ("…" if start + 100 < len(text) else "")


def escape(char: str) -> str:
    r"""The visible escape of one character: ``\u001b``, ``\u202e``; two ``\uXXXX`` (a UTF-16
    surrogate pair) above U+FFFF. In JSON (and, below U+10000, in Turtle and Python) the escape
    means the very character it replaces, so escaped output stays valid there.

    >>> escape("\x1b"), escape("\U000e0041")
    ('\\u001b', '\\udb40\\udc41')
    """
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    r"""``text`` with every unsafe character replaced by its escape (clean text is returned as is).

    >>> visible("be\x1b[2Jta\x07"), visible("\u202enilunoz"), visible("a\nb", multiline=True)
    ('be\\u001b[2Jta\\u0007', '\\u202enilunoz', 'a\nb')
    """
    if text.isprintable():
        return text
    return "".join(escape(c) if _is_unsafe(c, multiline) else c for c in text)


#: The only escape sequences gutkg itself writes to a terminal: click.style's bold, dim and reset.
_OWN_STYLES = re.compile(r"(\x1b\[(?:0|1|2|22)m)")


def for_terminal(text: str) -> str:
    r"""``text`` as it may reach a terminal: line feeds, tabs, CR-LF line ends and gutkg's own
    bold/dim styles kept, every other unsafe character escaped (ANSI escapes from data included).

    >>> for_terminal("\x1b[1mzonulin\x1b[0m: be\x1b[2Jta\r\n") == "\x1b[1mzonulin\x1b[0m: be\\u001b[2Jta\r\n"
    True
    """
    if text.isprintable():
        return text
    parts = _OWN_STYLES.split(text)
    return "".join(
        part if i % 2 else "\r\n".join(visible(line, multiline=True) for line in part.split("\r\n"))
        for i, part in enumerate(parts)
    )


def label_key(text: str) -> str:
    """The form two labels are compared in: compatibility-normalised (NFKC), unsafe characters
    dropped, case-folded, runs of spaces collapsed. ``zon\\u200bulin`` and ``Zonulin`` share a key.

    >>> label_key("zon\\u200bulin") == label_key(" Zonulin ") == label_key("ｚｏｎｕｌｉｎ")
    True
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if not _is_unsafe(c, False) or c in LAYOUT)
    return _SPACES.sub(" ", text.casefold()).strip()


def checked(text: str, what: str, *, multiline: bool = False) -> str:
    """``text`` if it is safe, else a :class:`~gutkg.errors.ValidationError` naming each character.

    >>> checked("zonulin", "label")
    'zonulin'
    """
    found = problem(text, multiline=multiline)
    if found:
        from gutkg.errors import ValidationError

        raise ValidationError(
            f"{what} contains an invisible or control character ({found}): "
            "remove it (type the text again, or paste it as plain text)"
        )
    return text


__all__ = [
    "BOM",
    "BOM_BYTES",
    "checked",
    "describe",
    "escape",
    "for_terminal",
    "label_key",
    "problem",
    "unsafe_chars",
    "visible",
]
