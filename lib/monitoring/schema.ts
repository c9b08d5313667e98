import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { grafanaTokenProblem } from "../dashboard/settings";
import { sourceRanges } from "../metallb/schema";
import { labelName } from "../rules/settings";
import { plainHttpProblem } from "../util/credentials";
import {
    argsType,
    chartRepositoryUrl,
    enumOf,
    exactVersion,
    k8sLabelName,
    k8sName,
    promDuration,
    quantity,
    secretString,
    selectorLabels,
} from "../util/schema";
export { GrafanaServiceType, RemoteWriteAuth } from "./enums";
import { GrafanaServiceType, RemoteWriteAuth } from "./enums";

/**
 * The monitoring domain's settings (`monitoring:`): install kube-prometheus-stack, or plug into
 * an existing one. The parsed type says which (`install: true | false`), and each receiver comes
 * together with its secret, so nothing downstream needs a `!`.
 */

const resources = z.strictObject({
    requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
    limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});
export type ResourcesConfig = z.output<typeof resources>;

/** Persistent volume; unset = emptyDir (data lost when the pod moves). */
const storage = z.strictObject({
    /** StorageClass; unset uses the cluster default. */
    storageClassName: z.string().min(1).optional(),
    size: quantity,
});
export type StorageConfig = z.output<typeof storage>;

/** Prometheus' retention size, in its own unit syntax (B, KB, MB, GB, TB, PB, EB): "45GB". */
export const retentionSize = z.string().regex(/^[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|PB|EB)$/, { error: "must be a size such as 45GB (B, KB, MB, GB, TB)" });

/**
 * Prometheus' and Alertmanager's retention and intervals, one definition each: the `monitoring:`
 * section fills in the defaults the docs name, MonitoringStack takes them as optional and fills in
 * the same ones (MONITORING_DEFAULTS, parsed from these settings).
 */
export const prometheusFields = {
    retention: promDuration.describe("Default 10d."),
    retentionSize: retentionSize.describe("e.g. 45GB."),
    scrapeInterval: promDuration.describe("Default 30s."),
    evaluationInterval: promDuration.describe("Default 30s."),
};
export const alertmanagerFields = {
    retention: promDuration.describe("Default 120h."),
};

export const prometheusSettings = z.strictObject({
    retention: prometheusFields.retention.default("10d"),
    retentionSize: prometheusFields.retentionSize.optional(),
    scrapeInterval: prometheusFields.scrapeInterval.default("30s"),
    evaluationInterval: prometheusFields.evaluationInterval.default("30s"),
    resources: resources.optional(),
    storage: storage.optional(),
});

export const alertmanagerSettings = z.strictObject({
    retention: alertmanagerFields.retention.default("120h"),
    resources: resources.optional(),
    storage: storage.optional(),
});

/**
 * Grafana behind an Ingress with TLS (Grafana chart values `ingress.*`): the ingress controller
 * (`className`) terminates TLS for `host` with the kubernetes.io/tls Secret `tlsSecretName` in the
 * monitoring namespace; Grafana's `root_url` becomes https://<host> and its cookies secure.
 */
export const grafanaIngressSettings = argsType(
    "GrafanaIngressArgs",
    "An Ingress for Grafana, TLS terminated by the ingress controller.",
    z.strictObject({
        className: k8sName.describe("IngressClass of the controller (e.g. nginx)."),
        host: z
            .string()
            .regex(/^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
                error: "must be a DNS name such as grafana.example.com (lower case, at least one dot)",
            })
            .describe("Host name users open (DNS must point at the ingress controller)."),
        tlsSecretName: k8sName.describe("kubernetes.io/tls Secret in the stack's namespace with the certificate for host."),
    }),
);
export type GrafanaIngressConfig = z.output<typeof grafanaIngressSettings>;

export const grafanaSettings = z
    .strictObject({
        resources: resources.optional(),
        persistence: storage.optional(),
        /**
         * Grafana's Service: ClusterIP (default; reach it with `kubectl port-forward`), or a
         * LoadBalancer from a MetalLB pool that only `loadBalancerSourceRanges` may reach.
         */
        service: z
            .strictObject({
                type: enumOf<GrafanaServiceType>(GrafanaServiceType).default(GrafanaServiceType.ClusterIP),
                /** MetalLB pool the address comes from (LoadBalancer). */
                pool: z.string().optional(),
                /** Fixed address from that pool (LoadBalancer). */
                address: z.string().optional(),
                /** Client networks allowed to reach the LoadBalancer (required with it). */
                loadBalancerSourceRanges: sourceRanges.optional(),
            })
            .prefault({}),
        /** Expose Grafana through an Ingress with TLS instead. */
        ingress: grafanaIngressSettings.optional(),
        /** Removed: the URL is derived from the ingress host or the LoadBalancer address. */
        url: z.unknown().optional(),
    })
    .superRefine((g, ctx) => {
        if (g.url !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["url"],
                input: undefined,
                message:
                    "is no longer read: Grafana's URL comes from grafana.ingress.host (https) or the LoadBalancer address, and the installed Grafana gets the dashboard from a ConfigMap (docs/upgrading.md); remove it",
            });
        }
        for (const p of grafanaExposureProblems({ ...g.service, ingress: g.ingress }, "service.type")) {
            ctx.addIssue({ code: "custom", path: p.key === "ingress" ? ["ingress"] : ["service", p.key], message: p.message, input: undefined });
        }
    });

/**
 * How Grafana is exposed, where it contradicts itself: MetalLB settings on a ClusterIP Service, a
 * LoadBalancer open to no one in particular, or a LoadBalancer and an ingress at once. The monitoring
 * section and MonitoringStack's `grafana` argument both check it; `typeSetting` is how each names
 * the Service type.
 */
export function grafanaExposureProblems(
    g: { type?: GrafanaServiceType; pool?: string; address?: string; loadBalancerSourceRanges?: readonly string[]; ingress?: unknown },
    typeSetting: string,
): { key: "pool" | "address" | "loadBalancerSourceRanges" | "ingress"; message: string }[] {
    if ((g.type ?? GrafanaServiceType.ClusterIP) === GrafanaServiceType.ClusterIP) {
        return (["pool", "address", "loadBalancerSourceRanges"] as const)
            .filter((key) => g[key] !== undefined)
            .map((key) => ({
                key,
                message: `has no effect with a ClusterIP Service (only a LoadBalancer gets a MetalLB address); remove it or set ${typeSetting} LoadBalancer`,
            }));
    }
    return [
        ...(g.loadBalancerSourceRanges === undefined
            ? [
                  {
                      key: "loadBalancerSourceRanges" as const,
                      message:
                          "is required with a LoadBalancer Service: the client networks (CIDRs) allowed to reach Grafana, e.g. [192.168.10.0/24] (docs/security.md)",
                  },
              ]
            : []),
        ...(g.ingress !== undefined
            ? [
                  {
                      key: "ingress" as const,
                      message: `exposes Grafana a second way next to the LoadBalancer Service; use one: remove ingress, or set ${typeSetting} ClusterIP`,
                  },
              ]
            : []),
    ];
}

/** Prometheus' service account (MetalLB authorises scrapes against it). */
export const serviceAccountRef = argsType(
    "ServiceAccountRef",
    "Prometheus' service account (MetalLB authorises scrapes against it).",
    z.strictObject({
        namespace: k8sLabelName.describe("Namespace of the service account."),
        name: k8sName.describe("Name of the service account."),
    }),
);

/** An existing kube-prometheus-stack (or Prometheus Operator setup) when `install` is false. */
export const existingStackSettings = z.strictObject({
    selectorLabels,
    prometheusServiceAccount: serviceAccountRef,
    prometheusUrl: z.url(),
    alertmanagerUrl: z.url().optional(),
    grafanaUrl: z.url().optional(),
});

const receiverSettings = z.strictObject({
    /** Critical alerts page through PagerDuty (routing key: the secret monitoring:pagerdutyRoutingKey). */
    pagerduty: z.strictObject({ enabled: z.boolean().default(true) }).optional(),
    /** Warnings (and critical alerts without a pager) go to Slack (webhook: the secret monitoring:slackWebhookUrl). */
    slack: z.strictObject({ channel: z.string().min(1) }).optional(),
    /** Page for every critical alert, not only MetalLB's (default false: the others go to chat). */
    pageAllCritical: z.boolean().default(false),
    /** Dead man's switch for the always-firing Watchdog (URL: the secret monitoring:heartbeatUrl). */
    heartbeat: z.strictObject({}).optional(),
});

/**
 * Serve and verify MetalLB's metrics with a real certificate: a kubernetes.io/tls Secret in
 * MetalLB's namespace (tls.crt, tls.key, ca.crt) that the chart mounts for controller, speaker and
 * frr-k8s, and whose ca.crt the ServiceMonitors verify against, for serverName.
 */
export const metricsTlsSettings = argsType(
    "MetricsTlsArgs",
    "TLS towards MetalLB's metrics endpoints: one kubernetes.io/tls Secret in MetalLB's namespace that\nthe chart mounts as the serving certificate (`MetalLb.metricsTlsSecret`, the same name) and whose\n`ca.crt` the ServiceMonitors verify against.",
    z.strictObject({
        secretName: k8sName.describe("The Secret (tls.crt, tls.key, ca.crt), e.g. issued by cert-manager."),
        serverName: z.string().min(1).describe("Name the certificate is issued for: Prometheus scrapes pod IPs, which the certificate does not name."),
    }),
);

/** Control-plane components kube-prometheus-stack scrapes and alerts on (all off by default: see docs/configuration.md). */
export const controlPlaneSettings = argsType(
    "ControlPlaneArgs",
    "Control-plane components to scrape and alert on (each default false: on kubeadm-style clusters they listen on 127.0.0.1).",
    z.strictObject({
        kubeControllerManager: z.boolean().default(false).describe("Scrape and alert on kube-controller-manager."),
        kubeScheduler: z.boolean().default(false).describe("Scrape and alert on kube-scheduler."),
        kubeEtcd: z.boolean().default(false).describe("Scrape and alert on etcd."),
        kubeProxy: z.boolean().default(false).describe("Scrape and alert on kube-proxy."),
    }),
);

/** A key of a Secret in the monitoring namespace (Prometheus Operator mounts the Secrets a remote write references). */
export const secretKeyRefSettings = argsType(
    "SecretKeyRefArgs",
    "A key of a Secret in the monitoring namespace.",
    z.strictObject({
        name: k8sName.describe("Secret name."),
        key: z
            .string()
            .regex(/^[-._a-zA-Z0-9]+$/, { error: "must be a Secret key (letters, digits, '-', '.', '_')" })
            .describe("Key in the Secret."),
    }),
);

/**
 * TLS of a remote-write endpoint, mapped to RemoteWriteSpec `tlsConfig` (Prometheus Operator
 * v0.93 SafeTLSConfig: `ca`, `cert`, `keySecret`, `serverName`, `insecureSkipVerify`). The CA
 * and the client certificate (mutual TLS, e.g. Thanos Receive) come from Secrets; certificate
 * verification is only skipped when `insecureSkipVerify: true` is written.
 */
export const remoteWriteTlsSettings = argsType(
    "RemoteWriteTlsArgs",
    "TLS of a remote-write endpoint.",
    z
        .strictObject({
            caSecret: secretKeyRefSettings.optional().describe("CA bundle that verifies the server (PEM)."),
            certSecret: secretKeyRefSettings.optional().describe("Client certificate (mutual TLS, e.g. Thanos Receive); with keySecret."),
            keySecret: secretKeyRefSettings.optional().describe("Client key; with certSecret."),
            serverName: z.string().min(1).optional().describe("Name the server certificate must carry (SNI and verification)."),
            insecureSkipVerify: z.boolean().optional().describe("Skip certificate verification; only when explicitly true (never the default)."),
        })
        .superRefine((t, ctx) => {
            if ((t.certSecret === undefined) !== (t.keySecret === undefined)) {
                ctx.addIssue({
                    code: "custom",
                    path: [t.certSecret === undefined ? "certSecret" : "keySecret"],
                    message: "client certificate and key go together: set both certSecret and keySecret, or neither",
                    input: undefined,
                });
            }
        }),
);

const positiveInt = z.number().int().positive();
/**
 * Queue settings of a remote-write endpoint, mapped to RemoteWriteSpec `queueConfig` (Prometheus
 * Operator v0.93 QueueConfig; Prometheus' queue_config: capacity, min/max shards, samples per
 * send, batch deadline, retries and backoff, retry on HTTP 429, age limit).
 */
export const remoteWriteQueueSettings = argsType(
    "RemoteWriteQueueArgs",
    "Remote-write queue settings (Prometheus queue_config).",
    z
        .strictObject({
            capacity: positiveInt.optional().describe("Samples buffered per shard."),
            minShards: positiveInt.optional().describe("Shards at start."),
            maxShards: positiveInt.optional().describe("Upper bound of parallel shards."),
            maxSamplesPerSend: positiveInt.optional().describe("Samples per request."),
            batchSendDeadline: promDuration.optional().describe("Longest wait before a partial batch is sent, e.g. 5s."),
            maxRetries: positiveInt.optional().describe("Retries of a failed request."),
            minBackoff: promDuration.optional().describe("Initial retry backoff, e.g. 30ms."),
            maxBackoff: promDuration.optional().describe("Longest retry backoff, e.g. 5s."),
            retryOnRateLimit: z.boolean().optional().describe("Retry on HTTP 429 instead of dropping."),
            sampleAgeLimit: promDuration.optional().describe("Drop samples older than this instead of sending them, e.g. 30m."),
        })
        .superRefine((q, ctx) => {
            if (q.minShards !== undefined && q.maxShards !== undefined && q.minShards > q.maxShards) {
                ctx.addIssue({ code: "custom", path: ["minShards"], message: `must not exceed maxShards (${q.maxShards})`, input: undefined });
            }
        }),
);

/**
 * HTTP header name of a remote-write request (RFC 9110 token). `Authorization` is set through
 * `auth`; Prometheus does not let headers overwrite the ones it sets itself (RemoteWriteSpec
 * `headers` doc, Prometheus Operator v0.93).
 */
export function remoteWriteHeaders<V extends z.ZodType>(value: V) {
    return z.record(z.string(), value).superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
            const problem = !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)
                ? "is not an HTTP header name"
                : name.toLowerCase() === "authorization"
                  ? "is set by auth (basic or bearer), not as a header"
                  : undefined;
            if (problem) {
                ctx.addIssue({ code: "custom", path: [name], message: problem, input: undefined });
            }
        }
    });
}

/** A remote-write endpoint's name: unique, and it names the credential's keys in a Secret (letters, digits, - . _). */
export const remoteWriteName = z.string().regex(/^[A-Za-z0-9][-._A-Za-z0-9]*$/, { error: "must be letters, digits, '-', '.' or '_' (it names a Secret key)" });

/**
 * A remote-write endpoint's settings, one definition each: the `monitoring:` section (whose
 * credentials are secrets of their own, `monitoring:remoteWriteCredentials`) and MonitoringStack's
 * `remoteWrite` (credential and header values inline, as Inputs) take them alike.
 */
export const remoteWriteFields = {
    name: remoteWriteName.describe("Unique; names the credential's keys in the Secret."),
    url: z.url().describe("Remote-write URL of the receiving store (Mimir, Thanos receive, Prometheus)."),
    auth: enumOf<RemoteWriteAuth>(RemoteWriteAuth).describe("Default `None`."),
    username: z.string().min(1).describe("Basic-auth user name (`Basic`)."),
    headersDoc:
        "Extra HTTP headers, e.g. `X-Scope-OrgID` (Mimir tenant) or `THANOS-TENANT`. Always handled as\nsecrets: Prometheus Operator takes header values only inline, so with headers the whole\nHelm values of the release are a Pulumi secret.",
    tls: remoteWriteTlsSettings.describe("TLS: CA and client certificate from Secrets in the namespace, server name."),
    queueConfig: remoteWriteQueueSettings.describe("Queue tuning (Prometheus queue_config)."),
};

/** A Prometheus remote-write endpoint; its password or token is the secret monitoring:remoteWriteCredentials.<name>. */
export const remoteWriteTargetSettings = z.strictObject({
    name: remoteWriteFields.name,
    url: remoteWriteFields.url,
    auth: remoteWriteFields.auth.default(RemoteWriteAuth.None),
    username: remoteWriteFields.username.optional(),
    headers: remoteWriteHeaders(z.string()).optional().describe(remoteWriteFields.headersDoc),
    tls: remoteWriteFields.tls.optional(),
    queueConfig: remoteWriteFields.queueConfig.optional(),
});

/** Defaults of the `monitoring:` settings, in one place (nested defaults filled by the schemas). */
export const MONITORING_DEFAULTS = {
    namespace: "monitoring",
    nodeExporterNamespace: "node-exporter",
    networkPolicies: true,
    releaseName: "kube-prometheus-stack",
    chartVersion: "88.5.3",
    chartRepository: "https://prometheus-community.github.io/helm-charts",
    prometheus: prometheusSettings.parse({}),
    alertmanager: alertmanagerSettings.parse({}),
    grafana: grafanaSettings.parse({}),
    controlPlane: controlPlaneSettings.parse({}),
} as const;

/**
 * A Grafana service-account token (Administration > Service accounts; Editor role on the folder is
 * enough). "user:password" is refused: the provider would log in with the account's password
 * (@pulumiverse/grafana `auth`: "user:password" is basic auth, anything else a bearer token).
 */
const grafanaToken = z
    .union([z.string(), z.number()], { error: "must be a string" })
    .transform((v) => String(v))
    .pipe(z.string().min(1, { error: "must not be empty" }))
    .superRefine((v, ctx) => {
        const problem = grafanaTokenProblem(v);
        if (problem) {
            ctx.addIssue({ code: "custom", message: `${problem}; set it with pulumi config set --secret monitoring:grafanaAuth <token>`, input: undefined });
        }
    })
    .transform((v): pulumi.Output<string> => pulumi.secret(v));

/** Keys of `monitoring:` that must be Pulumi secrets (every leaf of them). */
export const MONITORING_SECRET_KEYS = [
    "grafanaAdminPassword",
    "pagerdutyRoutingKey",
    "slackWebhookUrl",
    "grafanaAuth",
    "heartbeatUrl",
    "remoteWriteCredentials",
] as const;
/** The secret keys that hold one string (the others are maps). */
export const MONITORING_SECRET_STRINGS = ["grafanaAdminPassword", "pagerdutyRoutingKey", "slackWebhookUrl", "grafanaAuth", "heartbeatUrl"] as const;

/** Keys that only mean something when this program installs kube-prometheus-stack. */
const INSTALL_ONLY = [
    "releaseName",
    "chartVersion",
    "chartRepository",
    "prometheus",
    "alertmanager",
    "grafana",
    "receivers",
    "controlPlane",
    "remoteWrite",
    "externalLabels",
    "nodeExporterNamespace",
    "networkPolicies",
    "grafanaAdminPassword",
    "pagerdutyRoutingKey",
    "slackWebhookUrl",
    "heartbeatUrl",
    "remoteWriteCredentials",
] as const;

/**
 * kube-prometheus-stack's installation settings, one definition each: the `monitoring:` section and
 * the MonitoringStack component take them alike (the component the chart version and repository as
 * Inputs); MONITORING_DEFAULTS fills in what is unset.
 */
export const monitoringStackFields = {
    namespace: k8sLabelName.describe("Namespace (created by the component; Pod Security `baseline`, warns at `restricted`). Default `monitoring`."),
    nodeExporterNamespace: k8sLabelName.describe(
        "node-exporter's own namespace (created by the component; Pod Security `privileged`: it reads the host); must differ from `namespace`. Default `node-exporter`.",
    ),
    networkPolicies: z
        .boolean()
        .describe(
            "NetworkPolicies for Prometheus, Alertmanager, the operator and Grafana, through the charts' own\noptions (default true). Turn off only on clusters whose network plugin does not enforce them.",
        ),
    releaseName: k8sLabelName.describe("Helm release name; the `release` label Prometheus selects monitors and rules by. Default `kube-prometheus-stack`."),
    chartVersion: exactVersion.describe("Exact chart version (default 88.5.3)."),
    chartRepository: chartRepositoryUrl.describe("Chart repository (default https://prometheus-community.github.io/helm-charts)."),
    externalLabels: z
        .record(labelName, z.string())
        .describe("Prometheus external labels (e.g. `{cluster: prod-1}`; put the cluster's name under the cluster label when you remote-write)."),
};

const monitoringObject = z.strictObject({
    /** Install kube-prometheus-stack (default), or use the one in `existing`. */
    install: z.boolean().default(true),
    namespace: monitoringStackFields.namespace.default(MONITORING_DEFAULTS.namespace),
    nodeExporterNamespace: monitoringStackFields.nodeExporterNamespace.optional(),
    networkPolicies: monitoringStackFields.networkPolicies.optional(),
    releaseName: monitoringStackFields.releaseName.optional(),
    chartVersion: monitoringStackFields.chartVersion.optional(),
    chartRepository: monitoringStackFields.chartRepository.optional(),
    prometheus: prometheusSettings.optional(),
    alertmanager: alertmanagerSettings.optional(),
    grafana: grafanaSettings.optional(),
    receivers: receiverSettings.optional(),
    existing: existingStackSettings.optional(),
    metricsTls: metricsTlsSettings.optional(),
    controlPlane: controlPlaneSettings.optional(),
    /** Prometheus remote-write endpoints. */
    remoteWrite: z.array(remoteWriteTargetSettings).optional(),
    externalLabels: monitoringStackFields.externalLabels.optional(),
    /** Secrets (set with `pulumi config set --secret`). */
    grafanaAdminPassword: secretString.optional(),
    pagerdutyRoutingKey: secretString.optional(),
    slackWebhookUrl: secretString.optional(),
    /** A Grafana service-account token for an existing Grafana (dashboard:delivery grafana-api); never a user:password. */
    grafanaAuth: grafanaToken.optional(),
    /** The dead man's switch URL (monitoring:receivers.heartbeat). */
    heartbeatUrl: secretString.optional(),
    /** Remote-write credentials by endpoint name: the password (basic) or token (bearer). */
    remoteWriteCredentials: z.record(z.string(), secretString).optional(),
});

type Parsed = z.output<typeof monitoringObject>;

/** Receivers with their credentials: a receiver never exists without its secret. */
export interface Receivers {
    readonly pagerduty?: { readonly routingKey: pulumi.Output<string> };
    readonly slack?: { readonly channel: string; readonly webhookUrl: pulumi.Output<string> };
    /** Dead man's switch that receives the Watchdog. */
    readonly heartbeat?: { readonly url: pulumi.Output<string> };
    /** Page for every critical alert, not only MetalLB's. */
    readonly pageAllCritical: boolean;
}

/** A remote-write endpoint together with its credential (none with auth: none). */
export interface RemoteWrite {
    readonly name: string;
    readonly url: string;
    readonly auth: RemoteWriteAuth;
    readonly username?: string;
    readonly credential?: pulumi.Output<string>;
    readonly headers?: Readonly<Record<string, string>>;
    readonly tls?: z.output<typeof remoteWriteTlsSettings>;
    readonly queueConfig?: z.output<typeof remoteWriteQueueSettings>;
}

export interface InstalledMonitoring {
    readonly install: true;
    readonly namespace: string;
    readonly nodeExporterNamespace: string;
    readonly networkPolicies: boolean;
    readonly releaseName: string;
    readonly chartVersion: string;
    readonly chartRepository: string;
    readonly prometheus: z.output<typeof prometheusSettings>;
    readonly alertmanager: z.output<typeof alertmanagerSettings>;
    readonly grafana: z.output<typeof grafanaSettings> & { readonly adminPassword?: pulumi.Output<string> };
    readonly receivers: Receivers;
    readonly controlPlane: z.output<typeof controlPlaneSettings>;
    readonly remoteWrite: readonly RemoteWrite[];
    readonly externalLabels: Readonly<Record<string, string>>;
    readonly metricsTls?: z.output<typeof metricsTlsSettings>;
}

export interface ExistingMonitoring {
    readonly install: false;
    /** Namespace for the dashboard ConfigMap (configmap delivery). */
    readonly namespace: string;
    readonly existing: z.output<typeof existingStackSettings>;
    readonly grafanaAuth?: pulumi.Output<string>;
    readonly metricsTls?: z.output<typeof metricsTlsSettings>;
}

export type MonitoringSettings = InstalledMonitoring | ExistingMonitoring;

function checkModes(m: Parsed, ctx: z.core.$RefinementCtx<Parsed>): void {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message, input: undefined });
    if (!m.install) {
        if (m.existing === undefined) {
            issue(
                ["existing"],
                "is required when monitoring:install is false: give the selectorLabels, prometheusServiceAccount and prometheusUrl of the kube-prometheus-stack you run",
            );
        }
        for (const key of INSTALL_ONLY) {
            if (m[key] !== undefined) {
                issue([key], "has no effect with monitoring:install false (it configures the kube-prometheus-stack this program installs); remove it");
            }
        }
        return;
    }
    if ((m.nodeExporterNamespace ?? MONITORING_DEFAULTS.nodeExporterNamespace) === m.namespace) {
        issue(
            ["nodeExporterNamespace"],
            `must differ from monitoring:namespace ("${m.namespace}"): node-exporter needs a privileged namespace of its own, so the rest of the stack runs under Pod Security baseline`,
        );
    }
    if (m.existing !== undefined) {
        issue(["existing"], "is only used with monitoring:install: false; remove it or set install to false");
    }
    if (m.grafanaAuth !== undefined) {
        issue(["grafanaAuth"], "is only used with monitoring:install: false (the installed Grafana loads the dashboard from a ConfigMap); remove it");
    }
    const pagerduty = m.receivers?.pagerduty?.enabled === true;
    if (pagerduty && m.pagerdutyRoutingKey === undefined) {
        issue(["pagerdutyRoutingKey"], "is required for the PagerDuty receiver: pulumi config set --secret monitoring:pagerdutyRoutingKey <routing key>");
    }
    if (!pagerduty && m.pagerdutyRoutingKey !== undefined) {
        issue(["pagerdutyRoutingKey"], "is set but monitoring:receivers.pagerduty is not; add `pagerduty: {}` to monitoring:receivers");
    }
    if (m.receivers?.slack !== undefined && m.slackWebhookUrl === undefined) {
        issue(["slackWebhookUrl"], "is required for the Slack receiver: pulumi config set --secret monitoring:slackWebhookUrl <webhook URL>");
    }
    if (m.receivers?.slack === undefined && m.slackWebhookUrl !== undefined) {
        issue(["slackWebhookUrl"], 'is set but monitoring:receivers.slack is not; add `slack: {channel: "#alerts"}` to monitoring:receivers');
    }
    if (m.receivers?.heartbeat !== undefined && m.heartbeatUrl === undefined) {
        issue(["heartbeatUrl"], "is required for the heartbeat receiver: pulumi config set --secret monitoring:heartbeatUrl <dead man's switch URL>");
    }
    if (m.receivers?.heartbeat === undefined && m.heartbeatUrl !== undefined) {
        issue(["heartbeatUrl"], "is set but monitoring:receivers.heartbeat is not; add `heartbeat: {}` to monitoring:receivers");
    }
    const targets = m.remoteWrite ?? [];
    const credentials = m.remoteWriteCredentials ?? {};
    const seen = new Set<string>();
    targets.forEach((t, i) => {
        if (seen.has(t.name)) {
            issue(["remoteWrite", i, "name"], `duplicate remote-write name "${t.name}"; names must be unique (they name the credentials)`);
        }
        seen.add(t.name);
        const http = t.auth === RemoteWriteAuth.None ? undefined : plainHttpProblem(t.url);
        if (http) {
            issue(["remoteWrite", i, "url"], `(auth: ${t.auth}) ${http}`);
        }
        if (t.auth === RemoteWriteAuth.Basic && t.username === undefined) {
            issue(["remoteWrite", i, "username"], "is required with auth: basic");
        }
        if (t.auth !== RemoteWriteAuth.None && credentials[t.name] === undefined) {
            issue(
                ["remoteWriteCredentials", t.name],
                `is required for monitoring:remoteWrite[${i}] (auth: ${t.auth}): pulumi config set --secret --path 'monitoring:remoteWriteCredentials.${t.name}' <${t.auth === RemoteWriteAuth.Basic ? "password" : "token"}>`,
            );
        }
    });
    for (const name of Object.keys(credentials)) {
        const target = targets.find((t) => t.name === name);
        if (!target || target.auth === RemoteWriteAuth.None) {
            issue(
                ["remoteWriteCredentials", name],
                target
                    ? `has no effect: monitoring:remoteWrite "${name}" uses auth: none`
                    : `is a credential for remote-write "${name}", which is not defined in monitoring:remoteWrite`,
            );
        }
    }
}

function toSettings(m: Parsed): MonitoringSettings {
    if (!m.install) {
        // checkModes guarantees `existing` here; the transform only runs on data that passed it.
        return {
            install: false,
            namespace: m.namespace,
            existing: m.existing as z.output<typeof existingStackSettings>,
            grafanaAuth: m.grafanaAuth,
            metricsTls: m.metricsTls,
        };
    }
    const d = MONITORING_DEFAULTS;
    const receivers: { -readonly [K in keyof Receivers]: Receivers[K] } = { pageAllCritical: m.receivers?.pageAllCritical ?? false };
    if (m.receivers?.pagerduty?.enabled && m.pagerdutyRoutingKey) {
        receivers.pagerduty = { routingKey: m.pagerdutyRoutingKey };
    }
    if (m.receivers?.slack && m.slackWebhookUrl) {
        receivers.slack = { channel: m.receivers.slack.channel, webhookUrl: m.slackWebhookUrl };
    }
    if (m.receivers?.heartbeat && m.heartbeatUrl) {
        receivers.heartbeat = { url: m.heartbeatUrl };
    }
    return {
        install: true,
        namespace: m.namespace,
        nodeExporterNamespace: m.nodeExporterNamespace ?? d.nodeExporterNamespace,
        networkPolicies: m.networkPolicies ?? d.networkPolicies,
        releaseName: m.releaseName ?? d.releaseName,
        chartVersion: m.chartVersion ?? d.chartVersion,
        chartRepository: m.chartRepository ?? d.chartRepository,
        prometheus: m.prometheus ?? d.prometheus,
        alertmanager: m.alertmanager ?? d.alertmanager,
        grafana: { ...(m.grafana ?? d.grafana), adminPassword: m.grafanaAdminPassword },
        receivers,
        controlPlane: m.controlPlane ?? d.controlPlane,
        remoteWrite: (m.remoteWrite ?? []).map((t) => ({ ...t, credential: m.remoteWriteCredentials?.[t.name] })),
        externalLabels: m.externalLabels ?? {},
        metricsTls: m.metricsTls,
    };
}

/** The `monitoring:` configuration namespace, parsed into install or existing mode. */
export const monitoringSchema = monitoringObject
    // The mode checks run unless the section is structurally broken (a semantic problem inside it does not hide them).
    .superRefine(checkModes, { when: (payload) => (payload.issues ?? []).every((i) => i.code === "custom") })
    .transform(toSettings);
export type MonitoringSettingsInput = z.input<typeof monitoringSchema>;
