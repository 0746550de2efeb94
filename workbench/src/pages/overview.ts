import { AuthError, gql } from "../api";
import { bars, heatmap, trend, type Bar } from "../charts";
import { h, link, table, add, fill } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";

interface Count { key: string; label: string; count: number }
interface Month { month: string; count: number; byStatus: Count[] }
interface Cell { communityId: string; communityCode: string; communityName: string; category: string; categoryLabel: string; count: number }
interface Stats {
  statistics: {
    scope: { __typename: string; name: string } | null;
    communities: number; units: number; resources: number; demands: number; projects: number;
    agreements: number; meetings: number;
    demandsByStatus: Count[]; demandsByClass: Count[]; demandsByCategory: Count[]; projectsByClass: Count[];
  };
}
interface Trends { demandsByMonth: Month[]; projectsByMonth: Month[]; demandsByCommunityAndCategory: Cell[] }
type Figures = Stats["statistics"] & Trends;

const QUERY = `query($scope: String) { statistics(scope: $scope) {
  scope { __typename ... on County { name } ... on Street { name } ... on Community { name } }
  communities units resources demands projects agreements meetings
  demandsByStatus { key label count } demandsByClass { key label count }
  demandsByCategory { key label count } projectsByClass { key label count } } }`;

/** The trend and the heat map: asked for alongside, drawn when they come (below the first view). */
const TRENDS = `query($scope: String) { statistics(scope: $scope) {
  demandsByMonth { month count byStatus { key label count } } projectsByMonth { month count }
  demandsByCommunityAndCategory { communityId communityCode communityName category categoryLabel count } } }`;

const STATUS_COLORS: Record<string, string> = { OPEN: "#dc2626", MATCHED: "#f59e0b", RESOLVED: "#16a34a", CLOSED: "#9ca3af" };

/** Every month from the first to the last of either list ('YYYY-MM'). */
function monthRange(lists: Month[][]): string[] {
  const all = lists.flat().map((m) => m.month).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  if (!all.length) return [];
  const out: string[] = [];
  let [y, m] = all[0].split("-").map(Number);
  const [ly, lm] = all[all.length - 1].split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

function numbers(t: HTMLTableElement): HTMLElement {
  return h("details", {}, h("summary", {}, "查看数字"), h("div", { class: "scroll wide" }, t));
}

function trendFigure(s: Figures): HTMLElement {
  const months = monthRange([s.demandsByMonth, s.projectsByMonth]);
  const demands = new Map(s.demandsByMonth.map((m) => [m.month, m]));
  const projects = new Map(s.projectsByMonth.map((m) => [m.month, m.count]));
  const statuses = s.demandsByStatus.filter((st) => st.count > 0);
  const stacked = statuses.map((st) => ({
    name: `需求·${st.label}`, color: STATUS_COLORS[st.key] ?? "#6b7280",
    values: months.map((m) => demands.get(m)?.byStatus.find((c) => c.key === st.key)?.count ?? 0),
  }));
  const lines = [{ name: "新立项目", color: "#1d4ed8", values: months.map((m) => projects.get(m) ?? 0) }];
  const title = "每月趋势 · 上报的需求（按状态）与新立项目";
  const chart = h("div", { class: "chart", role: "img", "aria-label": `${title}，柱为需求、线为项目；数字见下方表格` });
  chart.style.height = "300px";
  const rows = months.filter((m) => demands.has(m) || projects.has(m)).map((m) => [
    m, demands.get(m)?.count ?? 0, ...statuses.map((st) => demands.get(m)?.byStatus.find((c) => c.key === st.key)?.count ?? 0), projects.get(m) ?? 0,
  ]);
  const section = h("section", { class: "card figure wide-figure", "data-figure": "trend" },
    h("h2", {}, title),
    months.length ? chart : h("p", { class: "empty" }, "这个范围还没有需求或项目。"),
    numbers(table(["月份", "需求", ...statuses.map((st) => st.label), "新立项目"], rows, `${title}（只列有数字的月份）`)));
  if (months.length) requestAnimationFrame(() => trend(chart, months, stacked, lines));
  return section;
}

function heatFigure(s: Figures): HTMLElement {
  const cells = s.demandsByCommunityAndCategory;
  const categories = s.demandsByCategory.filter((c) => cells.some((x) => x.category === c.key));
  const communities = [...new Map(cells.map((c) => [c.communityId, c])).values()];
  const col = new Map(categories.map((c, i) => [c.key, i]));
  const row = new Map(communities.map((c, i) => [c.communityId, i]));
  const count = new Map(cells.map((c) => [`${c.communityId}|${c.category}`, c.count]));
  const title = "需求热力图 · 社区 × 类别";
  const chart = h("div", { class: "chart", role: "img", "aria-label": `${title}；数字见下方表格` });
  chart.style.height = `${Math.max(260, communities.length * 30 + 170)}px`;
  const t = table(["社区", ...categories.map((c) => c.label), "合计"], communities.map((m) => [
    link(`/demands?scope=${m.communityCode}`, m.communityName),
    ...categories.map((c) => count.get(`${m.communityId}|${c.key}`) ?? ""),
    cells.filter((x) => x.communityId === m.communityId).reduce((n, x) => n + x.count, 0),
  ]), title);
  const section = h("section", { class: "card figure wide-figure", "data-figure": "heatmap" },
    h("h2", {}, title),
    cells.length ? chart : h("p", { class: "empty" }, "这个范围还没有需求。"),
    numbers(t));
  if (cells.length) {
    requestAnimationFrame(() => heatmap(chart, categories.map((c) => c.label), communities.map((c) => c.communityName),
      cells.map((c) => [col.get(c.category) ?? 0, row.get(c.communityId) ?? 0, c.count])));
  }
  return section;
}

function figure(title: string, data: Count[], color: string, hideZeros = false): HTMLElement {
  const shown: Bar[] = (hideZeros ? data.filter((c) => c.count > 0) : data).map((c) => ({ label: c.label, count: c.count }));
  const chart = h("div", { class: "chart", role: "img", "aria-label": `${title}柱状图` });
  chart.style.height = `${Math.max(220, shown.length > 6 ? shown.length * 26 + 40 : 220)}px`;
  const section = h(
    "section",
    { class: "card figure" },
    h("h2", {}, title),
    chart,
    h("details", {}, h("summary", {}, "查看数字"), table(["项", "数量"], data.map((c) => [c.label, c.count]), title)),
  );
  requestAnimationFrame(() => bars(chart, shown.length ? shown : [{ label: "（无）", count: 0 }], color));
  return section;
}

export default async function overview(main: HTMLElement, params: Params): Promise<void> {
  // with a scope in the URL, the figures are asked for while the places load
  const asked = params.get("scope");
  const early = asked ? gql<Stats>(QUERY, { scope: asked }) : null;
  const earlyTrends = asked ? gql<{ statistics: Trends }>(TRENDS, { scope: asked }) : null;
  early?.catch(() => undefined); // awaited below when used
  earlyTrends?.catch(() => undefined);
  const { select, code } = await scopeSelect(asked, ["county", "street", "community"], (c) => setParams({ scope: c }));
  const trends = code === asked && earlyTrends ? earlyTrends : gql<{ statistics: Trends }>(TRENDS, { scope: code });
  const s = (await (code === asked && early ? early : gql<Stats>(QUERY, { scope: code }))).statistics;
  const later = [h("section", { class: "card figure wide-figure" }, h("h2", {}, "每月趋势"), h("p", { class: "loading", role: "status" }, "正在加载…")),
    h("section", { class: "card figure wide-figure" }, h("h2", {}, "需求热力图"), h("p", { class: "loading", role: "status" }, "正在加载…"))];
  const rates = h("section", { class: "card rates", "data-figure": "rates" }, h("h2", {}, "三率"), h("p", { class: "loading", role: "status" }, "正在加载…"));
  const tiles: [string, number][] = [
    ["社区", s.communities], ["单位", s.units], ["资源", s.resources], ["需求", s.demands],
    ["项目", s.projects], ["共建协议", s.agreements], ["联席会议", s.meetings],
  ];
  add(main, 
    h("div", { class: "bar" }, h("h1", {}, `总览 · ${s.scope?.name ?? "全部"}`), h("label", {}, "范围 ", select)),
    h("ul", { class: "tiles" }, tiles.map(([label, n]) => h("li", {}, h("strong", {}, n), h("span", {}, label)))),
    h(
      "div",
      { class: "grid" },
      figure("需求 · 按状态", s.demandsByStatus, "#c0392b"),
      figure("需求 · 按五事", s.demandsByClass, "#d35400"),
      figure("项目 · 按类别", s.projectsByClass, "#2c7a7b"),
      figure("需求 · 按类别", s.demandsByCategory, "#8e44ad", true),
      later,
    ),
    rates,
  );
  // ready once the charts have drawn (their frame comes first)
  requestAnimationFrame(() => requestAnimationFrame(() => (main.dataset.ready = "overview")));
  try {
    const t = (await trends).statistics;
    const all: Figures = { ...s, ...t };
    later[0].replaceWith(trendFigure(all));
    later[1].replaceWith(heatFigure(all));
  } catch (error) {
    if (error instanceof AuthError) throw error;
    for (const section of later) fill(section, h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
  }
  requestAnimationFrame(() => requestAnimationFrame(() => (main.dataset.trends = "drawn")));
  // 三率 and the ranking: their own chunk, after the first view and the trend
  if (code) {
    await (await import("./rates")).drawRates(rates, code, params.get("month"));
    main.dataset.rates = "drawn";
  }
}
