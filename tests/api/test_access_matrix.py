"""Who may change what, over real HTTP: every mutation x role x scope position
(inside, above, beside, another county, the city above, another city; own unit,
another unit), against the policy as the oracle. Allowed calls succeed and leave
exactly one audit entry; refused calls come back as typed errors and change nothing.
Then every mutation again, touching an object of another county: refused."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from access.policy import Action, Target, Variant, can
from access.principal import ANONYMOUS, AccessRole, Principal
from app.settings import DEMO_DIR
from domain.ids import derived_id
from domain.vocab import EvaluationKind, ProjectStatus, WhistleLevel
from graph import writes
from graph.queries import loading, nodes, people
from graph.store import Store
from loaders import load_folder
from tests.conftest import Api, bearer

DEMO = DEMO_DIR / "hejiang"
HEJIANG, ZHENLAI = "510522000000", "220821000000"
FUYANG, LINGANG = "510522001000", "510522002000"
GUIYUANLIN, ZAOLINQIAO = "510522001006", "510522001002"
LEAD = derived_id("Unit", HEJIANG, "中共合江县委组织部")
OTHER = derived_id("Unit", HEJIANG, "合江县天然气有限公司")

_serial = itertools.count()


@dataclass(frozen=True)
class Caller:
    name: str
    principal: Principal
    token: str | None

    @classmethod
    def of(cls, name: str, role: AccessRole, scope: str, county: str | None = None) -> Caller:
        principal = Principal(name, role, scope, county=county)
        return cls(name, principal, bearer(role.value, scope, name, county))


CALLERS = [
    Caller.of("county", AccessRole.COUNTY_ADMIN, HEJIANG),
    Caller.of("other county", AccessRole.COUNTY_ADMIN, ZHENLAI),
    Caller.of("street", AccessRole.STREET_ADMIN, FUYANG),
    Caller.of("street beside", AccessRole.STREET_ADMIN, LINGANG),
    Caller.of("community", AccessRole.COMMUNITY_ADMIN, GUIYUANLIN),
    Caller.of("community beside", AccessRole.COMMUNITY_ADMIN, ZAOLINQIAO),
    Caller.of("grid worker", AccessRole.GRID_WORKER, GUIYUANLIN),
    Caller.of("viewer", AccessRole.VIEWER, HEJIANG),
    Caller.of("lead unit", AccessRole.UNIT_OPERATOR, LEAD, HEJIANG),
    Caller.of("other unit", AccessRole.UNIT_OPERATOR, OTHER, HEJIANG),
    Caller.of("city", AccessRole.CITY_ADMIN, "510500000000"),  # 泸州市, over 合江县
    Caller.of("other city", AccessRole.CITY_ADMIN, "220800000000"),  # 白城市
    Caller("anonymous", ANONYMOUS, None),
]
ADMIN = CALLERS[0]
OPERATOR = CALLERS[8]


class Session:
    def __init__(self, api: Api, store: Store) -> None:
        self.api, self.store = api, store
        self.client = httpx.Client(timeout=60)

    def call(self, caller: Caller, query: str, **variables: Any) -> tuple[int, dict[str, Any]]:
        headers = {"authorization": f"Bearer {caller.token}"} if caller.token else {}
        response = self.client.post(
            f"{self.api}/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        if response.status_code != 200:
            return response.status_code, body
        assert "errors" not in body, body
        [result] = body["data"].values()
        return 200, result

    def ok(self, caller: Caller, query: str, **variables: Any) -> dict[str, Any]:
        status, result = self.call(caller, query, **variables)
        assert status == 200 and not result["__typename"].endswith("Error"), result
        return result


RESULT = "{ __typename ... on Error { code message } ... on Node { id } }"
REPORT = f"mutation($input: ReportDemandInput!) {{ reportDemand(input: $input) {RESULT} }}"
UPDATE_DEMAND = f"mutation($id: ID!, $input: UpdateDemandInput!) {{ updateDemand(id: $id, input: $input) {RESULT} }}"
CLOSE = f"mutation($id: ID!) {{ closeDemand(id: $id, status: RESOLVED) {RESULT} }}"
CONFIRM = f"mutation($id: ID!) {{ confirmDemandCategory(id: $id, category: HEALTH) {RESULT} }}"
OFFER = f"mutation($input: OfferResourceInput!) {{ offerResource(input: $input) {RESULT} }}"
UPDATE_RESOURCE = f"mutation($id: ID!, $input: UpdateResourceInput!) {{ updateResource(id: $id, input: $input) {RESULT} }}"
WITHDRAW = f"mutation($id: ID!) {{ withdrawResource(id: $id) {RESULT} }}"
FORM = f"mutation($input: FormProjectInput!) {{ formProject(input: $input) {RESULT} }}"
MOVE = f"mutation($id: ID!, $to: ProjectStatus!) {{ moveProject(id: $id, to: $to) {RESULT} }}"
LINK = "mutation($unit: ID!, $c: String!) { linkUnit(unitId: $unit, community: $c, lead: false) { __typename ... on Error { code message } } }"
ASSIGN = f"mutation($input: AssignRoleInput!) {{ assignRole(input: $input) {RESULT} }}"
END = f"mutation($id: ID!) {{ endRole(id: $id) {RESULT} }}"
MEETING = f"mutation($input: RecordMeetingInput!) {{ recordMeeting(input: $input) {RESULT} }}"
AGREEMENT = f"mutation($input: RecordAgreementInput!) {{ recordAgreement(input: $input) {RESULT} }}"
EVALUATE = (
    f"mutation($input: RecordEvaluationInput!) {{ recordEvaluation(input: $input) {RESULT} }}"
)

# the closed loop (the demand dispatched to LEAD; OTHER summoned by a whistle)
LOOP = "{ __typename ... on Error { code message } ... on Demand { id stage } }"
DISPATCH = f"mutation($d: ID!, $u: ID!) {{ dispatchDemand(demandId: $d, unitId: $u) {LOOP} }}"
LOOP_MOVES = {
    name: f"mutation($d: ID!) {{ {name}(demandId: $d) {LOOP} }}"
    for name in ("acceptDemand", "startDemand", "finishDemand", "reopenDemand", "chaseDemand")
}
RETURN = f'mutation($d: ID!) {{ returnDemand(demandId: $d, reason: "不归本单位") {LOOP} }}'
WHISTLE = (
    "mutation($d: ID!, $level: WhistleLevel!, $units: [ID!]!) { whistleDemand(demandId: $d, "
    f"level: $level, unitIds: $units) {LOOP} }}"
)
RESPOND = (
    'mutation($w: ID!, $u: ID) { respondWhistle(whistleId: $w, unitId: $u, response: "到") '
    f"{LOOP} }}"
)
CALLBACK = f"mutation($d: ID!) {{ recordCallback(demandId: $d, rating: BASIC) {LOOP} }}"
WHISTLES = "query($d: ID!) { demand(id: $d) { whistles { id } } }"

COMMUNITY = Target.at(GUIYUANLIN)
COMMUNITY_UNIT = Target.at(GUIYUANLIN, unit=LEAD, unit_county=HEJIANG)
COMMUNITY_OTHER = Target.at(GUIYUANLIN, unit=OTHER, unit_county=HEJIANG)
UNIT = Target.of_unit(LEAD, HEJIANG)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"


def demand(s: Session) -> str:
    return str(s.ok(ADMIN, REPORT, input={
        "community": GUIYUANLIN, "title": unique("测试需求"), "category": "ENVIRONMENT",
        "matterClass": "PRACTICAL"})["id"])  # fmt: skip


def resource(s: Session, capacity: int = 1000) -> str:
    return str(s.ok(ADMIN, OFFER, input={
        "unitId": LEAD, "name": unique("测试资源"), "category": "VENUE", "capacity": capacity,
        "scopeCodes": [HEJIANG]})["id"])  # fmt: skip


def project(s: Session, status: ProjectStatus = ProjectStatus.REPORTED) -> str:
    pid = str(s.ok(ADMIN, FORM, input={
        "name": unique("测试项目"), "projectClass": "VOLUNTEERING", "community": GUIYUANLIN,
        "leadUnitId": LEAD, "uses": [{"resourceId": s.shared_resource, "quantity": 1}]})["id"])  # type: ignore[attr-defined]  # fmt: skip
    path = [ProjectStatus.DISPATCHED, ProjectStatus.ACCEPTED, ProjectStatus.IN_PROGRESS,
            ProjectStatus.DONE, ProjectStatus.EVALUATED]  # fmt: skip
    for step in path[: path.index(status) + 1] if status in path else []:
        mover = OPERATOR if step is ProjectStatus.ACCEPTED else ADMIN
        s.ok(mover, MOVE, id=pid, to=step.value)
    return pid


def role(s: Session) -> str:
    return str(s.ok(ADMIN, ASSIGN, input={
        "personName": unique("测试人"), "kind": "PART_TIME_MEMBER", "place": GUIYUANLIN})["id"])  # fmt: skip


def staged(stage: str) -> Callable[[Session], str]:
    """A new demand of 桂圆林 moved to ``stage`` (dispatched to LEAD on the way)."""

    def prepare(s: Session) -> str:
        d = demand(s)
        if stage == "REPORTED":
            return d
        s.ok(ADMIN, DISPATCH, d=d, u=LEAD)
        path = {"DISPATCHED": [], "ACCEPTED": ["acceptDemand"],
                "DONE": ["acceptDemand", "finishDemand"]}[stage]  # fmt: skip
        for name in path:
            s.ok(OPERATOR, LOOP_MOVES[name], d=d)
        return d

    return prepare


def whistled(s: Session) -> str:
    """A dispatched demand the community whistled for, summoning OTHER: the whistle id."""
    d = staged("DISPATCHED")(s)
    s.ok(CALLERS[4], WHISTLE, d=d, level="STREET", units=[OTHER])
    _, found = s.call(ADMIN, WHISTLES, d=d)
    return str(found["whistles"][0]["id"])


def loop_move(name: str, action: Action, target: Target, stage: str) -> Operation:
    def send(s: Session, c: Caller, d: str) -> tuple[int, dict[str, Any]]:
        return s.call(c, LOOP_MOVES[name], d=d)

    return Operation(name, action, target, None, send, staged(stage))


Send = Callable[[Session, Caller, str], tuple[int, dict[str, Any]]]


def nothing(s: Session) -> str:
    return ""


@dataclass(frozen=True)
class Operation:
    """A mutation: ``prepare`` makes its object (as the county admin), ``send`` tries it."""

    name: str
    action: Action
    target: Target
    variant: Variant
    send: Send
    prepare: Callable[[Session], str] = nothing


def moves(to: ProjectStatus, start: ProjectStatus | None) -> Operation:
    def prepare(s: Session) -> str:
        return project(s, start) if start else project(s)

    def send(s: Session, c: Caller, pid: str) -> tuple[int, dict[str, Any]]:
        return s.call(c, MOVE, id=pid, to=to.value)

    name = f"moveProject -> {to.value}"
    return Operation(name, Action.MOVE_PROJECT, COMMUNITY_UNIT, to, send, prepare)


def evaluates(kind: EvaluationKind, target: Target, on_unit: bool) -> Operation:
    def send(s: Session, c: Caller, _: str) -> tuple[int, dict[str, Any]]:
        target_id = LEAD if on_unit else s.done_project  # type: ignore[attr-defined]
        return s.call(c, EVALUATE, input={
            "kind": kind.value, "targetId": target_id, "score": 90, "period": unique("2026-Q")})  # fmt: skip

    what = "unit" if on_unit else "project"
    name = f"recordEvaluation {kind.value} of a {what}"
    return Operation(name, Action.RECORD_EVALUATION, target, kind, send)


OPERATIONS = [
    Operation("reportDemand", Action.REPORT_DEMAND, COMMUNITY, None, lambda s, c, _: s.call(c, REPORT, input={
        "community": GUIYUANLIN, "title": unique("上报"), "category": "ENVIRONMENT", "matterClass": "PRACTICAL"})),
    Operation("updateDemand", Action.UPDATE_DEMAND, COMMUNITY, None, lambda s, c, d: s.call(
        c, UPDATE_DEMAND, id=d, input={"description": unique("改")}), demand),
    Operation("closeDemand", Action.CLOSE_DEMAND, COMMUNITY, None, lambda s, c, d: s.call(c, CLOSE, id=d), demand),
    Operation("confirmDemandCategory", Action.CONFIRM_DEMAND_CATEGORY, COMMUNITY, None, lambda s, c, d: s.call(c, CONFIRM, id=d), demand),
    Operation("offerResource", Action.OFFER_RESOURCE, UNIT, None, lambda s, c, _: s.call(c, OFFER, input={
        "unitId": LEAD, "name": unique("登记"), "category": "VENUE", "capacity": 3, "scopeCodes": [HEJIANG]})),
    Operation("updateResource", Action.UPDATE_RESOURCE, UNIT, None, lambda s, c, r: s.call(
        c, UPDATE_RESOURCE, id=r, input={"description": unique("改")}), resource),
    Operation("withdrawResource", Action.WITHDRAW_RESOURCE, UNIT, None, lambda s, c, r: s.call(c, WITHDRAW, id=r), resource),
    Operation("formProject", Action.FORM_PROJECT, COMMUNITY_UNIT, None, lambda s, c, _: s.call(c, FORM, input={
        "name": unique("立项"), "projectClass": "HEALTH", "community": GUIYUANLIN, "leadUnitId": LEAD,
        "uses": [{"resourceId": s.shared_resource, "quantity": 1}]})),  # type: ignore[attr-defined]
    moves(ProjectStatus.DISPATCHED, None),
    moves(ProjectStatus.ACCEPTED, ProjectStatus.DISPATCHED),
    moves(ProjectStatus.IN_PROGRESS, ProjectStatus.ACCEPTED),
    moves(ProjectStatus.DONE, ProjectStatus.IN_PROGRESS),
    moves(ProjectStatus.EVALUATED, ProjectStatus.DONE),
    moves(ProjectStatus.CANCELLED, None),
    Operation("linkUnit", Action.LINK_UNIT, COMMUNITY, None, lambda s, c, _: s.call(c, LINK, unit=OTHER, c=GUIYUANLIN)),
    Operation("assignRole", Action.ASSIGN_ROLE, COMMUNITY, None, lambda s, c, _: s.call(c, ASSIGN, input={
        "personName": unique("任职"), "kind": "PART_TIME_MEMBER", "place": GUIYUANLIN})),
    Operation("endRole", Action.END_ROLE, COMMUNITY, None, lambda s, c, r: s.call(c, END, id=r), role),
    Operation("recordMeeting", Action.RECORD_MEETING, COMMUNITY, None, lambda s, c, _: s.call(c, MEETING, input={
        "place": GUIYUANLIN, "title": unique("联席会"), "heldOn": "2026-11-01"})),
    Operation("recordAgreement", Action.RECORD_AGREEMENT, COMMUNITY_UNIT, None, lambda s, c, _: s.call(c, AGREEMENT, input={
        "unitId": LEAD, "community": GUIYUANLIN, "title": unique("共建协议")})),
    evaluates(EvaluationKind.SELF, UNIT, on_unit=True),
    evaluates(EvaluationKind.RESIDENT, COMMUNITY_UNIT, on_unit=False),
    evaluates(EvaluationKind.ORGANIZATION, UNIT, on_unit=True),
    Operation("dispatchDemand", Action.DISPATCH_DEMAND, COMMUNITY, None, lambda s, c, d: s.call(
        c, DISPATCH, d=d, u=LEAD), staged("REPORTED")),
    loop_move("acceptDemand", Action.ACCEPT_DEMAND, COMMUNITY_UNIT, "DISPATCHED"),
    loop_move("startDemand", Action.START_DEMAND, COMMUNITY_UNIT, "ACCEPTED"),
    loop_move("finishDemand", Action.FINISH_DEMAND, COMMUNITY_UNIT, "ACCEPTED"),
    Operation("returnDemand", Action.RETURN_DEMAND, COMMUNITY_UNIT, None, lambda s, c, d: s.call(
        c, RETURN, d=d), staged("DISPATCHED")),
    loop_move("reopenDemand", Action.REOPEN_DEMAND, COMMUNITY, "DONE"),
    loop_move("chaseDemand", Action.CHASE_DEMAND, COMMUNITY, "DISPATCHED"),
    Operation("whistleDemand STREET", Action.WHISTLE_DEMAND, COMMUNITY, WhistleLevel.STREET,
        lambda s, c, d: s.call(c, WHISTLE, d=d, level="STREET", units=[OTHER]), staged("REPORTED")),
    Operation("whistleDemand COUNTY", Action.WHISTLE_DEMAND, Target.at(FUYANG), WhistleLevel.COUNTY,
        lambda s, c, d: s.call(c, WHISTLE, d=d, level="COUNTY", units=[OTHER]), staged("REPORTED")),
    Operation("respondWhistle", Action.RESPOND_WHISTLE, COMMUNITY_OTHER, None, lambda s, c, w: s.call(
        c, RESPOND, w=w, u=OTHER), whistled),
    Operation("recordCallback", Action.RECORD_CALLBACK, COMMUNITY, None, lambda s, c, d: s.call(
        c, CALLBACK, d=d), staged("DONE")),
]  # fmt: skip


async def counts(store: Store) -> tuple[int, int, int]:
    audit = (await store.run(nodes.COUNT["AuditEntry"]))[0]["count"]
    domain = (await store.run(nodes.COUNT_DOMAIN))[0]["nodes"]
    links = (await store.run(nodes.COUNT_RELATIONSHIPS))[0]["relationships"]
    return audit, domain, links


async def test_every_mutation_for_every_role_and_scope(store: Store, api: Api) -> None:
    report = await load_folder(store, DEMO)
    assert report.ok
    s = Session(api, store)
    try:
        await check_every_operation(s, store)
    finally:
        s.client.close()


async def check_every_operation(s: Session, store: Store) -> None:
    s.shared_resource = resource(s, capacity=100_000)  # type: ignore[attr-defined]
    s.done_project = project(s, ProjectStatus.DONE)  # type: ignore[attr-defined]
    checked = []
    for op in OPERATIONS:
        for caller in CALLERS:
            allowed = can(caller.principal, op.action, op.target, op.variant)
            prepared = op.prepare(s)
            before = await counts(store)
            status, result = op.send(s, caller, prepared)
            audit, domain, links = await counts(store)
            where = f"{op.name} as {caller.name}"
            if caller.token is None:
                assert status == 401, where
            elif allowed:
                assert status == 200 and not result["__typename"].endswith("Error"), (where, result)
                assert audit == before[0] + 1, f"{where}: a write without exactly one audit entry"
            else:
                assert status == 200 and result["__typename"] == "ForbiddenError", (where, result)
                assert result["code"] == "FORBIDDEN"
            if not allowed:
                assert (audit, domain, links) == before, (
                    f"{where}: a refused write changed the graph"
                )
            checked.append((op.name, caller.name, allowed))
    # every write made above left exactly one audit entry: count the allowed ones
    assert {op.action for op in OPERATIONS} >= {
        Action.REPORT_DEMAND, Action.UPDATE_DEMAND, Action.CLOSE_DEMAND, Action.OFFER_RESOURCE,
        Action.UPDATE_RESOURCE, Action.WITHDRAW_RESOURCE, Action.FORM_PROJECT, Action.MOVE_PROJECT,
        Action.LINK_UNIT, Action.ASSIGN_ROLE, Action.END_ROLE, Action.RECORD_MEETING,
        Action.RECORD_AGREEMENT, Action.RECORD_EVALUATION, Action.DISPATCH_DEMAND,
        Action.ACCEPT_DEMAND, Action.START_DEMAND, Action.FINISH_DEMAND, Action.RETURN_DEMAND,
        Action.REOPEN_DEMAND, Action.CHASE_DEMAND, Action.WHISTLE_DEMAND, Action.RESPOND_WHISTLE,
        Action.RECORD_CALLBACK,
    }  # fmt: skip
    assert any(a for _, _, a in checked) and not all(a for _, _, a in checked)
    assert len(checked) == len(OPERATIONS) * len(CALLERS)


# -- the other-county axis: a caller allowed the write, but an object it touches lies
# in another county (镇赉县): refused, nothing written, no audit entry -----------------

ZHENLAI_DEMO = DEMO.parent / "zhenlai"
QINGAN = "220821003003"  # 庆安社区, 镇赉县
Z_UNIT = derived_id("Unit", ZHENLAI, "中共镇赉县委组织部")
Z_RESOURCE = derived_id("Resource", Z_UNIT, "城市党建联盟联席会")
Z_DEMAND = derived_id("Demand", QINGAN, "残疾人体检难")
Z_COMPOUND = derived_id("Compound", QINGAN, "粮库家属楼")
COMMUNITY_ADMIN = CALLERS[4]
Z_OPERATOR = Caller.of("zhenlai unit", AccessRole.UNIT_OPERATOR, Z_UNIT, ZHENLAI)
ACCEPT = (
    "mutation($items: [AcceptItemInput!]!) { acceptPlan(items: $items) { __typename "
    "... on AcceptPlanResult { accepted { projectId } rejected { code } } ... on Error { code message } } }"
)


def _crossing(s: Session) -> list[tuple[str, Caller, Callable[[], tuple[int, dict[str, Any]]]]]:
    """(name, caller, send) for every mutation, each touching a 镇赉县 object."""
    form = {"name": unique("跨县"), "projectClass": "HEALTH", "community": GUIYUANLIN}
    led = s.led_elsewhere  # type: ignore[attr-defined]
    # the loop's objects, made before any count is taken (refused writes leave them as they are)
    reported, accepted, whistle = staged("REPORTED")(s), staged("ACCEPTED")(s), whistled(s)
    return [
        ("reportDemand at a compound of another county", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, REPORT, input={"community": GUIYUANLIN, "placeId": Z_COMPOUND,
            "title": unique("跨县"), "category": "ENVIRONMENT", "matterClass": "PRACTICAL"})),
        ("updateDemand of another county", ADMIN, lambda: s.call(
            ADMIN, UPDATE_DEMAND, id=Z_DEMAND, input={"description": "改"})),
        ("closeDemand of another county", ADMIN, lambda: s.call(ADMIN, CLOSE, id=Z_DEMAND)),
        ("confirmDemandCategory of another county", ADMIN, lambda: s.call(
            ADMIN, CONFIRM, id=Z_DEMAND)),
        ("offerResource scoped to another county", OPERATOR, lambda: s.call(OPERATOR, OFFER, input={
            "unitId": LEAD, "name": unique("跨县"), "category": "VENUE", "capacity": 3,
            "scopeCodes": [ZHENLAI]})),
        ("updateResource of another county", ADMIN, lambda: s.call(
            ADMIN, UPDATE_RESOURCE, id=Z_RESOURCE, input={"capacity": 999})),
        ("withdrawResource of another county", ADMIN, lambda: s.call(ADMIN, WITHDRAW, id=Z_RESOURCE)),
        ("formProject using another county's resource", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, FORM, input={**form, "uses": [{"resourceId": Z_RESOURCE, "quantity": 12}]})),
        ("formProject led by another county's unit", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, FORM, input={**form, "leadUnitId": Z_UNIT,
            "uses": [{"resourceId": s.shared_resource, "quantity": 1}]})),  # type: ignore[attr-defined]
        ("moveProject of another county by its lead unit", Z_OPERATOR, lambda: s.call(
            Z_OPERATOR, MOVE, id=led, to="ACCEPTED")),
        ("recordEvaluation SELF of another county's project", Z_OPERATOR, lambda: s.call(
            Z_OPERATOR, EVALUATE, input={"kind": "SELF", "targetId": led, "score": 99})),
        ("linkUnit with another county's unit", ADMIN, lambda: s.call(ADMIN, LINK, unit=Z_UNIT, c=GUIYUANLIN)),
        ("assignRole for another county's unit", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, ASSIGN, input={"personName": unique("跨县"), "kind": "PART_TIME_MEMBER",
            "place": GUIYUANLIN, "unitId": Z_UNIT})),
        ("recordAgreement with another county's unit", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, AGREEMENT, input={"unitId": Z_UNIT, "community": GUIYUANLIN,
            "title": unique("跨县")})),
        ("recordMeeting agreeing another county's project", ADMIN, lambda: s.call(ADMIN, MEETING, input={
            "place": HEJIANG, "title": unique("跨县"), "heldOn": "2026-11-02",
            "demandIds": [Z_DEMAND]})),
        ("endRole in another county", ADMIN, lambda: s.call(ADMIN, END, id=s.z_role)),  # type: ignore[attr-defined]
        ("assignRole in another county", ADMIN, lambda: s.call(ADMIN, ASSIGN, input={
            "personName": unique("跨县"), "kind": "PART_TIME_MEMBER", "place": QINGAN})),
        ("dispatchDemand to another county's unit", ADMIN, lambda: s.call(
            ADMIN, DISPATCH, d=reported, u=Z_UNIT)),
        *[(f"{name} by another county's unit", Z_OPERATOR, lambda name=name: s.call(
            Z_OPERATOR, LOOP_MOVES[name], d=accepted))
          for name in ("acceptDemand", "startDemand", "finishDemand")],
        ("returnDemand by another county's unit", Z_OPERATOR, lambda: s.call(
            Z_OPERATOR, RETURN, d=accepted)),
        *[(f"{name} of another county", ADMIN, lambda name=name: s.call(
            ADMIN, LOOP_MOVES[name], d=Z_DEMAND)) for name in ("reopenDemand", "chaseDemand")],
        ("whistleDemand summoning another county's unit", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, WHISTLE, d=reported, level="STREET", units=[Z_UNIT])),
        ("respondWhistle as another county's unit", Z_OPERATOR, lambda: s.call(
            Z_OPERATOR, RESPOND, w=whistle, u=Z_UNIT)),
        ("recordCallback of another county", COMMUNITY_ADMIN, lambda: s.call(
            COMMUNITY_ADMIN, CALLBACK, d=Z_DEMAND)),
    ]  # fmt: skip


async def test_every_mutation_touching_another_county_is_refused(store: Store, api: Api) -> None:
    for folder in (DEMO, ZHENLAI_DEMO):
        assert (await load_folder(store, folder)).ok
    s = Session(api, store)
    try:
        s.shared_resource = resource(s)  # type: ignore[attr-defined]
        # a 合江县 project led by a 镇赉县 unit, as an old cross-county write left it
        led = project(s, ProjectStatus.DISPATCHED)
        await writes.upsert(store, "Project", [(led, {"leadUnitId": Z_UNIT})])
        await store.run(loading.LINK[("Project", "LED_BY", "Unit")],
                        rows=[{"start": led, "end": Z_UNIT, "props": {}}])  # fmt: skip
        s.led_elsewhere = led  # type: ignore[attr-defined]
        [z_role, *_] = await store.run(people.ROLES_AT["Community"], ids=[QINGAN])
        s.z_role = z_role["node"]["id"]  # type: ignore[attr-defined]
        crossing = _crossing(s)
        assert {name.split()[0] for name, _, _ in crossing} >= {
            op.name.split()[0] for op in OPERATIONS
        }
        for name, caller, send in crossing:
            before = await counts(store)
            status, result = send()
            assert status == 200 and result["__typename"] in ("ForbiddenError", "NotFoundError"), (
                name, result)  # fmt: skip
            assert await counts(store) == before, f"{name}: a refused write changed the graph"
        # acceptPlan: the item is rejected, and leaves no audit entry
        before = await counts(store)
        status, result = s.call(ADMIN, ACCEPT, items=[
            {"demandId": demand(s), "resourceId": Z_RESOURCE, "quantity": 1}])  # fmt: skip
        assert status == 200 and result["accepted"] == []
        assert [r["code"] for r in result["rejected"]] == ["FORBIDDEN"]
        assert (await counts(store))[0] == before[0] + 1  # the demand() made for it, only
    finally:
        s.client.close()
