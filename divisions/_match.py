"""Matching a written name against the divisions of one scope (internal)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from divisions.codes import Level, is_code, to_code12
from divisions.model import MatchedBy
from divisions.names import body_for, compact, loose, stem_for


@dataclass(frozen=True, slots=True)
class Entry:
    """A division's code with its name keys, one per matching tier."""

    code: str
    exact: str
    body: str
    stem: str
    loose: str


def make_entry(code: str, name: str, level: Level) -> Entry:
    stem = stem_for(level)
    return Entry(code, compact(name), body_for(level)(name), stem(name), loose(name, stem))


def find(
    query: str, level: Level, entries: Sequence[Entry]
) -> tuple[MatchedBy | None, list[Entry]]:
    """Entries the query names, from the first tier that finds any.

    Tiers: the code itself; exact (NFKC, no spaces); body; stem; loose.
    """
    if is_code(query):
        code = to_code12(query)
        return "code", [e for e in entries if e.code == code]
    q = make_entry("", query, level)
    tiers: tuple[tuple[MatchedBy, str], ...] = (
        ("exact", q.exact),
        ("body", q.body),
        ("stem", q.stem),
        ("loose", q.loose),
    )
    for tier, key in tiers:
        if not key:
            continue
        hits = [e for e in entries if getattr(e, tier) == key]
        if hits:
            return tier, hits
    return None, []


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest(query: str, level: Level, entries: Iterable[Entry], limit: int = 5) -> list[Entry]:
    """Up to ``limit`` entries nearest by edit distance on stems, sharing a character."""
    q = stem_for(level)(query) or compact(query)
    chars = set(q)
    ranked: list[tuple[int, int, str, Entry]] = []
    for entry in entries:
        shared = len(chars & set(entry.stem))
        if shared:
            ranked.append((levenshtein(q, entry.stem), -shared, entry.code, entry))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]
