"""Controlled vocabularies: the English value stored in the graph, the Chinese
label people read, and the variants rosters actually contain.

``parse(Enum, text)`` maps any accepted variant to its member.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import Self, TypeVar

E = TypeVar("E", bound="Vocab")


class Vocab(str, Enum):  # noqa: UP042 - members carry labels and aliases
    """A str enum whose members carry a Chinese label and aliases."""

    label: str
    aliases: tuple[str, ...]

    def __new__(cls, value: str, label: str, *aliases: str) -> Vocab:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.aliases = aliases
        return member

    @classmethod
    def of(cls, value: str) -> Self:
        """The member with this value; ValueError if none.

        >>> Urgency.of("URGENT").label
        '紧急'
        """
        member = cls._value2member_map_.get(value)
        if member is None:
            raise ValueError(f"{value!r} is not a {cls.__name__}")
        return member  # type: ignore[return-value]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def parse(kind: type[E], text: str) -> E | None:
    """The member whose value, label or alias equals ``text``; None if none does.

    >>> parse(Urgency, "紧急 "), parse(Urgency, "加急"), parse(Urgency, "随便")
    (<Urgency.URGENT: 'URGENT'>, <Urgency.URGENT: 'URGENT'>, None)
    """
    wanted = _norm(text)
    for member in kind:
        if wanted in {_norm(member.value), _norm(member.label), *map(_norm, member.aliases)}:
            return member
    return None


def labels(kind: type[Vocab]) -> list[str]:
    return [member.label for member in kind]


def nearest(kind: type[E], text: str) -> E | None:
    """For a word no member spells: the member whose label or alias the word contains
    (the longest such spelling wins); None if it contains none.

    >>> nearest(UnitKind, "区属事业单位"), nearest(UnitKind, "纳溪区第一中学"), nearest(Urgency, "?")
    (<UnitKind.PUBLIC_INSTITUTION: 'PUBLIC_INSTITUTION'>, <UnitKind.PUBLIC_INSTITUTION: 'PUBLIC_INSTITUTION'>, None)
    """
    wanted = _norm(text)
    best: tuple[int, E] | None = None
    for member in kind:
        for spelling in (member.label, *member.aliases):
            word = _norm(spelling)
            if len(word) >= 2 and word in wanted and (best is None or len(word) > best[0]):
                best = (len(word), member)
    return best[1] if best else None


class UnitKind(Vocab):
    """单位类型. Any other word is kept as written (``kindGiven``), stored as the
    nearest of these (:func:`nearest`) or OTHER."""

    COUNTY_DEPARTMENT = (
        "COUNTY_DEPARTMENT",
        "县级部门",
        "县级部门(单位)",
        "县直部门",
        "部门",
        "联系部门",
        "县级单位",
        "机关单位",
        "区级部门",
        "市级部门",
        "旗级部门",
        "县(区)级部门",
        "县(市、区)级部门",
        "区直部门",
        "市直部门",
        "旗直部门",
        "区级单位",
        "市级单位",
        "县直单位",
        "区直单位",
        "市直单位",
        "机关",
        "党政机关",
        "行政机关",
        "政府部门",
        "政府工作部门",
    )
    PARTY_COMMITTEE = (
        "PARTY_COMMITTEE",
        "县委及工作机关",
        "县委",
        "县委组织部",
        "组织部",
        "区委",
        "市委",
        "旗委",
        "区委及工作机关",
        "市委及工作机关",
        "党委工作机关",
        "党委部门",
        # a committee's own offices, in every kind of county (旗委工作机关 is no 机关 of the government)
        *(f"{k}委{w}" for k in "县区市旗" for w in ("工作机关", "工作部门", "部门", "机关")),
    )
    MASS_ORGANIZATION = (
        "MASS_ORGANIZATION",
        "群团组织",
        "群团",
        "群团单位",
        "人民团体",
        "工会",
        "总工会",
        "共青团",
        "团委",
        "妇联",
        "妇女联合会",
        "残联",
        "残疾人联合会",
        "科协",
        "科学技术协会",
        "红十字会",
        "工商联",
        "文联",
        "侨联",
    )
    PUBLIC_INSTITUTION = (
        "PUBLIC_INSTITUTION",
        "事业单位",
        "学校",
        "医院",
        "中心",
        "卫生院",
        "幼儿园",
        "中学",
        "小学",
        "公益事业单位",
    )
    STATE_COMPANY = (
        "STATE_COMPANY",
        "国有企业",
        "国企",
        "县属国企",
        "区属国企",
        "市属国企",
        "国有控股企业",
        "央企",
    )
    UTILITY = "UTILITY", "公共服务企业", "公用事业单位", "水电气企业", "公共事业单位"
    NON_PUBLIC_COMPANY = (
        "NON_PUBLIC_COMPANY",
        "非公企业",
        "两新组织",
        "非公有制企业",
        "民营企业",
        "私营企业",
        "个体工商户",
    )
    FINANCIAL_INSTITUTION = (
        "FINANCIAL_INSTITUTION",
        "金融机构",
        "银行",
        "信用社",
        "农商行",
        "保险公司",
    )
    RESIDENT_UNIT = (
        "RESIDENT_UNIT",
        "驻区单位",
        "辖区单位",
        "驻社区单位",
        "驻县单位",
        "驻市单位",
        "驻旗单位",
        "驻地单位",
        "驻区部队",
        "垂直管理部门",
        "垂直管理单位",
        "垂管单位",
        "条管单位",
        "中省直单位",
        "省市驻县单位",
    )
    SOCIAL_ORGANIZATION = (
        "SOCIAL_ORGANIZATION",
        "社会组织",
        "社团",
        "民办非企业单位",
        "协会",
        "志愿者协会",
        "社会团体",
    )
    PROPERTY_COMPANY = "PROPERTY_COMPANY", "物业企业", "物业公司", "物业服务企业", "红色物业"
    OTHER = "OTHER", "其他", "其它"

    def label_in(self, word: str) -> str:
        """The label as a division of this kind word says it (县, 区, 市, 旗).

        >>> UnitKind.COUNTY_DEPARTMENT.label_in("区"), UnitKind.PARTY_COMMITTEE.label_in("旗")
        ('区级部门', '旗委及工作机关')
        """
        return word + self.label[1:] if self.label.startswith("县") else self.label


class MatterClass(Vocab):
    """五事分流: the five kinds of matter."""

    MAJOR = "MAJOR", "大事"
    PRACTICAL = "PRACTICAL", "实事"
    IMPORTANT = "IMPORTANT", "要事"
    PRESSING = "PRESSING", "急事"
    DIFFICULT = "DIFFICULT", "难事"


class Urgency(Vocab):
    # 是/否 answer a 是否紧急 column
    NORMAL = "NORMAL", "一般", "普通", "不急", "常规", "否", "不紧急", "非紧急", "一般紧急"
    URGENT = "URGENT", "紧急", "加急", "急", "特急", "是", "非常紧急", "十分紧急", "很急"


class DemandStatus(Vocab):
    OPEN = "OPEN", "待认领", "未解决", "待解决", "新提交", "收集"
    MATCHED = "MATCHED", "已匹配", "已立项"
    RESOLVED = "RESOLVED", "已解决", "已完成", "办结"
    CLOSED = "CLOSED", "已关闭", "关闭", "撤销"


class ResourceStatus(Vocab):
    AVAILABLE = "AVAILABLE", "可提供", "可用"
    WITHDRAWN = "WITHDRAWN", "已撤回", "撤回", "停用"


class ProjectClass(Vocab):
    """The five project classes of Hejiang's project list."""

    PARTY_BUILDING = "PARTY_BUILDING", "党建引领", "党建"
    CULTURE_SPORTS = "CULTURE_SPORTS", "文体活动", "文体", "文化体育"
    POVERTY_RELIEF = "POVERTY_RELIEF", "扶贫帮困", "帮困", "扶贫", "困难帮扶"
    HEALTH = "HEALTH", "医疗卫生", "医疗", "卫生健康"
    VOLUNTEERING = "VOLUNTEERING", "志愿服务", "志愿"
    OTHER = "OTHER", "其他", "其它"


class ProjectStatus(Vocab):
    """点单-派单-接单 and what follows: the order is the workflow."""

    REPORTED = "REPORTED", "点单", "已点单", "申报"
    DISPATCHED = "DISPATCHED", "派单", "已派单"
    ACCEPTED = "ACCEPTED", "接单", "已接单"
    IN_PROGRESS = "IN_PROGRESS", "实施", "实施中", "进行中", "推进中"
    DONE = "DONE", "完成", "已完成", "办结", "已办结"
    EVALUATED = "EVALUATED", "评价", "已评价", "已测评"
    CANCELLED = "CANCELLED", "取消", "已取消", "终止"


#: the legal moves of a project; anything else is an illegal transition
PROJECT_TRANSITIONS: dict[ProjectStatus, frozenset[ProjectStatus]] = {
    ProjectStatus.REPORTED: frozenset({ProjectStatus.DISPATCHED, ProjectStatus.CANCELLED}),
    ProjectStatus.DISPATCHED: frozenset({ProjectStatus.ACCEPTED, ProjectStatus.CANCELLED}),
    ProjectStatus.ACCEPTED: frozenset({ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED}),
    ProjectStatus.IN_PROGRESS: frozenset({ProjectStatus.DONE, ProjectStatus.CANCELLED}),
    ProjectStatus.DONE: frozenset({ProjectStatus.EVALUATED}),
    ProjectStatus.EVALUATED: frozenset(),
    ProjectStatus.CANCELLED: frozenset(),
}


class RoleKind(Vocab):
    FIRST_SECRETARY = "FIRST_SECRETARY", "第一书记", "社区第一书记"
    STREET_SECRETARY = "STREET_SECRETARY", "街道党工委书记", "街道书记", "党工委书记"
    COMMUNITY_SECRETARY = (
        "COMMUNITY_SECRETARY",
        "社区党委书记",
        "社区书记",
        "社区党组织书记",
        "社区党总支书记",
    )
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY", "兼职副书记", "社区兼职副书记"
    COMPOUND_SECRETARY = "COMPOUND_SECRETARY", "小区党支部书记", "小区书记", "院落党支部书记"
    GRID_SECRETARY = "GRID_SECRETARY", "网格党支部书记", "网格书记"
    PROPERTY_SECRETARY = "PROPERTY_SECRETARY", "红色物业党支部书记", "物业党支部书记"
    PART_TIME_MEMBER = "PART_TIME_MEMBER", "兼职委员", "大党委兼职委员"
    BUILDING_HEAD = "BUILDING_HEAD", "楼栋长", "单元长"
    GROUP_LEADER = "GROUP_LEADER", "党小组长", "楼栋党小组长"
    GRID_WORKER = "GRID_WORKER", "网格员", "专职网格员", "兼职网格员"
    REGISTERED_MEMBER = "REGISTERED_MEMBER", "双报到党员", "报到党员", "在职党员"
    UNIT_SECRETARY = "UNIT_SECRETARY", "单位党组织负责人", "党组织负责人", "单位党组织书记"
    OTHER = "OTHER", "其他职务", "其他", "其它"


#: the four roles every building should have (两长两员)
BUILDING_ROLES = (
    RoleKind.BUILDING_HEAD,
    RoleKind.GROUP_LEADER,
    RoleKind.GRID_WORKER,
    RoleKind.REGISTERED_MEMBER,
)


class PartyOrgKind(Vocab):
    STREET_WORKING_COMMITTEE = "STREET_WORKING_COMMITTEE", "街道党工委"
    COMMUNITY_COMMITTEE = "COMMUNITY_COMMITTEE", "社区党委", "社区大党委", "社区党总支"
    COMPOUND_BRANCH = "COMPOUND_BRANCH", "小区党支部", "院落党支部"
    GRID_BRANCH = "GRID_BRANCH", "网格党支部"
    BUILDING_GROUP = "BUILDING_GROUP", "楼栋党小组"
    PROPERTY_BRANCH = "PROPERTY_BRANCH", "红色物业党支部", "物业党支部"
    OWNERS_COMMITTEE_BRANCH = "OWNERS_COMMITTEE_BRANCH", "业委会党支部", "红色业委会"
    UNIT_ORGANIZATION = "UNIT_ORGANIZATION", "单位党组织", "机关党支部", "党组", "党委"


class EvaluationKind(Vocab):
    SELF = "SELF", "晒绩自评", "自评"
    RESIDENT = "RESIDENT", "群众测评", "群众评价"
    ORGANIZATION = "ORGANIZATION", "组织考评", "组织评价"


class ServiceScope(Vocab):
    COMMUNITY = "COMMUNITY", "社区"
    STREET = "STREET", "街道"
    COUNTY = "COUNTY", "全县", "县域", "全区", "全市", "全旗", "全域"


class Category(Vocab):
    """What a resource offers or a demand needs (资源/需求类别)."""

    VENUE = "VENUE", "场地阵地", "场地", "阵地", "活动场所", "办公场所", "场所"
    FUNDS = "FUNDS", "资金", "经费", "资金支持"
    STAFF = "STAFF", "人员力量", "人员", "人力", "力量下沉"
    EXPERTISE = "EXPERTISE", "专业技术", "技术", "专业服务", "技术服务"
    EQUIPMENT = "EQUIPMENT", "设施设备", "设备", "物资"
    HEALTH = "HEALTH", "医疗卫生", "医疗", "卫生", "健康", "卫生健康"
    EDUCATION = "EDUCATION", "教育培训", "教育", "培训", "学习"
    EMPLOYMENT = "EMPLOYMENT", "就业创业", "就业", "创业", "就业培训"
    CULTURE_SPORTS = "CULTURE_SPORTS", "文体活动", "文体", "文化", "体育", "文化体育"
    POVERTY_RELIEF = "POVERTY_RELIEF", "扶贫帮困", "帮困", "救助", "困难帮扶", "社会救助"
    ELDERLY_CHILDCARE = "ELDERLY_CHILDCARE", "养老托幼", "养老", "托幼", "一老一小", "助老"
    ENVIRONMENT = "ENVIRONMENT", "环境整治", "环境", "卫生整治", "人居环境"
    INFRASTRUCTURE = "INFRASTRUCTURE", "基础设施", "设施", "基础设施建设", "市政设施"
    PROPERTY_MANAGEMENT = "PROPERTY_MANAGEMENT", "物业管理", "物业", "物业服务"
    PUBLIC_SAFETY = "PUBLIC_SAFETY", "平安法治", "治安", "法治", "平安建设", "矛盾调解", "法律服务"
    TRAFFIC = "TRAFFIC", "交通出行", "交通", "出行", "停车"
    GOVERNMENT_SERVICE = "GOVERNMENT_SERVICE", "政务服务", "政务", "办事服务", "便民服务"
    VOLUNTEERING = "VOLUNTEERING", "志愿服务", "志愿", "志愿者"
    PARTY_BUILDING = "PARTY_BUILDING", "党建引领", "党建", "组织建设"
    OTHER = "OTHER", "其他", "其它"


# The closed loop (docs/closed-loop.md): shared by the workflow, the rates and the notices.


class DemandStage(Vocab):
    """Where a demand is in its 办理 workflow (its list ``status`` is kept alongside)."""

    REPORTED = "REPORTED", "已点单", "点单", "已上报"
    DISPATCHED = "DISPATCHED", "已派单", "派单"
    ACCEPTED = "ACCEPTED", "已接单", "接单"
    IN_PROGRESS = "IN_PROGRESS", "实施中", "办理中", "实施"
    DONE = "DONE", "已办结", "办结"
    EVALUATED = "EVALUATED", "已评价", "评价"
    RETURNED = "RETURNED", "已退回", "退回"


class DemandEventKind(Vocab):
    """One transition on a demand's timeline."""

    REPORT = "REPORT", "点单"
    DISPATCH = "DISPATCH", "派单"
    ACCEPT = "ACCEPT", "接单"
    START = "START", "实施"
    DONE = "DONE", "办结"
    CALLBACK = "CALLBACK", "回访"
    RETURN = "RETURN", "退回"
    REOPEN = "REOPEN", "重办"
    CHASE = "CHASE", "督办"
    WHISTLE = "WHISTLE", "吹哨"
    RESPOND = "RESPOND", "报到"
    CLOSE = "CLOSE", "关闭"


class CallbackRating(Vocab):
    """回访: the resident's rating after 办结."""

    SATISFIED = "SATISFIED", "满意", "非常满意"
    BASIC = "BASIC", "基本满意", "一般"
    UNSATISFIED = "UNSATISFIED", "不满意", "很不满意"


class WhistleLevel(Vocab):
    """吹哨: a community whistles to its street, a street to the county."""

    STREET = "STREET", "街道吹哨", "街道"
    COUNTY = "COUNTY", "县级吹哨", "区级吹哨", "市级吹哨", "县级"


class WishStatus(Vocab):
    """微心愿."""

    OPEN = "OPEN", "待认领"
    CLAIMED = "CLAIMED", "已认领"
    DONE = "DONE", "已完成", "已实现"


class NoticeKind(Vocab):
    """What a notice asks someone to act on (an open vocabulary: other kinds are kept)."""

    DISPATCHED = "DISPATCHED", "派单"
    OVERDUE = "OVERDUE", "逾期"
    CHASED = "CHASED", "督办"
    WHISTLED = "WHISTLED", "吹哨"
    REOPENED = "REOPENED", "重办"
