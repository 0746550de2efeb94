"""A Writer's rest steps write only when its first step did: each is guarded by the
unit's audit entry (``graph.guarded``), so a notice exists if and only if its write does."""

from __future__ import annotations

from graph.audited import audited
from graph.guarded import guarded
from graph.queries import loop as q
from graph.store import Store
from notices.outbox import append_step, read_after


async def test_a_rest_step_writes_nothing_when_the_first_matched_nothing(store: Store) -> None:
    stmt, params = append_step("DISPATCHED", at=1, demand_id="dem_x", unit_id="unit_x")
    first = audited(q.MOVE)
    nothing = {
        "id": "dem_missing", "assignmentId": "asg_missing", "fromStage": "DISPATCHED",
        "toStage": "ACCEPTED", "status": None, "now": 1, "assignment": {"acceptedAt": 1},
        "eventId": "evt_x", "event": {"kind": "ACCEPT"},
        "auditId": "aud_x", "audit": {"action": "ACCEPT_DEMAND"}, "auditAt": 1,
    }  # fmt: skip
    results = await store.run_atomic(
        [(first, nothing), (guarded(stmt), {**params, "auditId": "aud_x"})]
    )
    assert results == [[], []]
    assert await read_after(store, 0, 10) == []
    # the guard is the only difference: with the entry present the same step writes
    await store.run_atomic([(stmt, params)])
    assert len(await read_after(store, 0, 10)) == 1
