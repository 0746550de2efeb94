// The caller's token lives in sessionStorage only: it is gone when the tab closes.
const KEY = "gongjian.token";

export function token(): string | null {
  return sessionStorage.getItem(KEY);
}

export function signIn(value: string): void {
  sessionStorage.setItem(KEY, value.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
