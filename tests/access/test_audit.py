"""The audit trail on the real embedded database: append-only, scoped, paged."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access import audit
from access.policy import Action, Target
from access.principal import ANONYMOUS, AccessRole
from domain.errors import Forbidden, InvalidInput, Unauthenticated
from domain.vocab import ProjectStatus
from graph.cypher import REGISTRY
from graph.queries import access as q
from graph.queries import nodes
from graph.queries.all import load_all
from graph.store import Store
from tests.access.conftest import (
    FUYANG,
    GUIYUANLIN,
    HEJIANG,
    LINGANG,
    LUXIAN_COMMUNITY,
    UNIT_A,
    XINGLONG,
    YIYUANJIE,
    principals,
)


async def _seed(store: Store) -> dict[str, str]:
    """One entry per place and one for a resource of unit A; returns target id -> entry id."""
    admin = principals()[AccessRole.COUNTY_ADMIN]
    targets = {
        "dem_guiyuanlin": Target.at(GUIYUANLIN),
        "dem_yiyuanjie": Target.at(YIYUANJIE),
        "dem_xinglong": Target.at(XINGLONG),
        "mtg_fuyang": Target.at(FUYANG),
        "mtg_hejiang": Target.at(HEJIANG),
        "dem_luxian": Target.at(LUXIAN_COMMUNITY),
        "res_a": Target.of_unit(UNIT_A, HEJIANG),
    }
    ids = {}
    for n, (target_id, target) in enumerate(targets.items()):
        ids[target_id] = await audit.record(
            store,
            admin,
            Action.UPDATE_DEMAND,
            target_id,
            "Demand",
            target,
            {"title": "旧"},
            {"title": "新"},
            now=1_700_000_000_000 + n,
        )
    return ids


async def test_an_entry_keeps_who_when_what_before_and_after(store: Store) -> None:
    grid = principals()[AccessRole.GRID_WORKER]
    before = {"title": "停车位不足", "contactPhone": "13812341234", "households": 168}
    after = {**before, "title": "江南小区停车位不足"}
    entry_id = await audit.record(
        store, grid, Action.UPDATE_DEMAND, "dem_1", "Demand", Target.at(GUIYUANLIN), before, after
    )
    page = await audit.entries(store, GUIYUANLIN)
    [entry] = page.entries
    assert entry.id == entry_id and entry_id.startswith("aud_")
    assert (entry.actor, entry.actorRole, entry.actorScope, entry.tokenId) == (
        "网格员",
        "GRID_WORKER",
        GUIYUANLIN,
        "tok_g",
    )
    assert (entry.action, entry.targetId, entry.targetLabel) == ("UPDATE_DEMAND", "dem_1", "Demand")
    assert entry.before == before and entry.after == after
    assert entry.scopeCodes == (HEJIANG, FUYANG, GUIYUANLIN)
    assert page.end_cursor == entry_id and not page.has_next_page


async def test_variant_creation_and_removal(store: Store) -> None:
    unit = principals()[AccessRole.UNIT_OPERATOR]
    target = Target.at(GUIYUANLIN, unit=UNIT_A, unit_county=HEJIANG)
    await audit.record(
        store,
        unit,
        Action.MOVE_PROJECT,
        "prj_1",
        "Project",
        target,
        {"status": "DISPATCHED"},
        {"status": "ACCEPTED"},
        variant=ProjectStatus.ACCEPTED,
    )
    await audit.record(
        store,
        unit,
        Action.OFFER_RESOURCE,
        "res_1",
        "Resource",
        Target.of_unit(UNIT_A, HEJIANG),
        None,
        {"name": "会议室"},
    )
    entries = (await audit.entries(store, HEJIANG)).entries
    assert [(e.action, e.variant, e.before) for e in entries] == [
        ("OFFER_RESOURCE", None, None),
        ("MOVE_PROJECT", "ACCEPTED", {"status": "DISPATCHED"}),
    ]


@pytest.mark.parametrize(
    ("scope", "seen"),
    [
        (
            HEJIANG,
            {
                "dem_guiyuanlin",
                "dem_yiyuanjie",
                "dem_xinglong",
                "mtg_fuyang",
                "mtg_hejiang",
                "res_a",
            },
        ),
        (FUYANG, {"dem_guiyuanlin", "dem_yiyuanjie", "mtg_fuyang"}),
        (LINGANG, {"dem_xinglong"}),
        (GUIYUANLIN, {"dem_guiyuanlin"}),
        (LUXIAN_COMMUNITY, {"dem_luxian"}),
    ],
)
async def test_entries_within_the_scope_only(store: Store, scope: str, seen: set[str]) -> None:
    await _seed(store)
    page = await audit.entries(store, scope, first=100)
    assert {e.targetId for e in page.entries} == seen


async def test_pages_newest_first(store: Store) -> None:
    ids = await _seed(store)
    first = await audit.entries(store, HEJIANG, first=4)
    second = await audit.entries(store, HEJIANG, first=4, after=first.end_cursor)
    assert first.has_next_page and not second.has_next_page
    got = [e.id for e in first.entries + second.entries]
    wanted = sorted((v for k, v in ids.items() if k != "dem_luxian"), reverse=True)
    assert got == wanted
    by_target = await audit.entries(store, HEJIANG, target_id="res_a")
    assert [e.targetId for e in by_target.entries] == ["res_a"]
    none = await audit.entries(store, HEJIANG, action=Action.CLOSE_DEMAND, actor="组织部")
    assert none.entries == [] and none.end_cursor is None
    with pytest.raises(InvalidInput):
        await audit.entries(store, HEJIANG, first=0)


async def test_entries_for_authorizes_admins_over_their_own_scope(store: Store) -> None:
    await _seed(store)
    ps = principals()
    street = await audit.entries_for(store, ps[AccessRole.STREET_ADMIN])
    assert {e.targetId for e in street.entries} == {"dem_guiyuanlin", "dem_yiyuanjie", "mtg_fuyang"}
    for role in (AccessRole.UNIT_OPERATOR, AccessRole.GRID_WORKER, AccessRole.VIEWER):
        with pytest.raises(Forbidden):
            await audit.entries_for(store, ps[role])
    with pytest.raises(Unauthenticated):
        await audit.entries_for(store, ANONYMOUS)


async def test_values_never_reach_the_logger(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await audit.record(
            store,
            principals()[AccessRole.COUNTY_ADMIN],
            Action.ASSIGN_ROLE,
            "role_1",
            "Role",
            Target.at(GUIYUANLIN),
            None,
            {"name": "王秀英", "phone": "13812341234"},
        )
        await audit.entries(store, HEJIANG)
    assert "13812341234" not in caplog.text and "王秀英" not in caplog.text


def _changes_audit_entries(text: str) -> bool:
    """Whether a statement MERGEs an AuditEntry, or SETs, REMOVEs or DELETEs one it MATCHed.

    Setting the properties of an entry the statement CREATEs is appending.
    """
    for m in re.finditer(r"\(\s*(\w+)\s*:\s*AuditEntry\b", text):
        var = m[1]
        clause = re.findall(r"\b(CREATE|MATCH|MERGE)\b", text[: m.start()])
        if clause and clause[-1] == "CREATE":
            continue
        if clause and clause[-1] == "MERGE":
            return True
        if re.search(
            rf"\b(SET|REMOVE)\s+{var}\b|\bDELETE\b[^()]*\b{var}\b|,\s*{var}\s*(\.\w+\s*=|\+=)",
            text,
        ):
            return True
    return False


def test_no_statement_updates_or_deletes_an_audit_entry() -> None:
    load_all()
    changing = {name for name, s in REGISTRY.items() if s.write and _changes_audit_entries(s.text)}
    assert not _changes_audit_entries(q.APPEND_AUDIT.text)
    assert not _changes_audit_entries(
        "MATCH (d:Demand {id: $id}) SET d += $props WITH d "
        "CREATE (a:AuditEntry {id: $auditId}) SET a += $audit"
    )
    # graph.queries.nodes generates no upsert for AuditEntry (nodes.APPEND_ONLY)
    assert changing == set(), changing
    assert _changes_audit_entries("MATCH (x:AuditEntry {id: $id}) SET x.after = $v")
    assert _changes_audit_entries("MATCH (x:AuditEntry) DETACH DELETE x")
    assert _changes_audit_entries("MERGE (x:AuditEntry {id: $id})")
    assert not _changes_audit_entries(q.AUDIT_ENTRIES.text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target_id=st.one_of(
        st.text(max_size=200),
        st.sampled_from(["dem_1'}) DETACH DELETE n //", "a\x00b", "\ud800", "`x`", "$id"]),
    ),
    values=st.dictionaries(
        st.text(max_size=20),
        st.one_of(
            st.text(max_size=200),
            st.integers(),
            st.booleans(),
            st.none(),
            st.sampled_from(
                [
                    "'}) MATCH (n) DETACH DELETE n //",
                    "$now",
                    "\x00",
                    "\ud800",
                    "`a`",
                    "\u202e",
                    "王秀英",
                ]
            ),
        ),
        max_size=5,
    ),
)
async def test_hostile_values_are_stored_verbatim_and_nothing_else_changes(
    store: Store, target_id: str, values: dict[str, object]
) -> None:
    before_count = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    admin = principals()[AccessRole.COMMUNITY_ADMIN]
    try:
        entry_id = await audit.record(
            store,
            admin,
            Action.UPDATE_DEMAND,
            target_id,
            "Demand",
            Target.at(GUIYUANLIN),
            values,
            values,
        )
    except InvalidInput as e:
        assert e.code == "INVALID_INPUT"
        assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == before_count
        return
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == before_count + 1
    page = await audit.entries(store, GUIYUANLIN, first=1)
    [entry] = page.entries
    assert entry.id == entry_id
    assert entry.targetId == target_id and entry.before == values and entry.after == values
