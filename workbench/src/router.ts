// History-API routing: every page and filter state is a URL (deep links), served by
// gongjian as the same index.html (app/workbench.py lists the page paths).

export type Params = URLSearchParams;
export type Page = (main: HTMLElement, params: Params, rest: string) => Promise<void> | void;

const listeners: (() => void)[] = [];

export function onNavigate(listener: () => void): void {
  listeners.push(listener);
}

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  for (const l of listeners) l();
}

/** Change the query string of the current page without a new history entry. */
export function setParams(params: Record<string, string | string[] | null>): void {
  const next = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(params)) {
    next.delete(key);
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (v) next.append(key, v);
  }
  const query = next.toString();
  navigate(location.pathname + (query ? `?${query}` : ""), true);
}

export function installLinks(): void {
  document.addEventListener("click", (event) => {
    const a = (event.target as Element | null)?.closest?.("a[data-link]");
    if (!a || !(a instanceof HTMLAnchorElement)) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(a.getAttribute("href") ?? "/");
  });
  window.addEventListener("popstate", () => listeners.forEach((l) => l()));
}
