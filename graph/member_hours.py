"""The confirmed 双报到 hours under a scope, as typed records (the API and the CLI
export both read them here)."""

from __future__ import annotations

from typing import Any

from domain.members import HoursTotals, Member, MemberHours, Period, UnitHours
from graph.queries import members as q
from graph.store import Store


def _hours(value: Any) -> float:
    # sums of halves and quarters are exact in binary; round off anything else's noise
    return round(float(value or 0), 4)


async def totals(store: Store, scope: str, prefix: str, period: Period) -> HoursTotals:
    """Per home unit and per member: the members living where ``prefix`` starts (a
    community, street or county code prefix) and their hours confirmed in ``period``."""
    params = {"prefix": prefix, "from": period.start, "to": period.end}
    unit_rows = await store.run(q.HOURS_BY_UNIT, **params)
    member_rows = await store.run(q.HOURS_BY_MEMBER, **params)
    units = tuple(
        UnitHours(
            unitId=str(r["unitId"]),
            unitName=str(r["unitName"]),
            members=int(r["members"]),
            hours=_hours(r["hours"]),
            logs=int(r["logs"]),
        )
        for r in unit_rows
    )
    members = tuple(
        MemberHours(Member.model_validate(r["node"]), _hours(r["hours"]), int(r["logs"]))
        for r in member_rows
    )
    return HoursTotals(scope, period, units, members)


async def of_unit(store: Store, unit_id: str, period: Period) -> tuple[float, int]:
    """A unit's members' confirmed hours and logs in ``period``, wherever they live."""
    rows = await store.run(
        q.HOURS_OF_UNIT, ids=[unit_id], **{"from": period.start, "to": period.end}
    )
    if not rows:
        return 0.0, 0
    return _hours(rows[0]["hours"]), int(rows[0]["logs"])
