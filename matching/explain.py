"""One pair as a ``Candidate``: a reason per term, in Chinese, adding up to the score."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.vocab import ServiceScope
from matching import categories
from matching.models import RELEVANCE_KINDS, Candidate, Reason, ReasonKind
from matching.text import matched

if TYPE_CHECKING:
    from matching.score import Pairs, Scorer

K = ReasonKind

#: level codes in ``Pairs.level``: 0 is out of scope
LEVELS: dict[int, ServiceScope] = {
    3: ServiceScope.COMMUNITY,
    2: ServiceScope.STREET,
    1: ServiceScope.COUNTY,
}

#: the config weight of each kind, in the order reasons are listed on ties
WEIGHT_OF: dict[ReasonKind, str] = {
    K.CATEGORY: "category",
    K.BM25: "bm25",
    K.EMBEDDING: "embedding",
    K.LEAD: "lead",
    K.LIAISON: "liaison",
    K.AGREEMENT: "agreement",
    K.PROXIMITY: "proximity",
    K.SCOPE: "scope",
    K.CAPACITY: "capacity",
    K.TRACK_RECORD: "track_record",
    K.EVALUATION: "evaluation",
    K.URGENCY: "urgency",
    K.MATTER_CLASS: "matter_class",
}


def explain(scorer: Scorer, pairs: Pairs, i: int, j: int, *, rank: int) -> Candidate:
    """The candidate (demand i, resource j); its score is the sum of its reasons, in order."""
    w = scorer.cfg.weights
    d, r = pairs.demands[i], pairs.resources[j]
    values = {kind: pairs.at(kind, i, j) for kind in WEIGHT_OF}
    relevance = sum(getattr(w, WEIGHT_OF[k]) * values[k] for k in WEIGHT_OF if k in RELEVANCE_KINDS)
    gate = relevance / w.relevance_total if w.relevance_total > 0 else 0.0
    reasons: list[Reason] = []
    for kind, name in WEIGHT_OF.items():
        weight, signal = getattr(w, name), values[kind]
        if weight == 0 or (signal == 0 and kind is not K.CATEGORY):
            continue
        value = signal if kind in RELEVANCE_KINDS else signal * gate
        text = sentence(scorer, kind, pairs, i, j, signal)
        if kind not in RELEVANCE_KINDS:
            text += f"（按相关度 {gate:.2f} 计入）"
        reasons.append(
            Reason(
                kind=kind,
                label=kind.label,
                weight=weight,
                signal=signal,
                value=value,
                contribution=weight * value,
                sentence=text,
            )
        )
    reasons.sort(key=lambda reason: -reason.contribution)
    unit = pairs.units.get(r.unit_id)
    return Candidate(
        rank=rank,
        score=sum(reason.contribution for reason in reasons),
        demandId=d.id,
        resourceId=r.id,
        unitId=r.unit_id,
        resourceName=r.name,
        unitName=r.unit_name or (unit.name if unit else ""),
        demandTitle=d.title,
        communityId=d.community_id,
        category=r.category,
        capacityLeft=r.left,
        scope=LEVELS.get(int(pairs.level[i, j]), ServiceScope.COUNTY),
        reasons=reasons,
    )


def sentence(scorer: Scorer, kind: ReasonKind, pairs: Pairs, i: int, j: int, signal: float) -> str:
    """What a planner reads for one term."""
    d, r = pairs.demands[i], pairs.resources[j]
    unit = pairs.units.get(r.unit_id)
    who = r.unit_name or (unit.name if unit else "该单位")
    place = d.community_name or "本社区"
    match kind:
        case K.CATEGORY:
            return categories.sentence(d.category, r.category, signal)
        case K.BM25:
            words = "、".join(matched(pairs.demand_tokens[i], pairs.side.docs[j].tokens))
            return f"关键词「{words}」相符（BM25 为最佳候选的 {signal:.0%}）"
        case K.EMBEDDING:
            return f"需求与资源描述语义相近（余弦 {pairs.cosine[i, j]:.3f}，折算 {signal:.2f}）"
        case K.LEAD:
            return f"{who}是{place}的牵头单位"
        case K.LIAISON:
            return f"{who}是{place}的联系单位"
        case K.AGREEMENT:
            return f"{who}与{place}签有共建协议"
        case K.PROXIMITY:
            if unit is not None and d.community_id in unit.located:
                return f"{who}驻{place}"
            if unit is not None and d.street_id in unit.located:
                return f"{who}驻本街道"
            return f"{who}同属本{d.county_word}"
        case K.SCOPE:
            return {
                3: f"资源专门服务{place}",
                2: "资源服务范围为本街道",
                1: f"资源服务范围为全{d.county_word}",
            }[int(pairs.level[i, j])]
        case K.CAPACITY:
            return f"尚余 {r.left}/{r.capacity}{r.measure or ''}"
        case K.TRACK_RECORD:
            return f"{who}已办结项目 {unit.delivered if unit else 0} 个"
        case K.EVALUATION:
            scores = unit.evaluations if unit else ()
            if not scores:
                return f"{who}暂无评价，按先验 {scorer.cfg.signals.evaluation_prior:.0%} 计"
            return f"{who}评价均分 {sum(scores) / len(scores):.1f}（{len(scores)} 次）"
        case K.URGENCY:
            return "紧急需求，优先安排"
        case K.MATTER_CLASS:
            return f"属五事中的「{d.matter_class.label}」"
    return kind.label  # pragma: no cover - every kind has a case
