import "./style.css";
import { AuthError, whenSignedOut } from "./api";
import { signOut, token } from "./auth";
import { h } from "./dom";
import { installLinks, navigate, onNavigate, type Page } from "./router";
import { allPlaces, forgetPlaces } from "./scope";

const NAV: [string, string][] = [
  ["/overview", "总览"],
  ["/graph", "图谱"],
  ["/demands", "需求"],
  ["/projects", "项目"],
  ["/meeting", "联席会"],
  ["/gaps", "缺口"],
  ["/import", "名册导入"],
];

// each page is its own chunk: the charts and the graph library load only where drawn
const PAGES: Record<string, () => Promise<{ default: Page }>> = {
  login: () => import("./pages/login"),
  overview: () => import("./pages/overview"),
  graph: () => import("./pages/graph"),
  demands: () => import("./pages/demands"),
  projects: () => import("./pages/projects"),
  meeting: () => import("./pages/meeting"),
  gaps: () => import("./pages/gaps"),
  import: () => import("./pages/import"),
};

const app = document.getElementById("app")!;
let generation = 0;

function shell(path: string): HTMLElement {
  const signedIn = token() !== null;
  const main = h("main", { id: "main", tabindex: "-1" });
  app.replaceChildren(
    h("a", { href: "#main", class: "skip" }, "跳到正文"),
    h(
      "header",
      { class: "top" },
      h("a", { href: "/overview", "data-link": true, class: "brand" }, "共建工作台"),
      signedIn
        ? h(
            "nav",
            { "aria-label": "页面" },
            NAV.map(([href, label]) =>
              h("a", { href, "data-link": true, "aria-current": path.startsWith(href) ? "page" : null }, label),
            ),
          )
        : null,
      signedIn
        ? h("button", { type: "button", class: "signout", onclick: () => {
            signOut();
            forgetPlaces();
            navigate("/login");
          } }, "退出登录")
        : null,
    ),
    main,
  );
  return main;
}

async function render(): Promise<void> {
  const mine = ++generation;
  let path = location.pathname;
  if (path === "/" || path === "") path = "/overview";
  const [, name = "overview", ...rest] = path.split("/");
  if (!token() && name !== "login") {
    navigate(`/login?next=${encodeURIComponent(path + location.search)}`, true);
    return;
  }
  const main = shell(path);
  const loader = PAGES[name];
  if (!loader) {
    main.append(h("h1", {}, "找不到页面"), h("p", {}, "这个地址没有对应的页面。"), h("a", { href: "/overview", "data-link": true }, "回到总览"));
    return;
  }
  main.append(h("p", { class: "loading", role: "status" }, "正在加载…"));
  try {
    const page = (await loader()).default;
    if (mine !== generation) return;
    main.replaceChildren();
    await page(main, new URLSearchParams(location.search), rest.map(decodeURIComponent).join("/"));
  } catch (error) {
    if (mine !== generation || error instanceof AuthError) return;
    main.replaceChildren(
      h("h1", {}, "出错了"),
      h("p", { class: "error", role: "alert" }, error instanceof Error ? error.message : String(error)),
    );
  }
}

whenSignedOut((message) => {
  forgetPlaces();
  navigate(`/login?reason=${encodeURIComponent(message)}&next=${encodeURIComponent(location.pathname + location.search)}`, true);
});
// the places feed every page's scope picker: ask while the first page's code loads
if (token()) void allPlaces().catch(() => undefined);
installLinks();
onNavigate(() => void render());
void render();
