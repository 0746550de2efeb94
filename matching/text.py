"""Chinese text relevance: jieba tokens (with a governance dictionary) and BM25.

``Tokenizer.tokens(text)`` is search-mode jieba (``青龙山还房小区`` gives 青龙、龙山、
青龙山、还房、小区) minus punctuation, digits and stop words, cached per text.
``bm25(query, docs)`` scores one query against a candidate set exactly as ``bm25s``
does by default (Lucene: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), tf / (tf + k1·(1 - b
+ b·|d|/avgdl))); ``Corpus`` scores many queries against one document set with a sparse
matrix (allocation plans). Computing it here over the candidate set keeps no index to
go stale.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import rjieba
from scipy import sparse

Array = npt.NDArray[np.float64]

#: governance terms jieba would otherwise split (from the seeds and department rosters)
DOMAIN_WORDS: tuple[str, ...] = (
    "第一书记",
    "联系单位",
    "牵头单位",
    "共建协议",
    "联席会议",
    "党群服务中心",
    "党群服务阵地",
    "三会一课",
    "主题党日",
    "小区党支部",
    "网格员",
    "楼栋长",
    "双报到",
    "红色物业",
    "业委会",
    "业主委员会",
    "物业费",
    "物业服务",
    "老旧小区",
    "三无小区",
    "还房小区",
    "安置小区",
    "天然气",
    "燃气管网",
    "燃气管道",
    "开户通气",
    "停车位",
    "停车难",
    "飞线充电",
    "充电桩",
    "雨水倒灌",
    "排水管网",
    "雨污分流",
    "化粪池",
    "二次供水",
    "屋面防水",
    "外墙脱落",
    "电梯困人",
    "加装电梯",
    "流动人口",
    "居住证",
    "出租房屋",
    "老年食堂",
    "居家养老",
    "日间照料",
    "四点半课堂",
    "儿童之家",
    "留守儿童",
    "困境儿童",
    "独居老人",
    "高龄老人",
    "失能老人",
    "低保",
    "临时救助",
    "医疗救助",
    "家庭医生",
    "健康体检",
    "义诊",
    "慢性病",
    "康复训练",
    "辅助器具",
    "职业技能培训",
    "公益性岗位",
    "创业担保贷款",
    "欠薪",
    "法律援助",
    "人民调解",
    "矛盾纠纷",
    "反诈",
    "电信诈骗",
    "消防通道",
    "微型消防站",
    "应急避难场所",
    "占道经营",
    "油烟",
    "垃圾清运",
    "垃圾分类",
    "背街小巷",
    "路灯",
    "公交线路",
    "护学岗",
    "学生食堂",
    "课后服务",
    "延时服务",
    "不动产登记",
    "房产证",
    "养老金",
    "资格认证",
    "残疾证",
    "志愿服务队",
    "文明小区",
    "广场舞",
    "农家书屋",
    "社区书屋",
    "健身器材",
    "袖珍公园",
    "架空层",
    "共享空间",
    "疫苗接种",
    "登革热",
)

#: words that carry no meaning for matching (function words and the ubiquitous)
_STOP_TEXT = (
    "的 了 和 与 及 等 或 在 是 有 也 都 就 又 还 把 被 让 给 对 为 向 从 到 由 以 于 之 其 "
    "我 我们 你 你们 他 她 他们 大家 自己 这 那 这个 那个 这些 那些 这里 那里 什么 怎么 "
    "一 一个 一些 个 些 很 太 更 最 不 没 没有 能 能不能 可以 要 想 会 得 着 过 吗 呢 吧 啊 "
    "希望 需要 问题 情况 工作 开展 提供 进行 相关 有关 通过 按照 根据 以及 并 并且 "
    "社区 居民 群众 小区"
)
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


def _keep(token: str) -> bool:
    if token in STOP_WORDS or token.isdigit():
        return False
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


class Tokenizer:
    """Search-mode jieba with the domain dictionary; thread-safe, cached per text."""

    def __init__(self, words: Iterable[str] = DOMAIN_WORDS, *, cache_size: int = 200_000) -> None:
        self._jieba = rjieba.Jieba()
        for word in words:
            self._jieba.add_word(word, 2000, None)
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def tokens(self, text: str) -> tuple[str, ...]:
        """Meaningful search tokens of a text.

        >>> "天然气" in default_tokenizer().tokens("168户居民多年未通天然气")
        True
        """
        with self._lock:
            found = self._cache.get(text)
            if found is not None:
                self._cache.move_to_end(text)
                return found
            normal = unicodedata.normalize("NFKC", text).lower()
            out = tuple(t for t in self._jieba.cut_for_search(normal) if _keep(t))
            self._cache[text] = out
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return out


_default: Tokenizer | None = None
_default_lock = threading.Lock()


def default_tokenizer() -> Tokenizer:
    """The process's tokenizer (the dictionary is loaded once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Tokenizer()
        return _default


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75


def bm25(query: Sequence[str], docs: Sequence[Sequence[str]], params: BM25Params) -> Array:
    """BM25 of one query against each document of a candidate set (the set is the corpus).

    >>> bm25(["天然气"], [["天然气", "管网"], ["停车位"]], BM25Params()).round(3).tolist()
    [0.241, 0.0]
    """
    lengths = np.asarray([len(doc) for doc in docs], dtype=np.float64)
    return bm25_counts(query, [Counter(doc) for doc in docs], lengths, params)


def bm25_counts(
    query: Sequence[str],
    counts: Sequence[Mapping[str, int]],
    lengths: Array,
    params: BM25Params,
) -> Array:
    """``bm25`` from each document's term counts and length (computed once per text).

    Only the documents sharing a term with the query are looked at (usually few)."""
    n = len(counts)
    terms = list(dict.fromkeys(query))
    out = np.zeros(n)
    if n == 0 or not terms:
        return out
    wanted = set(terms)
    hits = [i for i, c in enumerate(counts) if not c.keys().isdisjoint(wanted)]
    if not hits:
        return out
    tf = np.empty((len(hits), len(terms)))
    for k, term in enumerate(terms):
        tf[:, k] = [counts[i].get(term, 0) for i in hits]
    df = (tf > 0).sum(axis=0)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    avgdl = max(float(lengths.mean()), 1e-9)
    norm = params.k1 * (1 - params.b + params.b * lengths[hits] / avgdl)
    out[hits] = (tf / (tf + norm[:, None])) @ idf
    return out


def relative(scores: Array) -> Array:
    """Scores relative to the best of the set, in [0, 1] (all 0 when nothing matched)."""
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def matched(query: Sequence[str], doc: Sequence[str], *, limit: int = 5) -> list[str]:
    """The query's tokens found in a document, longest first (for the sentence)."""
    present = set(doc)
    words = [t for t in dict.fromkeys(query) if t in present]
    # a word already inside a longer matched word adds nothing for the reader
    words = [w for w in words if not any(w != o and w in o for o in words)]
    return sorted(words, key=len, reverse=True)[:limit]


class Corpus:
    """One document set as a sparse BM25 weight matrix, to score many queries at once."""

    def __init__(self, docs: Sequence[Sequence[str]], params: BM25Params) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[float] = []
        lengths = np.empty(len(docs))
        for i, doc in enumerate(docs):
            lengths[i] = len(doc)
            for token, count in Counter(doc).items():
                rows.append(i)
                cols.append(vocab.setdefault(token, len(vocab)))
                counts.append(count)
        self.vocab = vocab
        n = len(docs)
        tf = np.asarray(counts, dtype=np.float64)
        row_index = np.asarray(rows, dtype=np.int64)
        col_index = np.asarray(cols, dtype=np.int64)
        df = np.bincount(col_index, minlength=len(vocab)).astype(np.float64)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        avgdl = max(float(lengths.mean()) if n else 0.0, 1e-9)
        norm = params.k1 * (1 - params.b + params.b * lengths[row_index] / avgdl)
        weight = idf[col_index] * tf / (tf + norm)
        self.weights = sparse.csr_matrix(
            (weight, (row_index, col_index)), shape=(n, max(len(vocab), 1))
        )

    def scores(self, queries: Sequence[Sequence[str]]) -> Array:
        """(queries × documents) BM25; each query's distinct tokens count once."""
        rows: list[int] = []
        cols: list[int] = []
        for q, query in enumerate(queries):
            for token in dict.fromkeys(query):
                col = self.vocab.get(token)
                if col is not None:
                    rows.append(q)
                    cols.append(col)
        onehot = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(queries), self.weights.shape[1])
        )
        return np.asarray((onehot @ self.weights.T).toarray(), dtype=np.float64)
