import { failed, gql } from "../api";
import { fmt, h, link, table, fill, add } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";
import { STAGES, stageLabel } from "../loop";
import { HANDLING, handlingSection, type Handling } from "./handling";

interface Count { key: string; label: string; count: number }
interface Demand {
  id: string; title: string; status: string; stage: string; overdue: boolean; categoryLabel: string; matterClassLabel: string; urgency: string;
  collectedOn: string | null; community: { name: string } | null;
}

const URGENCY: Count[] = [{ key: "NORMAL", label: "一般", count: 0 }, { key: "URGENT", label: "紧急", count: 0 }];

const LIST = `query($filter: DemandFilter, $after: String) { demands(filter: $filter, first: 50, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id title status stage overdue categoryLabel matterClassLabel urgency collectedOn community { name } } } }`;

const VOCAB = `query($scope: String) { statistics(scope: $scope) {
  demandsByStatus { key label count } demandsByClass { key label count } demandsByCategory { key label count } } }`;

const FILTERS: [param: string, field: string, title: string][] = [
  ["status", "statuses", "状态"], ["class", "classes", "五事"], ["urgency", "urgencies", "紧急程度"], ["category", "categories", "类别"],
  ["stage", "stages", "办理阶段"],
];

export default async function demands(main: HTMLElement, params: Params, rest: string): Promise<void> {
  if (rest) return demandPage(main, rest);
  const { select, code } = await scopeSelect(params.get("scope"), ["county", "street", "community"], (c) => setParams({ scope: c }));
  const vocab = (await gql<{ statistics: Record<string, Count[]> }>(VOCAB, { scope: code })).statistics;
  const options: Record<string, Count[]> = {
    status: vocab.demandsByStatus, class: vocab.demandsByClass, urgency: URGENCY, category: vocab.demandsByCategory,
    stage: STAGES.map(([key, label]) => ({ key, label, count: 0 })),
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
  const overdue = params.get("overdue");
  if (overdue === "true" || overdue === "false") filter.overdue = overdue === "true";
  const overdueSelect = h("select", { name: "overdue", "aria-label": "逾期" },
    h("option", { value: "" }, "逾期：全部"),
    h("option", { value: "true", selected: overdue === "true" }, "只看逾期"),
    h("option", { value: "false", selected: overdue === "false" }, "未逾期"));
  overdueSelect.addEventListener("change", () => setParams({ overdue: overdueSelect.value || null }));
  const text = params.get("q");
  if (text) filter.text = text;
  const search = h("input", { type: "search", name: "q", value: text ?? "", placeholder: "标题或说明中的文字", "aria-label": "文字" });
  const body = h("div", {});
  add(main, 
    h("h1", {}, "需求清单"),
    h("form", { class: "bar filters", onsubmit: (e: Event) => { e.preventDefault(); setParams({ q: search.value.trim() || null }); } },
      h("label", {}, "范围 ", select), ...controls, overdueSelect, search, h("button", { type: "submit" }, "筛选")),
    body,
  );
  const rows: Demand[] = [];
  let after: string | null = null;
  async function more(): Promise<void> {
    const page = (await gql<{ demands: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Demand[] } }>(
      LIST, { filter, after })).demands;
    rows.push(...page.nodes);
    after = page.pageInfo.endCursor;
    const list = table(["需求", "社区", "类别", "五事", "紧急", "状态", "阶段", "收集日期"], rows.map((d) => [
        link(`/demands/${encodeURIComponent(d.id)}`, d.title), d.community?.name ?? "", d.categoryLabel, d.matterClassLabel,
        d.urgency === "URGENT" ? h("span", { class: "urgent" }, "紧急") : "一般", labelOf.get(d.status) ?? d.status,
        h("span", { class: "stage" }, stageLabel(d.stage), d.overdue ? h("span", { class: "overdue" }, "逾期") : null), d.collectedOn ?? "",
      ]));
    list.classList.add("demand-list");
    fill(body,
      h("p", { class: "count" }, `共 ${page.totalCount} 条需求`),
      list,
      page.pageInfo.hasNextPage ? h("button", { type: "button", onclick: () => void more() }, "加载更多") : null,
    );
  }
  await more();
  main.dataset.ready = "demands";
}

interface Candidate {
  rank: number; score: number; resourceId: string; resourceName: string; unitId: string; unitName: string; capacityLeft: number; scope: string;
  reasons: { kind: string; label: string; contribution: number; sentence: string }[];
}

const DEMAND = `query($id: ID!) { demand(id: $id) { id title description categoryLabel matterClassLabel urgency status
  households collectedOn source collectorName community { name code street { name code } }
  projects { id name statusLabel } ${HANDLING} }
  matchResources(demandId: $id, first: 10) { rank score resourceId resourceName unitId unitName capacityLeft scope
    reasons { kind label contribution sentence } } }`;

const SCOPE: Record<string, string> = { COMMUNITY: "本社区", STREET: "本街道", COUNTY: "全县" };

const PROJECT_CLASSES: [string, string][] = [
  ["PARTY_BUILDING", "党建引领"], ["CULTURE_SPORTS", "文体活动"], ["POVERTY_RELIEF", "扶贫帮困"],
  ["HEALTH", "医疗卫生"], ["VOLUNTEERING", "志愿服务"], ["OTHER", "其他"],
];

const FORM = `mutation($input: FormProjectInput!) { formProject(input: $input) { __typename
  ... on Project { id name statusLabel } ... on Error { code message } } }`;

interface Formed { __typename: string; id?: string; name?: string; statusLabel?: string; code?: string; message?: string }

/** 立项 from one candidate: the demand, that resource (a quantity of it), its unit leading. */
function formProject(demand: { id: string; title: string; code: string }, c: Candidate, onFormed: (p: Formed) => void): HTMLElement {
  const n = c.rank;
  const name = h("input", { type: "text", name: "name", id: `name-${n}`, value: demand.title, required: true, maxlength: 200 });
  const klass = h("select", { name: "projectClass", id: `class-${n}` }, PROJECT_CLASSES.map(([k, l]) => h("option", { value: k }, l)));
  const quantity = h("input", { type: "number", name: "quantity", id: `qty-${n}`, value: 1, min: 1, max: Math.max(1, c.capacityLeft), required: true });
  const start = h("input", { type: "date", name: "startDate", id: `start-${n}` });
  const lead = h("input", { type: "checkbox", name: "lead", id: `lead-${n}`, checked: true });
  const status = h("div", { class: "status", role: "status" });
  const submit = h("button", { type: "submit", class: "primary" }, "立项");
  const form = h("form", { class: "form-project" },
    h("label", { for: `name-${n}` }, "项目名称"), name,
    h("label", { for: `class-${n}` }, "项目类别"), klass,
    h("label", { for: `qty-${n}` }, `使用数量（剩余 ${c.capacityLeft}）`), quantity,
    h("label", { for: `start-${n}` }, "开始日期（可不填）"), start,
    h("span", {}), h("label", { class: "check" }, lead, ` 由 ${c.unitName} 牵头`),
    h("span", {}), h("p", {}, submit),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    fill(status, h("p", { class: "loading" }, "正在立项…"));
    try {
      const input: Record<string, unknown> = {
        name: name.value.trim(), projectClass: klass.value, community: demand.code, demandIds: [demand.id],
        uses: [{ resourceId: c.resourceId, quantity: Number(quantity.value) }],
      };
      if (lead.checked) input.leadUnitId = c.unitId;
      if (start.value) input.startDate = start.value;
      const formed = (await gql<{ formProject: Formed }>(FORM, { input })).formProject;
      const problem = failed(formed);
      if (problem) {
        fill(status, h("p", { class: "error", role: "alert" }, problem));
        submit.disabled = false;
        return;
      }
      fill(status, h("p", { class: "ok" }, `已立项：${formed.name ?? ""}（${formed.statusLabel ?? ""}）。`, " ",
        link(`/projects?scope=${demand.code}`, "在项目清单中查看 →"), " ",
        link(`/graph?node=${encodeURIComponent(formed.id ?? "")}`, "在图谱中查看 →")));
      onFormed(formed);
    } catch (error) {
      submit.disabled = false;
      fill(status, h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
  });
  return h("details", { class: "form-box" }, h("summary", {}, "以此资源立项（管理员）"), form);
}

function projectItem(p: { id: string; name: string; statusLabel: string }): HTMLElement {
  return h("li", {}, link(`/graph?node=${encodeURIComponent(p.id)}`, p.name), `（${p.statusLabel}）`);
}

async function demandPage(main: HTMLElement, id: string): Promise<void> {
  const data = await gql<{ demand: (Record<string, unknown> & { title: string; community: { name: string; code: string; street: { name: string; code: string } | null } | null; projects: { id: string; name: string; statusLabel: string }[] } & Handling) | null; matchResources: Candidate[] }>(DEMAND, { id });
  const d = data.demand;
  if (!d) {
    add(main, h("h1", {}, "找不到需求"), h("p", { class: "error" }, "这条需求不存在，或不在您的权限范围内。"), link("/demands", "回到需求清单"));
    return;
  }
  const projectList = h("ul", {}, d.projects.map((p) => projectItem(p)));
  const projects = h("section", { class: "card", hidden: !d.projects.length }, h("h2", {}, "已有项目"), projectList);
  const showProject = (p: Formed) => {
    projectList.append(projectItem({ id: p.id ?? "", name: p.name ?? "", statusLabel: p.statusLabel ?? "" }));
    projects.hidden = false;
  };
  const facts: [string, unknown][] = [
    ["社区", d.community?.name], ["类别", d.categoryLabel], ["五事", d.matterClassLabel], ["紧急程度", d.urgency === "URGENT" ? "紧急" : "一般"],
    ["受益户数", d.households], ["收集日期", d.collectedOn], ["来源", d.source], ["收集人", d.collectorName], ["说明", d.description],
  ];
  add(main, 
    h("p", { class: "crumbs" }, link(`/demands?scope=${d.community?.code ?? ""}`, "需求清单"), " › ", d.title),
    h("h1", {}, d.title),
    h("section", { class: "card" }, h("dl", {}, facts.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])),
      h("p", { class: "actions" }, link(`/graph?node=${encodeURIComponent(id)}`, "在图谱中查看 →"),
        link(`/graph?node=${encodeURIComponent(id)}&path=units`, "图谱：能服务它的单位 →"),
        d.community?.street ? link(`/meeting?scope=${d.community.street.code}`, `${d.community.street.name}联席会 →`) : null)),
    handlingSection(id, d, [...new Map(data.matchResources.map((c) => [c.unitId, { id: c.unitId, name: c.unitName }])).values()]),
    projects,
    h("h2", {}, `候选资源（${data.matchResources.length}）`),
    data.matchResources.length
      ? h("ol", { class: "candidates" }, data.matchResources.map((c) => h("li", { class: "card candidate" },
          h("h3", {}, `${c.rank}. ${c.resourceName}`, h("span", { class: "score" }, `得分 ${fmt(c.score, 3)}`)),
          h("p", {}, `${c.unitName} · 剩余 ${c.capacityLeft} · 服务范围：${SCOPE[c.scope] ?? c.scope}`),
          h("ul", { class: "reasons" }, c.reasons.map((r) => h("li", {}, h("b", {}, `${r.label} +${fmt(r.contribution, 3)}`), ` ${r.sentence}`))),
          d.community ? formProject({ id, title: d.title, code: d.community.code }, c, showProject) : null)))
      : h("p", { class: "empty" }, "没有找到能满足这条需求的资源。"),
  );
  main.dataset.ready = "demand";
}
