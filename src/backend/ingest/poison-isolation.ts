/**
 * When the database refuses a batch because of what one message holds (a value it cannot
 * store), retrying the batch can never succeed and every later message waits behind it.
 * Splitting the batch in halves until the refused part is a single message isolates it
 * in about log2(n) extra transactions; the rest commits and the one message is set aside.
 * Failures that are not about the data (database down, timeouts) are not split: they are
 * thrown so the caller retries the whole batch later and nothing is set aside wrongly.
 */

/** PostgreSQL SQLSTATE classes caused by a statement's data: 22 data exception, 23 integrity constraint. */
const DATA_ERROR = /^(22|23)[0-9A-Z]{3}$/;

/** The SQLSTATE of a database error (Prisma + driver adapters, or pg), when it has one. */
export function sqlStateOf(err: unknown): string | null {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }; message?: unknown } | null;
  const cause = e?.meta?.driverAdapterError?.cause;
  for (const c of [cause?.originalCode, cause?.code, e?.code]) if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c)) return c;
  const m = /Code: `([0-9A-Z]{5})`/.exec(String(e?.message ?? ""));
  return m ? m[1] : null;
}

/** Was the statement refused for the data it carried (so retrying the same data cannot help)? */
export function isDataError(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== null && DATA_ERROR.test(state);
}

/** A short reason for the record: SQLSTATE and the database's own message, without the query text. */
export function dataErrorReason(err: unknown): string {
  const e = err as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown; detail?: unknown } } }; message?: unknown; detail?: unknown } | null;
  const cause = e?.meta?.driverAdapterError?.cause;
  const message =
    typeof cause?.originalMessage === "string"
      ? cause.originalMessage
      : (String(e?.message ?? err)
          .split("\n")
          .filter(Boolean)
          .pop() ?? "");
  const rawDetail = cause?.detail ?? e?.detail;
  const detail = typeof rawDetail === "string" ? ` (${rawDetail})` : "";
  return `database refused the message: ${sqlStateOf(err) ?? "?"} ${message}${detail}`.slice(0, 1000);
}

/**
 * Commits `items` with `commit`; a data error splits the part in two and tries each half,
 * down to single items, which go to `setAside` with the reason. Returns one result per item
 * in input order. Any other error propagates (nothing was set aside for it).
 */
export async function commitIsolatingPoison<T, R>(
  items: T[],
  commit: (part: T[]) => Promise<R[]>,
  setAside: (item: T, reason: string) => Promise<R>,
): Promise<R[]> {
  try {
    return await commit(items);
  } catch (err) {
    if (!isDataError(err)) throw err;
    if (items.length === 1) return [await setAside(items[0], dataErrorReason(err))];
    const mid = Math.ceil(items.length / 2);
    const first = await commitIsolatingPoison(items.slice(0, mid), commit, setAside);
    const second = await commitIsolatingPoison(items.slice(mid), commit, setAside);
    return [...first, ...second];
  }
}
