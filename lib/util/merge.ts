type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Deep-merges plain objects the way Helm merges values files: maps merge key by key, everything
 * else (lists included) is replaced by the override. Neither input is modified.
 */
export function deepMerge<T extends Obj>(base: T, override: Obj | undefined): T {
    if (!override) {
        return structuredClone(base);
    }
    const out: Obj = structuredClone(base);
    for (const [key, value] of Object.entries(override)) {
        const current = out[key];
        out[key] = isObj(current) && isObj(value) ? deepMerge(current, value) : structuredClone(value);
    }
    return out as T;
}
