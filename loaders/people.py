"""People named in rosters, identified once every row of a load is planned.

A person with a phone is known by name and phone. A name without a phone (a
building's grid worker, a unit's party head) is the person with a phone of the
same name who appears in the same place (community, street or unit) in this
load, when there is exactly one; otherwise a person known by name and place.
Rows refer to people through tokens until then, so the answer does not depend
on the order of files and a second load of the same files changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.ids import derived_id
from loaders.plan import RowPlan

_PLACEHOLDER = "?person:"


@dataclass(frozen=True)
class PersonRef:
    token: str
    name: str
    phone: str | None
    #: where the person appears: community or street codes, unit ids; the first is the main one
    areas: tuple[str, ...]


class People:
    """The people a load names, and their ids once all are known."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, plan: RowPlan, name: str, phone: str | None, *areas: str | None) -> str:
        """A Person node for the row; returns the token standing for its id."""
        self.count += 1
        token = f"{_PLACEHOLDER}{self.count}"
        plan.people.append(PersonRef(token, name, phone, tuple(a for a in areas if a)))
        props: dict[str, Any] = {"name": name}
        if phone:
            props["phone"] = phone
        plan.node("Person", token, props)
        return token

    @staticmethod
    def resolve(refs: Sequence[PersonRef]) -> dict[str, str]:
        """Token -> person id."""
        known: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        ids: dict[str, str] = {}
        for ref in refs:
            if ref.phone:
                person = derived_id("Person", ref.name, ref.phone.split("、")[0])
                ids[ref.token] = person
                for area in ref.areas:
                    known[ref.name][area].add(person)
        for ref in refs:
            if ref.phone:
                continue
            near = {p for area in ref.areas for p in known.get(ref.name, {}).get(area, ())}
            if len(near) == 1:
                ids[ref.token] = next(iter(near))
            else:
                ids[ref.token] = derived_id("Person", ref.name, ref.areas[0] if ref.areas else "")
        return ids

    @staticmethod
    def apply(plans: Sequence[RowPlan]) -> None:
        """Put the people's ids in place of their tokens in every (accepted) plan."""
        ids = People.resolve([ref for plan in plans for ref in plan.people])
        if not ids:
            return

        def real(value: Any) -> Any:
            return ids.get(value, value) if isinstance(value, str) else value

        for plan in plans:
            plan.nodes = [
                (label, real(node_id), {k: real(v) for k, v in props.items()})
                for label, node_id, props in plan.nodes
            ]
            for links in plan.links:
                links.owner = real(links.owner)
                links.targets = {real(t): props for t, props in links.targets.items()}
            plan.people = []
