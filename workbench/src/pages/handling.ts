// A demand's 办理 section: the current assignment, the timeline, whistles, chases, call-backs,
// and for an admin the moves its stage allows (派单, 督办, 回访). The API decides who may: a
// refusal is shown in Chinese where the button is.
import { gql } from "../api";
import { h, fill, table } from "../dom";
import { chinaTime, chinese, roleLabel, stageLabel } from "../loop";

interface Named { id?: string; name: string }
interface Assignment {
  unit: Named | null; dispatchedAt: string; acceptDue: string; finishDue: string; acceptedAt: string | null; startedAt: string | null;
  doneAt: string | null; returnedAt: string | null; returnReason: string | null; reopened: boolean; overdue: boolean;
}
export interface Handling {
  stage: string; overdue: boolean; currentAssignment: Assignment | null;
  timeline: { kind: string; kindLabel: string; at: string; actorRole: string | null; note: string | null; unit: Named | null }[];
  chases: { at: string; byRole: string | null; note: string | null; unit: Named | null }[];
  whistles: { level: string; at: string; note: string | null;
    summons: { unit: Named | null; due: string; respondedAt: string | null; response: string | null; late: boolean }[] }[];
  callbacks: { rating: string; ratingLabel: string; comment: string | null; at: string }[];
}

export const HANDLING = `stage overdue
  currentAssignment { unit { id name } dispatchedAt acceptDue finishDue acceptedAt startedAt doneAt returnedAt returnReason reopened overdue }
  timeline { kind kindLabel at actorRole note unit { name } }
  chases { at byRole note unit { name } }
  whistles { level at note summons { unit { name } due respondedAt response late } }
  callbacks { rating ratingLabel comment at }`;

const MOVE_RESULT = `__typename ... on Demand { id stage } ... on Error { code message }
  ... on IllegalTransitionError { allowed }`;

const MOVES: Record<string, string> = {
  dispatch: `mutation($id: ID!, $unit: ID!, $note: String) { r: dispatchDemand(demandId: $id, unitId: $unit, note: $note) { ${MOVE_RESULT} } }`,
  chase: `mutation($id: ID!, $note: String) { r: chaseDemand(demandId: $id, note: $note) { ${MOVE_RESULT} } }`,
  callback: `mutation($id: ID!, $rating: CallbackRating!, $note: String) { r: recordCallback(demandId: $id, rating: $rating, comment: $note) { ${MOVE_RESULT} } }`,
};

const REFUSED: Record<string, string> = {
  FORBIDDEN: "您没有权限办理这一步。",
  UNAUTHENTICATED: "请先登录。",
  NOT_FOUND: "找不到这条需求或这个单位。",
};

function deadline(label: string, due: string, doneAt: string | null, overdue: boolean): HTMLElement {
  const late = !doneAt && overdue && new Date(due).getTime() < Date.now();
  return h("span", { class: late ? "late" : null }, `${label} ${chinaTime(due)}`, late ? "（已超时）" : "");
}

function assignmentCard(a: Assignment): HTMLElement {
  const facts: [string, Node | string][] = [
    ["承办单位", a.unit?.name ?? "（无权查看）"],
    ["派单时间", chinaTime(a.dispatchedAt) + (a.reopened ? "（重办）" : "")],
    ["接单时限", deadline("", a.acceptDue, a.acceptedAt, a.overdue)],
    ["办结时限", deadline("", a.finishDue, a.doneAt, a.overdue)],
  ];
  if (a.acceptedAt) facts.push(["接单", chinaTime(a.acceptedAt)]);
  if (a.startedAt) facts.push(["实施", chinaTime(a.startedAt)]);
  if (a.doneAt) facts.push(["办结", chinaTime(a.doneAt)]);
  if (a.returnedAt) facts.push(["退回", `${chinaTime(a.returnedAt)}${a.returnReason ? `：${a.returnReason}` : ""}`]);
  return h("dl", { class: "assignment" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** One move: a form with its inputs, a button, and where the result or the refusal is said. */
function move(label: string, inputs: HTMLElement[], run: () => Promise<{ __typename: string; code?: string; message?: string; stage?: string }>,
  onDone: (said: string) => void): HTMLElement {
  const status = h("p", { class: "status", role: "status" });
  const button = h("button", { type: "submit", class: "primary" }, label);
  const form = h("form", { class: "move", "data-move": label }, ...inputs, button, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    fill(status, "正在提交…");
    try {
      const r = await run();
      if (r.code) {
        status.className = "status error";
        fill(status, REFUSED[r.code] ?? chinese(r.message ?? r.code));
        button.disabled = false;
        return;
      }
      onDone(`${label}完成，现为“${stageLabel(r.stage ?? "")}”。`);
    } catch (error) {
      status.className = "status error";
      fill(status, error instanceof Error ? chinese(error.message) : String(error));
      button.disabled = false;
    }
  });
  return form;
}

const noteInput = (placeholder: string) => h("input", { type: "text", name: "note", placeholder, maxlength: 500, "aria-label": "备注" });

/** The admin's moves for this stage; `units` are the candidates' units for 派单. */
function moves(id: string, d: Handling, units: Named[], reload: (said: string) => void): HTMLElement | null {
  const forms: HTMLElement[] = [];
  const call = async (name: string, vars: Record<string, unknown>) =>
    (await gql<{ r: { __typename: string; code?: string; message?: string; stage?: string } }>(MOVES[name], { id, ...vars })).r;
  if (d.stage === "REPORTED" || d.stage === "RETURNED") {
    const unit = h("select", { name: "unit", "aria-label": "派给单位" },
      units.length ? units.map((u) => h("option", { value: u.id ?? "" }, u.name)) : h("option", { value: "" }, "（没有候选单位）"));
    const note = noteInput("派单说明（可不填）");
    forms.push(move("派单", [h("label", {}, "派给 ", unit), note],
      () => call("dispatch", { unit: unit.value, note: note.value.trim() || null }), reload));
  }
  if (d.overdue) {
    const note = noteInput("督办意见（可不填）");
    forms.push(move("督办", [note], () => call("chase", { note: note.value.trim() || null }), reload));
  }
  if (d.stage === "DONE") {
    const rating = h("select", { name: "rating", "aria-label": "回访评价" },
      h("option", { value: "SATISFIED" }, "满意"), h("option", { value: "BASIC" }, "基本满意"), h("option", { value: "UNSATISFIED" }, "不满意（重办）"));
    const note = noteInput("居民意见（可不填）");
    forms.push(move("回访", [h("label", {}, "评价 ", rating), note],
      () => call("callback", { rating: rating.value, note: note.value.trim() || null }), reload));
  }
  return forms.length ? h("div", { class: "moves" }, h("h3", {}, "办理（管理员）"), forms) : null;
}

/** The 办理 section of a demand (re-read and redrawn after each move). */
export function handlingSection(id: string, d: Handling, units: Named[]): HTMLElement {
  const section = h("section", { class: "card handling", "data-stage": d.stage });
  const draw = (x: Handling, said = "") => {
    const a = x.currentAssignment;
    fill(section,
      h("h2", {}, "办理 · ", h("span", { class: "stage" }, stageLabel(x.stage)), x.overdue ? h("span", { class: "overdue" }, "逾期") : null),
      said ? h("p", { class: "ok", role: "status" }, said) : null,
      a ? assignmentCard(a) : h("p", { class: "empty" }, "尚未派单。"),
      moves(id, x, units, (m) => void reload(m)),
      h("h3", {}, "时间线"),
      x.timeline.length ? null : h("p", { class: "empty" }, "暂无办理记录。"),
      h("ol", { class: "timeline" }, x.timeline.map((e) => h("li", { "data-kind": e.kind },
        h("time", { datetime: e.at }, chinaTime(e.at)), " ", h("b", {}, e.kindLabel),
        e.actorRole ? ` · ${roleLabel(e.actorRole)}` : "", e.unit ? ` · ${e.unit.name}` : "", e.note ? `：${e.note}` : ""))),
      x.whistles.length ? [h("h3", {}, `吹哨（${x.whistles.length}）`), ...x.whistles.map((w) => h("div", { class: "whistle" },
        h("p", {}, `${chinaTime(w.at)} · ${w.level === "COUNTY" ? "街道吹哨、县级报到" : "社区吹哨、街道报到"}`, w.note ? `：${w.note}` : ""),
        table(["被召单位", "报到时限", "报到", "说明"], w.summons.map((s) => [
          s.unit?.name ?? "", chinaTime(s.due),
          s.respondedAt ? h("span", { class: s.late ? "late" : "ok" }, `已报到 ${chinaTime(s.respondedAt)}${s.late ? "（迟到）" : ""}`)
            : h("span", { class: s.late ? "late" : "" }, s.late ? "未报到（已超时）" : "未报到"),
          s.response ?? "",
        ]))))] : null,
      x.chases.length ? [h("h3", {}, `督办（${x.chases.length}）`), table(["时间", "督办人", "督办单位", "意见"],
        x.chases.map((c) => [chinaTime(c.at), roleLabel(c.byRole), c.unit?.name ?? "", c.note ?? ""]))] : null,
      x.callbacks.length ? [h("h3", {}, `回访（${x.callbacks.length}）`), table(["时间", "评价", "意见"],
        x.callbacks.map((c) => [chinaTime(c.at), c.ratingLabel, c.comment ?? ""]))] : null,
    );
  };
  async function reload(said: string): Promise<void> {
    const again = (await gql<{ demand: Handling | null }>(`query($id: ID!) { demand(id: $id) { ${HANDLING} } }`, { id })).demand;
    if (again) {
      draw(again, said);
      section.dataset.stage = again.stage;
    }
  }
  draw(d);
  return section;
}
