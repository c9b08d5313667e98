import { isIpAddress, parseAddressEntry, rangeContains } from "./addresses";
import { Problem } from "./problems";

/**
 * Defensive readers for raw (not yet validated) config values, and the reference checks several
 * config sections share. Anything may be malformed here; shape errors come from the schemas.
 */
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The `name`s of a list of objects. */
export function names(list: unknown): string[] {
    return arr(list)
        .map((e) => (isObj(e) ? str(e.name) : undefined))
        .filter((n): n is string => n !== undefined);
}

/** "names pool "x", which is not defined in metallb:pools (defined: a, b)". */
export function notDefined(what: string, name: string, where: string, defined: Iterable<string>): string {
    return `names ${what} "${name}", which is not defined in ${where} (defined: ${[...defined].join(", ") || "none"})`;
}

/** A problem when `pool` is set but not one of `metallb:pools`. */
export function checkPoolRef(path: string, pool: string | undefined, pools: unknown): Problem[] {
    const defined = names(pools);
    return pool === undefined || defined.includes(pool) ? [] : [{ path, message: notDefined("pool", pool, "metallb:pools", defined) }];
}

/** A problem when a fixed address is not an IP, or lies outside the pools (or the one pool named). */
export function checkPoolAddress(path: string, address: string | undefined, pools: unknown, pool?: string): Problem[] {
    if (address === undefined) {
        return [];
    }
    if (!isIpAddress(address)) {
        return [{ path, message: `"${address}" is not an IP address` }];
    }
    const inside = arr(pools).some(
        (p) =>
            isObj(p) &&
            (pool === undefined || p.name === pool) &&
            arr(p.addresses).some((e) => {
                const r = typeof e === "string" ? parseAddressEntry(e) : undefined;
                return r?.ok === true && rangeContains(r.range, address);
            }),
    );
    return inside
        ? []
        : [{ path, message: `${address} is not inside ${pool === undefined ? "any pool in metallb:pools" : `pool "${pool}"`}; MetalLB can only assign addresses from its pools` }];
}
