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
