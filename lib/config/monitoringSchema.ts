import { z } from "zod";
import { alertSettingsSchema } from "../rules/settings";
import { exactVersion, k8sLabelName, k8sName, promDuration } from "./schema";

/** Kubernetes quantity: "512Mi", "2Gi", "500m", "1". */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const quantity = z.string().regex(QUANTITY, { error: "must be a Kubernetes quantity such as 512Mi, 2Gi or 500m" });

const resources = z.strictObject({
    requests: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
    limits: z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});
export type ResourcesConfig = z.infer<typeof resources>;

/** Persistent volume; unset = emptyDir (data lost when the pod moves). */
const storage = z.strictObject({
    /** StorageClass; unset uses the cluster default. */
    storageClassName: z.string().min(1).optional(),
    size: quantity,
});
export type StorageConfig = z.infer<typeof storage>;

export const MONITORING_DEFAULTS = {
    namespace: "monitoring",
    releaseName: "kube-prometheus-stack",
    chartVersion: "88.5.3",
    chartRepository: "https://prometheus-community.github.io/helm-charts",
} as const;

const prometheus = z.strictObject({
    retention: promDuration.default("10d"),
    /** e.g. "45GB"; Prometheus' own unit syntax (B, KB, MB, GB, TB, PB, EB). */
    retentionSize: z
        .string()
        .regex(/^[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|PB|EB)$/, { error: "must be a size such as 45GB (B, KB, MB, GB, TB)" })
        .optional(),
    scrapeInterval: promDuration.default("30s"),
    evaluationInterval: promDuration.default("30s"),
    resources: resources.optional(),
    storage: storage.optional(),
});

const alertmanager = z.strictObject({
    retention: promDuration.default("120h"),
    resources: resources.optional(),
    storage: storage.optional(),
});

const grafana = z.strictObject({
    resources: resources.optional(),
    persistence: storage.optional(),
    /**
     * How `pulumi up` reaches Grafana to push the dashboard: a LoadBalancer Service with a fixed
     * address from a MetalLB pool (default), or `url` for an ingress or a port-forward.
     */
    service: z
        .strictObject({
            type: z.enum(["LoadBalancer", "ClusterIP"]).default("LoadBalancer"),
            /** MetalLB pool the address comes from. */
            pool: z.string().optional(),
            /** Fixed address from that pool; the Grafana URL becomes http://<address>. */
            address: z.string().optional(),
        })
        .default({ type: "LoadBalancer" }),
    /** Grafana URL as reached from where `pulumi up` runs; overrides the LoadBalancer address. */
    url: z.url().optional(),
});

/** An existing kube-prometheus-stack (or Prometheus Operator setup) when `install` is false. */
const existing = z.strictObject({
    selectorLabels: z.record(z.string(), z.string()),
    prometheusServiceAccount: z.strictObject({ namespace: k8sLabelName, name: k8sName }),
    prometheusUrl: z.url(),
    alertmanagerUrl: z.url().optional(),
    grafanaUrl: z.url().optional(),
});

const receivers = z.strictObject({
    /** Critical alerts page through PagerDuty (routing key: the secret monitoring:pagerdutyRoutingKey). */
    pagerduty: z.strictObject({ enabled: z.boolean().default(true) }).optional(),
    /** Warnings (and critical alerts without a pager) go to Slack (webhook: the secret monitoring:slackWebhookUrl). */
    slack: z.strictObject({ channel: z.string().min(1) }).optional(),
});

/** The `monitoring:` configuration namespace. */
export const monitoringSchema = z.strictObject({
    /** Install kube-prometheus-stack (default), or use the one in `existing`. */
    install: z.boolean().default(true),
    namespace: k8sLabelName.default(MONITORING_DEFAULTS.namespace),
    releaseName: k8sLabelName.default(MONITORING_DEFAULTS.releaseName),
    chartVersion: exactVersion.default(MONITORING_DEFAULTS.chartVersion),
    chartRepository: z.url().default(MONITORING_DEFAULTS.chartRepository),
    prometheus: prometheus.default({ retention: "10d", scrapeInterval: "30s", evaluationInterval: "30s" }),
    alertmanager: alertmanager.default({ retention: "120h" }),
    grafana: grafana.default({ service: { type: "LoadBalancer" } }),
    receivers: receivers.default({}),
    existing: existing.optional(),
    /** Verify MetalLB's metrics certificates with a CA instead of accepting self-signed ones. */
    metricsTls: z
        .strictObject({
            caSecret: z.strictObject({ name: k8sName, key: z.string().min(1) }),
            serverName: z.string().optional(),
        })
        .optional(),
    /** Secrets (set with `pulumi config set --secret`). */
    grafanaAdminPassword: z.string().min(1).optional(),
    pagerdutyRoutingKey: z.string().min(1).optional(),
    slackWebhookUrl: z.string().min(1).optional(),
    /** Grafana credentials ("user:password" or an API token) for an existing Grafana. */
    grafanaAuth: z.string().min(1).optional(),
});
export type MonitoringConfig = z.output<typeof monitoringSchema>;

/** Keys of `monitoring:` that must be Pulumi secrets. */
export const MONITORING_SECRET_KEYS = ["grafanaAdminPassword", "pagerdutyRoutingKey", "slackWebhookUrl", "grafanaAuth"] as const;

/** The `alerts:` configuration namespace: the rules' own settings schema (lib/rules/settings.ts). */
export const alertsSchema = alertSettingsSchema;
export type AlertsConfig = z.output<typeof alertsSchema>;

export const DASHBOARD_DELIVERIES = ["grafana-api", "configmap", "none"] as const;

/** The `dashboard:` configuration namespace. */
export const dashboardSchema = z.strictObject({
    /** grafana-api: through the Grafana provider; configmap: for Grafana's sidecar; none. */
    delivery: z.enum(DASHBOARD_DELIVERIES).default("grafana-api"),
    /** Grafana folder title. */
    folder: z.string().min(1).default("MetalLB"),
});
export type DashboardConfig = z.output<typeof dashboardSchema>;
