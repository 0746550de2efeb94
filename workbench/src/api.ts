import { signOut, token } from "./auth";

/** The API refused the token (absent, invalid, expired, revoked). */
export class AuthError extends Error {}

/** Any other failure, with a message in Chinese (and the API's error code, when it gave one). */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null = null) {
    super(message);
  }
}

interface GqlResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let onAuthError: (message: string) => void = () => undefined;

export function whenSignedOut(handler: (message: string) => void): void {
  onAuthError = handler;
}

/** Why the caller is signed out, in plain Chinese: the server's reason (expired,
 * revoked, …) without its English gloss, and what to do. */
export function signedOutMessage(server: string, hadToken: boolean): string {
  if (!hadToken) return "请先登录。";
  const why = server.replace(/\s*\([^)]*\)\s*$/, "").trim();
  if (/过期/.test(why)) return "登录已过期：您的令牌已过期，请重新登录（向管理员要一个新令牌）。";
  if (/吊销/.test(why)) return "登录已失效：您的令牌已被管理员吊销，请重新登录（向管理员要一个新令牌）。";
  return `登录已失效：令牌无效或已过期${why && /[\u4e00-\u9fff]/.test(why) ? `（${why}）` : ""}，请重新登录。`;
}

async function send<T>(body: BodyInit, json: boolean): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  const t = token();
  if (t) headers.authorization = `Bearer ${t}`;
  if (json) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body });
  } catch {
    throw new ApiError("无法连接服务器，请检查网络后重试。");
  }
  let payload: GqlResponse<T>;
  try {
    payload = (await response.json()) as GqlResponse<T>;
  } catch {
    throw new ApiError(`服务器返回了无法识别的内容（HTTP ${response.status}）。`);
  }
  const code = payload.errors?.[0]?.extensions?.code;
  if (response.status === 401 || code === "UNAUTHENTICATED") {
    signOut();
    const message = signedOutMessage(payload.errors?.[0]?.message ?? "", t !== null);
    onAuthError(message);
    throw new AuthError(message);
  }
  if (response.status === 429) throw new ApiError("请求过于频繁，请稍后再试。");
  if (payload.errors?.length) {
    throw new ApiError(payload.errors.map((e) => e.message).join("；"), code ?? null);
  }
  if (!payload.data) throw new ApiError(`服务器未返回数据（HTTP ${response.status}）。`);
  return payload.data;
}

/** Run a query or mutation with the signed-in caller's token. */
export function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return send<T>(JSON.stringify({ query, variables }), true);
}

/** A mutation with one file, as the GraphQL multipart request spec sends it. */
export function gqlUpload<T>(
  query: string,
  variables: Record<string, unknown>,
  fileVariable: string,
  file: File,
): Promise<T> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { ...variables, [fileVariable]: null } }));
  form.append("map", JSON.stringify({ "0": [`variables.${fileVariable}`] }));
  form.append("0", file, file.name);
  return send<T>(form, false);
}

/** A result union member that is an error (code + message). */
export interface ErrorResult {
  __typename: string;
  code?: string;
  message?: string;
}

export function failed(result: ErrorResult): string | null {
  return result.code && result.message ? result.message : null;
}
