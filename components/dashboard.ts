import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { z } from "zod";
import { dashboardJson } from "../lib/dashboard/build";
import { DashboardDelivery } from "../lib/dashboard/enums";
import { DEFAULT_DASHBOARD_UID, DEFAULT_FOLDER_UID, grafanaApiUrlProblem, grafanaTokenProblem } from "../lib/dashboard/settings";
import { BgpBackend } from "../lib/metallb/enums";
import { DEFAULT_ALERT_SETTINGS } from "../lib/rules";
import { formatProblems, Problem } from "../lib/util/problems";
import { isEventual } from "../lib/util/schema";
import type { AlertSelectorsArgs, DashboardFeaturesArgs, MetalLbDashboardArgs } from "./argTypes";
import { componentType, forwardDependsOn, checksOnResolve, parseArgs } from "./args";
import { metalLbDashboardArgs } from "./schemas/dashboard";

export { DashboardDelivery };

/** What the dashboard's content is built from, resolved. */
interface ContentSettings {
    readonly features: DashboardFeaturesArgs;
    readonly warningPercent?: number;
    readonly criticalPercent?: number;
    readonly clusterLabel?: string;
    readonly runbookBaseUrl?: string;
    readonly selectors?: AlertSelectorsArgs;
    readonly excludePools?: string[];
}

/** Content settings that contradict each other (checked at construction when known, else when they resolve). */
function contentProblems(a: ContentSettings): Problem[] {
    const out: Problem[] = [];
    const warning = a.warningPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageWarningPercent;
    const critical = a.criticalPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageCriticalPercent;
    if (warning >= critical) {
        out.push({ path: "args.warningPercent", message: `(${warning}) must be below criticalPercent (${critical})` });
    }
    if (a.features.bfd && a.features.bgpBackend === BgpBackend.Native) {
        out.push({ path: "args.features.bfd", message: "BFD exists only with the frr-k8s backend; set bfd false or bgpBackend frr-k8s" });
    }
    if (a.features.bfd && !a.features.bgp) {
        out.push({ path: "args.features.bfd", message: "BFD needs BGP; set bgp true or bfd false" });
    }
    return out;
}

/** The content settings, or undefined when one of them is known only at deployment. */
function knownContent(a: z.output<typeof metalLbDashboardArgs>): ContentSettings | undefined {
    const values = [
        a.features,
        a.warningPercent,
        a.criticalPercent,
        a.clusterLabel,
        a.runbookBaseUrl,
        a.selectors,
        a.excludePools,
        ...(Array.isArray(a.excludePools) ? a.excludePools : []),
    ];
    return values.some(isEventual) ? undefined : (a as ContentSettings);
}

/** Settings missing, meaningless in the chosen delivery, or inconsistent with each other. */
function consistency(a: z.output<typeof metalLbDashboardArgs>): Problem[] {
    const out: Problem[] = [];
    const delivery = a.delivery ?? DashboardDelivery.ConfigMap;
    if (delivery === DashboardDelivery.GrafanaApi && !a.grafana) {
        out.push({ path: "args.grafana", message: 'delivery "grafana-api" needs grafana.url and grafana.auth (or use delivery "configmap")' });
    }
    if (delivery === DashboardDelivery.ConfigMap && a.grafana) {
        out.push({
            path: "args.grafana",
            message: 'has no effect with delivery "configmap" (the default: the sidecar loads the ConfigMap); remove it, or set delivery "grafana-api"',
        });
    }
    if (a.grafana && typeof a.grafana.url === "string") {
        const problem = grafanaApiUrlProblem(a.grafana.url);
        if (problem) {
            out.push({ path: "args.grafana.url", message: problem });
        }
    }
    if (a.grafana && typeof a.grafana.auth === "string") {
        const problem = grafanaTokenProblem(a.grafana.auth);
        if (problem) {
            out.push({ path: "args.grafana.auth", message: problem });
        }
    }
    if (delivery === DashboardDelivery.ConfigMap && a.folderUid !== undefined) {
        out.push({ path: "args.folderUid", message: 'has no effect with delivery "configmap" (no folder is created); remove it' });
    }
    if (delivery === DashboardDelivery.GrafanaApi && a.configMapNamespace !== undefined) {
        out.push({ path: "args.configMapNamespace", message: 'has no effect with delivery "grafana-api"; remove it' });
    }
    const known = knownContent(a);
    if (known) {
        out.push(...contentProblems(known));
    }
    return out;
}

const TYPE = componentType("MetalLbDashboard", "metallb-observability:grafana:MetalLbDashboard");

/**
 * The MetalLB Grafana dashboard, built in code (lib/dashboard) and delivered through the Grafana
 * API or as a sidecar ConfigMap. Reusable against any Grafana: give a URL and credentials. Pass
 * `dependsOn: [monitoringStack]`: the provider and every Grafana resource wait for it
 * (the provider alone is not enough, pulumi/pulumi#8917).
 */
export class MetalLbDashboard extends pulumi.ComponentResource {
    /** The dashboard's uid. */
    public readonly uid: pulumi.Output<string>;
    /** Dashboard URL (grafana-api delivery). */
    public readonly url?: pulumi.Output<string>;

    constructor(name: string, args: MetalLbDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = parseArgs("MetalLbDashboard", name, metalLbDashboardArgs, args, consistency);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const uid = a.uid ?? DEFAULT_DASHBOARD_UID;
        // Settings another resource's output feeds are checked when they resolve, as the others were
        // above (the whole-stack component's were validated as its settings).
        const check = checksOnResolve(args);
        const content = pulumi
            .all([a.features, a.warningPercent, a.criticalPercent, a.clusterLabel, a.runbookBaseUrl, a.selectors, a.excludePools])
            .apply(([features, warningPercent, criticalPercent, clusterLabel, runbookBaseUrl, selectors, excludePools]) => {
                const c: ContentSettings = { features, warningPercent, criticalPercent, clusterLabel, runbookBaseUrl, selectors, excludePools };
                const problems = check ? contentProblems(c) : [];
                if (problems.length > 0) {
                    throw new pulumi.RunError(formatProblems(problems, `arguments of MetalLbDashboard "${name}"`));
                }
                return c;
            });
        const json = pulumi.all([a.metallbNamespace, content]).apply(([namespace, c]) =>
            dashboardJson({
                namespace,
                features: c.features,
                uid,
                clusterLabel: c.clusterLabel,
                runbookBaseUrl: c.runbookBaseUrl,
                selectors: c.selectors,
                excludePools: c.excludePools,
                warningPercent: c.warningPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageWarningPercent,
                criticalPercent: c.criticalPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageCriticalPercent,
            }),
        );

        if (a.grafana) {
            // dependsOn on the provider alone is not honoured for reads (pulumi/pulumi#8917), so every
            // Grafana resource waits for the install too; retries cover a Grafana still starting.
            // Values known only at deployment are checked then: a login or a plain-http remote URL fails
            // the provider before any request carries them (the message never echoes the token).
            const target = a.grafana;
            const url = pulumi.output(target.url).apply((u) => {
                const problem = grafanaApiUrlProblem(u);
                if (problem) {
                    throw new Error(`MetalLbDashboard "${name}": args.grafana.url ${problem}`);
                }
                return u;
            });
            const auth = pulumi.secret(target.auth).apply((t) => {
                const problem = grafanaTokenProblem(t);
                if (problem) {
                    throw new Error(`MetalLbDashboard "${name}": args.grafana.auth ${problem}`);
                }
                return t;
            });
            const provider = new grafana.Provider(
                `${name}-grafana`,
                { url, auth, retries: 12, retryWait: 10 },
                { parent: this, dependsOn: forwardDependsOn(opts) },
            );
            const folder = new grafana.oss.Folder(
                `${name}-folder`,
                { title: a.grafana.folder ?? "MetalLB", uid: a.folderUid ?? DEFAULT_FOLDER_UID },
                { parent: this, provider, dependsOn: forwardDependsOn(opts) },
            );
            const dash = new grafana.oss.Dashboard(
                `${name}-dashboard`,
                { configJson: json, folder: folder.uid, overwrite: true, message: "Managed by metallb-observability (Pulumi)" },
                { parent: this, provider, dependsOn: forwardDependsOn(opts, folder) },
            );
            this.uid = dash.uid;
            this.url = dash.url;
        } else {
            new k8s.core.v1.ConfigMap(
                `${name}-configmap`,
                {
                    metadata: {
                        name: uid === DEFAULT_DASHBOARD_UID ? "metallb-dashboard" : `${uid}-dashboard`,
                        namespace: a.configMapNamespace ?? "monitoring",
                        labels: { grafana_dashboard: "1" },
                    },
                    data: { [`${uid}.json`]: json },
                },
                { parent: this, dependsOn: forwardDependsOn(opts) },
            );
            this.uid = pulumi.output(uid);
        }
        this.registerOutputs({ uid: this.uid, url: this.url });
    }
}
