import { failed, gqlUpload } from "../api";
import { h, table, fill, add } from "../dom";
import { download, workbook } from "../xlsx";

interface RowError { file: string; sheet: string | null; row: number | null; column: string | null; columnLetter: string | null; value: string | null; reason: string; code: string }
interface Report {
  __typename: string; code?: string; message?: string;
  ok: boolean; written: boolean; dryRun: boolean; rows: number; rejectedRows: number;
  kinds: { title: string; rows: number; created: number; updated: number; unchanged: number; rejected: number }[];
  errors: RowError[]; warnings: RowError[];
  sheets: { file: string; sheet: string | null; kind: string | null; ignoredColumns: string[]; readAs: { written: string; readAs: string }[] }[];
}

const LOAD = `mutation($file: Upload!, $kind: RosterKind, $dryRun: Boolean!) { loadRoster(file: $file, kind: $kind, dryRun: $dryRun) { __typename
  ... on LoadReport { ok written dryRun rows rejectedRows sheets { file sheet kind ignoredColumns readAs { written readAs } } kinds { title rows created updated unchanged rejected }
    errors { file sheet row column columnLetter value reason code } warnings { file sheet row column columnLetter value reason code } }
  ... on Error { code message } } }`;

const KINDS: [string, string][] = [
  ["", "自动识别"], ["DIVISIONS", "区划"], ["UNITS", "单位"], ["RESOURCES", "资源清单"], ["DEMANDS", "需求清单"],
  ["BUILDINGS", "楼栋"], ["ROLES", "职务"], ["MEMBERS", "双报到党员"], ["PROJECTS", "项目清单"],
];

const HEADER = ["文件", "工作表", "行", "列", "值", "原因"];

/** How each sheet's columns were read: headers read as a column they resemble, and columns
 *  nothing reads (their content was not loaded), for the uploader to check. */
function columnsRead(r: Report): HTMLElement | null {
  const noted = r.sheets.filter((s) => s.readAs.length || s.ignoredColumns.length);
  if (!noted.length) return null;
  return h("section", {}, h("h2", {}, "列的读法（请核对）"),
    table(["文件", "工作表", "按近似列名读取", "未读取的列（内容未导入）"], noted.map((s) => [
      s.file, s.sheet ?? "", s.readAs.map((c) => `${c.written} → ${c.readAs}`).join("、"), s.ignoredColumns.join("、"),
    ])));
}

export default function rosterImport(main: HTMLElement): void {
  const file = h("input", { type: "file", name: "file", accept: ".xlsx,.xls,.csv", required: true, "aria-label": "名册文件" });
  const kind = h("select", { name: "kind", "aria-label": "名册类型" }, KINDS.map(([v, l]) => h("option", { value: v }, l)));
  const dry = h("input", { type: "checkbox", name: "dryRun", checked: true });
  const out = h("div", { role: "status" });
  const form = h("form", { class: "card" },
    h("p", {}, "选择部门报来的名册（.xlsx、.xls 或 .csv）。先试运行检查，无误后再正式导入。"),
    h("p", { class: "bar" }, file, kind, h("label", {}, dry, " 只检查，不写入（试运行）"), h("button", { type: "submit", class: "primary" }, "上传")),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    fill(out, h("p", { class: "loading" }, "正在上传并检查…"));
    try {
      const r = (await gqlUpload<{ loadRoster: Report }>(LOAD, { kind: kind.value || null, dryRun: dry.checked }, "file", chosen)).loadRoster;
      const problem = failed(r);
      if (problem) {
        fill(out, h("p", { class: "error", role: "alert" }, problem));
        return;
      }
      const rows = (list: RowError[]) => list.map((e) => [e.file, e.sheet ?? "", e.row ?? "", e.column ?? e.columnLetter ?? "", e.value ?? "", e.reason]);
      const fix = h("button", { type: "button" }, "下载问题清单 .xlsx");
      fix.addEventListener("click", () => download(workbook("问题行", HEADER, rows(r.errors)), `${chosen.name.replace(/\.[^.]+$/, "")}-问题行.xlsx`));
      fill(out, 
        h("p", { class: r.ok ? "ok" : "error" },
          `${r.dryRun ? "试运行：" : ""}共 ${r.rows} 行，拒绝 ${r.rejectedRows} 行；${r.written ? "已写入。" : "未写入。"}`),
        table(["名册", "行数", "新增", "更新", "未变", "拒绝"], r.kinds.map((k) => [k.title, k.rows, k.created, k.updated, k.unchanged, k.rejected])),
        columnsRead(r),
        r.errors.length ? h("section", {}, h("h2", {}, `被拒绝的单元格（${r.errors.length}）`), table(HEADER, rows(r.errors)), h("p", {}, fix)) : null,
        r.warnings.length ? h("section", {}, h("h2", {}, `提醒（${r.warnings.length}）`), table(HEADER, rows(r.warnings))) : null,
      );
    } catch (error) {
      fill(out, h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)));
    }
  });
  add(main, h("h1", {}, "名册导入"), form, out);
  main.dataset.ready = "import";
}
