"""Writing planned rows in batches: nodes through ``graph.writes.upsert``, links by diff.

Every write is a MERGE on an id or a link between ids, so a batch sent twice
(a load killed and run again) ends in the same graph. Links are read first and
only the difference is sent, which is also how a row learns whether it changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Literal

from domain.ids import label_of_id
from graph import writes
from graph.queries import loading, places
from graph.store import Store
from loaders.context import LoadContext
from loaders.plan import LinkSet, RowPlan, RowRef

Status = Literal["created", "updated", "unchanged"]
LinkKey = tuple[str, str, str, str]  # owner label, rel, side, owner id
_PLACE_LABELS = ("County", "Street", "Community")
_CHUNK = 1000


def _key(links: LinkSet) -> LinkKey:
    return (links.owner_label, links.rel, links.side, links.owner)


def merge_links(plans: Sequence[RowPlan]) -> None:
    """One link set per owner across a kind's rows (a person in two rows): the last row
    holding it writes them all, when every node they join has been written."""
    last: dict[LinkKey, LinkSet] = {}
    for plan in reversed(plans):
        kept: list[LinkSet] = []
        for links in plan.links:
            later = last.get(_key(links))
            if later is None:
                last[_key(links)] = links
                kept.append(links)
            else:
                for target, props in links.targets.items():
                    later.targets.setdefault(target, props)
        plan.links = kept


def _place_plan(ctx: LoadContext, codes: set[str]) -> RowPlan | None:
    """County/Street/Community nodes (and PART_OF) for official places not yet written."""
    missing = sorted(codes - ctx.ensured)
    if not missing:
        return None
    plan = RowPlan(RowRef("", None, 0), "", "")
    for code in missing:
        for label, node_id, props in ctx.places.nodes(code):
            if node_id in ctx.ensured:
                continue
            ctx.ensured.add(node_id)
            plan.node(label, node_id, props)
            if label != "County":
                plan.link(label, "PART_OF", node_id, [props.get("countyId") or props["streetId"]])
    return plan


async def _write_nodes(
    store: Store, plans: Sequence[RowPlan], ctx: LoadContext
) -> tuple[set[str], set[str], dict[str, int]]:
    """Upsert every node of the batch once; returns created ids, updated ids and, for
    each node, the index of the first plan holding it (which its change is counted for)."""
    by_label: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    holder: dict[str, int] = {}
    for index, plan in enumerate(plans):
        for label, node_id, props in plan.nodes:
            secondary = node_id != plan.id
            if secondary and ctx.written.get(node_id) == props:
                continue
            holder.setdefault(node_id, index)
            merged = by_label[label].setdefault(node_id, {})
            merged.update(props)
            if secondary:
                ctx.written[node_id] = props
            if label in _PLACE_LABELS:
                ctx.ensured.add(node_id)
    created: set[str] = set()
    updated: set[str] = set()
    for label, rows in by_label.items():
        report = await writes.upsert(store, label, rows.items())
        created.update(report.created)
        updated.update(report.updated)
    return created, updated, holder


async def _existing(
    store: Store, owner_label: str, rel: str, side: Any, owners: list[str]
) -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    stmt = loading.LINKS_OF[(owner_label, rel, side)]
    for start in range(0, len(owners), _CHUNK):
        for row in await store.run(stmt, ids=owners[start : start + _CHUNK]):
            found[row["owner"]][row["other"]] = row["props"] or {}
    return found


async def _write_links(
    store: Store, plans: Sequence[RowPlan], ctx: LoadContext, created: set[str]
) -> set[LinkKey]:
    """Make each owned link set what the rows say; returns the keys of sets that changed.
    A node created by this batch has no links yet: its links are not read."""
    groups: dict[tuple[str, str, str], list[LinkSet]] = defaultdict(list)
    for plan in plans:
        for links in plan.links:
            groups[(links.owner_label, links.rel, links.side)].append(links)
    changed: set[LinkKey] = set()
    adds: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    removes: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for (owner_label, rel, side), sets in groups.items():
        owners = [s.owner for s in sets if s.owner not in created]
        existing = await _existing(store, owner_label, rel, side, owners) if owners else {}
        touched = ctx.touched.setdefault(rel, set())
        for links in sets:
            before = existing.get(links.owner, {})
            touched.update(before, links.targets)
            for other, props in links.targets.items():
                if before.get(other) == props:
                    continue
                changed.add(_key(links))
                adds[_triple(links, other)].append(_ends(links, other, props))
            for other in before.keys() - links.targets.keys():
                changed.add(_key(links))
                if rel != "PART_OF":  # LINK_PARENT replaces the old parent itself
                    removes[_triple(links, other)].append(_ends(links, other, {}))
    for (start, rel, end), rows in removes.items():
        assert (start, rel) not in loading.FIXED, f"{start}-{rel} links never move"
        for chunk in range(0, len(rows), _CHUNK):
            await store.run(loading.UNLINK[(start, rel, end)], rows=rows[chunk : chunk + _CHUNK])
    for (start, rel, end), rows in adds.items():
        for chunk in range(0, len(rows), _CHUNK):
            part = rows[chunk : chunk + _CHUNK]
            if rel == "PART_OF":
                parents = [{"child": r["start"], "parent": r["end"]} for r in part]
                await store.run(places.LINK_PARENT[(start, end)], rows=parents)
            else:
                await store.run(loading.LINK[(start, rel, end)], rows=part)
    return changed


def _triple(links: LinkSet, other: str) -> tuple[str, str, str]:
    other_label = label_of_id(other)
    if other_label is None:  # pragma: no cover - every id comes from domain.ids
        raise ValueError(f"no label for id {other!r}")
    if links.side == "start":
        return links.owner_label, links.rel, other_label
    return other_label, links.rel, links.owner_label


def _ends(links: LinkSet, other: str, props: dict[str, Any]) -> dict[str, Any]:
    if links.side == "start":
        return {"start": links.owner, "end": other, "props": props}
    return {"start": other, "end": links.owner, "props": props}


async def write_batch(
    store: Store, plans: Sequence[RowPlan], ctx: LoadContext
) -> dict[str, Status]:
    """Write one batch of rows of one kind; the status of each row by its id."""
    place_plan = _place_plan(ctx, {code for plan in plans for code in plan.places})
    everything = [*plans, place_plan] if place_plan is not None else list(plans)
    created, updated, holder = await _write_nodes(store, everything, ctx)
    changed_links = await _write_links(store, everything, ctx, created)
    statuses: dict[str, Status] = {}
    changed_rows = {
        plans[holder[node_id]].id for node_id in created | updated if holder[node_id] < len(plans)
    }
    for plan in plans:
        if plan.id in created:
            statuses[plan.id] = "created"
        elif plan.id in changed_rows or any(_key(links) in changed_links for links in plan.links):
            statuses[plan.id] = "updated"
        else:
            statuses[plan.id] = "unchanged"
    return statuses
