"""A notice as delivery sees it: the typed form of a ``(:Notice)`` node."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.vocab import NoticeKind

#: the kinds the loop writes (an open vocabulary: a new kind needs no change here)
KINDS: tuple[str, ...] = tuple(kind.value for kind in NoticeKind)


@dataclass(frozen=True)
class Notice:
    """One outbox entry. ``payload`` holds no personal data (the writer's promise).

    >>> n = Notice.from_node({"id": "ntc_1", "kind": "DISPATCHED", "at": 5, "seq": 1,
    ...                       "payload": '{"title": "路灯"}'})
    >>> n.payload["title"], n.place
    ('路灯', None)
    """

    id: str
    kind: str
    at: int
    seq: int
    demand_id: str | None = None
    unit_id: str | None = None
    county: str | None = None
    street: str | None = None
    community: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> Notice:
        raw = node.get("payload")
        payload = json.loads(raw) if isinstance(raw, str) and raw else {}
        return cls(
            id=str(node["id"]), kind=str(node["kind"]), at=int(node["at"]), seq=int(node["seq"]),
            demand_id=node.get("demandId"), unit_id=node.get("unitId"),
            county=node.get("county"), street=node.get("street"),
            community=node.get("community"),
            payload=payload if isinstance(payload, dict) else {"value": payload},
        )  # fmt: skip

    @property
    def place(self) -> str | None:
        """The most precise place code the notice counts under."""
        return self.community or self.street or self.county

    def document(self) -> dict[str, Any]:
        """The JSON object a webhook receives (keys as in the graph and the GraphQL type)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "at": self.at,
            "seq": self.seq,
            "demandId": self.demand_id,
            "unitId": self.unit_id,
            "county": self.county,
            "street": self.street,
            "community": self.community,
            "payload": self.payload,
        }
