"""Unit names as rosters shorten them: 区住建局 is 纳溪区住房和城乡建设局.

A reference to a unit (a resource's unit, a project's lead) may drop the county's
name, write only the county's kind word (区, 县, 市, 旗) or use the common short
form of a department's name. :func:`keys` gives the forms two names of one unit
share, within one county; the loaders use them only when the name as written
matches no unit.
"""

from __future__ import annotations

import functools

from divisions import KIND_WORDS, kind_word
from divisions.names import county_body, county_stem
from loaders.cells import key

#: common short forms of department names, and what they stand for
SHORT_FORMS = {
    "住建局": "住房和城乡建设局", "人社局": "人力资源和社会保障局", "卫健局": "卫生健康局",
    "卫健委": "卫生健康委员会", "发改局": "发展和改革局", "发改委": "发展和改革委员会",
    "经信局": "经济和信息化局", "教体局": "教育和体育局", "市监局": "市场监督管理局",
    "市场监管局": "市场监督管理局", "交通局": "交通运输局", "应急局": "应急管理局",
    "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "农业局": "农业农村局",
    "环保局": "生态环境局", "科技局": "科学技术局", "自然资源局": "自然资源和规划局",
    "城管局": "城市管理局", "执法局": "综合行政执法局", "审批局": "行政审批局",
    "妇联": "妇女联合会", "残联": "残疾人联合会", "科协": "科学技术协会",
    "工商联": "工商业联合会", "文联": "文学艺术界联合会", "侨联": "归国华侨联合会",
    "红会": "红十字会", "团委": "共青团委员会", "组织部": "委组织部", "宣传部": "委宣传部",
    "统战部": "委统战部", "政法委": "委政法委员会",
    # the 委员会 of municipalities' counties (重庆 ...)
    "住建委": "住房和城乡建设委员会", "教委": "教育委员会", "经信委": "经济和信息化委员会",
    "商务委": "商务委员会", "民宗委": "民族宗教事务委员会", "卫计委": "卫生和计划生育委员会",
}  # fmt: skip
_SHORT = sorted(SHORT_FORMS.items(), key=lambda item: -len(item[0]))


def _expand(text: str) -> str:
    for short, full in _SHORT:
        if text.endswith(short) and not text.endswith(full):
            return text[: -len(short)] + full
    return text


@functools.lru_cache(maxsize=1 << 14)
def keys(name: str, county: str) -> frozenset[str]:
    """The forms of a unit name within a county (its official name ``county``).

    >>> bool(keys("区住建局", "纳溪区") & keys("中共纳溪区住房和城乡建设局", "纳溪区"))
    True
    >>> bool(keys("住建委", "石柱土家族自治县") & keys("石柱县住房和城乡建设委员会", "石柱土家族自治县"))
    True
    """
    text = key(name).removeprefix("中共")
    forms = {text}
    stem = key(county_stem(county))
    # 石柱县 for 石柱土家族自治县: the stem and the kind word, the ethnic words dropped
    short = stem + kind_word(county) if stem else ""
    for prefix in dict.fromkeys((key(county), key(county_body(county)), short, stem)):
        if prefix and text.startswith(prefix) and len(text) > len(prefix):
            forms.add(text[len(prefix) :])
    if text[:1] in KIND_WORDS and len(text) > 2:
        forms.add(text[1:])
    return frozenset(_expand(form) for form in forms if form)
