const KEY = 'parley.lastAccountId';

/** The account last opened in this browser, so `/` returns to it. */
export function lastAccountId(): number | null {
  try {
    const value = Number(window.localStorage.getItem(KEY));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberAccount(accountId: number): void {
  try {
    window.localStorage.setItem(KEY, String(accountId));
  } catch {
    // Storage may be disabled: the app just starts on the first account.
  }
}
