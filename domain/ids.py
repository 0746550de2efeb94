"""Stable identifiers.

Places use the national statistical division code, padded to 12 digits
(county 510522 -> ``510522000000``). Everything else gets an id derived from
its natural key, so loading the same data twice never creates a second node.
"""

from __future__ import annotations

import re
import unicodedata
import uuid

_NAMESPACE = uuid.UUID("6f0c3a52-8f4e-5c1d-9a57-67a6f1d0c0de")
_CODE = re.compile(r"[0-9]{12}")

#: id prefix for each label whose ids are derived from natural keys
PREFIXES: dict[str, str] = {
    "Compound": "cmp",
    "Building": "bld",
    "Grid": "grd",
    "PartyOrganization": "org",
    "Unit": "unit",
    "Person": "per",
    "Role": "role",
    "Resource": "res",
    "Demand": "dem",
    "Project": "prj",
    "Agreement": "agr",
    "Meeting": "mtg",
    "Evaluation": "evl",
    "Alliance": "all",
    "Member": "mem",
    "Wish": "wsh",
    "ServiceLog": "svc",
}
LABEL_OF_PREFIX = {prefix: label for label, prefix in PREFIXES.items()}


def normalize_key(text: str) -> str:
    """NFKC, no white space: the form a natural key is compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def derived_id(label: str, *natural_key: str) -> str:
    """A stable id from a label and its natural key.

    >>> derived_id("Unit", "510522000000", "合江县 住建局") == derived_id("Unit", "510522000000", "合江县住建局")
    True
    """
    prefix = PREFIXES[label]
    key = "|".join([label, *(normalize_key(part) for part in natural_key)])
    return f"{prefix}_{uuid.uuid5(_NAMESPACE, key).hex[:20]}"


def is_division_code(value: str) -> bool:
    return bool(_CODE.fullmatch(value))


def division_level(code: str) -> str:
    """``County``, ``Street`` or ``Community`` for a 12-digit code.

    >>> division_level("510522001006"), division_level("510522001000"), division_level("510522000000")
    ('Community', 'Street', 'County')
    """
    if not is_division_code(code):
        raise ValueError(f"not a 12-digit division code: {code!r}")
    if code[6:] == "000000":
        return "County"
    if code[9:] == "000":
        return "Street"
    return "Community"


def pad_division_code(code: str) -> str:
    """Pad a 6-, 9- or 12-digit code to 12 digits.

    >>> pad_division_code("510522001")
    '510522001000'
    """
    digits = unicodedata.normalize("NFKC", code).strip()
    if not digits.isdigit() or len(digits) not in (6, 9, 12):
        raise ValueError(f"区划代码应为 6、9 或 12 位数字，收到 {code!r}")
    return digits.ljust(12, "0")


def label_of_id(node_id: str) -> str | None:
    """The label an id belongs to, or None when it is not one of ours."""
    if is_division_code(node_id):
        return division_level(node_id)
    prefix, _, _ = node_id.partition("_")
    return LABEL_OF_PREFIX.get(prefix)


def ancestor_codes(code: str) -> tuple[str, ...]:
    """The county, street and community codes a place code lies in (itself included).

    >>> ancestor_codes("510522001006")
    ('510522000000', '510522001000', '510522001006')
    >>> ancestor_codes("510522001000")
    ('510522000000', '510522001000')
    """
    level = division_level(code)
    chain = [code[:6].ljust(12, "0")]
    if level in ("Street", "Community"):
        chain.append(code[:9].ljust(12, "0"))
    if level == "Community":
        chain.append(code)
    return tuple(chain)
