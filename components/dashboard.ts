import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { z } from "zod";
import { dashboardJson } from "../lib/dashboard/build";
import { DEFAULT_DASHBOARD_UID, DEFAULT_FOLDER_UID, grafanaApiUrlProblem, grafanaTokenProblem, uidProblem } from "../lib/dashboard/settings";
import { BgpBackend } from "../lib/metallb/enums";
import { DEFAULT_ALERT_SETTINGS } from "../lib/rules";
import { labelName, selectorsSchema } from "../lib/rules/settings";
import type { AlertSelectorsArgs } from "./metallbMonitoring";
import { formatProblems, Problem } from "../lib/util/problems";
import { assertType, enumOf, Equals, input, isEventual, k8sLabelName, k8sName } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";

/** How the dashboard reaches Grafana. */
export enum DashboardDelivery {
    /** A Folder and the Dashboard through the Grafana provider. */
    GrafanaApi = "grafana-api",
    /** A ConfigMap for Grafana's dashboard sidecar. */
    ConfigMap = "configmap",
}

/** What the MetalLB installation uses; the dashboard leaves out rows for the rest. */
export interface DashboardFeaturesArgs {
    /** L2Advertisements are configured. */
    l2: boolean;
    /** BGP peers are configured. */
    bgp: boolean;
    /** BGP backend MetalLB uses (`MetalLb.bgpBackend`); the BGP panels read that backend's metrics. */
    bgpBackend: BgpBackend;
    /** BFD profiles are configured (frr-k8s only). */
    bfd: boolean;
}

/** Grafana as reached from where `pulumi up` runs. */
export interface GrafanaTargetArgs {
    /** Grafana's base URL as reached from where `pulumi up` runs: https, or http to a loopback address (a port-forward). */
    url: pulumi.Input<string>;
    /** A Grafana service-account token (Editor role); never "user:password". Always handled as a secret. */
    auth: pulumi.Input<string>;
    /** Folder title (default MetalLB). */
    folder?: string;
}

export interface MetalLbDashboardArgs {
    /** MetalLB's namespace (`MetalLb.namespace`); every query is scoped to it. */
    metallbNamespace: pulumi.Input<string>;
    /** What the installation uses (L2, BGP, backend, BFD; `AddressPools.features`); unused rows are left out. */
    features: pulumi.Input<DashboardFeaturesArgs>;
    /** Pool usage warning threshold in percent (default 80); the utilisation panels change colour there. */
    warningPercent?: pulumi.Input<number>;
    /** Pool usage critical threshold in percent (default 95), above the warning one. */
    criticalPercent?: pulumi.Input<number>;
    /**
     * `configmap` (default): a ConfigMap labelled `grafana_dashboard: "1"` for Grafana's sidecar
     * (kube-prometheus-stack's Grafana watches every namespace); it survives Grafana restarts.
     * `grafana-api`: a Folder and the Dashboard through the Grafana provider, for a Grafana elsewhere.
     */
    delivery?: DashboardDelivery;
    /** With grafana-api: where Grafana is and how to log in. */
    grafana?: GrafanaTargetArgs;
    /** Dashboard uid (default metallb-overview): give each cluster its own when several share one Grafana. */
    uid?: string;
    /** Folder uid (default metallb), grafana-api delivery. */
    folderUid?: string;
    /**
     * The rules' cluster label (`alerts:clusterLabel`) in a multi-cluster store: adds a `cluster`
     * variable and filters every query by it. Unset: single cluster, no variable.
     */
    clusterLabel?: pulumi.Input<string>;
    /** Base URL of the runbooks (`alerts:runbookBaseUrl`); the firing-alerts table links `<base>/<AlertName>.md`. */
    runbookBaseUrl?: pulumi.Input<string>;
    /** Where the series are scraped (`alerts:selectors`, `MetalLbMonitoring`'s `alerts.selectors`): the panels read the same jobs as the rules. */
    selectors?: pulumi.Input<AlertSelectorsArgs>;
    /** Pools the pool panels leave out, as the alerts do: reserved (`AddressPools.reservedPools`) and `alerts:excludePools` ones. */
    excludePools?: pulumi.Input<pulumi.Input<string>[]>;
    /** With configmap: namespace the ConfigMap goes into (default `monitoring`; kube-prometheus-stack's sidecar watches all). */
    configMapNamespace?: pulumi.Input<string>;
}

/** A Grafana uid (lib/dashboard/settings.ts says what is valid). */
const grafanaUid = z.string().superRefine((v, ctx) => {
    const problem = uidProblem(v);
    if (problem) {
        ctx.addIssue({ code: "custom", message: `must be ${problem}`, input: v });
    }
});

const percent = z.number().int().min(1).max(100);

const metalLbDashboardArgs = z.strictObject({
    metallbNamespace: input(k8sLabelName),
    features: input(z.strictObject({ l2: z.boolean(), bgp: z.boolean(), bgpBackend: enumOf<BgpBackend>(BgpBackend), bfd: z.boolean() })),
    warningPercent: input(percent).optional(),
    criticalPercent: input(percent).optional(),
    delivery: enumOf<DashboardDelivery>(DashboardDelivery).optional(),
    grafana: z
        .strictObject({ url: input(z.url()), auth: input(z.string().min(1, { error: "must not be empty" })), folder: z.string().min(1).optional() })
        .optional(),
    uid: grafanaUid.optional(),
    folderUid: grafanaUid.optional(),
    configMapNamespace: input(k8sLabelName).optional(),
    clusterLabel: input(labelName).optional(),
    runbookBaseUrl: input(z.url()).optional(),
    selectors: input(selectorsSchema).optional(),
    excludePools: input(z.array(input(k8sName))).optional(),
});
assertType<Equals<z.input<typeof metalLbDashboardArgs>, MetalLbDashboardArgs>>();

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
        // Settings another resource's output feeds are checked when they resolve, as the others were above.
        const content = pulumi
            .all([a.features, a.warningPercent, a.criticalPercent, a.clusterLabel, a.runbookBaseUrl, a.selectors, a.excludePools])
            .apply(([features, warningPercent, criticalPercent, clusterLabel, runbookBaseUrl, selectors, excludePools]) => {
                const c: ContentSettings = { features, warningPercent, criticalPercent, clusterLabel, runbookBaseUrl, selectors, excludePools };
                const problems = contentProblems(c);
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
