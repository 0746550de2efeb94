// 总览's 三率 section (below the first view, its own chunk): the scope's figures for a month,
// each explained by its formula and drilled down to the demands (or units) behind it, the
// month's 单位排名 with its formula, and 导出考核表 (.xlsx from assessmentExport).
import { ApiError, AuthError, gql } from "../api";
import { fill, fmt, h, link, table } from "../dom";
import { chinese, shiftMonth, stageLabel, thisMonth } from "../loop";
import { setParams } from "../router";
import { download } from "../xlsx";

interface Figure {
  key: string; label: string; formula: string; isRatio: boolean; numerator: number; denominator: number | null;
  value: number | null; ids: string[]; baseIds: string[];
}
interface Rank { rank: number | null; score: number | null; formula: string; unitId: string; unitName: string; figures: Figure[] }

const RATES = `query($scope: String!, $month: String!) {
  rates(scope: $scope, month: $month) { figures { key label formula isRatio numerator denominator value ids baseIds } } }`;
const RANKING = `query($scope: String!, $month: String!) {
  unitRanking(scope: $scope, month: $month) { rank score formula unitId unitName figures { key label isRatio numerator denominator value } } }`;
const EXPORT = `query($scope: String!, $month: String!) { assessmentExport(scope: $scope, month: $month) { filename mediaType size contentBase64 } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename
  ... on Demand { id title stage overdue community { name } } ... on Unit { id name } } }`;

/** Figures counting units, not demands: their ids are unit ids. */
const UNIT_FIGURES = new Set(["absent", "idle"]);
const DRILL_CAP = 300;

const pct = (v: number | null) => (v === null ? "—" : `${fmt(Math.round(v * 1000) / 10, 1)}%`);

function shown(f: Figure): string {
  return f.isRatio ? pct(f.value) : String(f.numerator);
}

interface Row { __typename: string; id: string; title?: string; stage?: string; overdue?: boolean; community?: { name: string } | null; name?: string }

async function rowsOf(ids: string[]): Promise<Row[]> {
  const unique = [...new Set(ids)].slice(0, DRILL_CAP);
  const out: Row[] = [];
  for (let i = 0; i < unique.length; i += 100) {
    const got = (await gql<{ nodes: (Row | null)[] }>(NODES, { ids: unique.slice(i, i + 100) })).nodes;
    out.push(...got.filter((r): r is Row => r !== null));
  }
  return out;
}

function drillTable(rows: Row[], units: boolean, caption: string): HTMLTableElement {
  return units
    ? table(["单位"], rows.map((r) => [link(`/graph?node=${encodeURIComponent(r.id)}`, r.name ?? r.id)]), caption)
    : table(["需求", "社区", "阶段"], rows.map((r) => [
        link(`/demands/${encodeURIComponent(r.id)}`, r.title ?? r.id), r.community?.name ?? "",
        h("span", { class: "stage" }, stageLabel(r.stage ?? ""), r.overdue ? h("span", { class: "overdue" }, "逾期") : null),
      ]), caption);
}

/** The demands (or units) behind one figure: those counted, and the rest of its base. */
async function drill(panel: HTMLElement, f: Figure): Promise<void> {
  const units = UNIT_FIGURES.has(f.key);
  fill(panel, h("p", { class: "loading", role: "status" }, "正在加载明细…"));
  const counted = new Set(f.ids);
  const rest = f.isRatio ? f.baseIds.filter((id) => !counted.has(id)) : [];
  const [a, b] = await Promise.all([rowsOf(f.ids), rowsOf(rest)]);
  const more = new Set([...f.ids, ...rest]).size > DRILL_CAP ? h("p", { class: "hint" }, `只列出前 ${DRILL_CAP} 条。`) : null;
  // the figures count dispatches (each 重办 again), the lists demands: say why they may differ
  const byDemand = !units && (new Set(f.ids).size !== f.numerator || (f.isRatio && new Set(f.baseIds).size !== (f.denominator ?? 0)))
    ? h("p", { class: "hint" }, "按需求列出：一条需求可计入多次（每次派单、重办、每次吹哨召集各计一次），所以这里的条数可能少于上面的数字。") : null;
  fill(panel,
    h("h3", {}, `${f.label} · 明细`),
    h("p", { class: "formula" }, f.formula),
    byDemand,
    drillTable(a, units, f.isRatio ? `计入分子的（${a.length}）` : `计入的（${a.length}）`),
    f.isRatio ? drillTable(b, units, `分母中未计入分子的（${b.length}）`) : null,
    more);
  panel.dataset.drill = f.key;
}

async function exportFile(scope: string, month: string, status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  fill(status, "正在生成考核表…");
  try {
    const file = (await gql<{ assessmentExport: { filename: string; mediaType: string; contentBase64: string } }>(EXPORT, { scope, month })).assessmentExport;
    const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
    download(new Blob([bytes], { type: file.mediaType }), file.filename);
    status.className = "status ok";
    fill(status, `已导出 ${file.filename}`);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    status.className = "status error";
    fill(status, error instanceof Error ? chinese(error.message) : String(error));
  } finally {
    button.disabled = false;
  }
}

function rankingTable(ranks: Rank[]): HTMLElement {
  const ranked = ranks.filter((r) => r.rank !== null);
  const cell = (r: Rank, key: string) => {
    const f = r.figures.find((x) => x.key === key);
    return f ? h("span", { title: `${f.numerator}/${f.denominator ?? 0}` }, shown(f), h("small", {}, ` ${f.numerator}/${f.denominator ?? 0}`)) : "";
  };
  const sent = (r: Rank) => r.figures.find((x) => x.key === "response")?.denominator ?? 0;
  return h("div", {},
    h("div", { class: "sideways" }, table(["名次", "单位", "得分", "响应率", "按期办结率", "满意率", "派单数"], ranked.map((r) => [
      r.rank ?? "", link(`/graph?node=${encodeURIComponent(r.unitId)}`, r.unitName), r.score === null ? "—" : fmt(r.score, 1),
      cell(r, "response"), cell(r, "onTime"), cell(r, "satisfied"), sent(r),
    ]), "单位排名")),
    ranks.length > ranked.length ? h("p", { class: "hint" }, `另有 ${ranks.length - ranked.length} 个单位期内没有派单，不排名。`) : null);
}

/** '2026-11' → '2026年11月'. */
function monthLabel(month: string): string {
  const [y, mo] = month.split("-");
  return `${y}年${Number(mo)}月`;
}

/** Why the figures could not be read: out of the caller's scope is said plainly. */
function refused(error: unknown): string {
  if (error instanceof ApiError && error.code === "NOT_FOUND") {
    return "三率和单位排名只统计您管辖的县、街道或社区：请在上方“范围”中选择您管辖的地方。";
  }
  return error instanceof Error ? chinese(error.message) : String(error);
}

/** Draws the section into `section` (its placeholder); resolves when the tiles are drawn. */
export async function drawRates(section: HTMLElement, scope: string, month: string | null): Promise<void> {
  const current = thisMonth();
  const m = month && /^\d{4}-\d{2}$/.test(month) ? month : current;
  // a list of months, not <input type=month>: its text follows the browser's language, not the page's
  const months = Array.from({ length: 24 }, (_, i) => shiftMonth(current, -i));
  if (!months.includes(m)) months.push(m);
  const picker = h("select", { name: "month", "aria-label": "月份" },
    months.map((x) => h("option", { value: x, selected: x === m }, monthLabel(x))));
  picker.addEventListener("change", () => setParams({ month: picker.value === current ? null : picker.value }));
  const here = (month: string) => {
    const q = new URLSearchParams(location.search);
    if (month === current) q.delete("month");
    else q.set("month", month);
    return `${location.pathname}?${q.toString()}`;
  };
  const rankingBox = h("section", { class: "card wide-card", "data-figure": "ranking" }, h("h2", {}, "单位排名"),
    h("p", { class: "loading", role: "status" }, "正在加载…"));
  const ranking = gql<{ unitRanking: Rank[] }>(RANKING, { scope, month: m });
  ranking.catch(() => undefined);
  let figures: Figure[];
  try {
    const r = (await gql<{ rates: { figures: Figure[] } }>(RATES, { scope, month: m })).rates;
    figures = r.figures;
  } catch (error) {
    if (error instanceof AuthError) throw error;
    fill(section, h("h2", {}, "三率"), h("p", { class: "error", role: "alert" }, refused(error)));
    return;
  }
  const panel = h("div", { class: "drill", "aria-live": "polite" });
  fill(section,
    h("div", { class: "bar" }, h("h2", {}, `三率 · ${monthLabel(m)}`),
      h("label", {}, "月份 ", picker),
      link(here(shiftMonth(m, -1)), "‹ 上个月"),
      m < current ? link(here(shiftMonth(m, 1)), "下个月 ›") : null,
      m !== current ? link(here(current), "本月") : null),
    h("ul", { class: "rate-tiles" }, figures.map((f) => h("li", { "data-key": f.key, title: f.formula },
      h("strong", {}, shown(f)),
      h("span", { class: "label" }, f.label),
      h("span", { class: "ratio" }, f.isRatio ? `${f.numerator} / ${f.denominator ?? 0}` : `${f.numerator} ${UNIT_FIGURES.has(f.key) ? "个单位" : "次派单"}`),
      h("small", { class: "formula" }, f.formula.replace(/^[^=]*=\s*/, "")),
      h("button", { type: "button", class: "linkish", disabled: !f.ids.length && !f.baseIds.length,
        onclick: () => void drill(panel, f).catch((e: unknown) => fill(panel, h("p", { class: "error" }, e instanceof Error ? chinese(e.message) : String(e)))) },
        UNIT_FIGURES.has(f.key) ? "查看单位 →" : "查看需求 →")))),
    panel);
  section.after(rankingBox);
  try {
    const ranks = (await ranking).unitRanking;
    const status = h("p", { class: "status", role: "status" });
    const button = h("button", { type: "button", class: "primary" }, "导出考核表");
    button.addEventListener("click", () => void exportFile(scope, m, status, button));
    const exportable = /\d{6}000$/.test(scope) || /000000$/.test(scope);
    fill(rankingBox,
      h("div", { class: "bar" }, h("h2", {}, `单位排名 · ${monthLabel(m)}`), exportable ? button : null),
      status,
      h("p", { class: "formula" }, ranks[0]?.formula ?? "得分 = 100 × (0.2 × 响应率 + 0.4 × 按期办结率 + 0.4 × 满意率)"),
      rankingTable(ranks));
  } catch (error) {
    if (error instanceof AuthError) throw error;
    fill(rankingBox, h("h2", {}, "单位排名"), h("p", { class: "error", role: "alert" }, refused(error)));
  }
}
