"""What one valid roster row means for the graph: nodes to upsert, links it owns.

A row *owns* a set of links of one type at one node (a unit's liaison
communities, a resource's unit): writing the row makes the graph hold exactly
that set, so a changed row replaces a link rather than adding a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

Side = Literal["start", "end"]
T = TypeVar("T")


@dataclass(frozen=True, order=True)
class RowRef:
    """A row as the sender sees it: file, sheet and the row number Excel shows."""

    file: str
    sheet: str | None
    row: int


@dataclass
class Problem:
    """Why a row cannot be loaded: the column (by key), the reason, a stable code."""

    column: str | None
    reason: str
    code: str
    value: str | None = None


class Rejected(Exception):
    """A row that cannot be loaded, with every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.reason for p in problems))
        self.problems = problems


def reject(column: str | None, reason: str, code: str, value: str | None = None) -> Rejected:
    return Rejected([Problem(column, reason, code, value)])


@dataclass
class LinkSet:
    """The complete set of ``rel`` links at ``owner`` (its start or end side)."""

    owner_label: str
    rel: str
    side: Side
    owner: str
    #: id at the other end -> relationship properties
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class RowPlan:
    ref: RowRef
    label: str
    id: str
    #: (label, id, properties); the row's own node first
    nodes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    links: list[LinkSet] = field(default_factory=list)
    #: 12-digit division codes whose County/Street/Community nodes must exist
    places: set[str] = field(default_factory=set)
    #: a warning per column key, e.g. an unknown category kept as given
    warnings: list[Problem] = field(default_factory=list)
    #: what later rows may refer to, made known once this row is accepted
    accepted: list[Callable[[], None]] = field(default_factory=list)
    #: people named by the row (``loaders.people``), identified when all rows are planned
    people: list[Any] = field(default_factory=list)

    def node(self, label: str, node_id: str, props: dict[str, Any]) -> str:
        self.nodes.append((label, node_id, props))
        return node_id

    def link(
        self,
        owner_label: str,
        rel: str,
        owner: str,
        targets: dict[str, dict[str, Any]] | list[str],
        *,
        side: Side = "start",
    ) -> None:
        wanted = targets if isinstance(targets, dict) else {t: {} for t in targets}
        self.links.append(LinkSet(owner_label, rel, side, owner, dict(wanted)))


class Checks:
    """Runs checks that may reject, collecting every problem instead of stopping at one.

    >>> checks = Checks()
    >>> checks(int, "3"), checks(lambda: (_ for _ in ()).throw(reject("a", "坏", "BAD")))
    (3, None)
    >>> [p.reason for p in checks.problems]
    ['坏']
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except Rejected as e:
            self.problems += e.problems
            return None

    def done(self) -> None:
        """Reject the row if any check failed."""
        if self.problems:
            raise Rejected(self.problems)
