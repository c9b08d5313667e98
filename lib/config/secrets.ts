import { Problem } from "../util/problems";
import { parseYamlFile } from "./yamlFile";
import { configPath } from "../util/configPath";
export { configPath };

/**
 * Leaf-level secrecy of the stack config.
 *
 * The Pulumi runtime only tells a program which top-level keys hold a secret
 * (`pulumi.runtime.isConfigSecret`): `metallb:bgpPasswords: {tor-a: plaintext, tor-b: {secure: ...}}`
 * is "secret" as a whole although tor-a sits in the stack file (and in git) in plain text. The
 * stack file itself shows each `secure:` leaf, so when it is available every leaf of every secret
 * key is checked on its own.
 */

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
export function secureLeafPaths(stackFileText: string, project: string, file = "stack file"): Set<string> {
    const doc = parseYamlFile(stackFileText, file) as { config?: Record<string, unknown> };
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
export function stackFileKeys(stackFileText: string, project: string, file = "stack file"): Set<string> {
    const doc = parseYamlFile(stackFileText, file) as { config?: Record<string, unknown> };
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

/**
 * Settings (config paths, `*` for any list index or map key) that may hold a secret although they
 * are not among the designated secret keys: their value reaches resources and stack outputs only as
 * a Pulumi secret (lib/util/keepSecrets.ts). Every other setting decides what is created (names,
 * namespaces, pools, structure, numbers) and is refused when it holds a secret.
 */
export const SECRET_CAPABLE: readonly string[] = [
    "metallb:chartRepository",
    "monitoring:chartRepository",
    "monitoring:existing.prometheusUrl",
    "monitoring:existing.alertmanagerUrl",
    "monitoring:existing.grafanaUrl",
    "monitoring:remoteWrite[*].url",
    "monitoring:remoteWrite[*].username",
    "monitoring:externalLabels.*",
    "monitoring:receivers.slack.channel",
    "alerts:runbookBaseUrl",
];

/** True when a config path matches a pattern of SECRET_CAPABLE (`[*]` any index, `.*` any map key). */
export function matchesPattern(path: string, pattern: string): boolean {
    const re = new RegExp(
        `^${pattern
            .split(/(\[\*\]|\.\*)/)
            .map((part) => (part === "[*]" ? "\\[\\d+\\]" : part === ".*" ? '(\\.[^.[\\]"]+|\\["[^"]*"\\])' : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
            .join("")}$`,
    );
    return re.test(path);
}

/** One leaf of the stack config that holds a secret: its config path and its value (plain text, never shown). */
export interface SecretLeaf {
    readonly path: string;
    readonly key: string;
    readonly at: readonly (string | number)[];
    readonly value: unknown;
}

/**
 * Every leaf of this program's config that is a secret: leaf by leaf from the stack file's `secure:`
 * values for keys it sets, every leaf of a key the runtime flags secret otherwise (the runtime only
 * knows whole keys: `pulumi config set --secret` of a map encrypts it as one value).
 */
export function secretLeaves(
    values: Readonly<Record<string, unknown>>,
    secretKeys: ReadonlySet<string>,
    secureLeaves: ReadonlySet<string> | undefined,
    fileKeys: ReadonlySet<string> | undefined,
): SecretLeaf[] {
    const out: SecretLeaf[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (value === undefined || value === null) {
            continue;
        }
        const fromFile = secureLeaves !== undefined && (fileKeys === undefined || fileKeys.has(key));
        for (const at of leaves(value)) {
            const p = configPath(key, at);
            const secret = fromFile ? at.some((_, i) => secureLeaves.has(configPath(key, at.slice(0, i)))) || secureLeaves.has(p) : secretKeys.has(key);
            if (secret) {
                out.push({ path: p, key, at, value: at.reduce<unknown>((v, seg) => (v as Record<string | number, unknown>)[seg], value) });
            }
        }
    }
    return out;
}

/** Every string leaf of a value with its path below the key. */
export function stringLeaves(value: unknown): { at: (string | number)[]; value: string }[] {
    return leaves(value)
        .map((at) => ({ at, value: at.reduce<unknown>((v, seg) => (v as Record<string | number, unknown>)[seg], value) }))
        .filter((l): l is { at: (string | number)[]; value: string } => typeof l.value === "string");
}
