import { z } from "zod";
import { checkMetallb, effectiveBackend } from "./checks";
import { ConfigError, joinPath, Problem, trimRoot } from "./problems";
import { checkMonitoring } from "./monitoringChecks";
import { AlertsConfig, alertsSchema, DashboardConfig, dashboardSchema, MONITORING_SECRET_KEYS, MonitoringConfig, monitoringSchema } from "./monitoringSchema";
import { plaintextSecretProblems } from "./secrets";
import { BgpBackend, metallbSchema, MetallbConfigParsed } from "./schema";

/**
 * The stack configuration as handed to the program: fully-qualified keys (`metallb:pools`) with
 * values already decoded from their JSON form, and the keys Pulumi holds as secrets.
 */
export interface RawConfig {
    readonly values: Readonly<Record<string, unknown>>;
    readonly secretKeys: ReadonlySet<string>;
    /**
     * Config paths of the `secure:` leaves of the stack file, when the config comes from one. With
     * it every leaf of a secret key is checked on its own; without it only the top-level flag.
     */
    readonly secureLeaves?: ReadonlySet<string>;
}

/** Every key whose value (each leaf of it) must be a Pulumi secret. */
export const SECRET_KEYS = [
    "metallb:bgpPasswords",
    ...MONITORING_SECRET_KEYS.map((k) => `monitoring:${k}`),
] as const;

/** Secret keys holding one string (not a structure): never decoded as JSON numbers. */
const STRING_SECRET_KEYS: ReadonlySet<string> = new Set(MONITORING_SECRET_KEYS.map((k) => `monitoring:${k}`));

export type MetallbSettings = Omit<MetallbConfigParsed, "bgpBackend"> & { readonly bgpBackend: BgpBackend };

/** Typed, validated configuration of a stack. Secret values are plain here; index.ts wraps them. */
export interface StackConfig {
    readonly metallb: MetallbSettings;
    readonly monitoring: MonitoringConfig;
    readonly alerts: AlertsConfig;
    readonly dashboard: DashboardConfig;
}

/** Configuration namespaces this program owns; keys of other namespaces (providers) are ignored. */
export const NAMESPACES = ["metallb", "monitoring", "alerts", "dashboard"] as const;

function describeIssue(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "unrecognized_keys":
            return `unknown setting${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling against the README's config reference`;
        case "invalid_value":
            return `must be one of: ${issue.values.map(String).join(", ")}`;
        case "invalid_type":
            return issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}`;
        default:
            return issue.message;
    }
}

function article(expected: string): string {
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Gathers the `ns:` keys of the raw config into one object keyed by the short key. */
export function section(raw: RawConfig, ns: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw.values)) {
        if (key.startsWith(`${ns}:`)) {
            out[key.slice(ns.length + 1)] = value;
        }
    }
    return out;
}

/**
 * Parses `values` with a schema, appending each issue as a problem whose path starts at `root`
 * ("metallb:" for a config namespace, "args." for a component's arguments).
 */
export function parseValues<S extends z.ZodType>(schema: S, root: string, values: Record<string, unknown>, problems: Problem[]): z.output<S> | undefined {
    const result = schema.safeParse(values);
    if (result.success) {
        return result.data;
    }
    for (const issue of result.error.issues) {
        const path = joinPath(root, issue.path);
        // A missing top-level key reads better as "set metallb:pools" than as a type error.
        const msg =
            issue.path.length === 1 && issue.code === "invalid_type" && values[String(issue.path[0])] === undefined
                ? "is required but not set"
                : describeIssue(issue);
        if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
            for (const key of issue.keys) {
                problems.push({ path: `${root}${key}`, message: describeIssue({ ...issue, keys: [key] }) });
            }
            continue;
        }
        problems.push({ path: trimRoot(path), message: msg });
    }
    return undefined;
}

/**
 * Validates the whole stack configuration and returns it typed, or throws a ConfigError that
 * lists every problem found (with its key path, what is wrong and what would be valid).
 */
export function parseStackConfig(raw: RawConfig): StackConfig {
    const problems: Problem[] = [];
    const metallbRaw = section(raw, "metallb");
    const monitoringRaw = section(raw, "monitoring");
    const alertsRaw = section(raw, "alerts");
    const dashboardRaw = section(raw, "dashboard");
    const metallb = parseValues(metallbSchema, "metallb:", metallbRaw, problems);
    const monitoring = parseValues(monitoringSchema, "monitoring:", monitoringRaw, problems);
    const alerts = parseValues(alertsSchema, "alerts:", alertsRaw, problems);
    const dashboard = parseValues(dashboardSchema, "dashboard:", dashboardRaw, problems);
    problems.push(...plaintextSecretProblems(raw.values, raw.secretKeys, raw.secureLeaves, SECRET_KEYS));
    problems.push(...checkMetallb(metallbRaw));
    problems.push(...checkMonitoring({ monitoring: monitoringRaw, alerts: alertsRaw, dashboard: dashboardRaw, pools: metallbRaw.pools }));
    if (problems.length > 0 || !metallb || !monitoring || !alerts || !dashboard) {
        throw new ConfigError(tidyProblems(problems));
    }
    return {
        metallb: { ...metallb, bgpBackend: effectiveBackend(metallb.bgpBackend, metallb.bgp) },
        monitoring,
        alerts,
        dashboard,
    };
}

/** Problems deduplicated and grouped by key (stable within a key), so related ones read together. */
export function tidyProblems(problems: Problem[]): Problem[] {
    return sortByPath(dedupe(problems));
}

function sortByPath(problems: Problem[]): Problem[] {
    return problems
        .map((p, i) => ({ p, i }))
        .sort((a, b) => (a.p.path === b.p.path ? a.i - b.i : a.p.path < b.p.path ? -1 : 1))
        .map(({ p }) => p);
}

function dedupe(problems: Problem[]): Problem[] {
    const seen = new Set<string>();
    return problems.filter((p) => {
        const key = `${p.path}\u0000${p.message}`;
        if (seen.has(key)) {
            return false;
        }
        seen.add(key);
        return true;
    });
}

/**
 * Decodes a config value as Pulumi hands it to the program (always a string): structured values
 * and booleans/numbers arrive as JSON, plain strings as they are.
 */
export function decodeConfigValue(text: string, key?: string): unknown {
    const t = text.trim();
    // A secret string such as an all-digit password or routing key stays a string ("0123" is not 123).
    if (key !== undefined && STRING_SECRET_KEYS.has(key)) {
        return text;
    }
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?\d+(\.\d+)?$/.test(t)) {
        try {
            return JSON.parse(t);
        } catch {
            return text;
        }
    }
    return text;
}
