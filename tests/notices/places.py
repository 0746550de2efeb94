"""Generated places and units for notice tests (two counties of two cities, none the demo's)."""

from __future__ import annotations

from typing import Any

from graph.store import Store
from notices.outbox import append

#: county A (纳溪区) with two streets; county B elsewhere
COUNTY_A, STREET_A1, STREET_A2 = "510503000000", "510503001000", "510503002000"
COMMUNITY_A1, COMMUNITY_A2 = "510503001004", "510503002007"
COUNTY_B, STREET_B, COMMUNITY_B = "420106000000", "420106003000", "420106003011"
UNIT_A1, UNIT_A2, UNIT_B = "unit_tst_a1", "unit_tst_a2", "unit_tst_b"

WHERE: dict[str, tuple[str, str, str, str]] = {
    # unit -> its notices' county, street, community, and the demand id prefix
    UNIT_A1: (COUNTY_A, STREET_A1, COMMUNITY_A1, "dem_a1"),
    UNIT_A2: (COUNTY_A, STREET_A2, COMMUNITY_A2, "dem_a2"),
    UNIT_B: (COUNTY_B, STREET_B, COMMUNITY_B, "dem_b"),
}


async def notify(store: Store, unit: str, n: int, kind: str = "DISPATCHED", **extra: Any) -> str:
    """Append notice number ``n`` for ``unit`` (a dispatch of demand dem_…_n); its id."""
    county, street, community, demand = WHERE[unit]
    notice_id, _ = await append(
        store, kind, at=1_700_000_000_000 + n, demand_id=f"{demand}_{n}", unit_id=unit,
        county=county, street=street, community=community,
        payload={"title": f"需求 {n}", "n": n, **extra},
    )  # fmt: skip
    return notice_id
