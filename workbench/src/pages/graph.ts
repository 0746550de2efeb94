import cytoscape from "cytoscape";
import { gql } from "../api";
import { fmt, h, link, fill, add } from "../dom";
import { kindLabel, NODE_QUERY, toLoaded, type Loaded, type Neighbour } from "../nodes";
import { setParams, type Params } from "../router";

/** Neighbours added per expansion, as Neo4j Browser caps them; "more" adds the next batch. */
export const CAP = 12;

const COLORS: Record<string, string> = {
  County: "#7f1d1d", Street: "#b91c1c", Community: "#dc2626", Unit: "#1d4ed8", Resource: "#0e7490",
  Demand: "#d97706", Project: "#15803d",
};

/** Candidates drawn on a demand's path to its units (within the cap per expansion). */
const PATH_CAP = 6;

interface PathStep { rank: number; score: number; resourceId: string; resourceName: string; unitId: string; unitName: string }

const PATH = `query($id: ID!, $first: Int!) { matchResources(demandId: $id, first: $first) {
  rank score resourceId resourceName unitId unitName } }`;

interface Hit { score: number; kind: string; node: { __typename: string; id: string; name?: string; title?: string } }

const SEARCH = `query($text: String!) { search(text: $text, first: 20) { score kind node { __typename
  ... on Demand { id title } ... on Resource { id name } ... on Project { id name } ... on Unit { id name } ... on Community { id name } } } }`;

export default async function graph(main: HTMLElement, params: Params): Promise<void> {
  const input = h("input", { type: "search", name: "q", value: params.get("q") ?? "", placeholder: "搜索社区、单位、资源、需求、项目", "aria-label": "搜索" });
  const hits = h("ol", { class: "hits", "aria-label": "搜索结果" });
  const card = h("section", { class: "card node-card", "aria-live": "polite" }, h("p", { class: "hint" }, "搜索后选择一个结果，查看它的信息和关系。"));
  const canvas = h("div", { class: "cy", role: "img", "aria-label": "关系图" });
  add(main, 
    h("h1", {}, "图谱"),
    h("form", { class: "bar search", onsubmit: (e: Event) => { e.preventDefault(); setParams({ q: input.value.trim() || null, node: null }); } },
      input, h("button", { type: "submit" }, "搜索")),
    h("div", { class: "graph-layout" }, h("div", {}, hits, card), canvas),
  );

  const cy = cytoscape({
    container: canvas,
    minZoom: 0.3,
    maxZoom: 1.5, // a few nodes stay at a readable size
    style: [
      { selector: "node", style: { label: "data(label)", "background-color": "data(color)", color: "#222", "font-size": 10,
        "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18, "text-wrap": "ellipsis", "text-max-width": "96px",
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": "1px" } },
      { selector: "node.focus", style: { "border-width": 3, "border-color": "#111", width: 30, height: 30 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#bbb", "target-arrow-shape": "triangle", "target-arrow-color": "#bbb",
        "curve-style": "bezier", label: "", "font-size": 9, color: "#666", "text-rotation": "autorotate" } },
      { selector: "edge.near", style: { label: "data(label)", "line-color": "#888", "target-arrow-color": "#888" } },
      // the path from a demand to the units that could serve it
      { selector: "edge.path", style: { label: "data(label)", width: 3, "line-color": "#d97706", "target-arrow-color": "#d97706", color: "#92400e" } },
      { selector: "node.path", style: { "border-width": 2, "border-color": "#d97706" } },
    ],
  });
  const loaded = new Map<string, Loaded>();
  const shown = new Map<string, number>(); // per node: how many of its neighbours are drawn

  function addNode(id: string, kind: string, label: string): void {
    if (cy.getElementById(id).nonempty()) return;
    cy.add({ group: "nodes", data: { id, label: `${kindLabel(kind)}·${label}`, color: COLORS[kind] ?? "#666", kind } });
  }

  function expand(node: Loaded): number {
    const start = shown.get(node.id) ?? 0;
    const batch = node.neighbours.slice(start, start + CAP);
    addNode(node.id, node.kind, node.label);
    for (const n of batch) {
      addNode(n.id, n.kind, n.label);
      const edgeId = `${node.id}->${n.id}`;
      if (cy.getElementById(edgeId).empty() && cy.getElementById(`${n.id}->${node.id}`).empty()) {
        cy.add({ group: "edges", data: { id: edgeId, source: node.id, target: n.id, label: n.edge } });
      }
    }
    shown.set(node.id, start + batch.length);
    cy.nodes().removeClass("focus");
    cy.getElementById(node.id).addClass("focus");
    cy.edges().removeClass("near");
    cy.getElementById(node.id).connectedEdges().addClass("near");
    cy.layout({ name: "cose", animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 120, nodeOverlap: 40, randomize: false }).run();
    cy.fit(undefined, 20);
    return batch.length;
  }

  async function open(id: string, pushUrl = true): Promise<void> {
    fill(card, h("p", { class: "loading", role: "status" }, "正在加载…"));
    let node = loaded.get(id);
    if (!node) {
      const data = await gql<{ node: (Record<string, unknown> & { __typename: string; id: string }) | null }>(NODE_QUERY, { id });
      if (!data.node) {
        fill(card, h("p", { class: "error" }, "找不到这个对象，或它不在您的权限范围内。"));
        return;
      }
      node = toLoaded(data.node);
      loaded.set(id, node);
    }
    if (pushUrl && new URLSearchParams(location.search).get("node") !== id) history.replaceState(null, "", withParam({ node: id, path: null }));
    expand(node);
    renderCard(node);
  }

  /** Demand → its ranked candidate resources → the units offering them, drawn as a path. */
  async function servePath(node: Loaded): Promise<void> {
    const status = card.querySelector(".path-status");
    if (status) status.textContent = "正在查找能服务它的单位…";
    const found = (await gql<{ matchResources: PathStep[] }>(PATH, { id: node.id, first: PATH_CAP })).matchResources;
    addNode(node.id, node.kind, node.label);
    for (const c of found) {
      addNode(c.resourceId, "Resource", c.resourceName);
      addNode(c.unitId, "Unit", c.unitName);
      for (const [source, target, label] of [[node.id, c.resourceId, `候选 ${c.rank}`], [c.resourceId, c.unitId, "提供单位"]]) {
        const edgeId = `${source}->${target}`;
        const existing = cy.getElementById(edgeId).nonempty() ? cy.getElementById(edgeId) : cy.getElementById(`${target}->${source}`);
        if (existing.nonempty()) existing.addClass("path");
        else cy.add({ group: "edges", data: { id: edgeId, source, target, label }, classes: "path" });
      }
      cy.getElementById(c.resourceId).addClass("path");
      cy.getElementById(c.unitId).addClass("path");
    }
    cy.getElementById(node.id).addClass("path");
    cy.layout({ name: "cose", animate: false, nodeRepulsion: () => 40000, idealEdgeLength: () => 120, nodeOverlap: 40, randomize: false }).run();
    cy.fit(undefined, 20);
    history.replaceState(null, "", withParam({ node: node.id, path: "units" }));
    const units = [...new Map(found.map((c) => [c.unitId, c.unitName])).entries()];
    const list = card.querySelector(".path-result");
    if (list) {
      fill(list, found.length
        ? h("ol", {}, found.map((c) => h("li", {},
            h("button", { type: "button", class: "linkish", onclick: () => void open(c.resourceId) }, c.resourceName), " → ",
            h("button", { type: "button", class: "linkish", onclick: () => void open(c.unitId) }, c.unitName),
            h("small", {}, ` 得分 ${fmt(c.score, 3)}`))))
        : h("p", { class: "empty" }, "没有找到能满足这条需求的资源。"));
    }
    if (status) status.textContent = found.length ? `已画出 ${found.length} 项候选资源、${units.length} 个单位（前 ${PATH_CAP} 名）。` : "";
    main.dataset.path = String(found.length);
  }

  function renderCard(node: Loaded): void {
    const drawn = shown.get(node.id) ?? 0;
    const rest = node.neighbours.length - drawn;
    const actions: HTMLElement[] = [];
    if (node.kind === "Demand") {
      actions.push(
        h("button", { type: "button", class: "primary path-button", onclick: () => void servePath(node) }, "画出能服务它的单位"),
        link(`/demands/${encodeURIComponent(node.id)}`, "查看候选资源 →"));
    }
    if (node.kind === "Community") {
      const code = node.fields.find(([k]) => k === "区划代码")?.[1] ?? node.id;
      actions.push(link(`/demands?scope=${code}`, "本社区需求 →"), link(`/overview?scope=${code}`, "本社区总览 →"), link(`/gaps?scope=${code}`, "缺口 →"));
    }
    fill(card, 
      h("h2", {}, h("span", { class: `tag k-${node.kind}` }, kindLabel(node.kind)), " ", node.label),
      h("dl", {}, node.fields.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      node.extra?.missing?.length
        ? h("div", { class: "missing" }, h("h3", {}, "4+N 缺少"), h("ul", {}, node.extra.missing.map((m) => h("li", {}, m))))
        : null,
      actions.length ? h("p", { class: "actions" }, actions) : null,
      node.kind === "Demand" ? h("div", { class: "path-box" }, h("p", { class: "path-status hint", role: "status" }), h("div", { class: "path-result" })) : null,
      h("h3", {}, `关系（${node.neighbours.length}）`),
      h("ul", { class: "neighbours" }, node.neighbours.slice(0, drawn).map((n: Neighbour) =>
        h("li", {}, h("button", { type: "button", class: "linkish", "data-id": n.id, onclick: () => void open(n.id) },
          h("span", { class: `tag k-${n.kind}` }, kindLabel(n.kind)), ` ${n.label}`), h("small", {}, ` ${n.edge}`)))),
      rest > 0
        ? h("button", { type: "button", class: "more", onclick: () => { expand(node); renderCard(node); } }, `再展开 ${Math.min(rest, CAP)} 个（还有 ${rest} 个未显示）`)
        : null,
    );
  }

  cy.on("tap", "node", (event) => void open(String(event.target.id())));

  const q = params.get("q");
  let firstHit: string | null = null;
  if (q) {
    const found = (await gql<{ search: Hit[] }>(SEARCH, { text: q })).search;
    firstHit = found[0]?.node.id ?? null;
    fill(hits, 
      ...(found.length
        ? found.map((hit) => h("li", {}, h("button", { type: "button", class: "linkish", onclick: () => void open(hit.node.id) },
            h("span", { class: `tag k-${hit.node.__typename}` }, kindLabel(hit.node.__typename)), ` ${hit.node.name ?? hit.node.title ?? ""}`),
            h("small", {}, ` ${fmt(hit.score, 1)}`)))
        : [h("li", { class: "empty" }, `没有找到与“${q}”相关的内容。`)]),
    );
  }
  // a search opens its best hit at once; a deep link opens its node
  const start = params.get("node") ?? (q ? firstHit : null);
  if (start) await open(start, !params.get("node"));
  const opened = start ? loaded.get(start) : undefined;
  if (opened?.kind === "Demand" && params.get("path") === "units") await servePath(opened);
  main.dataset.ready = "graph";
}

function withParam(values: Record<string, string | null>): string {
  const p = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value === null) p.delete(key);
    else p.set(key, value);
  }
  return `${location.pathname}?${p}`;
}
