// What the graph page asks for each kind of node: its card's fields (as the API masks
// them) and its neighbours. Only ids and labels go into URLs, never personal data.

export interface Neighbour { id: string; kind: string; label: string; edge: string }
export interface Loaded { id: string; kind: string; label: string; fields: [string, string][]; neighbours: Neighbour[]; extra?: { missing?: string[] } }

type Obj = Record<string, unknown> & { __typename: string; id: string };

const KIND: Record<string, string> = {
  County: "县", Street: "街道", Community: "社区", Compound: "小区", Building: "楼栋", Grid: "网格",
  Unit: "单位", Resource: "资源", Demand: "需求", Project: "项目", Agreement: "协议", Meeting: "联席会议",
  Person: "人员", Role: "职务", Evaluation: "评价", PartyOrganization: "党组织",
};

export function kindLabel(typename: string): string {
  return KIND[typename] ?? typename;
}

const R = "__typename id name"; // a neighbour of a type with a name
const D = "__typename id title"; // a demand
// A demand's projects are a list, a community's or a resource's a connection: one document
// asks for both, so the demand's go by an alias (`formed`).

export const NODE_QUERY = `query($id: ID!) { node(id: $id) { __typename id
  ... on County { name code province city streets { ${R} } }
  ... on Street { name code county { ${R} } communities { ${R} } }
  ... on Community { name code households population street { ${R} }
      profile { complete missing } leadUnit { id } compounds { ${R} }
      liaisonUnits { lead unit { ${R} } } demands { nodes { ${D} } } projects { nodes { ${R} } } }
  ... on Compound { name old community { ${R} } buildings { ${R} } }
  ... on Building { name households compound { ${R} } }
  ... on Unit { name kindLabel partyOrgName phone county { ${R} }
      communities { lead community { ${R} } } resources { nodes { ${R} } } projectsLed { nodes { ${R} } } }
  ... on Resource { name categoryLabel description capacity capacityLeft measure scope availableTime rstatus: status
      contactName contactPhone unit { ${R} }
      availableIn { ... on County { ${R} } ... on Street { ${R} } ... on Community { ${R} } } projects { nodes { ${R} } } }
  ... on Demand { title description categoryLabel matterClassLabel urgency status households collectedOn source collectorName
      community { ${R} } formed: projects { ${R} } }
  ... on Project { name projectClassLabel statusLabel startDate endDate community { ${R} }
      demands { nodes { ${D} } } uses { quantity resource { ${R} } } leadUnit { ${R} } }
} }`;

function name(o: Obj): string {
  return String(o.name ?? o.title ?? o.id);
}

function ref(o: unknown, edge: string): Neighbour[] {
  if (!o || typeof o !== "object") return [];
  const r = o as Obj;
  return [{ id: r.id, kind: r.__typename, label: name(r), edge }];
}

function refs(list: unknown, edge: string, pick?: (x: Obj) => unknown): Neighbour[] {
  return Array.isArray(list) ? list.flatMap((x: Obj) => ref(pick ? pick(x) : x, edge)) : [];
}

/** The neighbours on a connection's first page (a relation that grows: `demands { nodes }`). */
function page(connection: unknown, edge: string): Neighbour[] {
  return refs((connection as { nodes?: unknown } | null)?.nodes, edge);
}

const URGENCY: Record<string, string> = { NORMAL: "一般", URGENT: "紧急" };
const STATUS: Record<string, string> = { OPEN: "待认领", MATCHED: "已匹配", RESOLVED: "已解决", CLOSED: "已关闭", AVAILABLE: "可提供", WITHDRAWN: "已撤回" };
const SCOPE: Record<string, string> = { COMMUNITY: "本社区", STREET: "本街道", COUNTY: "全县" };

function field(label: string, value: unknown, map?: Record<string, string>): [string, string][] {
  if (value === null || value === undefined || value === "") return [];
  const text = String(value);
  return [[label, map?.[text] ?? text]];
}

export function toLoaded(o: Obj): Loaded {
  const f: [string, string][] = [];
  let n: Neighbour[] = [];
  let extra: Loaded["extra"];
  switch (o.__typename) {
    case "County":
      f.push(...field("区划代码", o.code), ...field("省", o.province), ...field("市", o.city));
      n = refs(o.streets, "下辖");
      break;
    case "Street":
      f.push(...field("区划代码", o.code));
      n = [...ref(o.county, "属于"), ...refs(o.communities, "下辖")];
      break;
    case "Community": {
      const p = o.profile as { complete: boolean; missing: string[] };
      f.push(...field("区划代码", o.code), ...field("户数", o.households), ...field("常住人口", o.population),
        ["4+N", p.complete ? "完整" : `缺 ${p.missing.length} 项`]);
      extra = { missing: p.missing };
      const lead = (o.leadUnit as { id: string } | null)?.id;
      n = [...ref(o.street, "属于"),
        ...refs(o.liaisonUnits, "联系单位", (l) => l.unit).map((x) => (x.id === lead ? { ...x, edge: "牵头单位" } : x)),
        ...page(o.demands, "需求"), ...page(o.projects, "项目"), ...refs(o.compounds, "小区")];
      break;
    }
    case "Compound":
      f.push(...field("老旧小区", o.old ? "是" : "否"));
      n = [...ref(o.community, "属于"), ...refs(o.buildings, "楼栋")];
      break;
    case "Building":
      f.push(...field("户数", o.households));
      n = [...ref(o.compound, "属于")];
      break;
    case "Unit":
      f.push(...field("类型", o.kindLabel), ...field("党组织", o.partyOrgName), ...field("联系电话", o.phone));
      n = [...ref(o.county, "所属县"), ...refs(o.communities, "联系", (l) => l.community),
        ...page(o.resources, "提供"), ...page(o.projectsLed, "牵头项目")];
      break;
    case "Resource":
      f.push(...field("类别", o.categoryLabel), ...field("说明", o.description),
        ...field("数量", `${o.capacity}${o.measure ?? ""}（剩余 ${o.capacityLeft}）`),
        ...field("服务范围", o.scope, SCOPE), ...field("可提供时间", o.availableTime), ...field("状态", o.rstatus, STATUS),
        ...field("联系人", o.contactName), ...field("联系电话", o.contactPhone));
      n = [...ref(o.unit, "提供单位"), ...refs(o.availableIn, "服务"), ...page(o.projects, "项目")];
      break;
    case "Demand":
      f.push(...field("类别", o.categoryLabel), ...field("五事", o.matterClassLabel), ...field("紧急程度", o.urgency, URGENCY),
        ...field("状态", o.status, STATUS), ...field("说明", o.description), ...field("受益户数", o.households),
        ...field("收集日期", o.collectedOn), ...field("来源", o.source), ...field("收集人", o.collectorName));
      n = [...ref(o.community, "社区"), ...refs(o.formed, "项目")];
      break;
    case "Project":
      f.push(...field("类别", o.projectClassLabel), ...field("状态", o.statusLabel), ...field("开始", o.startDate), ...field("结束", o.endDate));
      n = [...ref(o.community, "社区"), ...page(o.demands, "满足"), ...refs(o.uses, "使用", (u) => u.resource), ...ref(o.leadUnit, "牵头单位")];
      break;
  }
  return { id: o.id, kind: o.__typename, label: name(o), fields: f, neighbours: n, extra };
}
