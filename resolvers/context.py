"""What every resolver gets: the store, the request's loaders, the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from graph.store import Store
from resolvers.batch import Loaders


async def _allow_all(action: str, target: Any) -> None:
    """Only for library use without the HTTP app (scripts, tests of resolvers)."""


async def _no_audit(action: str, target: Any, before: Any, after: Any) -> None:
    return None


@dataclass
class Context:
    store: Store
    loaders: Loaders
    max_page_size: int = 100
    #: set by the HTTP layer: the round-trip counter of this request
    round_trips: list[int] = field(default_factory=lambda: [0])
    extra: dict[str, Any] = field(default_factory=dict)
    #: the authorization layer: raises Unauthenticated / Forbidden (set by the app)
    authorize: Callable[[str, Any], Awaitable[None]] = field(default=_allow_all)
    #: the audit trail: (action, target, before, after)
    audit: Callable[[str, Any, Any, Any], Awaitable[None]] = field(default=_no_audit)

    @classmethod
    def for_request(cls, store: Store, *, max_page_size: int = 100) -> Context:
        return cls(store=store, loaders=Loaders(store), max_page_size=max_page_size)
