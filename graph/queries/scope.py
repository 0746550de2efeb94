"""Scope by division code: a place is inside another when its code starts with the
other's prefix (county: 6 digits, street: 9, community: all 12).

``PREFIX_OF`` is the Cypher expression for a code variable's prefix.
"""

from __future__ import annotations


def prefix_of(code: str) -> str:
    """Cypher: the scope prefix of the code held in the variable ``code``."""
    return (
        f"CASE WHEN substring({code}, 6) = '000000' THEN substring({code}, 0, 6) "
        f"WHEN substring({code}, 9) = '000' THEN substring({code}, 0, 9) ELSE {code} END"
    )


def scope_prefix(code: str | None) -> str:
    """The prefix of a 12-digit code in Python; '' (everything) for None."""
    if not code:
        return ""
    if code[4:] == "00000000" and code[2:4] != "00":  # a prefecture-level city
        return code[:4]
    if code[6:] == "000000":
        return code[:6]
    if code[9:] == "000":
        return code[:9]
    return code


def in_roots(code: str) -> str:
    """Cypher: the place code ``code`` lies in the caller's read scope (``$roots``: code
    prefixes, null for everything; see ``resolvers.reader``)."""
    return f"($roots IS NULL OR any(root IN $roots WHERE {code} STARTS WITH root))"


def personal_text(personal: str, *fields: str) -> str:
    """Cypher: the ``$text`` filter over free-text ``fields``. A text with digits (a
    phone, an ID card: masked outside the personal scope) matches only where
    ``personal`` holds, so no one can find a hidden number by trying digits."""
    matches = " OR ".join(f"{f} CONTAINS $text" for f in fields)
    return f"($text IS NULL OR ((NOT $textDigits OR {personal}) AND ({matches})))"
