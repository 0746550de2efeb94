import { gql } from "./api";
import { h } from "./dom";

export interface Place {
  code: string;
  name: string;
  level: "county" | "street" | "community";
  parent?: string;
}

let places: Promise<Place[]> | null = null;

/** Every county, street and community the caller can read, in order (fetched once). */
export function allPlaces(): Promise<Place[]> {
  places ??= gql<{
    counties: { code: string; name: string; streets: { code: string; name: string; communities: { code: string; name: string }[] }[] }[];
  }>(`{ counties { code name streets { code name communities { code name } } } }`).then((d) =>
    d.counties.flatMap((c) => [
      { code: c.code, name: c.name, level: "county" as const },
      ...c.streets.flatMap((s) => [
        { code: s.code, name: s.name, level: "street" as const, parent: c.code },
        ...s.communities.map((m) => ({ code: m.code, name: m.name, level: "community" as const, parent: s.code })),
      ]),
    ]),
  );
  places.catch(() => (places = null));
  return places;
}

export function forgetPlaces(): void {
  places = null;
}

const INDENT = { county: "", street: "　", community: "　　" };

/** A <select> of places (indented by level); `levels` limits which can be picked. */
export async function scopeSelect(
  current: string | null,
  levels: Place["level"][],
  onChange: (code: string) => void,
): Promise<{ select: HTMLSelectElement; code: string | null }> {
  const list = (await allPlaces()).filter((p) => levels.includes(p.level));
  const code = current && list.some((p) => p.code === current) ? current : (list[0]?.code ?? null);
  const select = h(
    "select",
    { "aria-label": "范围", name: "scope" },
    list.map((p) => h("option", { value: p.code, selected: p.code === code }, INDENT[p.level] + p.name)),
  );
  select.addEventListener("change", () => onChange(select.value));
  return { select, code };
}
