// The closed loop's words and times, shared by the demand pages and the rates (docs/closed-loop.md).

export const STAGES: [key: string, label: string][] = [
  ["REPORTED", "已点单"], ["DISPATCHED", "已派单"], ["ACCEPTED", "已接单"], ["IN_PROGRESS", "实施中"],
  ["DONE", "已办结"], ["EVALUATED", "已评价"], ["RETURNED", "已退回"],
];
const STAGE = new Map(STAGES);

export function stageLabel(stage: string): string {
  return STAGE.get(stage) ?? stage;
}

const CHINA = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
});

/** An API time (ISO, with its offset) in China time: 2026-11-03 14:05. */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const p = Object.fromEntries(CHINA.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour === "24" ? "00" : p.hour}:${p.minute}`;
}

/** The month now in China time ('YYYY-MM'). */
export function thisMonth(): string {
  return chinaTime(new Date().toISOString()).slice(0, 7);
}

/** 'YYYY-MM' shifted by n months. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
}

/** A server message without its English gloss in brackets at the end. */
export function chinese(message: string): string {
  return message.replace(/\s*\([^()]*[a-zA-Z][^()]*\)\s*$/, "").trim() || message;
}

const ROLES: Record<string, string> = {
  CITY_ADMIN: "市级管理员", COUNTY_ADMIN: "县级管理员", STREET_ADMIN: "街道管理员", COMMUNITY_ADMIN: "社区管理员",
  GRID_WORKER: "网格员", UNIT_OPERATOR: "单位操作员", VIEWER: "只读用户", SYSTEM: "系统", LOADER: "导入",
};

export function roleLabel(role: string | null | undefined): string {
  if (!role) return "";
  return ROLES[role.toUpperCase().replace(/-/g, "_")] ?? role;
}
