"""The one door personal data (names, phone numbers) leaves the API through.

A caller sees a value as stored only where ``access.policy`` lets it read
personal data (READ_PERSONAL): in its own scope, for its own unit. Everyone
else sees it masked (138****1234, 张*). Values are never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from access.masking import mask_name, mask_phone, personal_visible
from access.policy import Target
from access.principal import is_place_code
from resolvers.context import Context

Personal = Literal["name", "phone"]


def targets(
    codes: Sequence[str] = (), unit_id: str | None = None, unit_county: str | None = None
) -> list[Target]:
    """Where a person (or a contact) belongs: each place of theirs, and their unit."""
    found = [Target.at(code) for code in codes if is_place_code(code)]
    if unit_id is not None and unit_id.startswith("unit_"):
        county = unit_county if unit_county and is_place_code(unit_county) else None
        found.append(Target(unit=unit_id, unit_county=county))
    return found


def reveal(
    ctx: Context,
    kind: Personal,
    value: str | None,
    *,
    codes: Sequence[str] = (),
    unit_id: str | None = None,
    unit_county: str | None = None,
) -> str | None:
    """``value`` as the caller may see it: whole where any of the person's places or
    their unit is within what the caller may read personally, masked elsewhere."""
    if value is None:
        return None
    for target in targets(codes, unit_id, unit_county):
        if personal_visible(ctx.principal, target):
            return value
    return mask_name(value) if kind == "name" else mask_phone(value)
