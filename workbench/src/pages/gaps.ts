import { gql } from "../api";
import { h, link, table, add } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";

interface Gaps {
  unmet: { communityId: string; communityName: string; category: string; count: number; urgent: number; demandIds: string[] }[];
  idle: { resourceId: string; name: string; unitId: string; unitName: string; category: string; capacity: number }[];
  absent: { unitId: string; unitName: string; communityName: string; lead: boolean; status: string; sentence: string }[];
  structure: { communityId: string; communityName: string; sentences: string[] }[];
}

const QUERY = `query($scope: String!) { gaps(scope: $scope) {
  unmet { communityId communityName category count urgent demandIds }
  idle { resourceId name unitId unitName category capacity }
  absent { unitId unitName communityName lead status sentence }
  structure { communityId communityName sentences } }
  statistics(scope: $scope) { demandsByCategory { key label } } }`;

interface Coverage { buildings: number; complete: number; gaps?: { building: { id: string; name: string }; compoundName: string; missingLabels: string[] }[] }
interface CommunityCoverage { id: string; name: string; code: string; buildingCoverage: Coverage }

const C = "id name code buildingCoverage { buildings complete }";
/** a community's buildings one by one; a street's or county's communities in figures (a modest document) */
const COVERAGE = `query($code: String!) { division(code: $code) { __typename
  ... on Community { id name code buildingCoverage { buildings complete gaps { building { id name } compoundName missingLabels } } }
  ... on Street { communities { ${C} } }
  ... on County { streets { communities { ${C} } } } } }`;

type Division = { __typename: string } & Partial<CommunityCoverage> & { communities?: CommunityCoverage[]; streets?: { communities: CommunityCoverage[] }[] };

async function coverage(code: string): Promise<HTMLElement> {
  const d = (await gql<{ division: Division | null }>(COVERAGE, { code })).division;
  const title = "楼栋覆盖（两长两员：楼栋长、党小组长、网格员、双报到党员）";
  if (d?.__typename === "Community" && d.buildingCoverage) {
    const c = d.buildingCoverage;
    const gaps = c.gaps ?? [];
    return h("section", { class: "card wide-card", "data-gap": "coverage" }, h("h2", {}, `${title}：${c.complete}/${c.buildings} 栋齐全`),
      scroll(["楼栋", "小区", "缺少"], gaps.map((g) => [
        link(`/graph?node=${encodeURIComponent(g.building.id)}`, g.building.name), g.compoundName, g.missingLabels.join("、")]),
        `${d.name}：${gaps.length} 栋不齐全`));
  }
  const communities = d?.communities ?? d?.streets?.flatMap((s) => s.communities) ?? [];
  const lacking = communities.filter((m) => m.buildingCoverage.buildings === 0 || m.buildingCoverage.complete < m.buildingCoverage.buildings);
  const buildings = communities.reduce((n, m) => n + m.buildingCoverage.buildings, 0);
  const complete = communities.reduce((n, m) => n + m.buildingCoverage.complete, 0);
  return h("section", { class: "card wide-card", "data-gap": "coverage" }, h("h2", {}, `${title}：${complete}/${buildings} 栋齐全`),
    scroll(["社区", "楼栋", "齐全", "不齐全"], lacking.map((m) => [
      link(`/gaps?scope=${m.code}`, m.name), m.buildingCoverage.buildings || "未登记楼栋", m.buildingCoverage.complete,
      m.buildingCoverage.buildings - m.buildingCoverage.complete]),
      `${lacking.length} 个社区的楼栋不齐全或未登记（点社区看各楼栋）`));
}

function scroll(...args: Parameters<typeof table>): HTMLElement {
  return h("div", { class: "scroll" }, table(...args));
}

export default async function gaps(main: HTMLElement, params: Params): Promise<void> {
  const { select, code } = await scopeSelect(params.get("scope"), ["county", "street", "community"], (c) => setParams({ scope: c }));
  add(main, h("div", { class: "bar" }, h("h1", {}, "缺口"), h("label", {}, "范围 ", select)));
  if (!code) return;
  const [data, covered] = await Promise.all([
    gql<{ gaps: Gaps; statistics: { demandsByCategory: { key: string; label: string }[] } }>(QUERY, { scope: code }),
    coverage(code),
  ]);
  const label = new Map(data.statistics.demandsByCategory.map((c) => [c.key, c.label]));
  const g = data.gaps;
  const cat = (k: string) => label.get(k) ?? k;
  add(main, 
    h("div", { class: "grid" },
      h("section", { class: "card" }, h("h2", {}, `未满足的需求（${g.unmet.reduce((n, u) => n + u.count, 0)}）`),
        scroll(["社区", "类别", "条数", "紧急"], g.unmet.map((u) => [
          link(`/demands?scope=${u.communityId}&category=${u.category}&status=OPEN`, u.communityName), cat(u.category), u.count, u.urgent]))),
      h("section", { class: "card" }, h("h2", {}, `4+N 不完整的社区（${g.structure.length}）`),
        scroll(["社区", "缺少"], g.structure.map((s) => [link(`/graph?node=${encodeURIComponent(s.communityId)}`, s.communityName), s.sentences.join("；")]))),
      h("section", { class: "card" }, h("h2", {}, `闲置资源（${g.idle.length}）`),
        scroll(["资源", "单位", "类别", "数量"], g.idle.map((r) => [
          link(`/graph?node=${encodeURIComponent(r.resourceId)}`, r.name), link(`/graph?node=${encodeURIComponent(r.unitId)}`, r.unitName), cat(r.category), r.capacity]))),
      h("section", { class: "card" }, h("h2", {}, `报而不到 / 到而不干（${g.absent.length}）`),
        scroll(["单位", "社区", "情况"], g.absent.map((a) => [
          link(`/graph?node=${encodeURIComponent(a.unitId)}`, a.unitName), a.communityName, a.sentence]))),
      covered,
    ),
  );
  main.dataset.ready = "gaps";
  // 双报到 hours per home unit: their own chunk, after the first view
  const hours = h("section", { class: "card wide-card", "data-gap": "hours" }, h("h2", {}, "双报到 · 党员服务时长"),
    h("p", { class: "loading", role: "status" }, "正在加载…"));
  main.append(hours);
  await (await import("./hours")).drawHours(hours, code, params.get("hours"));
  main.dataset.hours = "drawn";
}
