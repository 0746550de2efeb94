"""The closed loop over HTTP on a real server, with the clock moved: a demand is
dispatched, accepted, becomes overdue, is chased, whistled, reported on, finished,
called back 不满意 and reopened, then 满意 and EVALUATED. Each step: who may and who may
not, its audit entry, its DemandEvent and its notice."""

from __future__ import annotations

from typing import Any

from graph.store import Store
from notices.outbox import read_after
from resolvers.loop import sweep_overdue
from tests.loop import documents as doc
from tests.loop.conftest import Clock, World


async def notices(store: Store) -> list[Any]:
    return await read_after(store, 0, 1000)


def ok(data: dict[str, Any], field: str, stage: str) -> dict[str, Any]:
    result = data[field]
    assert result["__typename"] == "Demand", result
    assert result["stage"] == stage, result
    return dict(result)


def refused(data: dict[str, Any], field: str, code: str = "FORBIDDEN") -> dict[str, Any]:
    result = data[field]
    assert result.get("code") == code, result
    return dict(result)


async def test_the_whole_loop_with_a_moving_clock(world: World, store: Store, clock: Clock) -> None:
    home, above = world.home, world.above
    demand, unit, other = home.demand, home.unit, above.unit
    admin = world.token("COMMUNITY_ADMIN")
    street = world.token("STREET_ADMIN")
    grid = world.token("GRID_WORKER")
    operator = world.token("UNIT_OPERATOR", unit)
    stranger = world.token("UNIT_OPERATOR", other)
    county = world.token("COUNTY_ADMIN")
    foreign = world.token(
        "COUNTY_ADMIN", world.banner.code
    )  # (tokens signed before the clock moves)

    # 派单: not by a unit, a grid worker, a viewer, another county's admin
    for token in (operator, grid, world.token("VIEWER"), foreign):
        refused(
            await world.call(doc.DISPATCH, token, demandId=demand, unitId=unit), "dispatchDemand"
        )
    before = clock.now()
    data = await world.call(doc.DISPATCH, admin, demandId=demand, unitId=unit, note="请尽快")
    assert ok(data, "dispatchDemand", "DISPATCHED")["overdue"] is False
    [sent] = await notices(store)
    assert (sent.kind, sent.unit_id, sent.demand_id, sent.county) == (
        "DISPATCHED",
        unit,
        demand,
        world.district.code,
    )
    payload = sent.payload
    assert set(payload) == {"demandId", "stage", "acceptDue", "finishDue"}  # no personal data
    assert payload["acceptDue"] - before >= 24 * 3_600_000  # 一般: 24 h to accept

    # 接单: by the assigned unit only
    refused(await world.call(doc.ACCEPT, stranger, demandId=demand), "acceptDemand")
    refused(await world.call(doc.ACCEPT, admin, demandId=demand), "acceptDemand")
    ok(await world.call(doc.ACCEPT, operator, demandId=demand), "acceptDemand", "ACCEPTED")
    # a wrong-stage move says where the demand is and what it allows
    wrong = refused(await world.call(doc.ACCEPT, operator, demandId=demand), "acceptDemand",
                    "ILLEGAL_TRANSITION")  # fmt: skip
    assert "ACCEPTED" in wrong["message"] and "FINISH_DEMAND" in wrong["allowed"]

    # 7 days and an hour later: overdue (finish within 7 days)
    clock.advance(7 * 24 + 1)
    data = await world.call(doc.DEMAND, admin, id=demand)
    assert data["demand"]["overdue"] is True
    assert data["demand"]["currentAssignment"]["overdue"] is True
    late = await world.call(doc.LIST, admin, filter={"overdue": True})
    assert [n["id"] for n in late["demands"]["nodes"]] == [demand]
    fine = await world.call(doc.LIST, admin, filter={"overdue": False, "scope": home.code})
    assert demand not in [n["id"] for n in fine["demands"]["nodes"]]
    # the sweep writes one OVERDUE notice, however often it runs
    assert await sweep_overdue(store) == 1
    assert await sweep_overdue(store) == 0
    assert [n.kind for n in await notices(store)] == ["DISPATCHED", "OVERDUE"]

    # 督办: street and county admins; not the community
    refused(await world.call(doc.CHASE, admin, demandId=demand), "chaseDemand")
    ok(await world.call(doc.CHASE, street, demandId=demand, note="已逾期"), "chaseDemand",
       "ACCEPTED")  # fmt: skip
    assert (await notices(store))[-1].kind == "CHASED"

    # 吹哨: the community to its street (not to the county), summoning another unit
    refused(await world.call(doc.WHISTLE, admin, demandId=demand, level="COUNTY",
                             unitIds=[other]), "whistleDemand")  # fmt: skip
    refused(await world.call(doc.WHISTLE, street, demandId=demand, level="STREET",
                             unitIds=[other]), "whistleDemand")  # fmt: skip
    ok(await world.call(doc.WHISTLE, admin, demandId=demand, level="STREET", unitIds=[other],
                        note="需要协调"), "whistleDemand", "ACCEPTED")  # fmt: skip
    whistled = (await notices(store))[-1]
    assert (whistled.kind, whistled.unit_id) == ("WHISTLED", other)
    data = await world.call(doc.DEMAND, admin, id=demand)
    [whistle] = data["demand"]["whistles"]
    assert (whistle["level"], whistle["fromCode"], whistle["toCode"]) == (
        "STREET",
        home.code,
        home.street,
    )
    assert [s["unitId"] for s in whistle["summons"]] == [other]

    # 报到: the summoned unit, once; not the assigned one
    refused(await world.call(doc.RESPOND, operator, whistleId=whistle["id"], response="到",
                             unitId=other), "respondWhistle")  # fmt: skip
    ok(await world.call(doc.RESPOND, stranger, whistleId=whistle["id"], response="已到场"),
       "respondWhistle", "ACCEPTED")  # fmt: skip
    refused(await world.call(doc.RESPOND, stranger, whistleId=whistle["id"], response="再到"),
            "respondWhistle", "CONFLICT")  # fmt: skip
    # the summoned unit reads the demand it was summoned for
    assert (await world.call(doc.DEMAND, stranger, id=demand))["demand"]["id"] == demand

    # 实施, 办结 by the unit
    ok(await world.call(doc.START, operator, demandId=demand), "startDemand", "IN_PROGRESS")
    done = ok(await world.call(doc.FINISH, operator, demandId=demand, note="已修好"),
              "finishDemand", "DONE")  # fmt: skip
    assert (done["status"], done["overdue"]) == ("RESOLVED", False)

    # 回访 不满意: by the grid worker; reopened in the same unit with the reopen limits
    refused(await world.call(doc.CALLBACK, street, demandId=demand, rating="UNSATISFIED"),
            "recordCallback")  # fmt: skip
    ok(await world.call(doc.CALLBACK, grid, demandId=demand, rating="UNSATISFIED",
                        comment="还是漏水"), "recordCallback", "DISPATCHED")  # fmt: skip
    reopened = (await notices(store))[-1]
    assert (reopened.kind, reopened.unit_id) == ("REOPENED", unit)
    data = await world.call(doc.DEMAND, admin, id=demand)
    current = data["demand"]["currentAssignment"]
    assert (current["reopened"], current["unitId"], data["demand"]["status"]) == (
        True,
        unit,
        "OPEN",
    )
    assert [a["reopened"] for a in data["demand"]["assignments"]] == [False, True]

    # again: accepted, done, 满意 -> EVALUATED
    ok(await world.call(doc.ACCEPT, operator, demandId=demand), "acceptDemand", "ACCEPTED")
    ok(await world.call(doc.FINISH, operator, demandId=demand), "finishDemand", "DONE")
    ok(await world.call(doc.CALLBACK, admin, demandId=demand, rating="SATISFIED"),
       "recordCallback", "EVALUATED")  # fmt: skip
    refused(await world.call(doc.CALLBACK, admin, demandId=demand, rating="SATISFIED"),
            "recordCallback", "ILLEGAL_TRANSITION")  # fmt: skip

    data = (await world.call(doc.DEMAND, admin, id=demand))["demand"]
    assert [e["kind"] for e in data["timeline"]] == [
        "REPORT", "DISPATCH", "ACCEPT", "CHASE", "WHISTLE", "RESPOND", "START", "DONE", "CALLBACK",
        "REOPEN", "ACCEPT", "DONE", "CALLBACK",
    ]  # fmt: skip
    assert data["timeline"][1]["note"] == "请尽快"
    assert {e["actorRole"] for e in data["timeline"][1:]} == {
        "COMMUNITY_ADMIN", "UNIT_OPERATOR", "STREET_ADMIN", "GRID_WORKER",
    }  # fmt: skip
    assert [c["rating"] for c in data["callbacks"]] == ["UNSATISFIED", "SATISFIED"]
    assert [c["byRole"] for c in data["chases"]] == ["STREET_ADMIN"]
    assert [n.kind for n in await notices(store)] == [
        "DISPATCHED",
        "OVERDUE",
        "CHASED",
        "WHISTLED",
        "REOPENED",
    ]

    # every move has its audit entry, in one unit with the write
    trail = await world.call(doc.AUDIT, county, id=demand)
    actions = [e["action"] for e in reversed(trail["auditTrail"]["entries"])]
    assert actions == [
        "DISPATCH_DEMAND", "ACCEPT_DEMAND", "CHASE_DEMAND", "WHISTLE_DEMAND", "RESPOND_WHISTLE",
        "START_DEMAND", "FINISH_DEMAND", "RECORD_CALLBACK", "ACCEPT_DEMAND", "FINISH_DEMAND",
        "RECORD_CALLBACK",
    ]  # fmt: skip

    # another county's admin sees nothing of it
    assert (await world.call(doc.DEMAND, foreign, id=demand))["demand"] is None
    listed = await world.call(doc.LIST, foreign, filter={"stages": ["EVALUATED"]})
    assert listed["demands"]["nodes"] == []
