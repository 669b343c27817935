/**
 * Throttle keys, namespaced so staff logins and the public look-up never share a counter:
 * failed access codes cannot make a staff login from the same address wait, and the other
 * way round.
 */

/** A per-source allowance is wider than a per-account one: several people may share an address (NAT, an office). */
export const SOURCE_ALLOWANCE_FACTOR = 2;

export interface StaffLoginKeys {
  /** This address guessing this account: locks (only the guesser). */
  pair: string;
  /** This address guessing any account (password spraying): locks that address, with a wider allowance. */
  source: string;
  /** This account guessed from anywhere: only slows each attempt, never locks the owner out. */
  account: string;
}

/** A key, or a family of keys by prefix and/or suffix. */
export interface KeyMatch {
  startsWith?: string;
  endsWith?: string;
  equals?: string;
}

export function staffLoginKeys(ip: string, username: string): StaffLoginKeys {
  const user = username.toLowerCase();
  return { pair: `login:ip-user:${ip}|${user}`, source: `login:ip:${ip}`, account: `login:user:${user}` };
}

/** Every key an administrator's unlock of this account clears (all addresses' pair keys and the account delay). */
export function staffAccountUnlock(username: string): KeyMatch[] {
  const user = username.toLowerCase();
  return [{ startsWith: "login:ip-user:", endsWith: `|${user}` }, { equals: `login:user:${user}` }];
}

/** Every staff-login key of one address (an office behind one NAT address locked out by someone's spraying). */
export function staffAddressUnlock(ip: string): KeyMatch[] {
  return [{ equals: `login:ip:${ip}` }, { startsWith: `login:ip-user:${ip}|` }];
}

export interface PublicLookupKeys {
  /** This address guessing this case's code: a flood from elsewhere never touches the party's own address. */
  pair: string;
  /** This address guessing many cases. */
  source: string;
}

export function publicLookupKeys(ip: string, caseRef: string): PublicLookupKeys {
  return { pair: `lookup:case-ip:${caseRef}|${ip}`, source: `lookup:ip:${ip}` };
}
