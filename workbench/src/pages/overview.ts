import { gql } from "../api";
import { bars, type Bar } from "../charts";
import { h, table, add } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";

interface Count { key: string; label: string; count: number }
interface Stats {
  statistics: {
    scope: { __typename: string; name: string } | null;
    communities: number; units: number; resources: number; demands: number; projects: number;
    agreements: number; meetings: number;
    demandsByStatus: Count[]; demandsByClass: Count[]; demandsByCategory: Count[]; projectsByClass: Count[];
  };
}

const QUERY = `query($scope: String) { statistics(scope: $scope) {
  scope { __typename ... on County { name } ... on Street { name } ... on Community { name } }
  communities units resources demands projects agreements meetings
  demandsByStatus { key label count } demandsByClass { key label count }
  demandsByCategory { key label count } projectsByClass { key label count } } }`;

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
  early?.catch(() => undefined); // awaited below when used
  const { select, code } = await scopeSelect(asked, ["county", "street", "community"], (c) => setParams({ scope: c }));
  const s = (await (code === asked && early ? early : gql<Stats>(QUERY, { scope: code }))).statistics;
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
    ),
  );
  // ready once the charts have drawn (their frame comes first)
  requestAnimationFrame(() => requestAnimationFrame(() => (main.dataset.ready = "overview")));
}
