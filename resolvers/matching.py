"""Matching over the store: fetch the facts, call ``matching``, write accepted plans.

Public functions (the GraphQL layer wires them; each takes the store)::

    match_resources(store, demand_id, first=10) -> list[Candidate]
    match_demands(store, resource_id, first=10) -> list[Candidate]
    allocation_plan(store, scope_id, options=None) -> Plan
    accept_plan(store, items) -> AcceptResult
    gap_report(store, scope_id, period_from=None, period_to=None) -> GapReport
    prepare(store, scope_id) -> int        embed every text of a scope ahead of time

Every request reads the current state: the resources available in each place come
back as one packed list per place (``graph.queries.matching``: id, updatedAt,
allocated, status). What is derived from them is cached per store and reused while
that list is unchanged: the static fields of resources and demands (by
``updatedAt``), the ``ResourceFacts`` of a place and the scorer's arrays of them.
Units' track records are reused for ``profile_ttl`` seconds. Scoring and solving run
in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from divisions import DivisionIndex, kind_word
from domain.clock import now_ms, today
from domain.errors import InvalidInput, NotFound
from domain.ids import derived_id, label_of_id
from domain.vocab import (
    Category,
    DemandStatus,
    MatterClass,
    ProjectClass,
    ProjectStatus,
    ResourceStatus,
    RoleKind,
    Urgency,
)
from graph.cypher import Statement
from graph.queries import matching as q
from graph.store import Store
from matching import gaps, rank
from matching.allocate import allocate
from matching.catalog import Expiring, Versioned
from matching.config import MatchingConfig, config
from matching.facts import DemandFacts, ResourceFacts, UnitFacts
from matching.models import (
    AcceptedItem,
    AcceptItem,
    AcceptResult,
    Candidate,
    EmptyCode,
    EmptyReason,
    GapReport,
    IdleResource,
    Matches,
    Plan,
    PlanItem,
    PlanOptions,
    RejectedItem,
)
from matching.score import Scorer
from matching.side import Side, concat

SEP = "\x1f"
BATCH = 1000
MAX_FIRST = 200
E = TypeVar("E", bound=Enum)

_AVAILABLE = ResourceStatus.AVAILABLE.value
_DELIVERED = [ProjectStatus.DONE.value, ProjectStatus.EVALUATED.value]
#: the $parameters of q.TIES: the kind each tie row carries
_TIE = {"lead": "LEAD", "liaison": "LIAISON", "agreement": "AGREEMENT", "located": "LOCATED"}
#: the project class a demand's category suggests (党建引领 for the rest, as in the seeds)
_PROJECT_CLASS = {
    Category.HEALTH: ProjectClass.HEALTH,
    Category.CULTURE_SPORTS: ProjectClass.CULTURE_SPORTS,
    Category.POVERTY_RELIEF: ProjectClass.POVERTY_RELIEF,
    Category.ELDERLY_CHILDCARE: ProjectClass.POVERTY_RELIEF,
    Category.VOLUNTEERING: ProjectClass.VOLUNTEERING,
}


def _enum(kind: type[E], value: Any, default: E) -> E:
    try:
        return kind(value)
    except ValueError:
        return default


@dataclass(frozen=True, slots=True)
class _Place:
    id: str
    name: str
    street_id: str | None
    county_id: str | None


@dataclass(frozen=True, slots=True)
class _Profile:
    name: str
    county_id: str | None
    delivered: int
    evaluations: tuple[float, ...]


@dataclass
class _PlaceList:
    """The resources available in one place, as the store last returned them, and the
    scorer's arrays of them (rebuilt when a track record changes)."""

    signature: frozenset[str]
    resources: list[ResourceFacts]
    ids: frozenset[str]
    unit_ids: frozenset[str]
    sides: dict[tuple[str, int], Side]


class _State:
    """One store's caches."""

    def __init__(self, cfg: MatchingConfig) -> None:
        self.resources: Versioned[dict[str, Any]] = Versioned()
        self.demands: Versioned[dict[str, Any]] = Versioned()
        self.profiles: Expiring[_Profile] = Expiring(cfg.profile_ttl)
        #: per place, its resources while the packed rows stay the same
        self.places: dict[str, _PlaceList] = {}
        #: units without ties, reused while their profile stays the same
        self.plain_units: dict[str, tuple[_Profile, UnitFacts]] = {}


_states: WeakKeyDictionary[Store, _State] = WeakKeyDictionary()


def _state(store: Store) -> _State:
    found = _states.get(store)
    if found is None:
        found = _states[store] = _State(config())
    return found


def forget(store: Store) -> None:
    """Drop a store's caches (after a bulk load that bypassed updatedAt, or in tests)."""
    _states.pop(store, None)


def _first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise InvalidInput(f"first 应在 1 到 {MAX_FIRST} 之间，收到 {first}", field="first")
    return first


# -- facts from the store -------------------------------------------------------------------


def _places(rows: Iterable[dict[str, Any]]) -> dict[str, _Place]:
    return {r["id"]: _Place(r["id"], r["name"] or "", r["streetId"], r["countyId"]) for r in rows}


async def _scope(store: Store, scope_id: str) -> dict[str, _Place]:
    """The communities of a city, county, street or community id."""
    label = "City" if _is_city(scope_id) else label_of_id(scope_id)
    if label not in q.COMMUNITIES_IN:
        raise InvalidInput(
            f"范围应为市、县、街道或社区的区划代码，收到 {scope_id!r}",
            field="scope",
            value=scope_id,
        )
    found = _places(await store.run(q.COMMUNITIES_IN[str(label)], scope=scope_id))
    if not found:
        raise NotFound(f"范围 {scope_id} 内没有社区 (no communities in this scope)", id=scope_id)
    return found


def _near(places: Iterable[_Place]) -> dict[str, list[str]]:
    """Every place whose resources can reach these communities."""
    places = list(places)
    return {
        "communities": sorted({p.id for p in places}),
        "streets": sorted({p.street_id for p in places if p.street_id}),
        "counties": sorted({p.county_id for p in places if p.county_id}),
    }


async def _place_lists(store: Store, near: dict[str, list[str]]) -> dict[str, _PlaceList]:
    """Per place, the available resources there (cached while their rows are unchanged)."""
    state = _state(store)
    calls = [
        (label, ids)
        for label, ids in (
            ("Community", near["communities"]),
            ("Street", near["streets"]),
            ("County", near["counties"]),
        )
        if ids
    ]
    results = await asyncio.gather(
        *(
            store.run(q.RESOURCES_AT[label], places=ids, sep=SEP, available=_AVAILABLE)
            for label, ids in calls
        )
    )
    out: dict[str, _PlaceList] = {}
    stale: dict[str, frozenset[str]] = {}
    for rows in results:
        for row in rows:
            signature = frozenset(row["rows"])
            found = state.places.get(row["place"])
            if found is not None and found.signature == signature:
                out[row["place"]] = found
            else:
                stale[row["place"]] = signature
    if stale:
        parsed = {place: [r.split(SEP) for r in sig] for place, sig in stale.items()}
        live = {rid: int(v) for rs in parsed.values() for rid, v, _, st in rs if st == _AVAILABLE}
        missing = state.resources.missing(live.items())
        for start in range(0, len(missing), BATCH):
            for row in await store.run(q.RESOURCE_DETAILS, ids=missing[start : start + BATCH]):
                state.resources.put(row["id"], row["version"], row)
        for place, packed in parsed.items():
            resources = []
            for rid, _, allocated, status in packed:
                d = state.resources.get(rid)
                if status == _AVAILABLE and d is not None and d["unitId"]:
                    resources.append(_resource(d, (place,), int(allocated)))
            out[place] = state.places[place] = _PlaceList(
                stale[place],
                resources,
                frozenset(r.id for r in resources),
                frozenset(r.unit_id for r in resources),
                {},
            )
    return out


def _merged(lists: Iterable[_PlaceList]) -> list[ResourceFacts]:
    """The resources of several places, each once, with every place it is available in."""
    by_id: dict[str, ResourceFacts] = {}
    for entry in lists:
        for r in entry.resources:
            found = by_id.get(r.id)
            by_id[r.id] = (
                r
                if found is None
                else replace(found, places=tuple(sorted({*found.places, *r.places})))
            )
    return list(by_id.values())


async def _resources(store: Store, near: dict[str, list[str]]) -> list[ResourceFacts]:
    """Available resources reaching the places, with their current allocation."""
    return _merged((await _place_lists(store, near)).values())


def _side(
    store: Store, lists: Sequence[_PlaceList], units: dict[str, UnitFacts], using: Scorer
) -> Side:
    """The scorer's arrays of the resources of these places, reusing each place's."""
    if not lists:
        return using.side([], units)
    state = _state(store)
    ids = [entry.ids for entry in lists]
    if sum(map(len, ids)) != len(frozenset().union(*ids)):  # available in two of them
        return using.side(_merged(lists), units)
    key = (using.cfg.signals.model_dump_json(), state.profiles.generation)
    sides = []
    for entry in lists:
        side = entry.sides.get(key)
        if side is None:
            side = using.side(entry.resources, units)
            entry.sides = {key: side}
        sides.append(side)
    return concat(sides)


def _resource(d: dict[str, Any], places: tuple[str, ...], allocated: int) -> ResourceFacts:
    return ResourceFacts(
        id=d["id"],
        name=d["name"] or "",
        category=_enum(Category, d["category"], Category.OTHER),
        unit_id=d["unitId"] or "",
        places=places,
        description=d["description"] or "",
        unit_name=d["unitName"] or "",
        capacity=int(d["capacity"] or 0),
        used=allocated,
        measure=d["measure"],
    )


async def _demand_rows(store: Store, ids: Sequence[str], versions: dict[str, int]) -> None:
    catalog = _state(store).demands
    missing = catalog.missing((i, versions[i]) for i in ids) if versions else list(ids)
    for start in range(0, len(missing), BATCH):
        for row in await store.run(q.DEMAND_DETAILS, ids=missing[start : start + BATCH]):
            catalog.put(row["id"], row["version"], row)


def _county_word(county_id: str | None) -> str:
    """全区 / 本区 for a district (``divisions.kind_word`` of the shipped table's name)."""
    county = DivisionIndex.default().by_code(county_id) if county_id else None
    return kind_word(county.name) if county else "县"


def _demand(d: dict[str, Any], place: _Place) -> DemandFacts:
    return DemandFacts(
        id=d["id"],
        title=d["title"] or "",
        description=d["description"] or "",
        category=_enum(Category, d["category"], Category.OTHER),
        community_id=place.id,
        matter_class=_enum(MatterClass, d["matterClass"], MatterClass.PRACTICAL),
        urgency=_enum(Urgency, d["urgency"], Urgency.NORMAL),
        community_name=place.name,
        street_id=place.street_id,
        county_id=place.county_id,
        households=d["households"],
        county_word=_county_word(place.county_id),
    )


async def _open_demands(store: Store, places: dict[str, _Place]) -> list[DemandFacts]:
    rows = await store.run(
        q.DEMANDS_OF, communities=list(places), statuses=[DemandStatus.OPEN.value], sep=SEP
    )
    versions: dict[str, int] = {}
    community: dict[str, str] = {}
    for row in rows:
        did, version, cid = row["row"].split(SEP)
        versions[did], community[did] = int(version), cid
    await _demand_rows(store, list(versions), versions)
    catalog = _state(store).demands
    found = ((did, catalog.get(did)) for did in versions)
    return [_demand(d, places[community[did]]) for did, d in found if d is not None]


async def _ties(store: Store, near: dict[str, list[str]]) -> list[dict[str, Any]]:
    return await store.run(q.TIES, communities=near["communities"], streets=near["streets"], **_TIE)


async def _units(
    store: Store, unit_ids: Iterable[str], ties_rows: list[dict[str, Any]]
) -> dict[str, UnitFacts]:
    """Units' ties (from q.TIES rows) and their track records."""
    state = _state(store)
    wanted = set(unit_ids)
    profiles = state.profiles
    missing = profiles.missing(wanted)
    for start in range(0, len(missing), BATCH):
        ids = missing[start : start + BATCH]
        found = await store.run(q.UNIT_PROFILES, ids=ids, delivered=_DELIVERED)
        scores: dict[str, dict[str, float]] = defaultdict(dict)
        for row in await store.run(q.UNIT_EVALUATIONS, ids=ids):
            if row["score"] is not None:
                scores[row["unit"]][row["evaluation"]] = float(row["score"])
        for row in found:
            profile = _Profile(
                row["name"] or "",
                row["countyId"],
                int(row["delivered"]),
                tuple(scores[row["id"]].values()),
            )
            profiles.put(row["id"], profile)
    ties: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in ties_rows:
        ties[row["unit"]][row["kind"]].add(row["place"])
    out = {}
    for uid in wanted:
        p = profiles.get(uid) or _Profile("", None, 0, ())
        t = ties.get(uid)
        plain = state.plain_units.get(uid)
        if t is None and plain is not None and plain[0] is p:
            out[uid] = plain[1]
            continue
        t = t or {}
        out[uid] = facts = UnitFacts(
            id=uid,
            name=p.name,
            county_id=p.county_id,
            delivered=p.delivered,
            evaluations=p.evaluations,
            leads=frozenset(t.get("LEAD", ())),
            liaises=frozenset(t.get("LIAISON", ())),
            agreements=frozenset(t.get("AGREEMENT", ())),
            located=frozenset(t.get("LOCATED", ())),
        )
        if not t:
            state.plain_units[uid] = (p, facts)
    return out


# -- matching ------------------------------------------------------------------------------


async def match_resources(
    store: Store, demand_id: str, first: int = 10, *, cfg: MatchingConfig | None = None
) -> list[Candidate]:
    """matchResources: the resources that can meet a demand, ranked, with reasons."""
    return (await resource_matches(store, demand_id, first, cfg=cfg)).candidates


async def resource_matches(
    store: Store, demand_id: str, first: int = 10, *, cfg: MatchingConfig | None = None
) -> Matches:
    """``match_resources``, and when nothing matches, why."""
    first = _first(first)
    rows = await store.run(q.DEMAND_CONTEXT, id=demand_id)
    if not rows:
        raise NotFound(f"没有编号为 {demand_id} 的需求 (no such demand)", id=demand_id)
    [details] = rows
    places = _places([details | {"id": details["communityId"]}])
    demand = _demand(details | {"id": demand_id}, places[details["communityId"]])
    near = _near(places.values())
    lists, ties_rows = await asyncio.gather(_place_lists(store, near), _ties(store, near))
    mine = [
        lists[p]
        for p in (demand.community_id, demand.street_id, demand.county_id)
        if p is not None and p in lists and lists[p].resources
    ]
    if not mine:
        return Matches(candidates=[], reason=_NO_RESOURCE)
    units = await _units(store, frozenset().union(*(e.unit_ids for e in mine)), ties_rows)
    using = rank.scorer(cfg)

    def ranked() -> list[Candidate]:
        side = _side(store, mine, units, using)
        return rank.match_resources(demand, side, units, first=first, using=using)

    found = await asyncio.to_thread(ranked)
    return Matches(candidates=found, reason=None if found else _NO_RELEVANT_RESOURCE)


_NO_RESOURCE = EmptyReason(
    code=EmptyCode.NO_RESOURCE_IN_SCOPE,
    sentence="本社区、所在街道和县（市、区）都没有可用的资源",
)
_NO_RELEVANT_RESOURCE = EmptyReason(
    code=EmptyCode.NO_RELEVANT_RESOURCE, sentence="服务范围内的资源都不对应这一需求"
)


async def match_demands(
    store: Store, resource_id: str, first: int = 10, *, cfg: MatchingConfig | None = None
) -> list[Candidate]:
    """matchDemands (接单): the open demands a resource could serve, ranked, with reasons."""
    return (await demand_matches(store, resource_id, first, cfg=cfg)).candidates


async def demand_matches(
    store: Store, resource_id: str, first: int = 10, *, cfg: MatchingConfig | None = None
) -> Matches:
    """``match_demands``, and when nothing matches, why."""
    first = _first(first)
    rows = await store.run(q.RESOURCE_PLACES, id=resource_id, available=_AVAILABLE)
    if not rows:
        raise NotFound(f"没有编号为 {resource_id} 的资源 (no such resource)", id=resource_id)
    [row] = rows
    if row["status"] != _AVAILABLE:
        return Matches(candidates=[], reason=_NOT_AVAILABLE)
    catalog = _state(store).resources
    if catalog.missing([(resource_id, row["version"])]):
        for fetched in await store.run(q.RESOURCE_DETAILS, ids=[resource_id]):
            catalog.put(fetched["id"], fetched["version"], fetched)
    details = catalog.get(resource_id)
    if details is None or not details["unitId"]:
        raise NotFound(f"资源 {resource_id} 没有提供单位 (no unit offers it)", id=resource_id)
    resource = _resource(details, tuple(row["places"]), row["allocated"])
    places: dict[str, _Place] = {}
    for place in resource.places:
        label = label_of_id(place)
        if label in q.SCOPE_LABELS:
            places |= _places(await store.run(q.COMMUNITIES_IN[str(label)], scope=place))
    demands = await _open_demands(store, places)
    if not demands:
        return Matches(candidates=[], reason=_NO_OPEN_DEMAND)
    units = await _units(store, [resource.unit_id], await _ties(store, _near(places.values())))
    using = rank.scorer(cfg)
    found = await asyncio.to_thread(
        rank.match_demands, resource, demands, units, first=first, using=using
    )
    return Matches(candidates=found, reason=None if found else _NO_RELEVANT_DEMAND)


_NOT_AVAILABLE = EmptyReason(
    code=EmptyCode.RESOURCE_NOT_AVAILABLE, sentence="资源已撤回或停用，不参与匹配"
)
_NO_OPEN_DEMAND = EmptyReason(
    code=EmptyCode.NO_OPEN_DEMAND, sentence="资源的服务范围内没有待解决的需求"
)
_NO_RELEVANT_DEMAND = EmptyReason(
    code=EmptyCode.NO_RELEVANT_DEMAND, sentence="服务范围内的待解决需求都不对应这一资源"
)


async def allocation_plan(
    store: Store,
    scope_id: str,
    options: PlanOptions | None = None,
    *,
    cfg: MatchingConfig | None = None,
) -> Plan:
    """allocationPlan: a proposed project list for a joint meeting of a street or county."""
    facts = await scope_facts(store, scope_id)
    using = rank.scorer(cfg)
    return await asyncio.to_thread(
        allocate,
        scope_id,
        facts.demands,
        facts.resources,
        facts.units,
        options or PlanOptions(),
        using=using,
    )


@dataclass(frozen=True)
class ScopeFacts:
    """Everything matching knows of a scope (the evaluation and the benchmark use it)."""

    demands: list[DemandFacts]
    resources: list[ResourceFacts]
    units: dict[str, UnitFacts]


async def scope_facts(store: Store, scope_id: str) -> ScopeFacts:
    """The open demands of a scope, the resources that reach it and their units."""
    places = await _scope(store, scope_id)
    near = _near(places.values())
    demands = await _open_demands(store, places)
    resources = await _resources(store, near)
    units = await _units(store, (r.unit_id for r in resources), await _ties(store, near))
    return ScopeFacts(demands, resources, units)


async def prepare(store: Store, scope_id: str, *, cfg: MatchingConfig | None = None) -> int:
    """Fill the caches of a scope and embed every text not yet embedded; the count embedded."""
    facts = await scope_facts(store, scope_id)
    demands, resources = facts.demands, facts.resources
    using = rank.scorer(cfg)
    before = using.vectors.computed

    def embed() -> None:
        using.vectors.rows([d.text for d in demands], query=True)
        using.vectors.rows([r.text for r in resources], query=False)
        for text in [d.text for d in demands] + [r.text for r in resources]:
            using.tokenizer.tokens(text)

    await asyncio.to_thread(embed)
    return using.vectors.computed - before


# -- accepting a plan ----------------------------------------------------------------------


#: sends a plan item's statement: (lock ids, statement, parameters) -> rows
AcceptWrite = Callable[[Sequence[str], Statement, dict[str, Any]], Awaitable[list[dict[str, Any]]]]


def project_id(demand_id: str, resource_id: str) -> str:
    """A plan item's project id: accepting the same pair twice finds the first project."""
    return derived_id("Project", demand_id, resource_id)


async def accept_plan(
    store: Store,
    items: Sequence[AcceptItem | PlanItem],
    *,
    status: ProjectStatus = ProjectStatus.DISPATCHED,
    write: AcceptWrite | None = None,
) -> AcceptResult:
    """Turn plan items (all or some) into projects (派单 by default), one statement each.

    Each statement checks, holding the write locks of the resource and the demand
    (Neo4j; FalkorDB runs writes one at a time), that the demand is still
    open and the resource available, in scope and with capacity left, then creates the
    project (IN, MEETS, USES {quantity}, LED_BY the resource's unit) and takes the
    capacity. An item that fails a check is rejected with a code and the reason.
    ``write`` sends the statement (default: ``store.run_locked``); the API passes one
    that folds the item's audit entry in.
    """
    wanted = [
        item
        if isinstance(item, AcceptItem)
        else AcceptItem(demandId=item.demandId, resourceId=item.resourceId, quantity=item.quantity)
        for item in items
    ]
    await _demand_rows(store, sorted({i.demandId for i in wanted}), {})
    demands = _state(store).demands
    accepted: list[AcceptedItem] = []
    rejected: list[RejectedItem] = []
    for item in wanted:
        details = demands.get(item.demandId) or {}
        category = _enum(Category, details.get("category"), Category.OTHER)
        pid = project_id(item.demandId, item.resourceId)
        props = {
            "name": item.name or details.get("title") or item.demandId,
            "projectClass": (
                item.projectClass or _PROJECT_CLASS.get(category, ProjectClass.PARTY_BUILDING)
            ).value,
            "status": status.value,
            "startDate": today().isoformat(),
        }
        params = {
            "id": pid,
            "demandId": item.demandId,
            "resourceId": item.resourceId,
            "quantity": item.quantity,
            "available": _AVAILABLE,
        }
        sent = {**params, "props": props, "now": now_ms(), "open": DemandStatus.OPEN.value,
                "matched": DemandStatus.MATCHED.value}  # fmt: skip
        locks = [item.resourceId, item.demandId]
        if write is None:
            rows = await store.run_locked(locks, q.ACCEPT, **sent)
        else:
            rows = await write(locks, q.ACCEPT, sent)
        if rows:
            accepted.append(
                AcceptedItem(
                    projectId=pid,
                    demandId=item.demandId,
                    resourceId=item.resourceId,
                    unitId=await _unit_of(store, item.resourceId),
                    quantity=item.quantity,
                )
            )
        else:
            [check] = await store.run(q.ACCEPT_CHECK, **params)
            code, message = _rejection(check, item)
            rejected.append(
                RejectedItem(
                    demandId=item.demandId, resourceId=item.resourceId, code=code, message=message
                )
            )
    return AcceptResult(accepted=accepted, rejected=rejected)


async def _unit_of(store: Store, resource_id: str) -> str:
    rows = await store.run(q.RESOURCE_DETAILS, ids=[resource_id])
    return str(rows[0]["unitId"]) if rows else ""


def _rejection(check: dict[str, Any], item: AcceptItem) -> tuple[str, str]:
    """The first failed check as (error code, message)."""
    if not check["demand"]:
        return NotFound.code, f"没有编号为 {item.demandId} 的需求"
    if not check["resource"] or not check["offered"]:
        return NotFound.code, f"没有编号为 {item.resourceId} 的资源（或无提供单位）"
    if check["exists"]:
        return "CONFLICT", "该需求与资源的项目已经建立 (already accepted)"
    if check["demandStatus"] != DemandStatus.OPEN.value:
        label = _enum(DemandStatus, check["demandStatus"], DemandStatus.OPEN).label
        return "CONFLICT", f"需求已是“{label}”状态，不再待认领 (the demand is no longer open)"
    if check["resourceStatus"] != _AVAILABLE:
        return "CONFLICT", "资源已撤回 (the resource is withdrawn)"
    if not check["inScope"]:
        return (
            InvalidInput.code,
            "资源的服务范围不覆盖该需求所在社区 (outside the resource's scope)",
        )
    return "CAPACITY_EXCEEDED", (
        f"资源只剩 {check['left']}，不够 {item.quantity} (not enough capacity left)"
    )


# -- gaps ----------------------------------------------------------------------------------


async def gap_report(
    store: Store,
    scope_id: str,
    *,
    period_from: str | None = None,
    period_to: str | None = None,
) -> GapReport:
    """Gaps of a county, street or community: unmet demands by community and category,
    idle resources, liaison units with no accepted project in the period (报而不到、到而不干),
    communities whose "4+N" structure is incomplete."""
    places = await _scope(store, scope_id)
    names = {p.id: p.name for p in places.values()}
    communities = sorted(places)
    open_rows = await store.run(
        q.OPEN_DEMANDS, communities=communities, statuses=[DemandStatus.OPEN.value]
    )
    unmet = gaps.unmet_groups(
        (
            gaps.OpenDemand(
                r["id"],
                r["community"],
                _enum(Category, r["category"], Category.OTHER),
                r["urgency"] == Urgency.URGENT.value,
            )
            for r in open_rows
        ),
        names,
    )
    inside = _inside(scope_id, places.values())
    idle = [
        _idle(row) for row in await store.run(q.IDLE_RESOURCES, places=inside, available=_AVAILABLE)
    ]
    idle.sort(key=lambda r: (r.unitName, r.name))
    liaisons = [
        gaps.Liaison(
            row["unit"],
            row["unitName"] or "",
            row["community"],
            bool(row["lead"]),
            tuple(_stamp(p) for p in row["projects"] if p),
        )
        for row in await store.run(q.LIAISON_PROJECTS, communities=communities)
    ]
    absent = gaps.absent_units(liaisons, names, period_from=period_from, period_to=period_to)
    kinds = [k.value for k in gaps.FOUR]
    structures = {
        row["community"]: gaps.Structure(
            row["community"],
            row["name"] or "",
            compounds=int(row["compounds"]),
            liaisons=int(row["liaisons"]),
            leads=int(row["leads"]),
        )
        for row in await store.run(q.STRUCTURE_COUNTS, communities=communities)
    }
    for row in await store.run(q.STRUCTURE_ROLES, communities=communities, kinds=kinds):
        kind = _enum(RoleKind, row["kind"], RoleKind.FIRST_SECRETARY)
        structures[row["community"]].roles.append(gaps.HeldRole(kind, row["place"], row["until"]))
    structure = gaps.structure_gaps(structures.values(), today=today().isoformat())
    empty = None
    if not communities:
        empty = EmptyReason(code=EmptyCode.NO_COMMUNITY_IN_SCOPE, sentence="范围内没有社区")
    elif not (unmet or idle or absent or structure):
        empty = EmptyReason(
            code=EmptyCode.NO_GAP, sentence="范围内没有未满足的需求、闲置资源或缺项"
        )
    return GapReport(
        scopeId=scope_id,
        periodFrom=period_from,
        periodTo=period_to,
        unmet=unmet,
        idle=idle,
        absent=absent,
        structure=structure,
        empty=empty,
    )


def _inside(scope_id: str, places: Iterable[_Place]) -> list[str]:
    """The scope and the streets and communities inside it (not the places above it)."""
    places = list(places)
    label = label_of_id(scope_id)
    out = {p.id for p in places}
    if _is_city(scope_id):
        return sorted(out | {p.street_id for p in places if p.street_id} | {
            p.county_id for p in places if p.county_id
        })  # fmt: skip
    out.add(scope_id)
    if label == "County":
        out |= {p.street_id for p in places if p.street_id}
    return sorted(out)


def _is_city(code: str) -> bool:
    """A prefecture-level city's code (510500000000 泸州市): no County node carries it."""
    return len(code) == 12 and code.isdigit() and code[4:] == "0" * 8 and code[2:4] != "00"


def _idle(row: dict[str, Any]) -> IdleResource:
    return IdleResource(
        resourceId=row["id"],
        name=row["name"] or "",
        unitId=row["unitId"],
        unitName=row["unitName"] or "",
        category=_enum(Category, row["category"], Category.OTHER),
        capacity=int(row["capacity"] or 0),
    )


def _stamp(p: list[Any]) -> gaps.ProjectStamp:
    pid, status, start, created = p
    return gaps.ProjectStamp(
        str(pid), _enum(ProjectStatus, status, ProjectStatus.REPORTED), start, created
    )
