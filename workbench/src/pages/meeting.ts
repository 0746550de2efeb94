import { failed, gql } from "../api";
import { fmt, h, link, table, fill, add } from "../dom";
import { setParams, type Params } from "../router";
import { allPlaces, scopeSelect } from "../scope";
import { download, workbook, type Cell } from "../xlsx";

interface Item {
  demandId: string; resourceId: string; unitId: string; quantity: number;
  candidate: { score: number; demandTitle: string; resourceName: string; unitName: string; reasons: { label: string; sentence: string }[]; demand: { community: { name: string } | null } | null };
}
interface Unmet { demandId: string; title: string; communityId: string; reason: string; sentence: string; urgency: string }
interface Plan { __typename: string; code?: string; message?: string; items: Item[]; unmet: Unmet[]; stats: { demands: number; resources: number; assigned: number; solveSeconds: number } }
interface Accepted { projectId: string; demandId: string; resourceId: string; unitId: string; quantity: number }

const PLAN = `query($scope: String!) { allocationPlan(scope: $scope) { __typename
  ... on AllocationPlan { items { demandId resourceId unitId quantity candidate { score demandTitle resourceName unitName
        reasons { label sentence } demand { community { name } } } }
    unmet { demandId title communityId reason sentence urgency } stats { demands resources assigned solveSeconds } }
  ... on Error { code message } } }`;

const ACCEPT = `mutation($items: [AcceptItemInput!]!) { acceptPlan(items: $items) { __typename
  ... on AcceptPlanResult { accepted { projectId demandId resourceId unitId quantity } rejected { demandId resourceId code message } }
  ... on Error { code message } } }`;

const HEADER = ["序号", "需求", "社区", "资源", "单位", "数量", "得分", "项目编号"];

export default async function meeting(main: HTMLElement, params: Params): Promise<void> {
  const { select, code } = await scopeSelect(params.get("scope"), ["county", "street"], (c) => setParams({ scope: c }));
  const place = (await allPlaces()).find((p) => p.code === code);
  const out = h("div", {});
  const run = h("button", { type: "button", class: "primary no-print" }, "生成分配方案");
  add(main, 
    h("div", { class: "bar no-print" }, h("h1", {}, "联席会"), h("label", {}, "街道或县 ", select), run),
    h("h1", { class: "print-only" }, `${place?.name ?? ""}联席会议 · 项目清单`),
    out,
  );
  main.dataset.ready = "meeting";
  if (!code) return;
  run.addEventListener("click", () => void plan(code, place?.name ?? code, out));
  if (params.get("run") === "1") await plan(code, place?.name ?? code, out);
}

async function plan(scope: string, scopeName: string, out: HTMLElement): Promise<void> {
  fill(out, h("p", { class: "loading", role: "status" }, "正在计算分配方案…"));
  const result = (await gql<{ allocationPlan: Plan }>(PLAN, { scope })).allocationPlan;
  const problem = failed(result);
  if (problem) {
    fill(out, h("p", { class: "error", role: "alert" }, problem));
    return;
  }
  const boxes = result.items.map((item, i) =>
    h("input", { type: "checkbox", checked: true, name: `item-${i}`, "aria-label": `选择：${item.candidate.demandTitle}` }));
  const status = h("div", { role: "status", class: "status" });
  const accept = h("button", { type: "button", class: "primary" }, "接受所选，生成项目");
  const all = h("button", { type: "button" }, "全选");
  const none = h("button", { type: "button" }, "全不选");
  const mark = () => boxes.forEach((b) => b.closest("tr")?.classList.toggle("unticked", !b.checked));
  all.addEventListener("click", () => (boxes.forEach((b) => (b.checked = true)), mark()));
  none.addEventListener("click", () => (boxes.forEach((b) => (b.checked = false)), mark()));
  boxes.forEach((b) => b.addEventListener("change", mark));
  const rows = result.items.map((item, i) => {
    const c = item.candidate;
    return h("tr", {},
      h("td", { class: "tick" }, boxes[i]),
      h("td", {}, link(`/demands/${encodeURIComponent(item.demandId)}`, c.demandTitle), h("small", { class: "reasons-inline" }, c.reasons[0] ? ` ${c.reasons[0].sentence}` : "")),
      h("td", {}, c.demand?.community?.name ?? ""), h("td", {}, c.resourceName), h("td", {}, c.unitName),
      h("td", { class: "num" }, item.quantity), h("td", { class: "num" }, fmt(c.score, 3)));
  });
  fill(out, 
    h("p", { class: "count" }, `${result.stats.demands} 条待认领需求、${result.stats.resources} 项资源：方案分配 ${result.items.length} 条，未满足 ${result.unmet.length} 条（求解 ${fmt(result.stats.solveSeconds, 2)} 秒）。`),
    h("section", { class: "card proposal" },
      h("h2", {}, "建议的项目清单"),
      h("p", { class: "no-print" }, all, " ", none, " ", accept),
      h("table", { class: "plan" },
        h("thead", {}, h("tr", {}, ["选", "需求", "社区", "资源", "单位", "数量", "得分"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows)),
      status),
    h("section", { class: "card unmet" },
      h("h2", {}, `未满足的需求（${result.unmet.length}）`),
      table(["需求", "紧急", "原因"], result.unmet.map((u) => [
        link(`/demands/${encodeURIComponent(u.demandId)}`, u.title), u.urgency === "URGENT" ? h("span", { class: "urgent" }, "紧急") : "一般", u.sentence]))),
  );
  accept.addEventListener("click", async () => {
    const chosen = result.items.filter((_, i) => boxes[i].checked);
    if (!chosen.length) {
      fill(status, h("p", { class: "error" }, "请至少勾选一项。"));
      return;
    }
    accept.disabled = true;
    fill(status, h("p", { class: "loading" }, "正在生成项目…"));
    try {
      const outcome = (await gql<{ acceptPlan: { __typename: string; code?: string; message?: string; accepted: Accepted[]; rejected: { demandId: string; message: string }[] } }>(
        ACCEPT, { items: chosen.map((i) => ({ demandId: i.demandId, resourceId: i.resourceId, quantity: i.quantity })) })).acceptPlan;
      const problem = failed(outcome);
      if (problem) {
        fill(status, h("p", { class: "error", role: "alert" }, problem));
        accept.disabled = false;
        return;
      }
      const byPair = new Map(chosen.map((i) => [`${i.demandId}|${i.resourceId}`, i]));
      const agreed = outcome.accepted.map((a, n): Cell[] => {
        const i = byPair.get(`${a.demandId}|${a.resourceId}`);
        const c = i?.candidate;
        return [n + 1, c?.demandTitle ?? a.demandId, c?.demand?.community?.name ?? "", c?.resourceName ?? a.resourceId, c?.unitName ?? a.unitId, a.quantity, c ? Number(c.score.toFixed(3)) : "", a.projectId];
      });
      boxes.forEach((b) => (b.disabled = true));
      const done = new Set(outcome.accepted.map((a) => `${a.demandId}|${a.resourceId}`));
      result.items.forEach((item, i) => boxes[i].closest("tr")?.classList.toggle("accepted", done.has(`${item.demandId}|${item.resourceId}`)));
      out.classList.add("agreed");
      const title = `${scopeName}联席会议项目清单`;
      const exportButton = h("button", { type: "button", class: "primary" }, "导出 .xlsx");
      exportButton.addEventListener("click", () => download(workbook("项目清单", HEADER, agreed), `${title}.xlsx`));
      const printButton = h("button", { type: "button" }, "打印议程");
      printButton.addEventListener("click", () => window.print());
      fill(status, 
        h("h2", {}, `已生成 ${outcome.accepted.length} 个项目（派单）`),
        table(HEADER, agreed.map((r) => r.map(String))),
        outcome.rejected.length
          ? h("div", { class: "error" }, h("h3", {}, `未能生成 ${outcome.rejected.length} 项`), h("ul", {}, outcome.rejected.map((r) => h("li", {}, r.message))))
          : null,
        h("p", { class: "no-print" }, exportButton, " ", printButton, " ", link(`/projects?scope=${scope}`, "在项目清单中查看 →")),
      );
      status.scrollIntoView({ block: "start" });
    } catch (error) {
      accept.disabled = false;
      fill(status, h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
  });
}
