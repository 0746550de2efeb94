#!/usr/bin/env python3
"""Check the demo rosters and the matching-eval set (stdlib only).

Usage: python3 demo/check_refs.py
Checks that every CSV parses with the csv module, carries the canonical header,
uses the canonical vocabularies, and that every cross-reference resolves inside
its own folder (communities, streets, units, resource names, demand titles,
member names). Exits 1 if any error is found.
"""

import csv
import datetime
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: the rosters ship inside the package (gongjian serve --demo loads them from there)
ROSTERS = os.path.join(ROOT, "app", "demo_rosters")

HEADERS = {
    "divisions": ["县(市、区)", "街道(乡镇)", "社区", "区划代码", "户数", "常住人口"],
    "units": [
        "单位名称",
        "单位类型",
        "所属县",
        "联系社区",
        "牵头社区",
        "党组织名称",
        "党组织负责人",
        "联系电话",
    ],
    "resources": [
        "单位名称",
        "资源名称",
        "资源类别",
        "资源描述",
        "数量",
        "计量单位",
        "服务范围",
        "可提供时间",
        "联系人",
        "联系电话",
    ],
    "demands": [
        "街道",
        "社区",
        "小区",
        "楼栋",
        "需求标题",
        "需求描述",
        "需求类别",
        "事项类型",
        "紧急程度",
        "受益户数",
        "收集人",
        "收集日期",
        "来源",
    ],
    "buildings": [
        "街道",
        "社区",
        "小区",
        "楼栋",
        "户数",
        "楼栋长",
        "党小组长",
        "网格员",
        "双报到党员",
        "联系电话",
    ],
    "roles": ["县", "街道", "社区", "小区", "职务", "姓名", "单位及职务", "联系电话", "任职日期"],
    "members": ["姓名", "工作单位", "居住社区", "认领服务项目", "服务时长", "联系电话"],
    "projects": [
        "项目名称",
        "项目类别",
        "社区",
        "需求",
        "资源",
        "牵头单位",
        "参与单位",
        "状态",
        "开始日期",
        "完成日期",
    ],
}
LABELED = [
    "编号",
    "社区",
    "需求标题",
    "需求描述",
    "需求类别",
    "事项类型",
    "紧急程度",
    "应服务单位",
    "说明",
]

UNIT_TYPES = {"县级部门", "国有企业", "公共服务企业", "驻区单位", "社会组织", "物业企业"}
CATEGORIES = {
    "场地阵地",
    "资金",
    "人员力量",
    "专业技术",
    "设施设备",
    "医疗卫生",
    "教育培训",
    "就业创业",
    "文体活动",
    "扶贫帮困",
    "养老托幼",
    "环境整治",
    "基础设施",
    "物业管理",
    "平安法治",
    "交通出行",
    "政务服务",
    "志愿服务",
    "党建引领",
}
CLASSES = {"大事", "实事", "要事", "急事", "难事"}
URGENCY = {"一般", "紧急"}
SOURCES = {"网格员走访", "居民点单", "联席会议", "12345热线", "入户调查"}
PROJECT_CLASSES = {"党建引领", "文体活动", "扶贫帮困", "医疗卫生", "志愿服务"}
PROJECT_STATES = ["点单", "派单", "接单", "实施", "完成", "评价"]
ROLE_POSTS = {
    "第一书记",
    "街道党工委书记",
    "社区党委书记",
    "兼职副书记",
    "小区党支部书记",
    "网格党支部书记",
    "楼栋党小组长",
    "红色物业党支部书记",
}
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$")
SEP = "、"

errors = []
notes = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def split(cell):
    return [x.strip() for x in cell.split(SEP) if x.strip()]


def read(path, header):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    name = os.path.relpath(path, ROOT)
    if not rows:
        err(name, "empty file")
        return []
    if rows[0] != header:
        err(name, f"header {rows[0]} != {header}")
    out = []
    for i, r in enumerate(rows[1:], 2):
        if len(r) != len(header):
            err(f"{name}:{i}", f"{len(r)} cells, expected {len(header)}")
            continue
        out.append((i, dict(zip(header, r, strict=False))))
    return out


def is_date(s):
    try:
        datetime.date.fromisoformat(s)
        return re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) is not None
    except ValueError:
        return False


def pos_int(s):
    return s.isdigit() and int(s) > 0


def check_units(name, rows, comms, require_links=None):
    units = {}
    lead_of = Counter()
    links = Counter()
    for i, r in rows:
        w = f"{name}:{i}"
        n = r["单位名称"]
        if n in units:
            err(w, f"duplicate unit {n}")
        units[n] = r
        if r["单位类型"] not in UNIT_TYPES:
            err(w, f"bad 单位类型 {r['单位类型']}")
        ln, ld = split(r["联系社区"]), split(r["牵头社区"])
        for c in ln + ld:
            if c not in comms:
                err(w, f"unknown community {c}")
        for c in ld:
            if c not in ln:
                err(w, f"lead community {c} not in 联系社区")
            lead_of[c] += 1
        for c in ln:
            links[c] += 1
        if not PHONE.match(r["联系电话"]):
            err(w, f"bad phone {r['联系电话']}")
    for c in comms:
        if lead_of[c] != 1:
            err(name, f"{c} has {lead_of[c]} lead units (expected exactly 1)")
        if require_links and not (require_links[0] <= links[c] <= require_links[1]):
            err(
                name,
                f"{c} linked to {links[c]} units (expected {require_links[0]}-{require_links[1]})",
            )
    return units, links


def check_scope(w, scope, streets, comms):
    if scope == "全县":
        return
    for s in split(scope):
        if s not in streets and s not in comms:
            err(w, f"服务范围 {s} is neither 全县, a street nor a community")


def check_resources(name, rows, units, streets, comms):
    names = {}
    for i, r in rows:
        w = f"{name}:{i}"
        if r["单位名称"] not in units:
            err(w, f"unknown unit {r['单位名称']}")
        if r["资源名称"] in names:
            err(w, f"duplicate resource name {r['资源名称']}")
        names[r["资源名称"]] = r
        if r["资源类别"] not in CATEGORIES:
            err(w, f"bad 资源类别 {r['资源类别']}")
        if not pos_int(r["数量"]):
            err(w, f"数量 not a positive integer: {r['数量']}")
        check_scope(w, r["服务范围"], streets, comms)
        if r["联系电话"] and not PHONE.match(r["联系电话"]):
            err(w, f"bad phone {r['联系电话']}")
    return names


def check_county(folder, require_links):
    base = os.path.join(ROSTERS, folder)
    data = {k: read(os.path.join(base, k + ".csv"), h) for k, h in HEADERS.items()}
    comms, streets, county = {}, set(), set()
    for i, r in data["divisions"]:
        w = f"app/demo_rosters/{folder}/divisions.csv:{i}"
        comms[r["社区"]] = r["街道(乡镇)"]
        streets.add(r["街道(乡镇)"])
        county.add(r["县(市、区)"])
        if not re.fullmatch(r"\d{12}", r["区划代码"]):
            err(w, f"区划代码 not 12 digits: {r['区划代码']}")
        if not (pos_int(r["户数"]) and pos_int(r["常住人口"])):
            err(w, "户数/常住人口 must be positive integers")
    units, _links = check_units(
        f"app/demo_rosters/{folder}/units.csv", data["units"], comms, require_links
    )
    for i, r in data["units"]:
        if r["所属县"] not in county:
            err(
                f"app/demo_rosters/{folder}/units.csv:{i}", f"所属县 {r['所属县']} not in divisions"
            )
    res = check_resources(
        f"app/demo_rosters/{folder}/resources.csv", data["resources"], units, streets, comms
    )

    def place(w, r, street_key="街道"):
        c = r["社区"]
        if c not in comms:
            err(w, f"unknown community {c}")
        elif r[street_key] != comms[c]:
            err(w, f"{c} is in {comms[c]}, not {r[street_key]}")

    dem = {}
    for i, r in data["demands"]:
        w = f"app/demo_rosters/{folder}/demands.csv:{i}"
        place(w, r)
        if r["需求标题"] in dem:
            err(w, f"duplicate demand title {r['需求标题']}")
        dem[r["需求标题"]] = r
        for k, voc in (
            ("需求类别", CATEGORIES),
            ("事项类型", CLASSES),
            ("紧急程度", URGENCY),
            ("来源", SOURCES),
        ):
            if r[k] not in voc:
                err(w, f"bad {k} {r[k]}")
        if not is_date(r["收集日期"]):
            err(w, f"bad date {r['收集日期']}")
        if not pos_int(r["受益户数"]):
            err(w, f"受益户数 not a positive integer: {r['受益户数']}")

    members = {}
    for i, r in data["members"]:
        w = f"app/demo_rosters/{folder}/members.csv:{i}"
        members[r["姓名"]] = r
        if r["工作单位"] not in units:
            err(w, f"unknown unit {r['工作单位']}")
        if r["居住社区"] not in comms:
            err(w, f"unknown community {r['居住社区']}")
        try:
            float(r["服务时长"])
        except ValueError:
            err(w, f"服务时长 not a number: {r['服务时长']}")
        if not PHONE.match(r["联系电话"]):
            err(w, f"bad phone {r['联系电话']}")

    compounds = set()
    no_head = no_grid = 0
    for i, r in data["buildings"]:
        w = f"app/demo_rosters/{folder}/buildings.csv:{i}"
        place(w, r)
        compounds.add((r["社区"], r["小区"]))
        if not pos_int(r["户数"]):
            err(w, "户数 must be a positive integer")
        for m in split(r["双报到党员"]):
            if m not in members:
                err(w, f"双报到党员 {m} not in members.csv")
            elif members[m]["居住社区"] != r["社区"]:
                err(w, f"双报到党员 {m} lives in {members[m]['居住社区']}, not {r['社区']}")
        if r["楼栋长"]:
            if not PHONE.match(r["联系电话"]):
                err(w, f"bad phone {r['联系电话']}")
        else:
            no_head += 1
        if not r["网格员"]:
            no_grid += 1
    notes.append(f"{folder}: buildings without 楼栋长 {no_head}, without 网格员 {no_grid}")

    posts = {c: Counter() for c in comms}
    for i, r in data["roles"]:
        w = f"app/demo_rosters/{folder}/roles.csv:{i}"
        if r["县"] not in county:
            err(w, f"unknown county {r['县']}")
        if r["职务"] not in ROLE_POSTS:
            err(w, f"bad 职务 {r['职务']}")
        if r["街道"] not in streets:
            err(w, f"unknown street {r['街道']}")
        if r["职务"] == "街道党工委书记":
            if r["社区"]:
                err(w, "street-level role must leave 社区 empty")
        else:
            place(w, r)
            if r["社区"] in posts:
                posts[r["社区"]][r["职务"]] += 1
        if r["职务"] == "小区党支部书记" and not r["小区"]:
            err(w, "小区党支部书记 without 小区")
        if not PHONE.match(r["联系电话"]):
            err(w, f"bad phone {r['联系电话']}")
        if not is_date(r["任职日期"]):
            err(w, f"bad date {r['任职日期']}")
    gaps = []
    for c, p in posts.items():
        miss = [x for x in ("第一书记", "社区党委书记", "兼职副书记", "小区党支部书记") if not p[x]]
        if miss:
            gaps.append(f"{c} lacks {'/'.join(miss)}")
    notes.append(f"{folder}: 4+N gaps: " + ("; ".join(gaps) if gaps else "none"))

    used_dem = set()
    for i, r in data["projects"]:
        w = f"app/demo_rosters/{folder}/projects.csv:{i}"
        for c in split(r["社区"]):
            if c not in comms:
                err(w, f"unknown community {c}")
        if r["项目类别"] not in PROJECT_CLASSES:
            err(w, f"bad 项目类别 {r['项目类别']}")
        if r["状态"] not in PROJECT_STATES:
            err(w, f"bad 状态 {r['状态']}")
        for d in split(r["需求"]):
            used_dem.add(d)
            if d not in dem:
                err(w, f"需求 {d} not in demands.csv")
        for x in split(r["资源"]):
            if x not in res:
                err(w, f"资源 {x} not in resources.csv")
        for u in [r["牵头单位"], *split(r["参与单位"])]:
            if u not in units:
                err(w, f"unit {u} not in units.csv")
        if not is_date(r["开始日期"]):
            err(w, f"bad 开始日期 {r['开始日期']}")
        if r["状态"] in ("完成", "评价"):
            if not is_date(r["完成日期"]):
                err(w, "finished project needs 完成日期")
            elif r["完成日期"] < r["开始日期"]:
                err(w, "完成日期 before 开始日期")
        elif r["完成日期"]:
            err(w, f"project in state {r['状态']} should have no 完成日期")
    idle = sorted(set(units) - {r["单位名称"] for _, r in data["resources"]})
    notes.append(
        f"{folder}: demands matched by a project {len(used_dem)}/{len(dem)}; units with no resource: {', '.join(idle) or 'none'}"
    )
    notes.append(f"{folder}: rows " + ", ".join(f"{k} {len(v)}" for k, v in data.items()))
    return comms


def check_eval(hejiang_comms):
    base = os.path.join(ROOT, "matching_eval")
    comms = set(hejiang_comms)
    streets = set(hejiang_comms.values())
    units, _ = check_units(
        "matching_eval/units.csv",
        read(os.path.join(base, "units.csv"), HEADERS["units"]),
        hejiang_comms,
    )
    res = check_resources(
        "matching_eval/resources.csv",
        read(os.path.join(base, "resources.csv"), HEADERS["resources"]),
        units,
        streets,
        comms,
    )
    rows = read(os.path.join(base, "labeled_demands.csv"), LABELED)
    cats, ids, titles = Counter(), set(), set()
    wrong = 0
    for i, r in rows:
        w = f"matching_eval/labeled_demands.csv:{i}"
        if r["编号"] in ids:
            err(w, f"duplicate 编号 {r['编号']}")
        ids.add(r["编号"])
        if r["需求标题"] in titles:
            err(w, f"duplicate title {r['需求标题']}")
        titles.add(r["需求标题"])
        if r["社区"] not in comms:
            err(w, f"community {r['社区']} is not a Hejiang community")
        for k, voc in (("需求类别", CATEGORIES), ("事项类型", CLASSES), ("紧急程度", URGENCY)):
            if r[k] not in voc:
                err(w, f"bad {k} {r[k]}")
        cats[r["需求类别"]] += 1
        us = split(r["应服务单位"])
        if not us:
            err(w, "no 应服务单位")
        for u in us:
            if u not in units:
                err(w, f"应服务单位 {u} not in units.csv")
        if not r["说明"]:
            err(w, "empty 说明")
        if "【类别误" in r["说明"]:
            wrong += 1
    for c in CATEGORIES:
        if cats[c] < 3:
            err("matching_eval/labeled_demands.csv", f"category {c} has {cats[c]} demands (< 3)")
    notes.append(
        f"matching_eval: units {len(units)}, resources {len(res)}, labeled demands {len(rows)}, flagged misleading category {wrong}"
    )


def main():
    hj = check_county("hejiang", (4, 8))
    check_county("zhenlai", None)
    check_eval(hj)
    for n in notes:
        print("note:", n)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
