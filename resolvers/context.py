"""What every resolver gets: the store, the request's loaders, the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from access.principal import ANONYMOUS, Principal
from graph.store import Store
from loaders.limits import FileLimits
from resolvers.batch import Loaders
from resolvers.limits import MutationLimits
from resolvers.reader import Reader


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
    #: what the caller may read (``resolvers.reader``); the loaders admit through it
    reader: Reader | None = None

    def __post_init__(self) -> None:
        if self.reader is None:
            self.reader = self.loaders.reader

    @property
    def read(self) -> Reader:
        """The caller's reader (the same the loaders admit through)."""
        assert self.reader is not None
        return self.reader

    @classmethod
    def for_request(
        cls,
        store: Store,
        *,
        principal: Principal = ANONYMOUS,
        max_page_size: int = 100,
        limits: MutationLimits | None = None,
        public_read: bool = False,
    ) -> Context:
        reader = Reader(store, principal, public_read=public_read)
        return cls(
            store=store, loaders=Loaders(store, reader), principal=principal,
            max_page_size=max_page_size, limits=limits or MutationLimits(), reader=reader,
        )  # fmt: skip
