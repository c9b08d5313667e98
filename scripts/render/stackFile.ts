import { configPath, matchesPattern, SECRET_CAPABLE } from "../../lib/config/secrets";
import { parseYamlFile, StackFileError } from "../../lib/config/yamlFile";

export { StackFileError };

/** Placeholder that stands for every secret value in render output. */
export const SECRET_PLACEHOLDER = "[secret]";

export interface StackFileConfig {
    /** Config as the Pulumi engine hands it to a program: fully-qualified key -> string. */
    readonly config: Record<string, string>;
    /** Keys holding (or containing) a secret; their values are placeholders, never plaintext. */
    readonly secretKeys: string[];
}

type Json = unknown;

function isSecure(v: Json): v is { secure: string } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;
}

/**
 * Stands for an encrypted URL setting (`monitoring:existing.grafanaUrl`, a remote-write URL, ...): a URL, so
 * the render validates and builds the stack as it would with the real one (RFC 2606 `.invalid`).
 */
export const SECRET_URL_PLACEHOLDER = "https://secret.invalid/";

/** The placeholder for an encrypted value at a config path: a URL for the URL settings that may hold secrets. */
function placeholderAt(path: string): string {
    const url = SECRET_CAPABLE.some((p) => /(url|Url|Repository)$/.test(p) && matchesPattern(path, p));
    return url ? SECRET_URL_PLACEHOLDER : SECRET_PLACEHOLDER;
}

/** Replaces every `{secure: ...}` with the placeholder; reports whether there was any. */
function scrub(v: Json, key: string, at: (string | number)[] = []): { value: Json; secret: boolean } {
    if (isSecure(v)) {
        return { value: placeholderAt(configPath(key, at)), secret: true };
    }
    if (Array.isArray(v)) {
        const items = v.map((x, i) => scrub(x, key, [...at, i]));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (typeof v === "object" && v !== null) {
        const entries = Object.entries(v).map(([k, val]) => [k, scrub(val, key, [...at, k])] as const);
        return {
            value: Object.fromEntries(entries.map(([k, s]) => [k, s.value])),
            secret: entries.some(([, s]) => s.secret),
        };
    }
    return { value: v, secret: false };
}

function parseStackYaml(text: string, file: string): { config?: Record<string, Json> } {
    return parseYamlFile(text, file) as { config?: Record<string, Json> };
}

/**
 * Reads a `Pulumi.<stack>.yaml` the way the Pulumi CLI presents it to a program, without
 * decrypting anything: secure values become the placeholder and their keys are marked secret, so
 * a render needs no passphrase and can never print a secret.
 */
export function readStackFile(text: string, project: string, file = "stack file"): StackFileConfig {
    const doc = parseStackYaml(text, file);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(doc.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const { value, secret } = scrub(rawValue, key);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) {
            secretKeys.push(key);
        }
    }
    return { config, secretKeys };
}
