import { gql } from "../api";
import { fmt, h, link, table, fill, add } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";

interface Count { key: string; label: string; count: number }
interface Demand {
  id: string; title: string; status: string; categoryLabel: string; matterClassLabel: string; urgency: string;
  collectedOn: string | null; community: { name: string } | null;
}

const URGENCY: Count[] = [{ key: "NORMAL", label: "一般", count: 0 }, { key: "URGENT", label: "紧急", count: 0 }];

const LIST = `query($filter: DemandFilter, $after: String) { demands(filter: $filter, first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id title status categoryLabel matterClassLabel urgency collectedOn community { name } } } }`;

const VOCAB = `query($scope: String) { statistics(scope: $scope) {
  demandsByStatus { key label count } demandsByClass { key label count } demandsByCategory { key label count } } }`;

const FILTERS: [param: string, field: string, title: string][] = [
  ["status", "statuses", "状态"], ["class", "classes", "五事"], ["urgency", "urgencies", "紧急程度"], ["category", "categories", "类别"],
];

export default async function demands(main: HTMLElement, params: Params, rest: string): Promise<void> {
  if (rest) return demandPage(main, rest);
  const { select, code } = await scopeSelect(params.get("scope"), ["county", "street", "community"], (c) => setParams({ scope: c }));
  const vocab = (await gql<{ statistics: Record<string, Count[]> }>(VOCAB, { scope: code })).statistics;
  const options: Record<string, Count[]> = {
    status: vocab.demandsByStatus, class: vocab.demandsByClass, urgency: URGENCY, category: vocab.demandsByCategory,
  };
  const labelOf = new Map(Object.values(options).flat().map((c) => [c.key, c.label]));
  const filter: Record<string, unknown> = { scope: code };
  const controls = FILTERS.map(([param, field, title]) => {
    const chosen = params.getAll(param);
    if (chosen.length) filter[field] = chosen;
    const sel = h("select", { name: param, "aria-label": title },
      h("option", { value: "" }, `${title}：全部`),
      options[param].map((c) => h("option", { value: c.key, selected: chosen.includes(c.key) },
        c.count ? `${c.label}（${c.count}）` : c.label)));
    sel.addEventListener("change", () => setParams({ [param]: sel.value || null }));
    return sel;
  });
  const text = params.get("q");
  if (text) filter.text = text;
  const search = h("input", { type: "search", name: "q", value: text ?? "", placeholder: "标题或说明中的文字", "aria-label": "文字" });
  const body = h("div", {});
  add(main, 
    h("h1", {}, "需求清单"),
    h("form", { class: "bar filters", onsubmit: (e: Event) => { e.preventDefault(); setParams({ q: search.value.trim() || null }); } },
      h("label", {}, "范围 ", select), ...controls, search, h("button", { type: "submit" }, "筛选")),
    body,
  );
  const rows: Demand[] = [];
  let after: string | null = null;
  async function more(): Promise<void> {
    const page = (await gql<{ demands: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Demand[] } }>(
      LIST, { filter, after })).demands;
    rows.push(...page.nodes);
    after = page.pageInfo.endCursor;
    fill(body, 
      h("p", { class: "count" }, `共 ${page.totalCount} 条需求`),
      table(["需求", "社区", "类别", "五事", "紧急", "状态", "收集日期"], rows.map((d) => [
        link(`/demands/${encodeURIComponent(d.id)}`, d.title), d.community?.name ?? "", d.categoryLabel, d.matterClassLabel,
        d.urgency === "URGENT" ? h("span", { class: "urgent" }, "紧急") : "一般", labelOf.get(d.status) ?? d.status, d.collectedOn ?? "",
      ])),
      page.pageInfo.hasNextPage ? h("button", { type: "button", onclick: () => void more() }, "加载更多") : null,
    );
  }
  await more();
  main.dataset.ready = "demands";
}

interface Candidate {
  rank: number; score: number; resourceId: string; resourceName: string; unitName: string; capacityLeft: number; scope: string;
  reasons: { kind: string; label: string; contribution: number; sentence: string }[];
}

const DEMAND = `query($id: ID!) { demand(id: $id) { id title description categoryLabel matterClassLabel urgency status
  households collectedOn source collectorName community { name code street { name code } }
  projects { id name statusLabel } }
  matchResources(demandId: $id, first: 10) { rank score resourceId resourceName unitName capacityLeft scope
    reasons { kind label contribution sentence } } }`;

const SCOPE: Record<string, string> = { COMMUNITY: "本社区", STREET: "本街道", COUNTY: "全县" };

async function demandPage(main: HTMLElement, id: string): Promise<void> {
  const data = await gql<{ demand: (Record<string, unknown> & { title: string; community: { name: string; code: string; street: { name: string; code: string } | null } | null; projects: { id: string; name: string; statusLabel: string }[] }) | null; matchResources: Candidate[] }>(DEMAND, { id });
  const d = data.demand;
  if (!d) {
    add(main, h("h1", {}, "找不到需求"), h("p", { class: "error" }, "这条需求不存在，或不在您的权限范围内。"), link("/demands", "回到需求清单"));
    return;
  }
  const facts: [string, unknown][] = [
    ["社区", d.community?.name], ["类别", d.categoryLabel], ["五事", d.matterClassLabel], ["紧急程度", d.urgency === "URGENT" ? "紧急" : "一般"],
    ["受益户数", d.households], ["收集日期", d.collectedOn], ["来源", d.source], ["收集人", d.collectorName], ["说明", d.description],
  ];
  add(main, 
    h("p", { class: "crumbs" }, link(`/demands?scope=${d.community?.code ?? ""}`, "需求清单"), " › ", d.title),
    h("h1", {}, d.title),
    h("section", { class: "card" }, h("dl", {}, facts.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])),
      h("p", { class: "actions" }, link(`/graph?node=${encodeURIComponent(id)}`, "在图谱中查看 →"),
        d.community?.street ? link(`/meeting?scope=${d.community.street.code}`, `${d.community.street.name}联席会 →`) : null)),
    d.projects.length ? h("section", { class: "card" }, h("h2", {}, "已有项目"), h("ul", {}, d.projects.map((p) => h("li", {}, `${p.name}（${p.statusLabel}）`)))) : null,
    h("h2", {}, `候选资源（${data.matchResources.length}）`),
    data.matchResources.length
      ? h("ol", { class: "candidates" }, data.matchResources.map((c) => h("li", { class: "card candidate" },
          h("h3", {}, `${c.rank}. ${c.resourceName}`, h("span", { class: "score" }, `得分 ${fmt(c.score, 3)}`)),
          h("p", {}, `${c.unitName} · 剩余 ${c.capacityLeft} · 服务范围：${SCOPE[c.scope] ?? c.scope}`),
          h("ul", { class: "reasons" }, c.reasons.map((r) => h("li", {}, h("b", {}, `${r.label} +${fmt(r.contribution, 3)}`), ` ${r.sentence}`))))))
      : h("p", { class: "empty" }, "没有找到能满足这条需求的资源。"),
  );
  main.dataset.ready = "demand";
}
