"""People and their posts: read, list, assign a role, end a role.

Names and phone numbers of people leave the API through one function, ``reveal``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from domain import models
from domain.clock import now_ms, today
from domain.errors import Conflict, InvalidInput
from domain.ids import ancestor_codes, derived_id, division_level, label_of_id, pad_division_code
from domain.vocab import BUILDING_ROLES, RoleKind
from graph.queries import people as q
from graph.queries.scope import scope_prefix as prefix_of_code
from resolvers import personal, places, units
from resolvers.context import Context
from resolvers.inputs import Input, IsoDate, Name, Text, validate
from resolvers.mutate import Step, Target, Writer, perform, refuse_missing
from resolvers.paging import Listing
from resolvers.where import Atom, Composable, compile_filter

Personal = Literal["name", "phone"]


def reveal(ctx: Context, kind: Personal, value: str | None, codes: Sequence[str]) -> str | None:
    """A person's name or phone as the caller may see it (``resolvers.personal``):
    ``codes`` are the division codes of the places the person holds posts in."""
    return personal.reveal(ctx, kind, value, codes=codes)


# -- models ------------------------------------------------------------------------------


class PersonRecord(models.Person):
    """A person, with where they hold posts and where they work."""

    codes: tuple[str, ...] = ()
    workUnitId: str | None = None


def person(row: dict[str, Any]) -> PersonRecord:
    node = dict(row["node"])
    node["codes"] = tuple(dict.fromkeys(code for code in node.get("codes") or () if code))
    return PersonRecord.model_validate(node)


def role(row: dict[str, Any]) -> models.Role:
    return models.Role.model_validate(row["node"])


class OrganizationRecord(models.PartyOrganization):
    """A party organization, with the unit it belongs to (if it is a unit's)."""

    unitId: str | None = None
    codes: list[str] = Field(default_factory=list)


def organization(row: dict[str, Any]) -> OrganizationRecord:
    return OrganizationRecord.model_validate(row["node"])


def is_active(model: models.Role, on: date | None = None) -> bool:
    """In office on the day (today): started (or no start known), not ended by then."""
    day = (on or today()).isoformat()
    return (model.since is None or model.since <= day) and (
        model.until is None or model.until > day
    )


_KIND_ORDER = {kind: index for index, kind in enumerate(RoleKind)}


def by_kind(roles: list[models.Role]) -> list[models.Role]:
    """Roles in the vocabulary's order (first secretary first), then as they came."""
    return sorted(roles, key=lambda r: _KIND_ORDER[r.kind])


# -- reads -------------------------------------------------------------------------------


async def get(ctx: Context, person_id: str) -> PersonRecord | None:
    return await ctx.loaders.one(q.PERSON_GET, person).load(person_id)


async def get_role(ctx: Context, role_id: str) -> models.Role | None:
    return await ctx.loaders.one(q.ROLE_GET, role).load(role_id)


async def get_roles(ctx: Context, role_ids: Sequence[str]) -> list[models.Role]:
    """Roles by id, in order, those that exist (one batch with every other role look-up)."""
    found = await ctx.loaders.one(q.ROLE_GET, role).load_many(list(role_ids))
    return [r for r in found if r is not None]


async def post(ctx: Context, role_id: str) -> models.Role | None:
    """One role by id through ``get_roles``: in the same batch as the lists of roles by
    id, their holders are then fetched in one batch too (a 4+N profile's posts)."""
    found = await get_roles(ctx, [role_id])
    return found[0] if found else None


async def place_of_role(ctx: Context, place_id: str) -> models.Node | None:
    """Where a post is held: a place or a party organization (None for another id)."""
    label = label_of_id(place_id)
    if label == "PartyOrganization":
        return await get_organization(ctx, place_id)
    if label not in places.PLACE_MODELS:
        return None
    return await places.get(ctx, label, place_id)


async def get_organization(ctx: Context, org_id: str) -> OrganizationRecord | None:
    return await ctx.loaders.one(q.ORG_GET, organization).load(org_id)


def scope_prefix(code: str | None, field: str = "scope") -> str:
    """The code prefix of a 6-, 9- or 12-digit scope code (``graph.queries.scope``'s rule,
    the code checked first); '' for none."""
    if not code:
        return ""
    try:
        return prefix_of_code(pad_division_code(code))
    except ValueError as e:
        raise InvalidInput(str(e), field=field) from e


class PeopleFilter(Composable):
    scope: str | None = None
    role_kinds: list[RoleKind] | None = None
    text: Text | None = Field(None, max_length=50)
    and_: list[PeopleFilter] | None = None
    or_: list[PeopleFilter] | None = None
    not_: PeopleFilter | None = None


#: the fields of a people filter as atoms of a composed (AND/OR/NOT) filter: a person
#: matches when one of their roles matches the whole filter, as without composition
ATOMS = {
    "role_kinds": Atom("roleKind", "in"),
    "text": Atom("", "text", keys=("name",), personal=True),
}


def _filter_params(f: PeopleFilter) -> dict[str, Any]:
    return {
        "scope": scope_prefix(f.scope),
        "kinds": [k.value for k in f.role_kinds] if f.role_kinds else None,
        "text": f.text or None,
        "today": today().isoformat(),
        "anyOf": compile_filter(f, ATOMS),
    }


LISTING = Listing(PeopleFilter, q.LIST, q.COUNT, q.SORT_KEYS, _filter_params, person)
search = LISTING.search


# -- assigning and ending roles ----------------------------------------------------------

#: where each post is held
POST_PLACES: dict[RoleKind, frozenset[str]] = {
    RoleKind.STREET_SECRETARY: frozenset({"Street"}),
    RoleKind.FIRST_SECRETARY: frozenset({"Community"}),
    RoleKind.COMMUNITY_SECRETARY: frozenset({"Community"}),
    RoleKind.DEPUTY_SECRETARY: frozenset({"Community"}),
    RoleKind.PART_TIME_MEMBER: frozenset({"Community"}),
    RoleKind.GRID_SECRETARY: frozenset({"Community", "Grid"}),
    RoleKind.COMPOUND_SECRETARY: frozenset({"Compound"}),
    RoleKind.PROPERTY_SECRETARY: frozenset({"Compound"}),
    RoleKind.BUILDING_HEAD: frozenset({"Building"}),
    RoleKind.GROUP_LEADER: frozenset({"Building"}),
    RoleKind.GRID_WORKER: frozenset({"Building", "Grid", "Community"}),
    RoleKind.REGISTERED_MEMBER: frozenset({"Building", "Community"}),
    RoleKind.UNIT_SECRETARY: frozenset(),
}
#: posts one person holds at a time at a place (as the roster loaders key them)
SINGLE_HOLDER = frozenset({
    RoleKind.FIRST_SECRETARY, RoleKind.STREET_SECRETARY, RoleKind.COMMUNITY_SECRETARY,
    RoleKind.COMPOUND_SECRETARY, RoleKind.PROPERTY_SECRETARY,
})  # fmt: skip
_PLACE_NAMES = {"Street": "街道", "Community": "社区", "Compound": "小区", "Building": "楼栋"}
_PLACE_NAMES |= {"Grid": "网格"}

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def _phone(value: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", value).split())
    if not _PHONE.match(text):
        raise ValueError("电话应为 11 位手机号或带区号的固定电话 (a mobile or landline number)")
    return text


Phone = Annotated[str, AfterValidator(_phone)]


class AssignRole(Input):
    person_name: Name = Field(max_length=50)
    phone: Phone | None = None
    kind: RoleKind
    place: str = Field(max_length=100, description="a street or community code, or a place id")
    title: Text | None = Field(None, max_length=200)
    unit_id: str | None = None
    since: IsoDate | None = None


class EndRole(Input):
    until: IsoDate


async def _place(ctx: Context, place: str) -> tuple[str, str, str]:
    """(label, id, area code) of the place a post is held at; area: the community or street.

    A place that does not exist is refused like one outside the caller's scope."""
    if place.isdigit():
        try:
            code = pad_division_code(place)
        except ValueError as e:
            raise InvalidInput(str(e), field="place") from e
        if await places.by_code(ctx, code) is None:
            raise refuse_missing(ctx, "ASSIGN_ROLE")
        return division_level(code), code, code
    label = label_of_id(place)
    if label not in q.SUB_PLACES:
        raise InvalidInput(
            "place 应为街道或社区的区划代码，或小区、楼栋、网格的编号 "
            "(a street or community code, or a compound, building or grid id)",
            field="place",
        )
    rows = await ctx.store.run(q.AREA[label], id=place)
    if not rows or rows[0]["community"] is None:
        raise refuse_missing(ctx, "ASSIGN_ROLE")
    return label, place, str(rows[0]["community"])


async def _person_id(ctx: Context, name: str, phone: str | None, area: str) -> str:
    """The loaders' rule: by name and phone; without a phone, the one namesake with a
    phone who holds a post in the same area, else by name and area."""
    if phone:
        return derived_id("Person", name, phone)
    rows = await ctx.store.run(q.NAMESAKES, name=name, area=area)
    if len(rows) == 1:
        return str(rows[0]["id"])
    return derived_id("Person", name, area)


def _role_id(inp: AssignRole, label: str, place_id: str) -> str:
    if inp.kind in SINGLE_HOLDER:
        return derived_id("Role", inp.kind.value, place_id)
    if inp.kind in BUILDING_ROLES and label == "Building":
        return derived_id("Role", inp.kind.value, place_id, inp.person_name)
    return derived_id("Role", inp.kind.value, place_id, inp.person_name, inp.phone or "")


async def _fresh_role(ctx: Context, role_id: str) -> models.Role | None:
    rows = await ctx.store.run(q.ROLE_GET, ids=[role_id])
    return role(rows[0]) if rows else None


def _dump(model: models.Role) -> dict[str, Any]:
    return model.model_dump(exclude={"createdAt", "updatedAt", "claimedItems", "serviceHours"})


async def assign(ctx: Context, data: dict[str, Any]) -> models.Role:
    """Give a person a post at a place; the person is created if new.

    A post one person holds at a time (a community's first secretary) must be ended
    (``endRole``) before someone else takes it. The post's role id always names its
    current holder (as the roster loaders key it); an ended role under that id is kept
    first, as history, under an id of its own.
    """
    inp = validate(AssignRole, data)
    label, place_id, area = await _place(ctx, inp.place)
    allowed = POST_PLACES[inp.kind]
    if label not in allowed:
        where = "、".join(_PLACE_NAMES[p] for p in sorted(allowed)) or "单位党组织 (由单位名册导入)"
        raise InvalidInput(f"{inp.kind.label}应设在：{where}", field="kind")
    unit = await units.locate(ctx, inp.unit_id) if inp.unit_id else None
    if inp.unit_id and unit is None:
        raise refuse_missing(ctx, "ASSIGN_ROLE")
    person_id = await _person_id(ctx, inp.person_name, inp.phone, area)
    role_id = _role_id(inp, label, place_id)
    existing = await _fresh_role(ctx, role_id)
    target = Target(
        "Role", role_id, ancestor_codes(area), unit_id=inp.unit_id,
        unit_county=unit.countyId if unit else None,
        details={"kind": inp.kind.value, "placeId": place_id, "personId": person_id},
    )  # fmt: skip

    async def run(write: Writer) -> models.Role:
        if existing is not None and existing.until is None:
            if existing.personId == person_id:
                raise Conflict(f"此人已担任该职务 (role {role_id})", field="personName")
            raise Conflict(
                f"该岗位已有人担任（职务 {role_id}）：请先免除 (endRole) 再任命 "
                "(the post is held: end that role first)",
                field="kind",
            )
        now = now_ms()
        prior: list[Step] = []
        if existing is not None:
            archive = derived_id("Role", role_id, existing.personId, existing.until or "")
            prior.append((q.ARCHIVE, {"id": role_id, "archiveId": archive, "now": now}))
        props = {
            "kind": inp.kind.value, "title": inp.title, "since": inp.since or today().isoformat(),
            "personId": person_id, "placeId": place_id, "unitId": inp.unit_id,
        }  # fmt: skip
        written = {k: v for k, v in props.items() if v is not None}
        params = {"placeId": place_id, "personId": person_id, "name": inp.person_name,
                  "phone": inp.phone, "roleId": role_id, "unitId": inp.unit_id, "now": now,
                  "props": written}  # fmt: skip
        if await write((q.ASSIGN[label], params), after=written, prior=prior) is None:
            raise refuse_missing(ctx, "ASSIGN_ROLE")
        found = await _fresh_role(ctx, role_id)
        assert found is not None, role_id
        return found

    before = _dump(existing) if existing else None
    return await perform(ctx, "ASSIGN_ROLE", target, run, before=before)


def _deepest(codes: Sequence[str]) -> str | None:
    rank = {"County": 0, "Street": 1, "Community": 2}
    known = [code for code in codes if code]
    return max(known, key=lambda code: rank[division_level(code)]) if known else None


async def end(ctx: Context, role_id: str, until: str | None) -> models.Role:
    """End a post on a day (today by default): the role stays, as history."""
    inp = validate(EndRole, {"until": until or today().isoformat()})
    found = await _fresh_role(ctx, role_id)
    if found is None:
        raise refuse_missing(ctx, "END_ROLE")
    [area] = await ctx.store.run(q.ROLE_AREA, id=role_id)
    place = _deepest(area["codes"]) or area["unitCounty"]
    unit_id = found.unitId or area["unitId"]
    unit = await units.locate(ctx, unit_id) if unit_id else None
    target = Target(
        "Role", role_id, ancestor_codes(place) if place else (), unit_id=unit_id,
        unit_county=unit.countyId if unit else None, details={"kind": found.kind.value},
    )  # fmt: skip

    async def run(write: Writer) -> models.Role:
        if found.until is not None:
            raise Conflict(f"该职务已于 {found.until} 免除 (the role has ended)", field="id")
        if found.since and inp.until < found.since:
            raise InvalidInput(
                f"免职日期不能早于任职日期 {found.since} (until is before since)", field="until"
            )
        params = {"id": role_id, "until": inp.until, "now": now_ms()}
        if await write((q.END, params), after={"until": inp.until}) is None:
            raise Conflict("该职务刚被别人免除 (ended meanwhile)", field="id")
        ended = await _fresh_role(ctx, role_id)
        assert ended is not None, role_id
        return ended

    return await perform(ctx, "END_ROLE", target, run, before=_dump(found))
