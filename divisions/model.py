"""Frozen result types of the division index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from divisions.codes import Level, short_code
from divisions.names import display_name

__all__ = ["DeclaredCommunity", "Division", "MatchedBy", "Resolution", "Status"]

Status = Literal["match", "ambiguous", "miss"]
MatchedBy = Literal["code", "exact", "body", "stem", "loose"]
"""How a match was made: the code itself; the name as written (after NFKC and
whitespace removal); without the office or committee word (办事处, 居委会 ...); by
stem (also without 社区, 街道, 镇, 县 ...); by stem once bracketed remarks are dropped."""


@dataclass(frozen=True, slots=True)
class Division:
    """One division: a province, city, county, street or community."""

    code: str
    """12 digits, e.g. ``"510522001006"``."""
    name: str
    """Official name as published in 2023 (or as declared), e.g. 桂圆林社区居民委员会."""
    level: Level
    ancestors: tuple[str, ...]
    """12-digit codes from the province down to the immediate parent."""
    declared: bool = False
    """Added through :meth:`DivisionIndex.with_declared`, not in the 2023 list."""
    provisional: bool = False
    """Declared without a code: ``code`` is a local placeholder in the unused 901-999 range."""

    @property
    def parent_code(self) -> str | None:
        return self.ancestors[-1] if self.ancestors else None

    @property
    def county_code(self) -> str | None:
        """12-digit code of the county (itself for a county), None above."""
        return self.code[:6] + "000000" if self.level.depth >= Level.COUNTY.depth else None

    @property
    def street_code(self) -> str | None:
        """12-digit code of the street (itself for a street), None above."""
        return self.code[:9] + "000" if self.level.depth >= Level.STREET.depth else None

    @property
    def short_code(self) -> str:
        """Code at natural length: 510522, 510522001, 510522001006."""
        return self.code[:6] if self.level is Level.COUNTY else short_code(self.code)

    @property
    def short_name(self) -> str:
        """桂圆林社区居民委员会 -> 桂圆林社区; other names unchanged."""
        return display_name(self.name)

    def __str__(self) -> str:
        return f"{self.short_name}({self.code})"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of resolving a name: a match, an ambiguity, or a miss.

    ``reason`` is one Chinese sentence fit to show a person, e.g.
    未找到社区“桂园林”（合江县符阳街道）；最接近的有：桂圆林社区(510522001006).
    """

    query: str
    level: Level
    status: Status
    reason: str
    division: Division | None = None
    """The match; None unless ``status == "match"``."""
    candidates: tuple[Division, ...] = ()
    """Ambiguity: every division the name fits.  Miss: up to 5 nearest names."""
    matched_by: MatchedBy | None = None

    @property
    def ok(self) -> bool:
        return self.status == "match"

    @property
    def code(self) -> str | None:
        return self.division.code if self.division is not None else None

    def unwrap(self) -> Division:
        """The matched division, or ``LookupError(reason)``."""
        if self.division is None:
            raise LookupError(self.reason)
        return self.division


@dataclass(frozen=True, slots=True)
class DeclaredCommunity:
    """A community a roster declares that the 2023 list may not have.

    ``street_code`` is the street it belongs to (any accepted code form); ``code`` is its
    12-digit code if the roster gives one.
    """

    name: str
    street_code: str
    code: str | None = None
