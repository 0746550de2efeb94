"""Official division codes (统计用区划代码, 2023) and name resolution, standard library only.

Usage::

    from divisions import DivisionIndex
    idx = DivisionIndex.default()             # loads data/divisions-2023.tsv.gz once
    hj = idx.county("合江县").unwrap()          # Division 510522000000
    fy = idx.street(hj.code, "符阳街道办事处").unwrap()
    idx.community(fy.code, "桂圆林社区居委会").code  # '510522001006'
"""

from divisions.codes import (
    Level,
    committee_class,
    county_code,
    county_prefix,
    is_code,
    level_of,
    parent_code,
    short_code,
    street_code,
    street_prefix,
    to_code12,
)
from divisions.index import DATA_FILE, DivisionIndex
from divisions.kinds import COUNTY_KINDS, KIND_WORDS, county_kind, kind_word
from divisions.model import DeclaredCommunity, Division, MatchedBy, Resolution, Status

__all__ = [
    "COUNTY_KINDS",
    "DATA_FILE",
    "KIND_WORDS",
    "DeclaredCommunity",
    "Division",
    "DivisionIndex",
    "Level",
    "MatchedBy",
    "Resolution",
    "Status",
    "committee_class",
    "county_code",
    "county_kind",
    "county_prefix",
    "is_code",
    "kind_word",
    "level_of",
    "parent_code",
    "short_code",
    "street_code",
    "street_prefix",
    "to_code12",
]
