"""Fixtures for matching: one scorer (the e5 model loads once per session) and a small
Hejiang-like graph with the seeds' cases."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from graph.store import Store
from matching.config import MatchingConfig
from matching.embed import VectorCache, e5
from matching.score import Scorer
from matching.text import default_tokenizer
from resolvers import matching as resolver
from tests.matching.builder import City


@pytest.fixture(scope="session")
def vectors() -> VectorCache:
    """One in-memory vector cache for the session: each text is embedded once."""
    return VectorCache(e5())


@pytest.fixture(scope="session")
def scorer(vectors: VectorCache) -> Scorer:
    return Scorer(MatchingConfig(), vectors, default_tokenizer())


@dataclass
class Seeds:
    city: City
    units: dict[str, str]
    resources: dict[str, str]
    demands: dict[str, str]


@pytest.fixture
async def seeds(store: Store) -> Seeds:
    """Two streets, four communities, eight units, the seeds' three matching cases."""
    city = City(store)
    await city.places(
        {"符阳街道": ["百花亭社区", "桂圆林社区", "荔城社区"], "临港街道": ["桥凼社区"]}
    )
    u = {
        "gas": await city.unit("合江县天然气有限公司", kind="UTILITY"),
        "housing": await city.unit(
            "合江县住房和城乡建设局", lead=("百花亭社区",), liaises=("桥凼社区", "桂圆林社区")
        ),
        "education": await city.unit("合江县教育和体育局", liaises=("荔城社区",)),
        "civil": await city.unit(
            "合江县民政局", lead=("桥凼社区", "荔城社区"), agreements=("桥凼社区",)
        ),
        "police": await city.unit("合江县公安局", liaises=("荔城社区", "百花亭社区")),
        "urban": await city.unit(
            "合江县城市管理局", liaises=("百花亭社区",), located=("百花亭社区",)
        ),
        "power": await city.unit("国网合江县供电公司", kind="UTILITY"),
        "reform": await city.unit("合江县发展和改革局", liaises=("桥凼社区",)),
    }
    r = {
        "gas_pipe": await city.resource(
            u["gas"],
            "天然气管网延伸和开户通气",
            "INFRASTRUCTURE",
            "对具备条件的小区延伸中压燃气管网、安装庭院管和户内表具，集中办理开户点火",
            capacity=4,
        ),
        "gas_check": await city.resource(
            u["gas"],
            "燃气安全入户检查",
            "PUBLIC_SAFETY",
            "对居民户内燃气管道、胶管、灶具开展安全检查，为老人免费更换老化胶管",
            capacity=10,
        ),
        "parking": await city.resource(
            u["housing"],
            "小区停车位规划增设",
            "TRAFFIC",
            "结合老旧小区改造，重新规划小区绿化和闲置空地，增设机动车停车位和非机动车停放棚",
            capacity=2,
        ),
        "renewal": await city.resource(
            u["housing"],
            "老旧小区改造项目",
            "INFRASTRUCTURE",
            "对2000年以前建成的老旧小区实施水电气路、外立面、雨污分流、消防设施等改造",
            capacity=3,
        ),
        "lunch": await city.resource(
            u["education"],
            "合江县学生食堂午餐服务",
            "EDUCATION",
            "在符阳小学、人民小学南关校区兴办合江县学生食堂，以成本价为在校学生提供营养午餐",
            capacity=2,
        ),
        "after_school": await city.resource(
            u["education"],
            "课后延时服务",
            "EDUCATION",
            "城区小学放学后开展课后作业辅导和兴趣活动，解决家长接孩子难问题",
            capacity=5,
        ),
        "elder_canteen": await city.resource(
            u["civil"],
            "社区老年食堂运营补贴",
            "ELDERLY_CHILDCARE",
            "对社区老年食堂按就餐人次给予运营补贴，60岁以上老人就餐享受优惠",
            capacity=5,
        ),
        "relief": await city.resource(
            u["civil"],
            "困难群众临时救助",
            "POVERTY_RELIEF",
            "对因病、因灾、因意外导致基本生活出现困难的家庭给予临时救助",
            capacity=10,
        ),
        "school_traffic": await city.resource(
            u["police"],
            "上下学高峰交警护学岗",
            "TRAFFIC",
            "在中小学、幼儿园周边上下学高峰时段派出交警、辅警执勤疏导，设置临时停车接送区",
            capacity=3,
        ),
        "drains": await city.resource(
            u["urban"],
            "排水管网疏通和积水抢修",
            "INFRASTRUCTURE",
            "对城区雨污水管网、检查井开展清淤疏通，汛期低洼地带雨水倒灌应急抢修",
            capacity=3,
            scope="符阳街道",
        ),
        "chargers": await city.resource(
            u["power"],
            "电动自行车集中充电桩",
            "EQUIPMENT",
            "在小区建设电动自行车集中充电桩，配套智能计费和断电保护，消除飞线充电隐患",
            capacity=2,
        ),
        "funds": await city.resource(
            u["reform"],
            "项目申报和资金争取指导",
            "FUNDS",
            "协助社区和小区梳理民生项目，申报中央预算内投资、老旧小区改造等上级资金",
            capacity=5,
        ),
    }
    d = {
        "gas": await city.demand(
            "桥凼社区",
            "青龙山还房小区168户未通天然气",
            "INFRASTRUCTURE",
            "青龙山还房小区建成多年，168户居民一直没有通天然气，只能用罐装液化气，又贵又不安全",
            matter="DIFFICULT",
            urgency="URGENT",
        ),
        "parking": await city.demand(
            "百花亭社区",
            "江南小区停车难",
            "TRAFFIC",
            "江南小区系老旧小区，无地下车库，居民车辆只能停在主干道和消防通道上，早晚高峰经常堵死",
            matter="DIFFICULT",
        ),
        "lunch": await city.demand(
            "荔城社区",
            "符阳小学学生中午没地方吃饭",
            "EDUCATION",
            "符阳小学、人民小学南关校区没有食堂，学生中午吃饭难，家长中午接送困难",
            matter="MAJOR",
        ),
        "rain": await city.demand(
            "百花亭社区",
            "千藤街48号雨水倒灌",
            "INFRASTRUCTURE",
            "低洼地带一下大雨雨水就倒灌进居民家中，存在安全隐患",
            matter="PRESSING",
            urgency="URGENT",
        ),
    }
    resolver.forget(store)
    return Seeds(city, u, r, d)
