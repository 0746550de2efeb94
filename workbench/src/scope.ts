import { gql } from "./api";
import { h } from "./dom";

export interface Place {
  code: string;
  name: string;
  level: "county" | "street" | "community";
  parent?: string;
}

let places: Promise<Place[]> | null = null;
/** The caller's own places, nearest first (its scope, its street, its county): a page
 * without a scope in its URL opens on the first of them it offers. */
let home: string[] = [];

const PLACE_CODE = /^[0-9]{12}$/;

function homeOf(scope: string | null, county: string | null): string[] {
  const codes = scope && PLACE_CODE.test(scope) ? [scope, scope.slice(0, 9) + "000", scope.slice(0, 6) + "000000"] : [];
  return [...codes, ...(county ? [county] : [])];
}

/** Every county, street and community the caller can read, in order (fetched once). */
export function allPlaces(): Promise<Place[]> {
  places ??= gql<{
    me: { scope: string | null; county: string | null };
    counties: { code: string; name: string; streets: { code: string; name: string; communities: { code: string; name: string }[] }[] }[];
  }>(`{ me { scope county } counties { code name streets { code name communities { code name } } } }`).then((d) => {
    home = homeOf(d.me.scope, d.me.county);
    return d.counties.flatMap((c) => [
      { code: c.code, name: c.name, level: "county" as const },
      ...c.streets.flatMap((s) => [
        { code: s.code, name: s.name, level: "street" as const, parent: c.code },
        ...s.communities.map((m) => ({ code: m.code, name: m.name, level: "community" as const, parent: s.code })),
      ]),
    ]);
  });
  places.catch(() => (places = null));
  return places;
}

export function forgetPlaces(): void {
  places = null;
  home = [];
}

const INDENT = { county: "", street: "　", community: "　　" };

/** A <select> of places (indented by level); `levels` limits which can be picked. */
export async function scopeSelect(
  current: string | null,
  levels: Place["level"][],
  onChange: (code: string) => void,
): Promise<{ select: HTMLSelectElement; code: string | null }> {
  const list = (await allPlaces()).filter((p) => levels.includes(p.level));
  const own = home.find((c) => list.some((p) => p.code === c));
  const code = current && list.some((p) => p.code === current) ? current : (own ?? list[0]?.code ?? null);
  const select = h(
    "select",
    { "aria-label": "范围", name: "scope" },
    list.map((p) => h("option", { value: p.code, selected: p.code === code }, INDENT[p.level] + p.name)),
  );
  select.addEventListener("change", () => onChange(select.value));
  return { select, code };
}
