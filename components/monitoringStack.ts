import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, from its own module (see components/metallb.ts).
import type { Release } from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { isIpAddress } from "../lib/metallb/addresses";
import { notifiesNobody, RECEIVERS_SECRET, SECRET_KEYS } from "../lib/monitoring/alertmanager";
import { grafanaPublicUrl } from "../lib/monitoring/grafana";
import {
    adminPasswordResetProblems,
    buildKpsValues,
    GRAFANA_ADMIN_SECRET,
    GRAFANA_ADMIN_USER,
    kpsEndpoints,
    MONITORING_NAMESPACE_LABELS,
    NODE_EXPORTER_NAMESPACE_LABELS,
    REMOTE_WRITE_SECRET,
    remoteWriteSecretKeys,
    RemoteWriteTarget,
} from "../lib/monitoring/kps";
import { GrafanaServiceType, RemoteWriteAuth } from "../lib/monitoring/enums";
import { grafanaIngressSettings, MONITORING_DEFAULTS, remoteWriteHeaders, remoteWriteQueueSettings, remoteWriteTlsSettings } from "../lib/monitoring/schema";
import { sourceRanges } from "../lib/metallb/schema";
import { assertType, chartRepositoryUrl, enumOf, Equals, exactVersion, input, k8sLabelName, k8sName, promDuration, quantityString } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import type { Problem } from "../lib/util/problems";
import { labelName } from "../lib/rules/settings";
import { remoteWriteRules } from "../lib/rules/remoteWrite";

/** CPU and memory of one kind (requests or limits), as Kubernetes quantities. */
export interface ResourceListArgs {
    /** CPU, e.g. `500m`. */
    cpu?: string;
    /** Memory, e.g. `2Gi`. */
    memory?: string;
}

/** Container resources. */
export interface ResourcesArgs {
    /** Resources the scheduler reserves. */
    requests?: ResourceListArgs;
    /** Upper bounds the container may use. */
    limits?: ResourceListArgs;
}

/** A persistent volume (ReadWriteOnce). */
export interface StorageArgs {
    /** StorageClass; unset uses the cluster default. */
    storageClassName?: string;
    /** Size, e.g. 50Gi. */
    size: string;
}

export interface PrometheusArgs {
    /** Default 10d. */
    retention?: string;
    /** e.g. 45GB. */
    retentionSize?: string;
    /** Default 30s. */
    scrapeInterval?: string;
    /** Default 30s. */
    evaluationInterval?: string;
    /** Prometheus' container resources. */
    resources?: ResourcesArgs;
    /** Persistent volume; unset keeps data on an emptyDir (lost when the pod moves). */
    storage?: StorageArgs;
}

export interface AlertmanagerArgs {
    /** Default 120h. */
    retention?: string;
    /** Alertmanager's container resources. */
    resources?: ResourcesArgs;
    /** Persistent volume for silences and notification state; unset keeps them on an emptyDir. */
    storage?: StorageArgs;
}

export interface GrafanaArgs {
    /** Grafana's container resources. */
    resources?: ResourcesArgs;
    /** Persistent volume for Grafana's database; unset keeps it on an emptyDir. */
    persistence?: StorageArgs;
    /** Admin password; generated (and exported as a secret) when unset. */
    adminPassword?: pulumi.Input<string>;
    /**
     * Service type: `ClusterIP` (default; reach Grafana with `kubectl port-forward`) or
     * `LoadBalancer` (an address from MetalLB, open to `loadBalancerSourceRanges` only).
     */
    serviceType?: GrafanaServiceType;
    /** MetalLB pool of the LoadBalancer Service. */
    pool?: string;
    /** Fixed address of the LoadBalancer Service (from that pool). */
    address?: string;
    /** Client networks (CIDRs) allowed to reach the LoadBalancer Service; required with it. */
    loadBalancerSourceRanges?: string[];
    /** Expose Grafana through an Ingress with TLS (root_url https://<host>, secure cookies). */
    ingress?: GrafanaIngressArgs;
}

/** An Ingress for Grafana, TLS terminated by the ingress controller. */
export interface GrafanaIngressArgs {
    /** IngressClass of the controller (e.g. nginx). */
    className: string;
    /** Host name users open. */
    host: string;
    /** kubernetes.io/tls Secret in the stack's namespace with the certificate for host. */
    tlsSecretName: string;
}

/** Critical alerts page through PagerDuty. */
export interface PagerDutyReceiverArgs {
    /** Events v2 routing key; always handled as a secret. */
    routingKey: pulumi.Input<string>;
}

/** Warnings (and critical alerts without a pager) go to Slack. */
export interface SlackReceiverArgs {
    /** Channel the messages go to, e.g. `#alerts`. */
    channel: string;
    /** Incoming-webhook URL; always handled as a secret. */
    webhookUrl: pulumi.Input<string>;
}

/** A dead man's switch that receives the always-firing Watchdog. */
export interface HeartbeatReceiverArgs {
    /** Its URL; always handled as a secret. */
    url: pulumi.Input<string>;
}

export interface ReceiversArgs {
    /** PagerDuty for critical alerts. */
    pagerduty?: PagerDutyReceiverArgs;
    /** Slack for warnings (and critical alerts when there is no PagerDuty). */
    slack?: SlackReceiverArgs;
    /** A dead man's switch fed by the always-firing Watchdog alert. */
    heartbeat?: HeartbeatReceiverArgs;
    /** Page for every critical alert, not only MetalLB's (default false: the others go to chat). */
    pageAllCritical?: boolean;
}

/** Control-plane components to scrape and alert on (each default false: on kubeadm-style clusters they listen on 127.0.0.1). */
export interface ControlPlaneArgs {
    /** Scrape and alert on kube-controller-manager. */
    kubeControllerManager?: boolean;
    /** Scrape and alert on kube-scheduler. */
    kubeScheduler?: boolean;
    /** Scrape and alert on etcd. */
    kubeEtcd?: boolean;
    /** Scrape and alert on kube-proxy. */
    kubeProxy?: boolean;
}

/** A Prometheus remote-write endpoint together with its credential. */
export interface RemoteWriteArgs {
    /** Unique; names the credential's keys in the Secret. */
    name: string;
    /** Remote-write URL of the receiving store (Mimir, Thanos receive, Prometheus). */
    url: string;
    /** Default `None`. */
    auth?: RemoteWriteAuth;
    /** Basic-auth user name (`Basic`). */
    username?: string;
    /** Password (`Basic`) or token (`Bearer`); always handled as a secret. */
    credential?: pulumi.Input<string>;
    /**
     * Extra HTTP headers, e.g. `X-Scope-OrgID` (Mimir tenant) or `THANOS-TENANT`. Always handled as
     * secrets: Prometheus Operator takes header values only inline, so with headers the whole
     * Helm values of the release are a Pulumi secret.
     */
    headers?: { [name: string]: pulumi.Input<string> };
    /** TLS: CA and client certificate from Secrets in the namespace, server name. */
    tls?: RemoteWriteTlsArgs;
    /** Queue tuning (Prometheus queue_config). */
    queueConfig?: RemoteWriteQueueArgs;
}

/** A key of a Secret in the monitoring namespace. */
export interface SecretKeyRefArgs {
    /** Secret name. */
    name: string;
    /** Key in the Secret. */
    key: string;
}

/** TLS of a remote-write endpoint. */
export interface RemoteWriteTlsArgs {
    /** CA bundle that verifies the server (PEM). */
    caSecret?: SecretKeyRefArgs;
    /** Client certificate (mutual TLS, e.g. Thanos Receive); with keySecret. */
    certSecret?: SecretKeyRefArgs;
    /** Client key; with certSecret. */
    keySecret?: SecretKeyRefArgs;
    /** Name the server certificate must carry (SNI and verification). */
    serverName?: string;
    /** Skip certificate verification; only when explicitly true (never the default). */
    insecureSkipVerify?: boolean;
}

/** Remote-write queue settings (Prometheus queue_config). */
export interface RemoteWriteQueueArgs {
    /** Samples buffered per shard. */
    capacity?: number;
    /** Shards at start. */
    minShards?: number;
    /** Upper bound of parallel shards. */
    maxShards?: number;
    /** Samples per request. */
    maxSamplesPerSend?: number;
    /** Longest wait before a partial batch is sent, e.g. 5s. */
    batchSendDeadline?: string;
    /** Retries of a failed request. */
    maxRetries?: number;
    /** Initial retry backoff, e.g. 30ms. */
    minBackoff?: string;
    /** Longest retry backoff, e.g. 5s. */
    maxBackoff?: string;
    /** Retry on HTTP 429 instead of dropping. */
    retryOnRateLimit?: boolean;
    /** Drop samples older than this instead of sending them, e.g. 30m. */
    sampleAgeLimit?: string;
}

export interface MonitoringStackArgs {
    /** Namespace (created by the component; Pod Security `baseline`, warns at `restricted`). Default `monitoring`. */
    namespace?: string;
    /** node-exporter's own namespace (created by the component; Pod Security `privileged`: it reads the host). Default `node-exporter`. */
    nodeExporterNamespace?: string;
    /**
     * NetworkPolicies for Prometheus, Alertmanager, the operator and Grafana, through the charts' own
     * options (default true). Turn off only on clusters whose network plugin does not enforce them.
     */
    networkPolicies?: boolean;
    /** Helm release name; the `release` label Prometheus selects monitors and rules by. Default `kube-prometheus-stack`. */
    releaseName?: string;
    /** Exact chart version (default 88.5.3). */
    chartVersion?: pulumi.Input<string>;
    /** Chart repository (default https://prometheus-community.github.io/helm-charts). */
    chartRepository?: pulumi.Input<string>;
    /** Prometheus: retention, scrape and evaluation intervals, resources, storage. */
    prometheus?: PrometheusArgs;
    /** Alertmanager: retention, resources, storage. */
    alertmanager?: AlertmanagerArgs;
    /** Grafana: admin password, Service (address from a MetalLB pool), resources, persistence. */
    grafana?: GrafanaArgs;
    /** Where alerts go: critical to PagerDuty, warning to Slack, the Watchdog to a dead man's switch. */
    receivers?: ReceiversArgs;
    /** Control-plane components to scrape (default: none). */
    controlPlane?: ControlPlaneArgs;
    /** Prometheus remote-write endpoints. */
    remoteWrite?: RemoteWriteArgs[];
    /** Prometheus external labels (e.g. `{cluster: prod-1}`). */
    externalLabels?: { [label: string]: string };
    /**
     * The rules' cluster label (`alerts:clusterLabel`, `MetalLbMonitoring`'s `alerts.clusterLabel`) in a
     * multi-cluster store: Alertmanager groups notifications and matches inhibitions by it too.
     */
    clusterLabel?: pulumi.Input<string>;
    /** Extra chart values, deep-merged last. */
    // biome-ignore lint/suspicious/noExplicitAny: free-form chart values: the schema analyzer maps `any` to the package schema's Any
    values?: { [key: string]: any };
}

const resourceList = z.strictObject({ cpu: quantityString.optional(), memory: quantityString.optional() });
const resources = z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() });
const storage = z.strictObject({ storageClassName: z.string().min(1).optional(), size: quantityString });

const monitoringStackArgs = z.strictObject({
    namespace: k8sLabelName.optional(),
    nodeExporterNamespace: k8sLabelName.optional(),
    networkPolicies: z.boolean().optional(),
    releaseName: k8sLabelName.optional(),
    chartVersion: input(exactVersion).optional(),
    chartRepository: input(chartRepositoryUrl).optional(),
    prometheus: z
        .strictObject({
            retention: promDuration.optional(),
            retentionSize: z
                .string()
                .regex(/^[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|PB|EB)$/, { error: "must be a size such as 45GB (B, KB, MB, GB, TB)" })
                .optional(),
            scrapeInterval: promDuration.optional(),
            evaluationInterval: promDuration.optional(),
            resources: resources.optional(),
            storage: storage.optional(),
        })
        .optional(),
    alertmanager: z.strictObject({ retention: promDuration.optional(), resources: resources.optional(), storage: storage.optional() }).optional(),
    grafana: z
        .strictObject({
            resources: resources.optional(),
            persistence: storage.optional(),
            adminPassword: input(z.string().min(1, { error: "must not be empty" })).optional(),
            serviceType: enumOf<GrafanaServiceType>(GrafanaServiceType).optional(),
            pool: k8sName.optional(),
            address: z.string().refine(isIpAddress, { error: "is not an IP address" }).optional(),
            loadBalancerSourceRanges: sourceRanges.optional(),
            ingress: grafanaIngressSettings.optional(),
        })
        .superRefine((g, ctx) => {
            const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], input: undefined, message });
            if ((g.serviceType ?? GrafanaServiceType.ClusterIP) === GrafanaServiceType.ClusterIP) {
                for (const key of ["pool", "address", "loadBalancerSourceRanges"] as const) {
                    if (g[key] !== undefined) {
                        issue(
                            key,
                            "has no effect with a ClusterIP Service (only a LoadBalancer gets a MetalLB address); remove it or use serviceType LoadBalancer",
                        );
                    }
                }
            } else {
                if (g.loadBalancerSourceRanges === undefined) {
                    issue(
                        "loadBalancerSourceRanges",
                        "is required with serviceType LoadBalancer: the client networks (CIDRs) allowed to reach Grafana, e.g. [192.168.10.0/24]",
                    );
                }
                if (g.ingress !== undefined) {
                    issue("ingress", "exposes Grafana a second way next to the LoadBalancer Service; use one: remove ingress, or use serviceType ClusterIP");
                }
            }
        })
        .optional(),
    receivers: z
        .strictObject({
            pagerduty: z.strictObject({ routingKey: input(z.string().min(1, { error: "must not be empty" })) }).optional(),
            slack: z.strictObject({ channel: z.string().min(1), webhookUrl: input(z.string().min(1, { error: "must not be empty" })) }).optional(),
            heartbeat: z.strictObject({ url: input(z.url()) }).optional(),
            pageAllCritical: z.boolean().optional(),
        })
        .optional(),
    controlPlane: z
        .strictObject({
            kubeControllerManager: z.boolean().optional(),
            kubeScheduler: z.boolean().optional(),
            kubeEtcd: z.boolean().optional(),
            kubeProxy: z.boolean().optional(),
        })
        .optional(),
    remoteWrite: z
        .array(
            z
                .strictObject({
                    name: z.string().regex(/^[A-Za-z0-9][-._A-Za-z0-9]*$/, { error: "must be letters, digits, '-', '.' or '_' (it names a Secret key)" }),
                    url: z.url(),
                    auth: enumOf<RemoteWriteAuth>(RemoteWriteAuth).optional(),
                    username: z.string().min(1).optional(),
                    credential: input(z.string().min(1, { error: "must not be empty" })).optional(),
                    headers: remoteWriteHeaders(input(z.string())).optional(),
                    tls: remoteWriteTlsSettings.optional(),
                    queueConfig: remoteWriteQueueSettings.optional(),
                })
                .superRefine((t, ctx) => {
                    const auth = t.auth ?? RemoteWriteAuth.None;
                    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message, input: undefined });
                    if (auth !== RemoteWriteAuth.None && t.credential === undefined) {
                        problem("credential", `is required with auth ${auth}`);
                    }
                    if (auth === RemoteWriteAuth.None && t.credential !== undefined) {
                        problem("credential", "has no effect with auth none");
                    }
                    if (auth === RemoteWriteAuth.Basic && t.username === undefined) {
                        problem("username", "is required with auth basic");
                    }
                }),
        )
        .optional(),
    externalLabels: z.record(labelName, z.string()).optional(),
    clusterLabel: input(labelName).optional(),
    values: z.record(z.string(), z.any()).optional(),
});
assertType<Equals<z.input<typeof monitoringStackArgs>, MonitoringStackArgs>>();

/** Prometheus' service account (MetalLB authorises scrapes against it). */
export interface ServiceAccountRef {
    /** Namespace of the service account. */
    namespace: string;
    /** Name of the service account. */
    name: string;
}

/**
 * The release values with the remote-write headers resolved: header values may be secrets and
 * RemoteWriteSpec `headers` takes only inline strings (Prometheus Operator v0.93), so the values
 * are a Pulumi secret as soon as one endpoint has headers.
 */
function remoteWriteValues(
    targets: readonly (Omit<RemoteWriteArgs, "auth"> & { auth: RemoteWriteAuth })[],
    revision: pulumi.Output<string>,
    clusterLabel: pulumi.Input<string | undefined>,
    build: (revision: string, targets: RemoteWriteTarget[], clusterLabel: string | undefined) => Record<string, unknown>,
): pulumi.Output<Record<string, unknown>> {
    const headers = targets.map((t) => pulumi.output(t.headers ?? {}) as pulumi.Output<Record<string, string>>);
    const values = pulumi.all([revision, pulumi.all(headers), clusterLabel]).apply(([rev, resolved, label]) =>
        build(
            rev,
            targets.map(({ name, url, auth, username, tls, queueConfig }, i) => ({ name, url, auth, username, headers: resolved[i], tls, queueConfig })),
            label,
        ),
    );
    return targets.some((t) => t.headers !== undefined && Object.keys(t.headers).length > 0)
        ? (pulumi.secret(values) as unknown as pulumi.Output<Record<string, unknown>>)
        : values;
}

/**
 * The PrometheusRule with the remote-write recording rules, next to the release (its CRDs) in the
 * monitoring namespace, selected by the release's rule selector.
 */
function remoteWriteRuleResource(
    name: string,
    parent: pulumi.Resource,
    release: k8s.helm.v3.Release,
    endpoints: pulumi.Output<ReturnType<typeof kpsEndpoints>>,
    selectorLabels: pulumi.Output<{ [key: string]: string }>,
): k8s.apiextensions.CustomResource {
    const namespace = endpoints.prometheusServiceAccount.namespace;
    return new k8s.apiextensions.CustomResource(
        `${name}-remote-write-rules`,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: "prometheus-remote-write", namespace, labels: selectorLabels },
            spec: pulumi.all([endpoints.prometheusJob, namespace]).apply(([job, ns]) => remoteWriteRules({ job, namespace: ns })),
        },
        { parent, dependsOn: [release] },
    );
}

/** Rotation of Grafana's admin password needs Grafana's own SQLite database (lib/monitoring/grafana.ts). */
function grafanaRotationProblems(a: z.output<typeof monitoringStackArgs>): Problem[] {
    const message = adminPasswordResetProblems(a.values);
    return message !== undefined ? [{ path: "args.values.grafana", message }] : [];
}

const TYPE = componentType("MonitoringStack", "metallb-observability:monitoring:MonitoringStack");

/**
 * kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana,
 * kube-state-metrics) as a `helm.v3.Release`: the chart's admission-webhook certificates come from
 * Helm hook Jobs, which `helm.v4.Chart` does not run. Its outputs are what the MetalLB monitoring
 * and the dashboard plug into, so nothing downstream hard-codes a release name. Pass
 * `dependsOn: [addressPools]` when Grafana's LoadBalancer takes its address from those pools.
 */
export class MonitoringStack extends pulumi.ComponentResource {
    /** Namespace the stack runs in. */
    public readonly namespace: pulumi.Output<string>;
    /** Actual Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** Labels a ServiceMonitor, PodMonitor or PrometheusRule needs to be selected: `release: <release>`. */
    public readonly selectorLabels: pulumi.Output<{ [key: string]: string }>;
    /** Prometheus' service account (MetalLB authorises scrapes against it). */
    public readonly prometheusServiceAccount: pulumi.Output<ServiceAccountRef>;
    /** In-cluster URL of Prometheus. */
    public readonly prometheusUrl: pulumi.Output<string>;
    /** In-cluster URL of Alertmanager. */
    public readonly alertmanagerUrl: pulumi.Output<string>;
    /** Grafana's URL for its users (https://<ingress host> or http://<LoadBalancer address>); unset when only a port-forward reaches it. */
    public readonly grafanaUrl?: pulumi.Output<string>;
    /** Grafana admin user name. */
    public readonly grafanaAdminUser: pulumi.Output<string>;
    /** Grafana admin password (secret). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;
    /** Whether alerts reach anyone. */
    public readonly notificationsConfigured: boolean;
    /** The kube-prometheus-stack Helm release. */
    public readonly release: Release;

    constructor(name: string, args: MonitoringStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const a = parseArgs("MonitoringStack", name, monitoringStackArgs, args, grafanaRotationProblems);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const d = MONITORING_DEFAULTS;
        const namespace = a.namespace ?? d.namespace;
        const releaseName = a.releaseName ?? d.releaseName;
        const g = a.grafana ?? {};

        const ns = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: namespace, labels: { ...MONITORING_NAMESPACE_LABELS } } },
            { parent: this, dependsOn: forwardDependsOn(opts) },
        );
        const nodeExporterNamespace = a.nodeExporterNamespace ?? d.nodeExporterNamespace;
        if (nodeExporterNamespace === namespace) {
            throw new Error(
                `MonitoringStack "${name}": args.nodeExporterNamespace must differ from args.namespace ("${namespace}"): node-exporter needs a privileged namespace of its own`,
            );
        }
        const nodeExporterNs = new k8s.core.v1.Namespace(
            `${name}-node-exporter-namespace`,
            { metadata: { name: nodeExporterNamespace, labels: { ...NODE_EXPORTER_NAMESPACE_LABELS } } },
            { parent: this, dependsOn: forwardDependsOn(opts) },
        );

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

        // Changes whenever the password does (its keeper), without being derived from it: Grafana's pod
        // annotation, so the pod restarts and applies the new password (lib/monitoring/grafana.ts).
        // The keeper is a digest, kept secret: CrossGuard hands policies secret values unwrapped
        // (@pulumi/policy deserialize.js), and a password there fails no-plaintext-secrets.
        const passwordRevision = new random.RandomId(
            `${name}-grafana-admin-revision`,
            { byteLength: 8, keepers: { revision: pulumi.secret(pulumi.output(password).apply((p) => createHash("sha256").update(p).digest("hex"))) } },
            { parent: this },
        );

        const { pagerduty, slack, heartbeat } = a.receivers ?? {};
        const receiverData: Record<string, pulumi.Input<string>> = {};
        if (pagerduty) {
            receiverData[SECRET_KEYS.pagerdutyRoutingKey] = pulumi.secret(pagerduty.routingKey);
        }
        if (slack) {
            receiverData[SECRET_KEYS.slackWebhookUrl] = pulumi.secret(slack.webhookUrl);
        }
        if (heartbeat) {
            receiverData[SECRET_KEYS.heartbeatUrl] = pulumi.secret(heartbeat.url);
        }
        // Always present: Alertmanager mounts it (alertmanagerSpec.secrets) whether or not it is used.
        const receiverSecret = new k8s.core.v1.Secret(
            `${name}-alertmanager-receivers`,
            { metadata: { name: RECEIVERS_SECRET, namespace }, stringData: receiverData },
            { parent: this, dependsOn: [ns] },
        );
        const receivers = {
            pagerduty: pagerduty !== undefined,
            slackChannel: slack?.channel,
            pageAllCritical: a.receivers?.pageAllCritical ?? false,
            heartbeat: heartbeat !== undefined,
        };

        // Remote-write credentials as a Secret the values only reference (user names too: the
        // operator reads basicAuth.username from a Secret key).
        const remoteWrite = (a.remoteWrite ?? []).map((t) => ({ ...t, auth: t.auth ?? RemoteWriteAuth.None }));
        const remoteWriteData: Record<string, pulumi.Input<string>> = {};
        for (const t of remoteWrite) {
            const keys = remoteWriteSecretKeys(t.name);
            if (t.auth === RemoteWriteAuth.Basic && t.credential !== undefined) {
                remoteWriteData[keys.username] = t.username ?? "";
                remoteWriteData[keys.password] = pulumi.secret(t.credential);
            } else if (t.auth === RemoteWriteAuth.Bearer && t.credential !== undefined) {
                remoteWriteData[keys.token] = pulumi.secret(t.credential);
            }
        }
        const remoteWriteSecret =
            Object.keys(remoteWriteData).length > 0
                ? [
                      new k8s.core.v1.Secret(
                          `${name}-remote-write`,
                          { metadata: { name: REMOTE_WRITE_SECRET, namespace }, stringData: remoteWriteData },
                          { parent: this, dependsOn: [ns] },
                      ),
                  ]
                : [];
        this.notificationsConfigured = !notifiesNobody(receivers);
        if (!this.notificationsConfigured) {
            pulumi.log.warn(
                "No alert receivers are configured (monitoring:receivers): alerts are only visible in Alertmanager's UI. Configure PagerDuty and/or Slack to be notified.",
                this,
            );
        }

        const serviceType = g.serviceType ?? GrafanaServiceType.ClusterIP;
        const grafanaUrl = grafanaPublicUrl({ serviceType, address: g.address, ingressHost: g.ingress?.host });
        const p = { ...d.prometheus, ...a.prometheus };
        const am = { ...d.alertmanager, ...a.alertmanager };
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: releaseName,
                chart: "kube-prometheus-stack",
                version: a.chartVersion ?? d.chartVersion,
                repositoryOpts: { repo: a.chartRepository ?? d.chartRepository },
                namespace,
                createNamespace: false,
                values: remoteWriteValues(remoteWrite, pulumi.unsecret(passwordRevision.hex), a.clusterLabel, (revision, remoteWriteTargets, clusterLabel) =>
                    buildKpsValues({
                        prometheus: p,
                        alertmanager: am,
                        grafana: {
                            resources: g.resources,
                            persistence: g.persistence,
                            serviceType,
                            pool: g.pool,
                            address: g.address,
                            loadBalancerSourceRanges: g.loadBalancerSourceRanges,
                            ingress: g.ingress,
                            url: grafanaUrl,
                            adminPasswordRevision: revision,
                        },
                        // Alertmanager groups by the rules' cluster label (a value another component may feed).
                        receivers: { ...receivers, alerts: { clusterLabel } },
                        controlPlane: { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: false, kubeProxy: false, ...a.controlPlane },
                        remoteWrite: remoteWriteTargets,
                        externalLabels: a.externalLabels,
                        networkPolicies: (a.networkPolicies ?? d.networkPolicies) ? { namespace } : undefined,
                        nodeExporterNamespace,
                        overrides: a.values,
                    }),
                ),
                // A failed install is purged and a failed upgrade rolled back, so a retry starts
                // clean; new objects of a failed upgrade are removed. 15 minutes covers image
                // pulls and volume provisioning on a fresh cluster; Helm waits for the hook Jobs.
                atomic: true,
                cleanupOnFail: true,
                timeout: 900,
                maxHistory: 10,
            },
            { parent: this, dependsOn: forwardDependsOn(opts, ns, nodeExporterNs, adminSecret, receiverSecret, ...remoteWriteSecret) },
        );

        const status = this.release.status;
        const endpoints = pulumi.all([status.name, status.namespace]).apply(([rel, n]) => kpsEndpoints(rel ?? releaseName, n ?? namespace));
        this.namespace = ns.metadata.name;
        this.releaseName = status.name.apply((n) => n ?? releaseName);
        this.selectorLabels = this.releaseName.apply((release): { [key: string]: string } => ({ release }));
        this.prometheusServiceAccount = endpoints.prometheusServiceAccount;
        this.prometheusUrl = endpoints.prometheusUrl;
        this.alertmanagerUrl = endpoints.alertmanagerUrl;
        if (grafanaUrl !== undefined) {
            this.grafanaUrl = pulumi.output(grafanaUrl);
        }
        this.grafanaAdminUser = pulumi.output(GRAFANA_ADMIN_USER);
        // Recording rules on remote-write health (lib/rules/remoteWrite.ts), only with remote write.
        if (remoteWrite.length > 0) {
            remoteWriteRuleResource(name, this, this.release, endpoints, this.selectorLabels);
        }
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
