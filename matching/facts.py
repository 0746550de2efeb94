"""The plain records matching works on, filled by ``resolvers.matching`` from the store
(or by a test, a benchmark or the evaluation script, without any store at all)."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.vocab import Category, MatterClass, Urgency


@dataclass(frozen=True, slots=True)
class DemandFacts:
    """A demand and where it arose (its community and that community's street and county)."""

    id: str
    title: str
    category: Category
    community_id: str
    description: str = ""
    matter_class: MatterClass = MatterClass.PRACTICAL
    urgency: Urgency = Urgency.NORMAL
    community_name: str = ""
    street_id: str | None = None
    county_id: str | None = None
    households: int | None = None
    #: 县, 区, 市 or 旗: the word the demand's county says itself with (全区, 本区 for a
    #: district; ``divisions.kind_word``), so explanations do not say 本县 to a 区
    county_word: str = "县"
    #: what is tokenized and embedded: the title, then the description
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = f"{self.title}。{self.description}" if self.description else self.title
        object.__setattr__(self, "text", text)


@dataclass(frozen=True, slots=True)
class ResourceFacts:
    """A resource on offer: what, by whom, how much is left, where it may serve.

    ``places`` are the ids of the counties, streets and communities it is available in
    (AVAILABLE_IN); ``used`` is what current projects already take of ``capacity``.
    """

    id: str
    name: str
    category: Category
    unit_id: str
    places: tuple[str, ...]
    description: str = ""
    unit_name: str = ""
    capacity: int = 1
    used: int = 0
    measure: str | None = None
    #: what is tokenized and embedded: the unit, the name, then the description
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        head = f"{self.unit_name}：{self.name}" if self.unit_name else self.name
        text = f"{head}。{self.description}" if self.description else head
        object.__setattr__(self, "text", text)

    @property
    def left(self) -> int:
        return max(self.capacity - self.used, 0)


@dataclass(frozen=True, slots=True)
class UnitFacts:
    """A unit's ties to places and its track record.

    Place sets hold community ids (``located`` may hold street ids too); only the
    places the current question is about need to be present.
    """

    id: str
    name: str = ""
    county_id: str | None = None
    liaises: frozenset[str] = field(default_factory=frozenset)
    leads: frozenset[str] = field(default_factory=frozenset)
    agreements: frozenset[str] = field(default_factory=frozenset)
    located: frozenset[str] = field(default_factory=frozenset)
    delivered: int = 0
    evaluations: tuple[float, ...] = ()
