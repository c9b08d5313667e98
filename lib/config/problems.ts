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
