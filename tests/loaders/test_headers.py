"""Header rows: found under titles and notes, read through spaces, brackets and synonyms."""

from __future__ import annotations

import pytest

from loaders.headers import detect, norm, variants
from loaders.kinds import KINDS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("联系电话（手机）", "联系电话"),
        ("县(市、区)", "县"),
        ("街道（乡镇）", "街道"),
        ("单 位 名 称", "单位名称"),
        ("单位　类型", "单位类型"),
        ("*资源名称：", "资源名称"),
        ("服务时长【小时】", "服务时长"),
        ("(备注)", "(备注)"),
        (None, ""),
    ],
)
def test_norm(raw: object, expected: str) -> None:
    assert norm(raw) == expected


SPECS = [kind.spec for kind in KINDS.values()]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("镇（街道）", ["镇", "镇街道", "街道"]),
        ("县(市、区)", ["县", "县市、区", "市、区"]),
        ("社区", ["社区"]),
        ("备注【联系电话】", ["备注", "备注联系电话", "联系电话"]),
    ],
)
def test_variants(raw: str, expected: list[str]) -> None:
    assert variants(raw) == expected


def test_a_header_read_by_the_words_in_its_brackets() -> None:
    """镇（街道） is no synonym, 镇 neither in some kinds: its bracket says 街道."""
    found = detect([["序号", "片区（街道）", "社区", "需求事项", "急缓", "提出时间"]], SPECS)
    assert found is not None and found.kind == "demands"
    assert found.columns == {
        "street": 1,
        "community": 2,
        "title": 3,
        "urgency": 4,
        "collectedOn": 5,
    }
    assert found.ignored == ["序号"]


def test_header_under_title_and_notes() -> None:
    rows = [
        ["合江县资源清单", "合江县资源清单", "合江县资源清单"],
        ["填报单位：县委组织部", "", ""],
        ["单位", "资源名称", "类别", "手机", "序号"],
        ["合江县民政局", "困难群众临时救助", "扶贫帮困", "", "1"],
    ]
    match = detect(rows, SPECS)
    assert match is not None
    assert (match.kind, match.row) == ("resources", 2)
    assert match.columns == {"unit": 0, "name": 1, "category": 2, "contactPhone": 3}
    assert match.written["contactPhone"] == "手机"
    assert match.ignored == ["序号"]


def test_two_row_header_from_merged_cells() -> None:
    rows = [
        ["街道", "社区", "小区", "楼栋", "两长两员", "两长两员", "联系电话"],
        ["街道", "社区", "小区", "楼栋", "楼栋长", "网格员", "联系电话"],
        ["符阳街道", "桂圆林社区", "利城半岛", "1栋", "龙春亮", "陆远明", "15086870432"],
    ]
    match = detect(rows, SPECS)
    assert match is not None
    assert (match.kind, match.row) == ("buildings", 1)
    assert match.columns == {
        "street": 0, "community": 1, "compound": 2, "building": 3, "heads": 4, "workers": 5,
        "phone": 6,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (
            ["县", "街道", "社区", "小区", "职务", "姓名", "单位及职务", "联系电话", "任职日期"],
            "roles",
        ),
        (["姓名", "工作单位", "居住社区", "认领服务项目", "服务时长", "联系电话"], "members"),
        (["县(市、区)", "街道(乡镇)", "社区", "区划代码", "户数", "常住人口"], "divisions"),
        (["单位名称", "单位类型", "所属县", "联系社区", "牵头社区"], "units"),
        (["社区名称", "需求标题", "事项类型"], "demands"),
        (["项目名称", "项目类别", "社区"], "projects"),
    ],
)
def test_kind_from_headers(header: list[str], kind: str) -> None:
    match = detect([header], SPECS)
    assert match is not None
    assert match.kind == kind


def test_no_header() -> None:
    assert detect([["说明"], ["本表由社区填报"]], SPECS) is None
    assert detect([], SPECS) is None
