// The workbench's JavaScript size, gzip, against its budget: exits 1 when over.
//   node scripts/budget.mjs [--budget-kb 400] [--dir ../app/static/workbench]
// Prints each built chunk, the total, and what the first view of 总览 loads
// (index.html's entry plus the overview chunk and what it imports).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const BUDGET_KB = Number(option("--budget-kb", 400));
const FIRST_VIEW_BUDGET_KB = Number(option("--first-view-kb", 250));
const dir = resolve(import.meta.dirname, "..", option("--dir", "../app/static/workbench"));
const assets = join(dir, "assets");

const files = readdirSync(assets).filter((f) => f.endsWith(".js")).sort();
if (!files.length) {
  console.error(`no JavaScript in ${assets}: run npm run build`);
  process.exit(1);
}
const gz = new Map(files.map((f) => [f, gzipSync(readFileSync(join(assets, f)), { level: 9 }).length]));
const kb = (n) => (n / 1024).toFixed(1);

// the first view: the entry, then the overview chunk and its static imports, transitively
const html = readFileSync(join(dir, "index.html"), "utf8");
const entry = html.match(/src="[^"]*\/assets\/([^"]+\.js)"/)?.[1];
const overview = files.find((f) => f.startsWith("overview-"));
const seen = new Set();
const visit = (f) => {
  if (!f || seen.has(f) || !gz.has(f)) return;
  seen.add(f);
  const code = readFileSync(join(assets, f), "utf8");
  for (const m of code.matchAll(/(?:^|[;\s])import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(m[1]);
};
visit(entry);
visit(overview);

let total = 0;
for (const f of files) {
  total += gz.get(f);
  console.log(`${kb(gz.get(f)).padStart(8)} KB  ${f}${seen.has(f) ? "  (first view)" : ""}`);
}
const first = [...seen].reduce((n, f) => n + gz.get(f), 0);
console.log(`JavaScript, gzip: total ${kb(total)} KB (budget ${BUDGET_KB} KB); first view of 总览 ${kb(first)} KB (budget ${FIRST_VIEW_BUDGET_KB} KB)`);
let failed = false;
if (!entry || !overview) {
  console.error("index.html's entry or the overview chunk is missing");
  failed = true;
}
if (total > BUDGET_KB * 1024) {
  console.error(`over budget: ${kb(total)} KB > ${BUDGET_KB} KB`);
  failed = true;
}
if (first > FIRST_VIEW_BUDGET_KB * 1024) {
  console.error(`first view over budget: ${kb(first)} KB > ${FIRST_VIEW_BUDGET_KB} KB`);
  failed = true;
}
process.exit(failed ? 1 : 0);
