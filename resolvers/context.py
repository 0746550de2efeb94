"""What every resolver gets: the store, the request's loaders, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from access.principal import ANONYMOUS, Principal
from graph.store import Store
from loaders.limits import FileLimits
from resolvers.batch import Loaders
from resolvers.limits import MutationLimits


@dataclass
class Context:
    store: Store
    loaders: Loaders
    max_page_size: int = 100
    #: set by the HTTP layer: the round-trip counter of this request
    round_trips: list[int] = field(default_factory=lambda: [0])
    #: who is calling (set by the HTTP layer from the bearer token)
    principal: Principal = ANONYMOUS
    #: how many items one mutation may carry (GONGJIAN_MAX_*_ITEMS)
    limits: MutationLimits = field(default_factory=MutationLimits)
    #: limits on uploaded roster files (from the settings)
    file_limits: FileLimits = field(default_factory=FileLimits)

    @classmethod
    def for_request(
        cls,
        store: Store,
        *,
        principal: Principal = ANONYMOUS,
        max_page_size: int = 100,
        limits: MutationLimits | None = None,
    ) -> Context:
        return cls(
            store=store, loaders=Loaders(store), principal=principal, max_page_size=max_page_size,
            limits=limits or MutationLimits(),
        )  # fmt: skip
