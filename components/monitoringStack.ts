import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MONITORING_DEFAULTS, ResourcesConfig, StorageConfig } from "../lib/config/monitoringSchema";
import { notifiesNobody, RECEIVERS_SECRET, SECRET_KEYS } from "../lib/monitoring/alertmanager";
import { grafanaUrlFor } from "../lib/monitoring/grafana";
import {
    buildKpsValues,
    ControlPlaneScraping,
    GRAFANA_ADMIN_SECRET,
    GRAFANA_ADMIN_USER,
    kpsEndpoints,
    MONITORING_NAMESPACE_LABELS,
    REMOTE_WRITE_SECRET,
    remoteWriteSecretKeys,
    RemoteWriteTarget,
} from "../lib/monitoring/kps";
import { ServiceAccountRef } from "./metallbMonitoring";

export interface MonitoringStackArgs {
    /** Namespace (created by the component). Default `monitoring`. */
    namespace?: string;
    /** Helm release name; the `release` label Prometheus selects monitors and rules by. Default `kube-prometheus-stack`. */
    releaseName?: string;
    /** Exact chart version (default 88.5.3). */
    chartVersion?: pulumi.Input<string>;
    /** Chart repository (default https://prometheus-community.github.io/helm-charts). */
    chartRepository?: pulumi.Input<string>;
    prometheus?: {
        retention?: string;
        retentionSize?: string;
        scrapeInterval?: string;
        evaluationInterval?: string;
        resources?: ResourcesConfig;
        /** Persistent volume; unset keeps data on an emptyDir (lost when the pod moves). */
        storage?: StorageConfig;
    };
    alertmanager?: { retention?: string; resources?: ResourcesConfig; storage?: StorageConfig };
    grafana?: {
        resources?: ResourcesConfig;
        persistence?: StorageConfig;
        /** Admin password; generated (and exported as a secret) when unset. */
        adminPassword?: pulumi.Input<string>;
        /** Service type (default LoadBalancer, served by MetalLB). */
        serviceType?: "LoadBalancer" | "ClusterIP";
        /** MetalLB pool and fixed address of the LoadBalancer Service. */
        pool?: string;
        address?: string;
        /** URL where Grafana is reached from `pulumi up` (ingress, port-forward); default http://<address>. */
        url?: string;
    };
    /** Where alerts go: critical to PagerDuty, warning to Slack. Credentials are kept as secrets. */
    receivers?: {
        pagerdutyRoutingKey?: pulumi.Input<string>;
        slack?: { channel: string; webhookUrl: pulumi.Input<string> };
        /** Page for every critical alert, not only MetalLB's (default false: the others go to chat). */
        pageAllCritical?: boolean;
        /** Dead man's switch URL that receives the always-firing Watchdog (default: Watchdog goes nowhere). */
        heartbeatUrl?: pulumi.Input<string>;
    };
    /** Control-plane components to scrape and alert on (default: none; see the README). */
    controlPlane?: Partial<ControlPlaneScraping>;
    /** Prometheus remote-write endpoints; `credentials` holds each one's password or token by name. */
    remoteWrite?: { targets: RemoteWriteTarget[]; credentials?: Record<string, pulumi.Input<string>> };
    /** Prometheus external labels. */
    externalLabels?: Record<string, string>;
    /** Extra chart values, deep-merged last. */
    values?: Record<string, unknown>;
    /** Resources the install waits for (e.g. the MetalLB pools Grafana's LoadBalancer needs). */
    waitFor?: pulumi.Resource[];
}

/**
 * kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana,
 * kube-state-metrics) as a `helm.v3.Release`: the chart's admission-webhook certificates come from
 * Helm hook Jobs, which `helm.v4.Chart` does not run. Its outputs are what the MetalLB monitoring
 * and the dashboard plug into, so nothing downstream hard-codes a release name.
 */
export class MonitoringStack extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    /** Actual Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** Labels a ServiceMonitor, PodMonitor or PrometheusRule needs to be selected: `release: <release>`. */
    public readonly selectorLabels: pulumi.Output<Record<string, string>>;
    /** Prometheus' service account (MetalLB authorises scrapes against it). */
    public readonly prometheusServiceAccount: pulumi.Output<ServiceAccountRef>;
    /** In-cluster URLs. */
    public readonly prometheusUrl: pulumi.Output<string>;
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** Grafana's URL as reached from where `pulumi up` runs (undefined when neither address nor url is known). */
    public readonly grafanaUrl: pulumi.Output<string | undefined>;
    public readonly grafanaAdminUser: pulumi.Output<string>;
    /** Grafana admin password (secret). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;
    /** Whether alerts reach anyone. */
    public readonly notificationsConfigured: boolean;
    public readonly release: k8s.helm.v3.Release;
    /** Resources consumers wait for (the release: CRDs, webhooks, Grafana). */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: MonitoringStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("metallb-observability:monitoring:MonitoringStack", name, {}, opts);
        const namespace = args.namespace ?? MONITORING_DEFAULTS.namespace;
        const releaseName = args.releaseName ?? MONITORING_DEFAULTS.releaseName;
        const g = args.grafana ?? {};

        const ns = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespace, labels: { ...MONITORING_NAMESPACE_LABELS } } }, { parent: this });

        const password =
            g.adminPassword !== undefined
                ? pulumi.secret(g.adminPassword)
                : new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this }).result;
        const adminSecret = new k8s.core.v1.Secret(
            `${name}-grafana-admin`,
            {
                metadata: { name: GRAFANA_ADMIN_SECRET, namespace },
                stringData: { "admin-user": GRAFANA_ADMIN_USER, "admin-password": password },
            },
            { parent: this, dependsOn: [ns] },
        );

        // Changes whenever the password does (a keeper), without being derived from it: Grafana's pod
        // annotation, so the pod restarts and applies the new password (lib/monitoring/grafana.ts).
        const passwordRevision = new random.RandomId(`${name}-grafana-admin-revision`, { byteLength: 8, keepers: { password: pulumi.secret(password) } }, { parent: this });

        const pagerduty = args.receivers?.pagerdutyRoutingKey !== undefined;
        const slack = args.receivers?.slack;
        const receiverData: Record<string, pulumi.Input<string>> = {};
        if (pagerduty) {
            receiverData[SECRET_KEYS.pagerdutyRoutingKey] = pulumi.secret(args.receivers!.pagerdutyRoutingKey!);
        }
        if (slack) {
            receiverData[SECRET_KEYS.slackWebhookUrl] = pulumi.secret(slack.webhookUrl);
        }
        const heartbeat = args.receivers?.heartbeatUrl !== undefined;
        if (heartbeat) {
            receiverData[SECRET_KEYS.heartbeatUrl] = pulumi.secret(args.receivers!.heartbeatUrl!);
        }
        // Always present: Alertmanager mounts it (alertmanagerSpec.secrets) whether or not it is used.
        const receiverSecret = new k8s.core.v1.Secret(
            `${name}-alertmanager-receivers`,
            { metadata: { name: RECEIVERS_SECRET, namespace }, stringData: receiverData },
            { parent: this, dependsOn: [ns] },
        );
        const receivers = { pagerduty, slackChannel: slack?.channel, pageAllCritical: args.receivers?.pageAllCritical ?? false, heartbeat };

        // Remote-write credentials as a Secret the values only reference (user names too: the
        // operator reads basicAuth.username from a Secret key).
        const remoteWrite = args.remoteWrite?.targets ?? [];
        const remoteWriteData: Record<string, pulumi.Input<string>> = {};
        for (const t of remoteWrite) {
            const keys = remoteWriteSecretKeys(t.name);
            const credential = args.remoteWrite?.credentials?.[t.name];
            if (t.auth !== "none" && credential === undefined) {
                throw new pulumi.RunError(`MonitoringStack "${name}": remoteWrite "${t.name}" (auth: ${t.auth}) has no credential`);
            }
            if (t.auth === "basic") {
                remoteWriteData[keys.username] = t.username ?? "";
                remoteWriteData[keys.password] = pulumi.secret(credential!);
            } else if (t.auth === "bearer") {
                remoteWriteData[keys.token] = pulumi.secret(credential!);
            }
        }
        const remoteWriteSecret =
            Object.keys(remoteWriteData).length > 0
                ? [new k8s.core.v1.Secret(`${name}-remote-write`, { metadata: { name: REMOTE_WRITE_SECRET, namespace }, stringData: remoteWriteData }, { parent: this, dependsOn: [ns] })]
                : [];
        this.notificationsConfigured = !notifiesNobody(receivers);
        if (!this.notificationsConfigured) {
            pulumi.log.warn(
                "No alert receivers are configured (monitoring:receivers): alerts are only visible in Alertmanager's UI. Configure PagerDuty and/or Slack to be notified.",
                this,
            );
        }

        const grafanaUrl = g.url ?? (g.address !== undefined && (g.serviceType ?? "LoadBalancer") === "LoadBalancer" ? grafanaUrlFor(g.address) : undefined);
        const p = args.prometheus ?? {};
        const a = args.alertmanager ?? {};
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: releaseName,
                chart: "kube-prometheus-stack",
                version: args.chartVersion ?? MONITORING_DEFAULTS.chartVersion,
                repositoryOpts: { repo: args.chartRepository ?? MONITORING_DEFAULTS.chartRepository },
                namespace,
                createNamespace: false,
                values: pulumi.unsecret(passwordRevision.hex).apply((revision) => buildKpsValues({
                    prometheus: {
                        retention: p.retention ?? "10d",
                        retentionSize: p.retentionSize,
                        scrapeInterval: p.scrapeInterval ?? "30s",
                        evaluationInterval: p.evaluationInterval ?? "30s",
                        resources: p.resources,
                        storage: p.storage,
                    },
                    alertmanager: { retention: a.retention ?? "120h", resources: a.resources, storage: a.storage },
                    grafana: {
                        resources: g.resources,
                        persistence: g.persistence,
                        serviceType: g.serviceType ?? "LoadBalancer",
                        pool: g.pool,
                        address: g.address,
                        url: grafanaUrl,
                        adminPasswordRevision: revision,
                    },
                    receivers,
                    controlPlane: { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: false, kubeProxy: false, ...args.controlPlane },
                    remoteWrite,
                    externalLabels: args.externalLabels,
                    overrides: args.values,
                })),
                // A failed install is purged and a failed upgrade rolled back, so a retry starts
                // clean; new objects of a failed upgrade are removed. 15 minutes covers image
                // pulls and volume provisioning on a fresh cluster; Helm waits for the hook Jobs.
                atomic: true,
                cleanupOnFail: true,
                timeout: 900,
                maxHistory: 10,
            },
            { parent: this, dependsOn: [ns, adminSecret, receiverSecret, ...remoteWriteSecret, ...(args.waitFor ?? [])] },
        );
        this.ready = [this.release];

        const status = this.release.status;
        const endpoints = pulumi.all([status.name, status.namespace]).apply(([rel, n]) => kpsEndpoints(rel ?? releaseName, n ?? namespace));
        this.namespace = ns.metadata.name;
        this.releaseName = status.name.apply((n) => n ?? releaseName);
        this.selectorLabels = this.releaseName.apply((release): Record<string, string> => ({ release }));
        this.prometheusServiceAccount = endpoints.prometheusServiceAccount;
        this.prometheusUrl = endpoints.prometheusUrl;
        this.alertmanagerUrl = endpoints.alertmanagerUrl;
        this.grafanaUrl = pulumi.output(grafanaUrl);
        this.grafanaAdminUser = pulumi.output(GRAFANA_ADMIN_USER);
        this.grafanaAdminPassword = pulumi.secret(password);

        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            selectorLabels: this.selectorLabels,
            prometheusServiceAccount: this.prometheusServiceAccount,
            prometheusUrl: this.prometheusUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaUrl: this.grafanaUrl,
            grafanaAdminUser: this.grafanaAdminUser,
            grafanaAdminPassword: this.grafanaAdminPassword,
        });
    }
}
