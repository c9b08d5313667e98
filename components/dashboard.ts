import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { dashboardJson } from "../lib/dashboard/build";
import { DashboardFeatures } from "../lib/dashboard/panels";
import { DEFAULT_DASHBOARD_UID, DEFAULT_FOLDER_UID, uidProblem } from "../lib/dashboard/settings";
import { argumentsError } from "../lib/config/problems";
import { DEFAULT_ALERT_SETTINGS } from "../lib/rules";

export interface MetalLbDashboardArgs {
    /** MetalLB's namespace; every query is scoped to it. */
    metallbNamespace: string;
    /** What the installation uses (L2, BGP, backend, BFD); unused rows are left out. */
    features: DashboardFeatures;
    /** Pool usage alert thresholds in percent (default 80 / 95); the utilisation panels change colour there. */
    warningPercent?: number;
    criticalPercent?: number;
    /**
     * `grafana-api` (default): a Folder and the Dashboard through the Grafana provider.
     * `configmap`: a ConfigMap labelled `grafana_dashboard: "1"` for Grafana's sidecar, for clusters
     * `pulumi up` cannot reach Grafana in.
     */
    delivery?: "grafana-api" | "configmap";
    /** With grafana-api: Grafana as reached from where `pulumi up` runs. */
    grafana?: {
        url: pulumi.Input<string>;
        /** "user:password" or an API token; always handled as a secret. */
        auth: pulumi.Input<string>;
        /** Folder title (default MetalLB). */
        folder?: string;
    };
    /** Dashboard uid (default metallb-overview): give each cluster its own when several share one Grafana. */
    uid?: string;
    /** Folder uid (default metallb), grafana-api delivery. */
    folderUid?: string;
    /** With configmap: namespace the ConfigMap goes into (kube-prometheus-stack's sidecar watches all). */
    configMapNamespace?: string;
    /** The Grafana install; the provider and every Grafana resource wait for it. */
    waitFor?: pulumi.Resource[];
}

/**
 * The MetalLB Grafana dashboard, built in code (lib/dashboard) and delivered through the Grafana
 * API or as a sidecar ConfigMap. Reusable against any Grafana: give a URL and credentials.
 */
export class MetalLbDashboard extends pulumi.ComponentResource {
    public readonly uid: pulumi.Output<string>;
    /** Dashboard URL (grafana-api delivery). */
    public readonly url: pulumi.Output<string | undefined>;

    constructor(name: string, args: MetalLbDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        const delivery = args.delivery ?? "grafana-api";
        const uid = args.uid ?? DEFAULT_DASHBOARD_UID;
        const folderUid = args.folderUid ?? DEFAULT_FOLDER_UID;
        const problems = [
            ...(delivery === "grafana-api" && !args.grafana ? [{ path: "args.grafana", message: 'delivery "grafana-api" needs grafana.url and grafana.auth (or use delivery "configmap")' }] : []),
            ...(["uid", "folderUid"] as const).flatMap((k) => {
                const problem = uidProblem(k === "uid" ? uid : folderUid);
                return problem ? [{ path: `args.${k}`, message: problem }] : [];
            }),
        ];
        if (problems.length > 0) {
            throw new pulumi.RunError(argumentsError(`MetalLbDashboard "${name}"`, problems));
        }
        super("metallb-observability:grafana:MetalLbDashboard", name, {}, opts);
        const json = dashboardJson({
            namespace: args.metallbNamespace,
            features: args.features,
            uid,
            warningPercent: args.warningPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageWarningPercent,
            criticalPercent: args.criticalPercent ?? DEFAULT_ALERT_SETTINGS.poolUsageCriticalPercent,
        });
        const waitFor = args.waitFor ?? [];

        if (delivery === "grafana-api" && args.grafana) {
            // dependsOn on the provider alone is not honoured for reads (pulumi/pulumi#8917), so every
            // Grafana resource waits for the install too; retries cover a Grafana still starting.
            const provider = new grafana.Provider(
                `${name}-grafana`,
                { url: args.grafana.url, auth: pulumi.secret(args.grafana.auth), retries: 12, retryWait: 10 },
                { parent: this, dependsOn: waitFor },
            );
            const folder = new grafana.oss.Folder(
                `${name}-folder`,
                { title: args.grafana.folder ?? "MetalLB", uid: folderUid },
                { parent: this, provider, dependsOn: waitFor },
            );
            const dash = new grafana.oss.Dashboard(
                `${name}-dashboard`,
                { configJson: json, folder: folder.uid, overwrite: true, message: "Managed by metallb-observability (Pulumi)" },
                { parent: this, provider, dependsOn: [...waitFor, folder] },
            );
            this.uid = dash.uid;
            this.url = dash.url;
        } else {
            new k8s.core.v1.ConfigMap(
                `${name}-configmap`,
                {
                    metadata: { name: uid === DEFAULT_DASHBOARD_UID ? "metallb-dashboard" : `${uid}-dashboard`, namespace: args.configMapNamespace ?? "monitoring", labels: { grafana_dashboard: "1" } },
                    data: { [`${uid}.json`]: json },
                },
                { parent: this, dependsOn: waitFor },
            );
            this.uid = pulumi.output(uid);
            this.url = pulumi.output(undefined);
        }
        this.registerOutputs({ uid: this.uid, url: this.url });
    }
}
