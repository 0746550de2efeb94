"""Who may do what with 双报到 members, 微心愿 and service hours, over real HTTP: every
member mutation x every caller of the access matrix (tests/api/test_access_matrix.py),
against the policy as the oracle. Allowed calls succeed and leave exactly one audit
entry; refused ones come back as typed errors and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from access.policy import Action, Target, can
from graph.store import Store
from loaders import load_folder
from tests.api.test_access_matrix import (
    ADMIN,
    CALLERS,
    COMMUNITY_ADMIN,
    DEMO,
    GUIYUANLIN,
    HEJIANG,
    LEAD,
    Z_UNIT,
    ZHENLAI_DEMO,
    Caller,
    Session,
    counts,
    demand,
    unique,
)
from tests.conftest import Api

RESULT = "{ __typename ... on Error { code message } ... on Node { id } }"
REGISTER = f"mutation($input: RegisterMemberInput!) {{ registerMember(input: $input) {RESULT} }}"
ADD_WISH = f"mutation($input: AddWishInput!) {{ addWish(input: $input) {RESULT} }}"
CLAIM_WISH = f"mutation($w: ID!, $m: ID!) {{ claimWish(wishId: $w, memberId: $m) {RESULT} }}"
FINISH_WISH = f"mutation($w: ID!) {{ finishWish(wishId: $w) {RESULT} }}"
CLAIM_DEMAND = f"mutation($d: ID!, $m: ID!) {{ claimDemand(demandId: $d, memberId: $m) {RESULT} }}"
LOG = f"mutation($input: LogServiceInput!) {{ logService(input: $input) {RESULT} }}"
CONFIRM = f"mutation($id: ID!) {{ confirmService(logId: $id) {RESULT} }}"

COMMUNITY = Target.at(GUIYUANLIN)
MEMBER_AT = Target.at(GUIYUANLIN, unit=LEAD, unit_county=HEJIANG)

Send = Callable[[Session, Caller, str], tuple[int, dict[str, Any]]]


def nothing(s: Session) -> str:
    return ""


def member(s: Session) -> str:
    return str(s.ok(ADMIN, REGISTER, input={
        "name": unique("党员"), "homeUnitId": LEAD, "communityCode": GUIYUANLIN})["id"])  # fmt: skip


def wish(s: Session) -> str:
    return str(
        s.ok(ADMIN, ADD_WISH, input={"communityCode": GUIYUANLIN, "title": unique("心愿")})["id"]
    )


def claimed_wish(s: Session) -> str:
    found = wish(s)
    s.ok(ADMIN, CLAIM_WISH, w=found, m=s.member)  # type: ignore[attr-defined]
    return found


def service(s: Session) -> str:
    return str(s.ok(ADMIN, LOG, input={
        "memberId": s.member, "targetId": s.demand, "hours": 1.5})["id"])  # type: ignore[attr-defined]  # fmt: skip


@dataclass(frozen=True)
class Operation:
    name: str
    action: Action
    target: Target
    send: Send
    prepare: Callable[[Session], str] = nothing


OPERATIONS = [
    Operation("registerMember", Action.REGISTER_MEMBER, MEMBER_AT, lambda s, c, _: s.call(c, REGISTER, input={
        "name": unique("报到"), "homeUnitId": LEAD, "communityCode": GUIYUANLIN})),
    Operation("addWish", Action.ADD_WISH, COMMUNITY, lambda s, c, _: s.call(c, ADD_WISH, input={
        "communityCode": GUIYUANLIN, "title": unique("微心愿")})),
    Operation("claimWish", Action.CLAIM_WISH, COMMUNITY, lambda s, c, w: s.call(
        c, CLAIM_WISH, w=w, m=s.member), wish),  # type: ignore[attr-defined]
    Operation("finishWish", Action.FINISH_WISH, COMMUNITY, lambda s, c, w: s.call(c, FINISH_WISH, w=w), claimed_wish),
    Operation("claimDemand", Action.CLAIM_DEMAND, COMMUNITY, lambda s, c, d: s.call(
        c, CLAIM_DEMAND, d=d, m=s.member), demand),  # type: ignore[attr-defined]
    Operation("logService", Action.LOG_SERVICE, COMMUNITY, lambda s, c, _: s.call(c, LOG, input={
        "memberId": s.member, "targetId": s.demand, "hours": 2})),  # type: ignore[attr-defined]
    Operation("confirmService", Action.CONFIRM_SERVICE, COMMUNITY, lambda s, c, log: s.call(
        c, CONFIRM, id=log), service),
]  # fmt: skip


async def test_every_member_mutation_for_every_role_and_scope(store: Store, api: Api) -> None:
    assert (await load_folder(store, DEMO)).ok
    s = Session(api, store)
    try:
        s.member = member(s)  # type: ignore[attr-defined]
        s.demand = demand(s)  # type: ignore[attr-defined]
        checked = []
        for op in OPERATIONS:
            for caller in CALLERS:
                allowed = can(caller.principal, op.action, op.target)
                prepared = op.prepare(s)
                before = await counts(store)
                status, result = op.send(s, caller, prepared)
                after = await counts(store)
                where = f"{op.name} as {caller.name}"
                if caller.token is None:
                    assert status == 401, where
                elif allowed:
                    assert status == 200 and not result["__typename"].endswith("Error"), (
                        where, result)  # fmt: skip
                    assert after[0] == before[0] + 1, f"{where}: not exactly one audit entry"
                else:
                    assert status == 200 and result["__typename"] == "ForbiddenError", (
                        where, result)  # fmt: skip
                if not allowed:
                    assert after == before, f"{where}: a refused write changed the graph"
                checked.append(allowed)
        assert {op.action for op in OPERATIONS} == {
            Action.REGISTER_MEMBER, Action.ADD_WISH, Action.CLAIM_WISH, Action.FINISH_WISH,
            Action.CLAIM_DEMAND, Action.LOG_SERVICE, Action.CONFIRM_SERVICE,
        }  # fmt: skip
        assert any(checked) and not all(checked)
    finally:
        s.client.close()


async def test_a_member_of_another_countys_unit_is_refused(store: Store, api: Api) -> None:
    for folder in (DEMO, ZHENLAI_DEMO):
        assert (await load_folder(store, folder)).ok
    s = Session(api, store)
    try:
        before = await counts(store)
        status, result = s.call(COMMUNITY_ADMIN, REGISTER, input={
            "name": "跨县党员", "homeUnitId": Z_UNIT, "communityCode": GUIYUANLIN})  # fmt: skip
        assert (status, result["__typename"]) == (200, "ForbiddenError")
        assert await counts(store) == before
    finally:
        s.client.close()
