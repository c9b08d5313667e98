import { z } from "zod";
import { credentialInText } from "./credentials";

/** One thing wrong with the stack configuration. */
export interface Problem {
    /** Config key path, e.g. `metallb:pools[1].addresses[0]`. */
    readonly path: string;
    /** What is wrong and what would be valid. Never contains a secret value. */
    readonly message: string;
}

/** Raised before any resource is declared when the stack configuration is invalid. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly Problem[]) {
        super(formatProblems(problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(problems: readonly Problem[], subject = "stack configuration"): string {
    const n = problems.length;
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
    return [`Invalid ${subject} (${n} problem${n === 1 ? "" : "s"}):`, ...lines].join("\n");
}

/** The error message for invalid arguments of a component, e.g. `AddressPools "pools"`. */
export function argumentsError(component: string, problems: readonly Problem[]): string {
    return formatProblems(problems, `arguments of ${component}`);
}

/** Appends a zod-style path (keys and indexes) to a key path ("metallb:" or "args." roots). */
export function joinPath(base: string, path: readonly PropertyKey[]): string {
    let out = base;
    for (const seg of path) {
        if (typeof seg === "number") {
            out += `[${seg}]`;
        } else {
            const s = String(seg);
            out += out === "" || out.endsWith(":") || out.endsWith(".") ? s : `.${s}`;
        }
    }
    return out;
}

/** A key path without a trailing root separator ("metallb:" -> "metallb", "args." -> "args"). */
export function trimRoot(path: string): string {
    return path.endsWith(":") || path.endsWith(".") ? path.slice(0, -1) : path;
}

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) {
        d[0][j] = j;
    }
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
    }
    return d[a.length][b.length];
}

/** The closest of `known` to a misspelt word: same letters in another case, a prefix, or a few edits away. */
export function closest(word: string, known: readonly string[]): string | undefined {
    const lower = word.toLowerCase();
    const exact = known.find((k) => k.toLowerCase() === lower);
    if (exact) {
        return exact;
    }
    const scored = known
        .map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) }))
        .filter(
            ({ k, d }) =>
                d <= Math.max(2, Math.floor(k.length / 3)) || (lower.length >= 4 && (k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase()))),
        )
        .sort((x, y) => x.d - y.d);
    return scored[0]?.k;
}

type AnySchema = { _zod: { def: Record<string, unknown> } };

/** The object keys a schema accepts at a path (through optional/default/pipe/array/record wrappers). */
export function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
    let s = schema as AnySchema | undefined;
    const unwrap = () => {
        for (let guard = 0; s && guard < 20; guard++) {
            const def = s._zod.def;
            if (["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"].includes(def.type as string)) {
                s = def.innerType as AnySchema;
            } else if (def.type === "pipe") {
                s = (def.in as AnySchema)._zod.def.type === "transform" ? (def.out as AnySchema) : (def.in as AnySchema);
            } else {
                return;
            }
        }
    };
    unwrap();
    for (const seg of path) {
        const def = s?._zod.def;
        if (!def) {
            return [];
        }
        if (def.type === "object") {
            s = (def.shape as Record<string, AnySchema>)[String(seg)];
        } else if (def.type === "array") {
            s = def.element as AnySchema;
        } else if (def.type === "record") {
            s = def.valueType as AnySchema;
        } else {
            return [];
        }
        unwrap();
    }
    const def = s?._zod.def;
    return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

const TYPE_NAMES: Record<string, string> = {
    array: "a list",
    object: "a map of settings",
    number: "a number",
    string: "a string",
    boolean: "true or false",
    int: "a whole number",
};

function describeValue(v: unknown): string {
    if (credentialInText(typeof v === "string" ? v : (JSON.stringify(v) ?? ""))) {
        return "a value that looks like a credential (not shown)";
    }
    if (typeof v === "string") {
        return `the string ${JSON.stringify(v)}`;
    }
    if (Array.isArray(v)) {
        return `a list (${JSON.stringify(v).slice(0, 60)})`;
    }
    if (v === null) {
        return "null";
    }
    if (typeof v === "object") {
        return `a map (${JSON.stringify(v).slice(0, 60)})`;
    }
    return JSON.stringify(v) ?? String(v);
}

export interface IssueContext {
    /** The schema parsed (for the keys that "did you mean" suggests). */
    readonly schema: unknown;
    /** Root of every path: "metallb:" for a config namespace, "args." for a component's arguments. */
    readonly root: string;
    /** True for a path under a secret: its value is never shown. */
    readonly secret?: (path: readonly PropertyKey[]) => boolean;
    /** What an unknown key probably meant, by key (e.g. an inline `password`). */
    readonly hints?: Readonly<Record<string, string>>;
}

/**
 * Zod issues as problems a person can act on: the key path, what is wrong, the value that was
 * given (never a secret's) and what would be valid, with "did you mean" for a misspelt key.
 */
export function issuesToProblems(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): Problem[] {
    const out: Problem[] = [];
    for (const issue of issues) {
        const hidden = ctx.secret?.(issue.path) ?? false;
        const input = (issue as { input?: unknown }).input;
        const shown = !hidden && input !== undefined ? `, not ${describeValue(input)}` : "";
        switch (issue.code) {
            case "unrecognized_keys": {
                const known = keysAt(ctx.schema, issue.path);
                for (const key of issue.keys) {
                    const guess = closest(key, known);
                    const hint = ctx.hints?.[key];
                    out.push({
                        path: joinPath(ctx.root, [...issue.path, key]),
                        message: hint
                            ? `unknown setting "${key}": ${hint}`
                            : guess
                              ? `unknown setting "${key}"; did you mean "${guess}"?`
                              : `unknown setting "${key}"; valid here: ${known.join(", ") || "none"}`,
                    });
                }
                continue;
            }
            case "invalid_type": {
                const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
                const message = input === undefined ? `is required but not set (${expected})` : `must be ${expected}${shown}`;
                out.push({ path: trimRoot(joinPath(ctx.root, issue.path)), message });
                continue;
            }
            case "invalid_key": {
                // A map key the key schema refuses: its own message (e.g. "must be a Prometheus label name").
                const inner = (issue.issues ?? []).map((i) => i.message).join("; ");
                out.push({ path: trimRoot(joinPath(ctx.root, issue.path)), message: `${inner || issue.message}` });
                continue;
            }
            case "invalid_value":
                out.push({
                    path: trimRoot(joinPath(ctx.root, issue.path)),
                    message: `must be one of: ${issue.values.map(String).join(", ")}${shown.replace(/^, not/, " (got")}${shown ? ")" : ""}`,
                });
                continue;
            default: {
                const value =
                    !hidden &&
                    (typeof input === "string" || typeof input === "number") &&
                    !issue.message.includes(String(input)) &&
                    !credentialInText(String(input))
                        ? ` (got ${JSON.stringify(input)})`
                        : "";
                out.push({ path: trimRoot(joinPath(ctx.root, issue.path)), message: `${issue.message}${value}` });
            }
        }
    }
    return tidyProblems(out);
}

/** Problems deduplicated and grouped by key (stable within a key), so related ones read together. */
export function tidyProblems(problems: readonly Problem[]): Problem[] {
    const seen = new Set<string>();
    return problems
        .filter((p) => {
            const key = `${p.path}\u0000${p.message}`;
            if (seen.has(key)) {
                return false;
            }
            seen.add(key);
            return true;
        })
        .map((p, i) => ({ p, i }))
        .sort((a, b) => (a.p.path === b.p.path ? a.i - b.i : a.p.path < b.p.path ? -1 : 1))
        .map(({ p }) => p);
}

/**
 * Parses values with a schema; problems (rooted at `ctx.root`) are appended to `problems` and
 * undefined returned when anything is wrong.
 */
export function parseWith<S extends z.ZodType>(schema: S, values: unknown, ctx: Omit<IssueContext, "schema">, problems: Problem[]): z.output<S> | undefined {
    const r = schema.safeParse(values, { reportInput: true });
    if (r.success) {
        return r.data;
    }
    problems.push(...issuesToProblems(r.error.issues, { ...ctx, schema }));
    return undefined;
}
