"""What every caller reads, across counties: the configured shared list.

Tenancy (``access.policy.readable_scope``) keeps each county's demands, resources,
units, projects, people, records and audit trail inside the county. Some facts are
public by nature and shared across counties; they are listed here, as data, and in the
README (*Who reads what*):

- the division tree: counties, streets and communities (names and codes, as the
  statistics bureau publishes them) and the compounds, buildings and grids below them
  (their names); what hangs off a place (its demands, units, people ...) keeps its own
  scope;
- statistics of a county, a city or the whole graph (``statistics(scope:)`` at county
  level or above, or without a scope): counts only, nothing that names an object.
  Statistics of a street or community are read inside the read scope only.
"""

from __future__ import annotations

from domain import models

#: model types every caller reads (the division tree)
SHARED_MODELS: tuple[type[models.Node], ...] = (
    models.County,
    models.Street,
    models.Community,
    models.Compound,
    models.Building,
    models.Grid,
)

#: division levels whose statistics every caller reads (None: the whole graph)
SHARED_STATISTICS: frozenset[str | None] = frozenset({"City", "County", None})

#: what the README's *Who reads what* section lists as shared
SHARED_LIST: tuple[str, ...] = (
    "区划树: 县/区、街道/乡镇、社区的名称与统计用区划代码，及其下小区、楼栋、网格的名称 "
    "(the division tree: names and codes of counties, streets, communities; names of "
    "compounds, buildings, grids)",
    "县级及以上统计: statistics(scope) 为县、市或全部时的计数 (county-level and higher "
    "statistics: counts only)",
)

__all__ = ["SHARED_LIST", "SHARED_MODELS", "SHARED_STATISTICS"]


def read_markdown() -> str:
    """The read rules as Markdown, worked out from ``access.policy`` itself (a sample
    principal per role): the README's *Who reads what* table, then the shared list.

    >>> "| VIEWER |" in read_markdown()
    True
    """
    from access.policy import personal_scope, readable_scope  # noqa: PLC0415
    from access.principal import AccessRole, Principal  # noqa: PLC0415

    scopes = {
        AccessRole.CITY_ADMIN: "510500000000", AccessRole.COUNTY_ADMIN: "510522000000",
        AccessRole.STREET_ADMIN: "510522001000", AccessRole.COMMUNITY_ADMIN: "510522001006",
        AccessRole.GRID_WORKER: "510522001006", AccessRole.VIEWER: "510522001006",
        AccessRole.UNIT_OPERATOR: "unit_a",
    }  # fmt: skip
    lines = [
        "| role (scope) | reads | personal data unmasked, filters and sorts over it |",
        "|---|---|---|",
    ]
    for role, scope in scopes.items():
        county = "510522000000" if role is AccessRole.UNIT_OPERATOR else None
        p = Principal("x", role, scope, county=county)
        read = readable_scope(p, liaisons=["510522001008"])
        mine = personal_scope(p)
        lines.append(f"| {role.value} ({scope}) | {_say(read)} | {_say(mine) or '–'} |")
    lines.append("| anonymous | nothing (with GONGJIAN_PUBLIC_READ=1: everything but "
                 "personal data, for every caller) | – |")  # fmt: skip
    lines += ["", "Shared with every caller, across counties:", ""]
    lines += [f"- {item}" for item in SHARED_LIST]
    return "\n".join(lines)


def _say(scope: object) -> str:
    roots = getattr(scope, "roots", ())
    units = getattr(scope, "units", ())
    parts = [f"everything under {r}" for r in roots]
    parts += [f"unit {u}'s own objects" for u in units]
    if units and roots:
        parts[0] = f"the communities its unit liaises with ({', '.join(roots)})"
        parts = parts[:1] + parts[len(roots) :]
    return "; ".join(parts)
