import { gql } from "../api";
import { signIn, token } from "../auth";
import { h, add } from "../dom";
import { navigate, type Params } from "../router";

export default function login(main: HTMLElement, params: Params): void {
  const next = params.get("next");
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/overview";
  const reason = params.get("reason");
  const input = h("textarea", { id: "token", name: "token", rows: 3, required: true, autocomplete: "off", spellcheck: "false", placeholder: "gj_… 或 eyJ…" });
  const status = h("p", { role: "status", class: "status" });
  const form = h(
    "form",
    { class: "card login" },
    h("h1", {}, "登录共建工作台"),
    reason ? h("p", { class: "error", role: "alert" }, reason) : null,
    h("label", { for: "token" }, "访问令牌"),
    input,
    h("p", { class: "hint" }, "粘贴管理员发给您的令牌（gongjian token create 生成）。令牌只保存在本标签页中，关闭标签页或退出登录即清除。"),
    h("button", { type: "submit" }, "登录"),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    signIn(value);
    status.textContent = "正在验证令牌…";
    try {
      await gql(`{ counties { code } }`);
      navigate(target);
    } catch (error) {
      if (!token()) {
        status.textContent = "";
        status.className = "error";
        status.textContent = "令牌无效或已过期，请检查后重新粘贴。";
      } else {
        status.textContent = error instanceof Error ? error.message : String(error);
      }
    }
  });
  add(main, form);
  input.focus();
}
