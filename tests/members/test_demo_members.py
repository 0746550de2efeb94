"""The demo's 双报到 (graph.membergen): members with masked names and no phone, claims,
confirmed hours this month and last, per home unit, and the export opens."""

from __future__ import annotations

import base64
import io
from datetime import datetime
from typing import Any

import httpx
from openpyxl import load_workbook

from domain.clock import CHINA, now_ms
from graph import membergen
from graph.queries import loopgen
from graph.store import Store
from tests.conftest import Api, bearer
from tests.members.test_members import EXPORT, HOURS

HEJIANG = "510522"
MEMBERS = """query($code: String!, $after: String) {
  members(communityCode: $code, first: 10, after: $after) { totalCount nodes { id name phone
    homeUnit { id } claimedIds } pageInfo { hasNextPage endCursor } } }"""


def months() -> tuple[str, str]:
    at = datetime.fromtimestamp(now_ms() / 1000, tz=CHINA)
    last = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    return f"{at:%Y-%m}", f"{last[0]:04d}-{last[1]:02d}"


def call(api: Api, query: str, token: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(f"{api}/graphql", json={"query": query, "variables": variables},
                          headers={"authorization": f"Bearer {token}"}, timeout=60)  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def test_the_demo_has_member_hours_this_month_and_last(demo_api: Api) -> None:
    admin = bearer("COUNTY_ADMIN", "510522000000")
    for month in months():
        found = call(demo_api, HOURS, admin, scope=HEJIANG, month=month)["memberHours"]
        assert found["__typename"] == "MemberHoursReport", found
        print(month, "合江县 双报到", found["totalHours"], "小时,", len(found["units"]), "个单位")
        assert found["totalHours"] > 0
        assert sum(u["hours"] for u in found["units"]) == found["totalHours"]
        assert all(u["unit"]["name"] for u in found["units"])
        export = call(demo_api, EXPORT, admin, scope=HEJIANG, month=month)["memberHoursExport"]
        book = load_workbook(io.BytesIO(base64.b64decode(export["contentBase64"])))
        assert book.sheetnames == ["汇总", "明细"]
    members: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        page = call(demo_api, MEMBERS, admin, code="510522001006", after=after)["members"]
        members += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(members) == page["totalCount"] == len({m["id"] for m in members})
    assert members and all(m["name"].startswith("党员") and m["phone"] is None for m in members)
    assert any(m["claimedIds"] for m in members)


async def test_the_draw_is_deterministic(demo_store: Store) -> None:
    places = await demo_store.run(loopgen.MEMBER_PLACES, prefix=HEJIANG)
    day = 86_400_000
    one = membergen.plan(places, seed=13, now=now_ms() // day * day)
    assert one == membergen.plan(places, seed=13, now=now_ms() // day * day)
    counts = one.counts()
    assert counts["members"] >= 26 and counts["wishes"] and counts["claims"] and counts["logs"]
    for rows in one.logs.values():
        assert all(0 < r["props"]["hours"] <= 24 for r in rows)
