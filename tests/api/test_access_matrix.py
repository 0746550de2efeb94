"""Who may change what, over real HTTP: every mutation x role x scope position
(inside, above, beside, another county; own unit, another unit), against the
policy as the oracle. Allowed calls succeed and leave exactly one audit entry;
refused calls come back as typed errors and change nothing."""

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
from domain.vocab import EvaluationKind, ProjectStatus
from graph.queries import nodes
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

COMMUNITY = Target.at(GUIYUANLIN)
COMMUNITY_UNIT = Target.at(GUIYUANLIN, unit=LEAD, unit_county=HEJIANG)
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
        Action.RECORD_AGREEMENT, Action.RECORD_EVALUATION,
    }  # fmt: skip
    assert any(a for _, _, a in checked) and not all(a for _, _, a in checked)
    assert len(checked) == len(OPERATIONS) * len(CALLERS)
