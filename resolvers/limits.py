"""How many items one mutation may carry: checked before any read-for-write, any
write and any audit entry, so a caller cannot make one request do unbounded work.

The numbers come from the settings (``GONGJIAN_MAX_*_ITEMS``, see app/settings.py and
the README's configuration table); the error says the limit and how to split.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import TooManyItems


@dataclass(frozen=True)
class MutationLimits:
    #: acceptPlan items
    plan_items: int = 200
    #: formProject uses (resources)
    project_uses: int = 50
    #: formProject demandIds
    project_demands: int = 100
    #: recordMeeting projectIds, and its demandIds (each list)
    meeting_items: int = 200
    #: offerResource scopeCodes
    scope_codes: int = 100


def check_items(field: str, count: int, limit: int) -> None:
    """Raise TooManyItems when ``count`` items exceed ``limit``.

    >>> check_items("items", 3, 5)
    >>> check_items("items", 6, 5)
    Traceback (most recent call last):
    ...
    domain.errors.TooManyItems: items 最多 5 项，收到 6 项：请拆成每批不超过 5 项分次提交 (at most 5 items per call, got 6: split them into batches of 5 or fewer)
    """
    if count > limit:
        raise TooManyItems(
            f"{field} 最多 {limit} 项，收到 {count} 项：请拆成每批不超过 {limit} 项分次提交 "
            f"(at most {limit} items per call, got {count}: split them into batches of "
            f"{limit} or fewer)",
            field=field,
            limit=limit,
            count=count,
        )
