"""Small graphs for the matching tests, written with graph.writes and link statements
of their own (every name from the allow-lists, values as parameters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.ids import derived_id
from graph import writes
from graph.cypher import Statement, identifier, statement
from graph.model import LABELS, REL_TYPES
from graph.store import Store


def _link(start: str, rel: str, end: str) -> Statement:
    start, end = identifier(start, frozenset(LABELS)), identifier(end, frozenset(LABELS))
    rel = identifier(rel, REL_TYPES)
    return statement(
        f"tests.matching.link.{start}.{rel}.{end}",
        f"""
        UNWIND $rows AS row
        MATCH (a:{start} {{id: row.start}})
        MATCH (b:{end} {{id: row.end}})
        MERGE (a)-[r:{rel}]->(b)
        SET r = row.props
        RETURN count(r) AS linked
        """,
        write=True,
    )


_LINKS: dict[tuple[str, str, str], Statement] = {}


async def link(store: Store, start: str, rel: str, end: str, rows: list[dict[str, Any]]) -> None:
    key = (start, rel, end)
    if key not in _LINKS:
        _LINKS[key] = _link(*key)
    await store.run(_LINKS[key], rows=rows)


@dataclass
class City:
    """A county with streets and communities; add units, resources, demands, ties."""

    store: Store
    county: str = "510522000000"
    name: str = "合江县"
    streets: dict[str, str] = field(default_factory=dict)  # id -> name
    communities: dict[str, str] = field(default_factory=dict)  # name -> id

    async def places(self, layout: dict[str, list[str]]) -> None:
        """{street name: [community names]} with codes under the county."""
        await writes.upsert(
            self.store, "County", [(self.county, {"name": self.name, "code": self.county})]
        )
        for s, (street, communities) in enumerate(layout.items(), 1):
            sid = f"{self.county[:6]}{s:03d}000"
            self.streets[sid] = street
            await writes.upsert(self.store, "Street", [(sid, {"name": street, "code": sid})])
            await link(
                self.store,
                "Street",
                "PART_OF",
                "County",
                [{"start": sid, "end": self.county, "props": {}}],
            )
            for c, name in enumerate(communities, 1):
                cid = f"{sid[:9]}{c:03d}"
                self.communities[name] = cid
                await writes.upsert(self.store, "Community", [(cid, {"name": name, "code": cid})])
                await link(
                    self.store,
                    "Community",
                    "PART_OF",
                    "Street",
                    [{"start": cid, "end": sid, "props": {}}],
                )

    def street_of(self, community: str) -> str:
        return f"{self.communities[community][:9]}000"

    async def unit(
        self,
        name: str,
        *,
        liaises: tuple[str, ...] = (),
        lead: tuple[str, ...] = (),
        agreements: tuple[str, ...] = (),
        located: tuple[str, ...] = (),
        kind: str = "COUNTY_DEPARTMENT",
    ) -> str:
        uid = derived_id("Unit", self.county, name)
        await writes.upsert(
            self.store, "Unit", [(uid, {"name": name, "kind": kind, "countyId": self.county})]
        )
        await link(
            self.store,
            "Unit",
            "IN_COUNTY",
            "County",
            [{"start": uid, "end": self.county, "props": {}}],
        )
        rows = [
            {"start": uid, "end": self.communities[c], "props": {"lead": c in lead}}
            for c in (*liaises, *lead)
        ]
        await link(self.store, "Unit", "LIAISES_WITH", "Community", rows)
        for community in agreements:
            aid = derived_id("Agreement", uid, community)
            await writes.upsert(
                self.store,
                "Agreement",
                [
                    (
                        aid,
                        {
                            "title": f"{name}共建协议",
                            "unitId": uid,
                            "communityId": self.communities[community],
                        },
                    )
                ],
            )
            await link(
                self.store, "Unit", "SIGNED", "Agreement", [{"start": uid, "end": aid, "props": {}}]
            )
            await link(
                self.store,
                "Agreement",
                "WITH",
                "Community",
                [{"start": aid, "end": self.communities[community], "props": {}}],
            )
        await link(
            self.store,
            "Unit",
            "LOCATED_IN",
            "Community",
            [{"start": uid, "end": self.communities[c], "props": {}} for c in located],
        )
        return uid

    async def resource(
        self,
        unit: str,
        name: str,
        category: str,
        description: str = "",
        *,
        capacity: int = 3,
        allocated: int = 0,
        scope: str | None = None,
        status: str = "AVAILABLE",
    ) -> str:
        """``scope``: a community or street name, or None for the whole county."""
        rid = derived_id("Resource", unit, name)
        props = {
            "name": name,
            "category": category,
            "description": description,
            "capacity": capacity,
            "allocated": allocated,
            "status": status,
            "unitId": unit,
        }
        await writes.upsert(self.store, "Resource", [(rid, props)])
        await link(
            self.store, "Unit", "OFFERS", "Resource", [{"start": unit, "end": rid, "props": {}}]
        )
        if scope is None:
            await link(
                self.store,
                "Resource",
                "AVAILABLE_IN",
                "County",
                [{"start": rid, "end": self.county, "props": {}}],
            )
        elif scope in self.communities:
            await link(
                self.store,
                "Resource",
                "AVAILABLE_IN",
                "Community",
                [{"start": rid, "end": self.communities[scope], "props": {}}],
            )
        else:
            sid = next(s for s, n in self.streets.items() if n == scope)
            await link(
                self.store,
                "Resource",
                "AVAILABLE_IN",
                "Street",
                [{"start": rid, "end": sid, "props": {}}],
            )
        return rid

    async def demand(
        self,
        community: str,
        title: str,
        category: str,
        description: str = "",
        *,
        matter: str = "PRACTICAL",
        urgency: str = "NORMAL",
        status: str = "OPEN",
    ) -> str:
        cid = self.communities[community]
        did = derived_id("Demand", cid, title)
        props = {
            "title": title,
            "description": description,
            "category": category,
            "matterClass": matter,
            "urgency": urgency,
            "status": status,
            "communityId": cid,
            "placeId": cid,
        }
        await writes.upsert(self.store, "Demand", [(did, props)])
        await link(
            self.store, "Demand", "FOR", "Community", [{"start": did, "end": cid, "props": {}}]
        )
        return did

    async def project(
        self,
        name: str,
        community: str,
        *,
        lead: str | None = None,
        joined: tuple[str, ...] = (),
        status: str = "DONE",
        start: str | None = "2024-03-01",
        score: float | None = None,
    ) -> str:
        pid = derived_id("Project", self.communities[community], name)
        props: dict[str, Any] = {
            "name": name,
            "projectClass": "PARTY_BUILDING",
            "status": status,
            "communityId": self.communities[community],
        }
        if start:
            props["startDate"] = start
        await writes.upsert(self.store, "Project", [(pid, props)])
        await link(
            self.store,
            "Project",
            "IN",
            "Community",
            [{"start": pid, "end": self.communities[community], "props": {}}],
        )
        if lead:
            await link(
                self.store, "Project", "LED_BY", "Unit", [{"start": pid, "end": lead, "props": {}}]
            )
        await link(
            self.store,
            "Project",
            "JOINED_BY",
            "Unit",
            [{"start": pid, "end": u, "props": {}} for u in joined],
        )
        if score is not None:
            eid = derived_id("Evaluation", pid)
            await writes.upsert(
                self.store,
                "Evaluation",
                [(eid, {"kind": "RESIDENT", "targetId": pid, "score": score})],
            )
            await link(
                self.store,
                "Evaluation",
                "EVALUATES",
                "Project",
                [{"start": eid, "end": pid, "props": {}}],
            )
        return pid

    async def role(
        self, kind: str, person: str, place_label: str, place_id: str, *, until: str | None = None
    ) -> str:
        per = derived_id("Person", person)
        rid = derived_id("Role", kind, place_id, person)
        await writes.upsert(self.store, "Person", [(per, {"name": person})])
        props: dict[str, Any] = {"kind": kind, "personId": per, "placeId": place_id}
        if until:
            props["until"] = until
        await writes.upsert(self.store, "Role", [(rid, props)])
        await link(self.store, "Person", "HOLDS", "Role", [{"start": per, "end": rid, "props": {}}])
        await link(
            self.store, "Role", "AT", place_label, [{"start": rid, "end": place_id, "props": {}}]
        )
        return rid

    async def compound(self, community: str, name: str) -> str:
        cid = derived_id("Compound", self.communities[community], name)
        await writes.upsert(
            self.store,
            "Compound",
            [(cid, {"name": name, "communityId": self.communities[community]})],
        )
        await link(
            self.store,
            "Compound",
            "PART_OF",
            "Community",
            [{"start": cid, "end": self.communities[community], "props": {}}],
        )
        return cid
