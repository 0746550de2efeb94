import { gql } from "../api";
import { h, link, table, add } from "../dom";
import { setParams, type Params } from "../router";
import { scopeSelect } from "../scope";

interface Project {
  id: string; name: string; projectClassLabel: string; statusLabel: string; startDate: string | null;
  community: { name: string } | null; leadUnit: { name: string } | null; demands: { nodes: { id: string; title: string }[] };
}

const LIST = `query($filter: ProjectFilter) { projects(filter: $filter, sort: CREATED_AT, descending: true, first: 100) {
  totalCount nodes { id name projectClassLabel statusLabel startDate community { name } leadUnit { name } demands { nodes { id title } } } } }`;

export default async function projects(main: HTMLElement, params: Params): Promise<void> {
  const { select, code } = await scopeSelect(params.get("scope"), ["county", "street", "community"], (c) => setParams({ scope: c }));
  const page = (await gql<{ projects: { totalCount: number; nodes: Project[] } }>(LIST, { filter: { scope: code } })).projects;
  add(main, 
    h("div", { class: "bar" }, h("h1", {}, "项目清单"), h("label", {}, "范围 ", select)),
    h("p", { class: "count" }, `共 ${page.totalCount} 个项目，最新的在前`),
    table(["项目", "社区", "类别", "状态", "牵头单位", "满足需求", "开始日期"], page.nodes.map((p) => [
      link(`/graph?node=${encodeURIComponent(p.id)}`, p.name), p.community?.name ?? "", p.projectClassLabel, p.statusLabel,
      p.leadUnit?.name ?? "", h("span", {}, p.demands.nodes.map((d, i) => [i ? "、" : "", link(`/demands/${encodeURIComponent(d.id)}`, d.title)]).flat()),
      p.startDate ?? "",
    ])),
  );
  main.dataset.ready = "projects";
}
