import { z } from "zod";
import { checkFixedAddress, unannouncedPools } from "../metallb/fixedAddresses";
import { MetallbSettings, metallbSchema, notDefined } from "../metallb/schema";
import { MONITORING_SECRET_KEYS, MONITORING_SECRET_STRINGS, MonitoringSettings, monitoringSchema } from "../monitoring/schema";
import { DashboardSettings as DashboardConfig, dashboardSettingsSchema as dashboardSchema, grafanaApiUrlProblem } from "../dashboard/settings";
import { AlertSettings, alertSettingsSchema as alertsSchema } from "../rules/settings";
import { metricsServiceName, ScrapeTarget, TARGETS } from "../monitoring/scrape";
import { daemonSetNames } from "../metrics";
import { closest, ConfigError, keysAt, parseWith, Problem, tidyProblems } from "../util/problems";
import { credentialInText, urlHostname } from "../util/credentials";
import { configPath, matchesPattern, plaintextSecretProblems, SECRET_CAPABLE, secretLeaves, stringLeaves } from "./secrets";

/**
 * The stack configuration: composes the domains' schemas (lib/metallb, lib/monitoring, the alert
 * and dashboard settings), adds the checks that span namespaces, and hands out one typed value.
 * Only index.ts and the scripts import lib/config.
 */

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
    /** The keys the stack file itself sets (with `secureLeaves`); other keys are checked by the runtime's flag. */
    readonly stackFileKeys?: ReadonlySet<string>;
}

/** Typed, validated configuration of a stack. Every secret is a secret `Output`. */
export interface StackConfig {
    readonly metallb: MetallbSettings;
    readonly monitoring: MonitoringSettings;
    readonly alerts: AlertSettings;
    readonly dashboard: DashboardConfig;
    /** Valid but probably unintended settings, each naming its key; index.ts logs them at preview. */
    readonly warnings: readonly Problem[];
    /**
     * Plain text of the secrets held by settings outside SECRET_KEYS (SECRET_CAPABLE): every resource
     * input and stack output that contains one must be a secret (lib/config/keepSecrets.ts).
     */
    readonly secretValues: readonly string[];
}

const SCHEMAS = { metallb: metallbSchema, monitoring: monitoringSchema, alerts: alertsSchema, dashboard: dashboardSchema } as const;

/** Configuration namespaces this program owns; keys of other namespaces (providers) are left alone. */
export const NAMESPACES = Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[];

/** Every key whose value (each leaf of it) must be a Pulumi secret. */
export const SECRET_KEYS: readonly string[] = ["metallb:bgpPasswords", ...MONITORING_SECRET_KEYS.map((k) => `monitoring:${k}`)];

/** Secret keys holding one string (not a structure): never decoded as JSON numbers. */
const STRING_SECRET_KEYS: ReadonlySet<string> = new Set(MONITORING_SECRET_STRINGS.map((k) => `monitoring:${k}`));

/** The project's own name: `pulumi config set pools ...` without a namespace lands there. */
const PROJECT = "metallb-observability";

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
 * Keys in a namespace that looks like a misspelling of ours (`alert:`, `Metallb:`, `monitor:`, or
 * the project's own name): refused with a suggestion. Provider namespaces are not looked at.
 */
export function misspeltNamespaces(keys: readonly string[]): Problem[] {
    const out: Problem[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const ns = key.slice(0, colon);
        const short = key.slice(colon + 1);
        if (colon < 0 || (NAMESPACES as string[]).includes(ns)) {
            continue;
        }
        const owner = NAMESPACES.find((n) => keysAt(SCHEMAS[n], []).includes(short));
        const guess = ns === PROJECT ? (owner ?? closest(ns, NAMESPACES)) : closest(ns, NAMESPACES);
        if (guess) {
            out.push({
                path: key,
                message: `unknown config namespace "${ns}"; did you mean ${guess}:${short}? (this program reads ${NAMESPACES.map((n) => `${n}:`).join(", ")})`,
            });
        }
    }
    return out;
}

/** Checks that span namespaces: Grafana's address and the dashboard delivery against the pools. */
function crossChecks(m: MetallbSettings, mon: MonitoringSettings, alerts: AlertSettings, dash: DashboardConfig, warnings: Problem[]): Problem[] {
    const out: Problem[] = [];
    const pools = m.pools.map((p) => p.name);
    const api = dash.delivery === "grafana-api";
    if (mon.install) {
        const service = mon.grafana.service;
        if (service.pool !== undefined && !pools.includes(service.pool)) {
            out.push({ path: "monitoring:grafana.service.pool", message: notDefined("pool", service.pool, "metallb:pools", pools) });
        } else if (service.address !== undefined) {
            const check = checkFixedAddress(m, service.address, service.pool);
            out.push(...check.errors.map((message) => ({ path: "monitoring:grafana.service.address", message })));
            warnings.push(...check.warnings.map((message) => ({ path: "monitoring:grafana.service.address", message })));
            if (m.smokeTest.enabled && m.smokeTest.address === service.address) {
                out.push({
                    path: "monitoring:grafana.service.address",
                    message: `${service.address} is also metallb:smokeTest.address; two Services cannot hold one address unless both opt into sharing it (metallb.io/allow-shared-ip), which these do not`,
                });
            }
        }
        if (api) {
            out.push({
                path: "dashboard:delivery",
                message:
                    "grafana-api is only for a Grafana this program does not install (monitoring:install false); the installed Grafana loads the dashboard from a ConfigMap through its sidecar, which survives its restarts and never needs its admin login: remove dashboard:delivery (default configmap)",
            });
        }
    } else if (api) {
        if (mon.existing.grafanaUrl === undefined) {
            out.push({
                path: "monitoring:existing.grafanaUrl",
                message: "is required to push the dashboard through Grafana's API (or set dashboard:delivery to configmap)",
            });
        } else {
            const problem = grafanaApiUrlProblem(mon.existing.grafanaUrl);
            if (problem) {
                out.push({ path: "monitoring:existing.grafanaUrl", message: problem });
            }
        }
        if (mon.grafanaAuth === undefined) {
            out.push({
                path: "monitoring:grafanaAuth",
                message: "is required to push the dashboard to an existing Grafana: pulumi config set --secret monitoring:grafanaAuth <service-account token>",
            });
        }
    }
    if (m.smokeTest.enabled && m.smokeTest.address !== undefined) {
        warnings.push(
            ...checkFixedAddress(m, m.smokeTest.address, m.smokeTest.pool).warnings.map((message) => ({ path: "metallb:smokeTest.address", message })),
        );
    }
    out.push(...derivedNameProblems(m.releaseName));
    alerts.excludePools.forEach((p, i) => {
        if (!pools.includes(p)) {
            out.push({ path: `alerts:excludePools[${i}]`, message: notDefined("pool", p, "metallb:pools", pools) });
        }
    });
    for (const pool of unannouncedPools(m)) {
        warnings.push({
            path: `metallb:pools[${m.pools.findIndex((p) => p.name === pool)}]`,
            message: `pool "${pool}" is announced by no L2 or BGP advertisement: MetalLB assigns its addresses, but nobody outside the cluster can reach them (fine for a pool reserved for later)`,
        });
    }
    return out;
}

/**
 * Object names derived from MetalLB's release name that Kubernetes would refuse: the metrics
 * Services (a Service name is a DNS-1035 label, at most 63 characters) and the DaemonSets (their
 * pods carry a `controller-revision-hash` label value of the name and a hash suffix; 63 characters
 * at most for the value leaves the name 52 characters).
 */
function derivedNameProblems(releaseName: string): Problem[] {
    const names = [
        ...(Object.keys(TARGETS) as ScrapeTarget[]).map((t) => ({ name: metricsServiceName(releaseName, t), max: 63, what: "Service" })),
        ...Object.values(daemonSetNames(releaseName)).map((name) => ({ name, max: 52, what: "DaemonSet" })),
    ];
    const long = names.filter((n) => n.name.length > n.max);
    return long.length === 0
        ? []
        : [
              {
                  path: "metallb:releaseName",
                  message: `is too long: it makes ${long.map((n) => `the ${n.what} name "${n.name}" (${n.name.length} characters, at most ${n.max})`).join(", ")}; use a shorter release name`,
              },
          ];
}

/** Settings of the dashboard namespace that do nothing in the chosen delivery. */
function dashboardProblems(values: Record<string, unknown>, dash: DashboardConfig): Problem[] {
    const out: Problem[] = [];
    for (const key of ["folder", "folderUid"]) {
        if (dash.delivery !== "grafana-api" && values[key] !== undefined) {
            out.push({
                path: `dashboard:${key}`,
                message: `has no effect with dashboard:delivery ${dash.delivery} (only the Grafana API delivery creates a folder); remove it`,
            });
        }
    }
    if (dash.delivery === "none" && values.uid !== undefined) {
        out.push({ path: "dashboard:uid", message: "has no effect with dashboard:delivery none; remove it" });
    }
    return out;
}

/**
 * Validates the whole stack configuration and returns it typed, or throws a ConfigError that
 * lists every problem found (key path, what is wrong, what would be valid).
 */
export function parseStackConfig(raw: RawConfig): StackConfig {
    const problems: Problem[] = [...misspeltNamespaces(Object.keys(raw.values))];
    problems.push(...plaintextSecretProblems(raw.values, raw.secretKeys, raw.secureLeaves, SECRET_KEYS, raw.stackFileKeys));
    const own = Object.fromEntries(Object.entries(raw.values).filter(([k]) => NAMESPACES.some((ns) => k.startsWith(`${ns}:`))));
    const secrets = secretLeaves(own, raw.secretKeys, raw.secureLeaves, raw.stackFileKeys);
    const secretPaths = new Set(secrets.map((s) => s.path));
    problems.push(...secretPlacementProblems(own, secrets));
    const under = (p: string, q: string) => p === q || p.startsWith(`${q}.`) || p.startsWith(`${q}[`);
    const hidden = (p: string) => SECRET_KEYS.some((k) => under(p, k)) || [...secretPaths].some((s) => under(s, p) || under(p, s));
    const parse = <S extends z.ZodType>(ns: keyof typeof SCHEMAS, schema: S): z.output<S> | undefined =>
        parseWith(
            schema,
            section(raw, ns),
            { root: `${ns}:`, secret: (path) => path.length > 0 && hidden(configPath(`${ns}:${String(path[0])}`, path.slice(1) as (string | number)[])) },
            problems,
        );
    const metallb = parse("metallb", metallbSchema);
    const monitoring = parse("monitoring", monitoringSchema);
    const alerts = parse("alerts", alertsSchema);
    const dashboard = parse("dashboard", dashboardSchema);
    const warnings: Problem[] = [];
    if (dashboard) {
        // Needs only the dashboard: reported even when another namespace does not parse.
        problems.push(...dashboardProblems(section(raw, "dashboard"), dashboard));
    }
    if (metallb && monitoring && alerts && dashboard) {
        // Checks that relate namespaces wait for all of them: no follow-up errors about a broken one.
        problems.push(...crossChecks(metallb, monitoring, alerts, dashboard, warnings));
    }
    // Last line of defence: no message shows a secret's value or a credential, whatever check wrote it.
    const redact = redactor(own, secrets);
    if (problems.length > 0 || !metallb || !monitoring || !alerts || !dashboard) {
        throw new ConfigError(tidyProblems(problems.map(redact)));
    }
    const secretValues = secrets.filter((s) => !SECRET_KEYS.some((k) => under(s.path, k)) && typeof s.value === "string").map((s) => s.value as string);
    return { metallb, monitoring, alerts, dashboard, warnings: tidyProblems(warnings.map(redact)), secretValues };
}

/**
 * Secrets outside the designated keys, and credentials outside secrets: a secret may sit only in a
 * SECRET_CAPABLE setting (it flows as a secret from there); a credential in a URL of a plain setting
 * is refused with the command that encrypts it. Neither message shows the value.
 */
function secretPlacementProblems(own: Record<string, unknown>, secrets: readonly { path: string; value: unknown }[]): Problem[] {
    const out: Problem[] = [];
    const designated = (p: string) => SECRET_KEYS.some((k) => p === k || p.startsWith(`${k}.`) || p.startsWith(`${k}[`));
    const capable = (p: string) => SECRET_CAPABLE.some((pattern) => matchesPattern(p, pattern));
    const secretPaths = new Set(secrets.map((s) => s.path));
    for (const s of secrets) {
        if (designated(s.path) || (capable(s.path) && typeof s.value === "string")) {
            continue;
        }
        out.push({
            path: s.path,
            message: `holds a secret (an encrypted value, or part of one), but this setting decides what is created (a name, namespace, address or structure) and cannot stay secret: set it in plain text, and encrypt only the values that may be secrets, one by one (pulumi config set --secret --path; see "Secrets" in docs/configuration.md)`,
        });
    }
    for (const [key, value] of Object.entries(own)) {
        if (designated(key)) {
            continue;
        }
        for (const leaf of stringLeaves(value)) {
            const p = configPath(key, leaf.at);
            const what = secretPaths.has(p) ? undefined : credentialInText(leaf.value);
            if (what) {
                out.push({
                    path: p,
                    message: capable(p)
                        ? `holds ${what} in plain text (it would sit in git, the state and the logs); encrypt it with: pulumi config set --secret --path '${p}' <value>`
                        : `holds ${what}; this setting cannot hold a secret: remove the credential`,
                });
            }
        }
    }
    return out;
}

/** A problem with every secret value and every credential-bearing string of the config replaced by [secret]. */
function redactor(own: Record<string, unknown>, secrets: readonly { value: unknown }[]): (p: Problem) => Problem {
    const hide = new Set<string>();
    for (const s of secrets) {
        for (const leaf of typeof s.value === "string" ? [s.value] : stringLeaves(s.value).map((l) => l.value)) {
            // The value, and the host of a URL (messages about a URL name its host).
            for (const part of [leaf, urlHostname(leaf) ?? ""]) {
                if (part.length >= 3) {
                    hide.add(part);
                }
            }
        }
    }
    for (const value of Object.values(own)) {
        for (const leaf of stringLeaves(value)) {
            if (credentialInText(leaf.value)) {
                hide.add(leaf.value);
                for (const m of leaf.value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)) {
                    hide.add(m[0]);
                }
            }
        }
    }
    const longestFirst = [...hide].sort((a, b) => b.length - a.length);
    return (p) => ({ path: p.path, message: longestFirst.reduce((m, v) => m.split(v).join("[secret]"), p.message) });
}

/**
 * Decodes a config value as Pulumi hands it to the program (always a string): structured values
 * and booleans/numbers arrive as JSON, plain strings as they are. Secret strings stay strings.
 */
export function decodeConfigValue(text: string, key?: string): unknown {
    if (key !== undefined && STRING_SECRET_KEYS.has(key)) {
        return text;
    }
    const t = text.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?\d+(\.\d+)?$/.test(t)) {
        try {
            return JSON.parse(t);
        } catch {
            return text;
        }
    }
    return text;
}
