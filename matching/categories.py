"""Which resource categories serve which demand categories.

``compatibility(demand, resource)`` is 1 for the same category, the table's value
for a related one (a 资金 resource pays for an 基础设施 repair: 0.5), a small
general value for the all-purpose supplies (funds, staff, volunteers, expertise)
and 0 otherwise. The table is written from the seeds' cases, not fitted to labels.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from domain.vocab import Category as C

#: what any demand can use a little of: money, hands, volunteers, know-how
GENERAL: dict[C, float] = {
    C.FUNDS: 0.3,
    C.STAFF: 0.3,
    C.VOLUNTEERING: 0.3,
    C.EXPERTISE: 0.3,
    C.OTHER: 0.2,
}

#: demand category -> {resource category: how well it serves}, beyond identity and GENERAL
TABLE: dict[C, dict[C, float]] = {
    C.VENUE: {
        C.PARTY_BUILDING: 0.5,
        C.CULTURE_SPORTS: 0.5,
        C.EQUIPMENT: 0.5,
        C.FUNDS: 0.5,
        C.INFRASTRUCTURE: 0.4,
        C.GOVERNMENT_SERVICE: 0.3,
    },
    C.FUNDS: {C.POVERTY_RELIEF: 0.5, C.PARTY_BUILDING: 0.3, C.EMPLOYMENT: 0.3},
    C.STAFF: {
        C.VOLUNTEERING: 0.7,
        C.EXPERTISE: 0.5,
        C.PUBLIC_SAFETY: 0.4,
        C.EDUCATION: 0.4,
        C.PARTY_BUILDING: 0.4,
    },
    C.EXPERTISE: {
        C.STAFF: 0.5,
        C.HEALTH: 0.4,
        C.EDUCATION: 0.4,
        C.PUBLIC_SAFETY: 0.4,
        C.INFRASTRUCTURE: 0.4,
        C.ENVIRONMENT: 0.3,
    },
    C.EQUIPMENT: {
        C.INFRASTRUCTURE: 0.8,
        C.FUNDS: 0.5,
        C.PROPERTY_MANAGEMENT: 0.5,
        C.EXPERTISE: 0.5,
        C.PUBLIC_SAFETY: 0.3,
    },
    C.HEALTH: {
        C.ELDERLY_CHILDCARE: 0.6,
        C.EXPERTISE: 0.5,
        C.VOLUNTEERING: 0.4,
        C.POVERTY_RELIEF: 0.4,
        C.EDUCATION: 0.3,
        C.ENVIRONMENT: 0.3,
    },
    C.EDUCATION: {
        C.ELDERLY_CHILDCARE: 0.6,
        C.EMPLOYMENT: 0.6,
        C.VOLUNTEERING: 0.5,
        C.CULTURE_SPORTS: 0.4,
        C.VENUE: 0.4,
        C.HEALTH: 0.3,
    },
    C.EMPLOYMENT: {C.EDUCATION: 0.7, C.POVERTY_RELIEF: 0.5, C.GOVERNMENT_SERVICE: 0.3},
    C.CULTURE_SPORTS: {
        C.VENUE: 0.7,
        C.EQUIPMENT: 0.5,
        C.VOLUNTEERING: 0.5,
        C.EDUCATION: 0.4,
        C.PARTY_BUILDING: 0.3,
    },
    C.POVERTY_RELIEF: {
        C.FUNDS: 0.8,
        C.EMPLOYMENT: 0.6,
        C.VOLUNTEERING: 0.6,
        C.ELDERLY_CHILDCARE: 0.5,
        C.HEALTH: 0.5,
        C.GOVERNMENT_SERVICE: 0.4,
    },
    C.ELDERLY_CHILDCARE: {
        C.VOLUNTEERING: 0.7,
        C.HEALTH: 0.6,
        C.EDUCATION: 0.5,
        C.POVERTY_RELIEF: 0.5,
        C.VENUE: 0.4,
        C.GOVERNMENT_SERVICE: 0.3,
    },
    C.ENVIRONMENT: {
        C.INFRASTRUCTURE: 0.6,
        C.PROPERTY_MANAGEMENT: 0.6,
        C.VOLUNTEERING: 0.6,
        C.STAFF: 0.5,
        C.PUBLIC_SAFETY: 0.3,
    },
    C.INFRASTRUCTURE: {
        C.EQUIPMENT: 0.7,
        C.FUNDS: 0.6,
        C.ENVIRONMENT: 0.5,
        C.EXPERTISE: 0.5,
        C.PROPERTY_MANAGEMENT: 0.5,
        C.TRAFFIC: 0.4,
    },
    C.PROPERTY_MANAGEMENT: {
        C.PUBLIC_SAFETY: 0.5,
        C.INFRASTRUCTURE: 0.4,
        C.EQUIPMENT: 0.4,
        C.PARTY_BUILDING: 0.4,
        C.ENVIRONMENT: 0.4,
        C.GOVERNMENT_SERVICE: 0.3,
    },
    C.PUBLIC_SAFETY: {
        C.STAFF: 0.5,
        C.VOLUNTEERING: 0.5,
        C.EXPERTISE: 0.4,
        C.TRAFFIC: 0.4,
        C.PROPERTY_MANAGEMENT: 0.3,
    },
    C.TRAFFIC: {
        C.INFRASTRUCTURE: 0.6,
        C.PUBLIC_SAFETY: 0.5,
        C.ENVIRONMENT: 0.4,
        C.VOLUNTEERING: 0.3,
    },
    C.GOVERNMENT_SERVICE: {C.STAFF: 0.4, C.EXPERTISE: 0.4, C.PUBLIC_SAFETY: 0.3},
    C.VOLUNTEERING: {
        C.STAFF: 0.7,
        C.ELDERLY_CHILDCARE: 0.4,
        C.CULTURE_SPORTS: 0.3,
        C.ENVIRONMENT: 0.3,
        C.HEALTH: 0.3,
    },
    C.PARTY_BUILDING: {
        C.EDUCATION: 0.6,
        C.VENUE: 0.5,
        C.FUNDS: 0.4,
        C.STAFF: 0.4,
        C.VOLUNTEERING: 0.4,
    },
    C.OTHER: {},
}

#: an unclassified demand may be anything: every resource serves it a little
OTHER_DEMAND = 0.3

CATEGORIES: tuple[C, ...] = tuple(C)
INDEX: dict[C, int] = {category: i for i, category in enumerate(CATEGORIES)}


def compatibility(demand: C, resource: C) -> float:
    """How well a resource of one category serves a demand of another, in [0, 1].

    >>> compatibility(C.INFRASTRUCTURE, C.INFRASTRUCTURE), compatibility(C.INFRASTRUCTURE, C.FUNDS)
    (1.0, 0.6)
    >>> compatibility(C.TRAFFIC, C.HEALTH)
    0.0
    """
    if demand == resource:
        return 1.0
    specific = TABLE[demand].get(resource)
    if specific is not None:
        return specific
    if demand == C.OTHER:
        return OTHER_DEMAND
    return GENERAL.get(resource, 0.0)


@cache
def matrix() -> npt.NDArray[np.float64]:
    """compatibility as a matrix indexed by ``INDEX[demand], INDEX[resource]``."""
    out = np.zeros((len(CATEGORIES), len(CATEGORIES)))
    for d in CATEGORIES:
        for r in CATEGORIES:
            out[INDEX[d], INDEX[r]] = compatibility(d, r)
    out.setflags(write=False)
    return out


def sentence(demand: C, resource: C, value: float) -> str:
    """The planner's sentence for a category term."""
    if demand == resource:
        return f"资源类别「{resource.label}」与需求类别一致"
    if value <= 0:
        return f"资源类别「{resource.label}」不对应「{demand.label}」类需求"
    return f"「{resource.label}」类资源可支持「{demand.label}」类需求（相容度 {value:.1f}）"
