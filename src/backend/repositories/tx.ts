import type { PrismaClient } from "../../generated/prisma/client.ts";

/** A Prisma client or the client of an open interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** Raw SQL inside one transaction: what an interactive Prisma transaction offers, and what a plain driver connection can. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/** PostgreSQL errors worth retrying the whole transaction for: deadlock, serialization failure, unique race. */
export function isRetryableTxError(err: unknown): boolean {
  const text = String((err as Error)?.message ?? err);
  return /40P01|40001|deadlock detected|could not serialize|Transaction already closed|Unique constraint failed on the fields: \(`chain`,`seq`\)|Unique constraint failed on the fields: \(`chain`\)|"AuditEntry_chain_seq_key"|"AuditChainHead_pkey"/.test(
    text,
  );
}

export async function withRetries<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryableTxError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}
