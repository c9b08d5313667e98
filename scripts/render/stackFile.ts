import { parse, YAMLError } from "yaml";

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

/** Replaces every `{secure: ...}` with the placeholder; reports whether there was any. */
function scrub(v: Json): { value: Json; secret: boolean } {
    if (isSecure(v)) {
        return { value: SECRET_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(v)) {
        const items = v.map(scrub);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (typeof v === "object" && v !== null) {
        const entries = Object.entries(v).map(([k, val]) => [k, scrub(val)] as const);
        return {
            value: Object.fromEntries(entries.map(([k, s]) => [k, s.value])),
            secret: entries.some(([, s]) => s.secret),
        };
    }
    return { value: v, secret: false };
}

/** A stack file that is not valid YAML: the message names file, line, column and the problem. */
export class StackFileError extends Error {}

function parseStackYaml(text: string, file: string): { config?: Record<string, Json> } {
    try {
        return (parse(text) ?? {}) as { config?: Record<string, Json> };
    } catch (err) {
        if (err instanceof YAMLError) {
            const pos = err.linePos?.[0];
            const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
            // The library's message ends with a code excerpt after the first line; keep the problem only.
            const problem = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            throw new StackFileError(`${where}: ${problem}`);
        }
        throw err;
    }
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
        const { value, secret } = scrub(rawValue);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) {
            secretKeys.push(key);
        }
    }
    return { config, secretKeys };
}
