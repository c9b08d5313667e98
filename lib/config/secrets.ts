import { parse } from "yaml";
import { Problem } from "../util/problems";

/**
 * Leaf-level secrecy of the stack config.
 *
 * The Pulumi runtime only tells a program which top-level keys hold a secret
 * (`pulumi.runtime.isConfigSecret`): `metallb:bgpPasswords: {tor-a: plaintext, tor-b: {secure: ...}}`
 * is "secret" as a whole although tor-a sits in the stack file (and in git) in plain text. The
 * stack file itself shows each `secure:` leaf, so when it is available every leaf of every secret
 * key is checked on its own.
 */

/** A Pulumi `--path` for a key and the property path below it: `metallb:bgpPasswords.tor-a`, `x["a.b"]`, `x[0]`. */
export function configPath(key: string, path: readonly (string | number)[]): string {
    let out = key;
    for (const seg of path) {
        if (typeof seg === "number") {
            out += `[${seg}]`;
        } else if (/^[^.[\]"]+$/.test(seg)) {
            out += `.${seg}`;
        } else {
            out += `[${JSON.stringify(seg)}]`;
        }
    }
    return out;
}

function isSecure(v: unknown): boolean {
    return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/** Every leaf of a value with its path below the key (a scalar is its own leaf, path []). */
function leaves(value: unknown, at: (string | number)[] = [], isLeaf: (v: unknown) => boolean = () => false): (string | number)[][] {
    if (isLeaf(value)) {
        return [at];
    }
    if (Array.isArray(value)) {
        return value.flatMap((v, i) => leaves(v, [...at, i], isLeaf));
    }
    if (typeof value === "object" && value !== null) {
        const entries = Object.entries(value);
        return entries.length === 0 ? [] : entries.flatMap(([k, v]) => leaves(v, [...at, k], isLeaf));
    }
    return [at];
}

/**
 * The config paths of every `secure:` leaf of a `Pulumi.<stack>.yaml` (keys fully qualified with
 * the project name when they have no namespace), e.g. `metallb:bgpPasswords.tor-b`.
 */
export function secureLeafPaths(stackFileText: string, project: string): Set<string> {
    const doc = (parse(stackFileText) ?? {}) as { config?: Record<string, unknown> };
    const out = new Set<string>();
    for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        for (const path of leaves(value, [], isSecure)) {
            const leaf = path.reduce<unknown>((v, seg) => (v as Record<string | number, unknown>)[seg], value);
            if (isSecure(leaf)) {
                out.add(configPath(key, path));
            }
        }
    }
    return out;
}

/** The fully qualified keys a stack file sets (its own values; an ESC environment's are not among them). */
export function stackFileKeys(stackFileText: string, project: string): Set<string> {
    const doc = (parse(stackFileText) ?? {}) as { config?: Record<string, unknown> };
    return new Set(Object.keys(doc.config ?? {}).map((k) => (k.includes(":") ? k : `${project}:${k}`)));
}

/**
 * Problems for every plaintext leaf under the secret keys. With `secureLeaves` (read from the stack
 * file) each leaf must be a `secure:` value; without it only the runtime's top-level flag can be
 * checked (a key holding any secret counts as secret). Values are never echoed.
 */
export function plaintextSecretProblems(
    values: Readonly<Record<string, unknown>>,
    secretKeys: ReadonlySet<string>,
    secureLeaves: ReadonlySet<string> | undefined,
    keysThatMustBeSecret: readonly string[],
    fileKeys?: ReadonlySet<string>,
): Problem[] {
    const out: Problem[] = [];
    for (const key of keysThatMustBeSecret) {
        const value = values[key];
        if (value === undefined) {
            continue;
        }
        for (const path of leaves(value)) {
            const p = configPath(key, path);
            // Leaf by leaf for keys the stack file sets; a key from elsewhere (an ESC environment) by the runtime's flag.
            const fromFile = secureLeaves !== undefined && (fileKeys === undefined || fileKeys.has(key));
            // A leaf is encrypted when it, or a value it sits in, is one `secure:` value
            // (`pulumi config set --secret metallb:bgpPasswords '{"tor-a": "..."}'` encrypts the whole map).
            const secret = fromFile ? path.some((_, i) => secureLeaves.has(configPath(key, path.slice(0, i)))) || secureLeaves.has(p) : secretKeys.has(key);
            if (!secret) {
                out.push({
                    path: p,
                    message: `is stored in plain text (a secret must never be); encrypt it with: pulumi config set --secret --path '${p}' <value>`,
                });
            }
        }
    }
    return out;
}
