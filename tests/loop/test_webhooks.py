"""The loop's notices reach a gateway: real mutations on a real `gongjian serve` process
post DISPATCHED, CHASED and REOPENED to a webhook receiver on loopback, signed, with no
personal data, and nothing is lost when the receiver and the API die in between."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path
from typing import Any

import httpx

from domain.ids import derived_id
from graph.store import Store
from notices.outbox import read_after
from tests.api import tenancy_seed as seed
from tests.app.serving import Served, stop
from tests.conftest import bearer
from tests.http_server import free_port
from tests.loop.documents import ACCEPT, CALLBACK, CHASE, DISPATCH, FINISH
from tests.notices.hooks import Receiver, check_signed
from tests.notices.test_fault import kill, serve_api, wait_delivered


def call(served: Served, query: str, token: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{served.url}/graphql", json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


async def test_the_loops_notices_reach_the_gateway_across_crashes(
    store: Store, tmp_path: Path
) -> None:
    district = seed.plan(seed.DISTRICT)
    await seed.load(store, tmp_path / "district", district)
    home, beside = district.places["home"], district.places["beside"]
    admin = bearer("COUNTY_ADMIN", district.code)
    demands, units = [], []
    for p in (home, beside):
        demands.append(derived_id("Demand", p.code, f"{p.name}老年助餐"))
        units.append(derived_id("Unit", district.code, p.unit_name))
    operator = bearer("UNIT_OPERATOR", units[0], county=district.code)
    rx = Receiver(free_port(), tmp_path / "received.jsonl")
    logs = tmp_path / "logs"
    servers: list[Served] = []
    try:
        rx.start()
        servers.append(serve_api(store, logs, rx))
        api = servers[-1]
        moved = call(api, DISPATCH, admin, demandId=demands[0], unitId=units[0], note="请尽快")
        assert moved["dispatchDemand"]["stage"] == "DISPATCHED", moved

        rx.kill()  # the gateway goes down; the API keeps writing notices
        call(api, DISPATCH, admin, demandId=demands[1], unitId=units[1])
        call(api, CHASE, admin, demandId=demands[0], note="督办：已超过接单时限")
        kill(api)  # and the API dies before it could deliver them

        rx.start()
        servers.append(serve_api(store, logs, rx))
        api = servers[-1]
        for doc, field, stage in (
            (ACCEPT, "acceptDemand", "ACCEPTED"),
            (FINISH, "finishDemand", "DONE"),
        ):
            moved = call(api, doc, operator, demandId=demands[0], note="已办结")
            assert moved[field].get("stage") == stage, moved
        # 回访 is the community's: its admin records the resident's 不满意, which reopens
        community = bearer("COMMUNITY_ADMIN", home.code)
        reopened = call(api, CALLBACK, community, demandId=demands[0], rating="UNSATISFIED",
                        comment="饭菜太咸")  # fmt: skip
        assert reopened["recordCallback"]["stage"] == "DISPATCHED", reopened
        want = {("DISPATCHED", demands[0]), ("DISPATCHED", demands[1]), ("CHASED", demands[0]),
                ("REOPENED", demands[0])}  # fmt: skip
        ids = await _notice_ids(store, want)
        await wait_delivered(rx, ids)
    finally:
        for served in servers:
            with contextlib.suppress(subprocess.TimeoutExpired):
                stop(served.process)
        rx.kill()
    records = [r for r in rx.records() if r["path"] == "/gateway" and r["status"] == 200]
    check_signed(records)
    posted = {(json.loads(r["body"])["kind"], json.loads(r["body"])["demandId"]) for r in records}
    assert want <= posted
    for record in records:
        # no personal data, no free text of the resident's in what a gateway receives
        assert "饭菜太咸" not in record["body"]
        notice = json.loads(record["body"])
        if notice["demandId"] == demands[0]:
            assert notice["unitId"] == units[0] and notice["county"] == district.code


async def _notice_ids(store: Store, want: set[tuple[str, str]]) -> list[str]:
    """The outbox's ids of the wanted notices (the webhooks' idempotency keys)."""
    found = {(n.kind, n.demand_id): n.id for n in await read_after(store, 0, 1000)}
    assert want <= set(found), (want, set(found))
    return [found[key] for key in want]
