"""Who may see a notice: the one rule the subscription filters with.

A unit operator sees the notices addressed to its unit; every place-scoped role
(city, county, street, community admins, grid workers, viewers) the notices whose
place lies in its scope; an anonymous caller none.

    >>> from access.principal import AccessRole, Principal
    >>> from notices.model import Notice
    >>> n = Notice("ntc_1", "DISPATCHED", 0, 1, unit_id="unit_a", county="510522000000",
    ...            street="510522001000", community="510522001006")
    >>> visible(Principal("s", AccessRole.UNIT_OPERATOR, "unit_a", county="510522000000"), n)
    True
    >>> visible(Principal("s", AccessRole.STREET_ADMIN, "510522002000"), n)
    False
"""

from __future__ import annotations

from access.principal import AccessRole, Principal, within
from notices.model import Notice


def visible(principal: Principal, notice: Notice) -> bool:
    """Whether ``principal`` may receive ``notice``."""
    if principal.role is None or principal.scope is None:
        return False
    if principal.role is AccessRole.UNIT_OPERATOR:
        return notice.unit_id is not None and notice.unit_id == principal.scope
    place = notice.place
    return place is not None and within(place, principal.scope)
