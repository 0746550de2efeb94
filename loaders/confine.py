"""An upload stays inside the uploader's county (a city admin's: its city).

Resolving a row's place names already refuses a row that names another county
(``loaders.places``). That is not enough: a row may *update* a node that lies
elsewhere, found by an id derived from names alone (a resource of a unit of
another county with the same name, say). So before a row is accepted, every node it
writes is checked twice, both against the allowed county or city: the counties its
new properties point to, and the counties of the node as *stored* in the graph.
A row that would touch anything outside is rejected (OUT_OF_SCOPE) and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.ids import is_division_code
from graph import writes
from graph.store import Store
from loaders.plan import Problem, RowPlan

#: properties naming a place, and those naming a unit
_PLACE_KEYS = ("countyId", "streetId", "communityId", "placeId")
_UNIT_KEYS = ("unitId", "leadUnitId")
_PLACE_LABELS = frozenset({"County", "Street", "Community"})
#: shared across counties, keyed by name and phone: never a county's own
_SHARED = frozenset({"Person"})


def inside(code: str, allowed: str) -> bool:
    """Whether a 12-digit place code lies in ``allowed`` (a county, or a city: 4 digits
    then zeros).

    >>> inside("510522001006", "510522000000"), inside("510521000000", "510500000000")
    (True, True)
    >>> inside("220821000000", "510500000000")
    False
    """
    if allowed[4:] == "00000000":
        return code[:4] == allowed[:4]
    return code[:6] == allowed[:6]


def counties(
    label: str, node_id: str, props: Mapping[str, Any], unit_county: Mapping[str, str]
) -> set[str]:
    """The place codes a node's properties say it belongs to (and its units' counties)."""
    found: set[str] = set()
    if label in _PLACE_LABELS and is_division_code(node_id):
        found.add(node_id)
    for key in _PLACE_KEYS:
        value = props.get(key)
        if isinstance(value, str) and is_division_code(value):
            found.add(value)
    for value in props.get("scopeIds") or ():
        if isinstance(value, str) and is_division_code(value):
            found.add(value)
    for key in _UNIT_KEYS:
        value = props.get(key)
        if isinstance(value, str) and value in unit_county:
            found.add(unit_county[value])
    return found


def linked(
    plan: RowPlan, unit_county: Mapping[str, str], resource_unit: Mapping[str, str]
) -> set[str]:
    """The place codes of what a row links to: places, units (lead, partners, liaisons)
    and resources (a project's USES), by their units' counties."""
    found: set[str] = set()
    for links in plan.links:
        for target in links.targets:
            if is_division_code(target):
                found.add(target)
            elif target in unit_county:
                found.add(unit_county[target])
            elif resource_unit.get(target) in unit_county:
                found.add(unit_county[resource_unit[target]])
    return found


async def outside(
    store: Store,
    plans: Sequence[RowPlan],
    allowed: str,
    unit_county: Mapping[str, str],
    resource_unit: Mapping[str, str],
) -> dict[str, Problem]:
    """Rows (by plan id) that would write a node, or link to one, outside ``allowed``."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for plan in plans:
        for label, node_id, _ in plan.nodes:
            if label not in _SHARED:
                wanted[label].add(node_id)
    stored: dict[str, dict[str, Any]] = {}
    for label, ids in wanted.items():
        stored.update(await writes.fetch(store, label, sorted(ids)))
    refused: dict[str, Problem] = {}
    for plan in plans:
        if not _all_inside(linked(plan, unit_county, resource_unit), allowed):
            refused[plan.id] = Problem(
                None,
                "该行关联了你范围以外的单位、资源或地点：你只能导入你管辖范围内的名册 "
                "(the row links to a unit, resource or place outside your scope)",
                "OUT_OF_SCOPE",
            )
            continue
        for label, node_id, props in plan.nodes:
            if label in _SHARED:
                continue
            new = counties(label, node_id, props, unit_county)
            old = counties(label, node_id, stored.get(node_id) or {}, unit_county)
            if not _all_inside(new, allowed) or not _all_inside(old, allowed):
                what = "已有记录" if not _all_inside(old, allowed) else "记录"
                refused[plan.id] = Problem(
                    None,
                    f"该行会修改你范围以外的{what}（{label}）：你只能导入你管辖范围内的名册 "
                    "(the row would change a node outside your scope)",
                    "OUT_OF_SCOPE",
                )
                break
    return refused


def _all_inside(codes: Iterable[str], allowed: str) -> bool:
    return all(inside(code, allowed) for code in codes)
