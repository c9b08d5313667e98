import { z } from "zod";
import { DashboardSettings, dashboardSettingsSchema, grafanaApiUrlProblem } from "../dashboard/settings";
import { checkFixedAddress, unannouncedPools } from "../metallb/fixedAddresses";
import { MetallbSettings, metallbSchema, notDefined } from "../metallb/schema";
import { daemonSetNames } from "../metrics";
import { MONITORING_SECRET_KEYS, MonitoringSettings, monitoringSchema } from "../monitoring/schema";
import { metricsServiceName, ScrapeTarget, TARGETS } from "../monitoring/scrape";
import { AlertSettings, alertSettingsSchema } from "../rules/settings";
import { configPath } from "../util/configPath";
import { parseWith, Problem, tidyProblems } from "../util/problems";

/**
 * The whole stack's settings: one section per concern, with the keys of the stack config
 * (`metallb:`, `monitoring:`, `alerts:`, `dashboard:`; docs/configuration.md). The whole-stack
 * component (components/metallbObservability.ts) validates its arguments with these schemas, once;
 * the stack program's config loader (lib/config, not shipped) only adds what is about the stack
 * file itself (secret flags, unknown namespaces) and hands the sections over.
 */
export const SECTION_SCHEMAS = {
    metallb: metallbSchema,
    monitoring: monitoringSchema,
    alerts: alertSettingsSchema,
    dashboard: dashboardSettingsSchema,
} as const;

export type Section = keyof typeof SECTION_SCHEMAS;
export const SECTIONS = Object.keys(SECTION_SCHEMAS) as Section[];

/** The validated settings of every section; every secret is a secret Output. */
export interface StackSettings {
    readonly metallb: MetallbSettings;
    readonly monitoring: MonitoringSettings;
    readonly alerts: AlertSettings;
    readonly dashboard: DashboardSettings;
}

/** Keys whose every leaf is a credential, handed out only as secret Outputs (`metallb:bgpPasswords`, ...). */
export const SECRET_KEYS: readonly string[] = ["metallb:bgpPasswords", ...MONITORING_SECRET_KEYS.map((k) => `monitoring:${k}`)];

/** True when `path` (`ns:key...`) is one of `keys` or below one. */
export function isUnder(path: string, key: string): boolean {
    return path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
}

/**
 * Validates each section with its schema, then what spans sections. Problems are named by config
 * key (`metallb:pools[0].name`); `hidden(path)` says which values a message must not show (the
 * credentials always). Returns undefined when anything is wrong: every problem is in `problems`.
 */
export function parseStackSettings(
    sections: Readonly<Partial<Record<Section, unknown>>>,
    problems: Problem[],
    warnings: Problem[],
    hidden: (path: string) => boolean = () => false,
): StackSettings | undefined {
    const secret = (path: string) => SECRET_KEYS.some((k) => isUnder(path, k)) || hidden(path);
    const parse = <S extends z.ZodType>(ns: Section, schema: S): z.output<S> | undefined =>
        parseWith(
            schema,
            sections[ns] ?? {},
            { root: `${ns}:`, secret: (path) => path.length > 0 && secret(configPath(`${ns}:${String(path[0])}`, path.slice(1) as (string | number)[])) },
            problems,
        );
    const metallb = parse("metallb", metallbSchema);
    const monitoring = parse("monitoring", monitoringSchema);
    const alerts = parse("alerts", alertSettingsSchema);
    const dashboard = parse("dashboard", dashboardSettingsSchema);
    if (dashboard) {
        // Needs only the dashboard: reported even when another section does not parse.
        problems.push(...dashboardProblems((sections.dashboard ?? {}) as Record<string, unknown>, dashboard));
    }
    if (!metallb || !monitoring || !alerts || !dashboard) {
        return undefined;
    }
    // Checks that relate sections wait for all of them: no follow-up errors about a broken one.
    const cross = crossChecks(metallb, monitoring, alerts, dashboard, warnings);
    problems.push(...cross);
    return problems.length === 0 ? { metallb, monitoring, alerts, dashboard } : undefined;
}

/** Problems as a component reports them: `args.metallb.pools[0]` instead of the config key `metallb:pools[0]`. */
export function asArgumentProblems(problems: readonly Problem[]): Problem[] {
    return tidyProblems(problems).map((p) => ({ path: p.path.replace(/^(metallb|monitoring|alerts|dashboard):/, "args.$1."), message: p.message }));
}

/** Checks that span namespaces: Grafana's address and the dashboard delivery against the pools. */
function crossChecks(m: MetallbSettings, mon: MonitoringSettings, alerts: AlertSettings, dash: DashboardSettings, warnings: Problem[]): Problem[] {
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
function dashboardProblems(values: Record<string, unknown>, dash: DashboardSettings): Problem[] {
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
