"""The roster kinds, in the order a load writes them: each may refer to the ones before."""

from __future__ import annotations

from loaders.kinds import buildings, demands, divisions, members, projects, resources, roles, units
from loaders.kinds.base import Kind

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        divisions.KIND,
        units.KIND,
        resources.KIND,
        roles.KIND,
        buildings.KIND,
        members.KIND,
        demands.KIND,
        projects.KIND,
    )
}
#: the kinds' names, in load order
ROSTER_KINDS: tuple[str, ...] = tuple(KINDS)

__all__ = ["KINDS", "ROSTER_KINDS", "Kind"]
