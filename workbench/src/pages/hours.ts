// 缺口's 双报到 section (its own chunk, after the page's first view): the in-service party
// members' confirmed service hours per home unit (工作单位) for a month or all time, and the
// .xlsx the community reports back to the units (memberHoursExport, docs/exports-member-hours.md).
// Figures per unit only: no member's name on the page (the export holds them as the API masks them).
import { ApiError, AuthError, gql } from "../api";
import { fill, fmt, h, link, table } from "../dom";
import { chinese, shiftMonth, thisMonth } from "../loop";
import { setParams } from "../router";
import { download } from "../xlsx";

interface UnitHours { unitId: string; unitName: string; members: number; hours: number; logs: number }
interface Report { __typename: string; period?: string; totalHours?: number; units?: UnitHours[]; code?: string; message?: string }

const HOURS = `query($scope: String!, $month: String) { memberHours(scope: $scope, month: $month) { __typename
  ... on MemberHoursReport { period totalHours units { unitId unitName members hours logs } }
  ... on Error { code message } } }`;
const EXPORT = `query($scope: String!, $month: String) { memberHoursExport(scope: $scope, month: $month) { __typename
  ... on ExportFile { filename mediaType contentBase64 } ... on Error { code message } } }`;

const ALL = "all";

function said(error: unknown): string {
  if (error instanceof ApiError && error.code === "NOT_FOUND") return "只能查看您管辖的县、街道或社区。";
  return error instanceof Error ? chinese(error.message) : String(error);
}

async function exportFile(scope: string, month: string | null, status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  status.className = "status";
  fill(status, "正在生成 .xlsx…");
  try {
    const file = (await gql<{ memberHoursExport: { __typename: string; filename?: string; mediaType?: string; contentBase64?: string; code?: string; message?: string } }>(
      EXPORT, { scope, month })).memberHoursExport;
    if (!file.contentBase64) throw new Error(file.message ?? file.code ?? "导出失败");
    const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
    download(new Blob([bytes], { type: file.mediaType }), file.filename ?? "双报到服务时长.xlsx");
    status.className = "status ok";
    fill(status, `已导出 ${file.filename}`);
  } catch (error) {
    if (error instanceof AuthError) throw error;
    status.className = "status error";
    fill(status, said(error));
  } finally {
    button.disabled = false;
  }
}

/** Draws the section into `section` (its placeholder); `asked` is the URL's `hours` (a month or 'all'). */
export async function drawHours(section: HTMLElement, scope: string, asked: string | null): Promise<void> {
  const current = thisMonth();
  const choice = asked === ALL || (asked && /^\d{4}-\d{2}$/.test(asked)) ? asked : current;
  const month = choice === ALL ? null : choice;
  const months = Array.from({ length: 24 }, (_, i) => shiftMonth(current, -i));
  if (month && !months.includes(month)) months.push(month);
  const picker = h("select", { name: "hours", "aria-label": "期间" },
    months.map((m) => h("option", { value: m, selected: m === choice }, `${m.slice(0, 4)}年${Number(m.slice(5))}月`)),
    h("option", { value: ALL, selected: choice === ALL }, "全部时间"));
  picker.addEventListener("change", () => setParams({ hours: picker.value === current ? null : picker.value }));
  const title = "双报到 · 党员服务时长（按工作单位）";
  let report: Report;
  try {
    report = (await gql<{ memberHours: Report }>(HOURS, { scope, month })).memberHours;
    if (!report.units) throw new Error(report.message ?? report.code ?? "读取失败");
  } catch (error) {
    if (error instanceof AuthError) throw error;
    fill(section, h("h2", {}, title), h("p", { class: "error", role: "alert" }, said(error)));
    return;
  }
  const units = report.units;
  const status = h("p", { class: "status", role: "status" });
  const button = h("button", { type: "button", class: "primary" }, "导出 .xlsx");
  button.addEventListener("click", () => void exportFile(scope, month, status, button));
  const sum = (k: "members" | "logs" | "hours") => units.reduce((n, u) => n + u[k], 0);
  const t = table(["工作单位", "报到党员数", "服务次数", "服务时长（小时）"], units.map((u) => [
    link(`/graph?node=${encodeURIComponent(u.unitId)}`, u.unitName), u.members, u.logs, fmt(u.hours, 1),
  ]), `只计社区已确认的服务时长（${month ? `${month.slice(0, 4)}年${Number(month.slice(5))}月` : "全部时间"}）`);
  if (units.length) {
    t.append(h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "合计"), h("td", {}, sum("members")), h("td", {}, sum("logs")),
      h("td", {}, fmt(report.totalHours ?? sum("hours"), 1)))));
  } else {
    const empty = t.querySelector("td.empty");
    if (empty) empty.textContent = "暂无：这个范围还没有登记双报到党员。";
  }
  fill(section,
    h("div", { class: "bar" }, h("h2", {}, title), h("label", {}, "期间 ", picker), button),
    status,
    h("div", { class: "sideways" }, t));
  section.dataset.hours = String(units.length);
}
