import type { z } from "zod";
import type { remoteWriteQueueSettings, remoteWriteTlsSettings, ResourcesConfig, StorageConfig } from "./schema";
import { deepMerge } from "../util/merge";
import { buildAlertmanagerConfig, ReceiverOptions, RECEIVERS_SECRET } from "./alertmanager";
import {
    ADMIN_PASSWORD_REVISION_ANNOTATION,
    adminPasswordResetInitContainer,
    adminPasswordResetProblem,
    grafanaIniFor,
    RESET_ADMIN_PASSWORD_CONTAINER,
} from "./grafana";

/**
 * kube-prometheus-stack naming (templates/_helpers.tpl): fullname is the release name when it
 * contains the chart name, else "<release>-kube-prometheus-stack", truncated to 26 characters.
 */
export function kpsFullname(releaseName: string): string {
    const chart = "kube-prometheus-stack";
    const full = releaseName.includes(chart) ? releaseName : `${releaseName}-${chart}`;
    return full.slice(0, 26).replace(/-+$/, "");
}

/** Grafana subchart fullname: the release name when it contains "grafana", else "<release>-grafana". */
export function grafanaFullname(releaseName: string): string {
    return (releaseName.includes("grafana") ? releaseName : `${releaseName}-grafana`).slice(0, 63).replace(/-+$/, "");
}

/** In-cluster names and URLs the stack's other consumers need. */
export function kpsEndpoints(releaseName: string, namespace: string) {
    const full = kpsFullname(releaseName);
    return {
        prometheusServiceAccount: { namespace, name: `${full}-prometheus` },
        /** `job` of Prometheus' own metrics (the chart's rules use `<fullname>-prometheus`, templates/prometheus/rules-1.14/prometheus.yaml). */
        prometheusJob: `${full}-prometheus`,
        prometheusUrl: `http://${full}-prometheus.${namespace}.svc:9090`,
        alertmanagerUrl: `http://${full}-alertmanager.${namespace}.svc:9093`,
        grafanaInClusterUrl: `http://${grafanaFullname(releaseName)}.${namespace}.svc`,
    };
}

/** Secret holding Grafana's admin credentials (chart keys admin-user / admin-password). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const GRAFANA_ADMIN_USER = "admin";
export const GRAFANA_ADMIN_USER_KEY = "admin-user";
export const GRAFANA_ADMIN_PASSWORD_KEY = "admin-password";

/**
 * Pod Security labels of the monitoring namespace: `baseline` enforced, `restricted` warned and
 * audited. Nothing in it needs host access once node-exporter runs in a namespace of its own.
 */
export const MONITORING_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
};

/**
 * Pod Security labels of node-exporter's own namespace. node-exporter runs with hostNetwork, hostPID
 * and a host filesystem mount; a namespace that enforces `baseline` (Talos and other hardened
 * clusters default to it) rejects it and the atomic release times out (real-cluster.md section 5).
 * kube-prometheus-stack puts it there through `prometheus-node-exporter.namespaceOverride`.
 */
export const NODE_EXPORTER_NAMESPACE_LABELS: Readonly<Record<string, string>> = {
    "pod-security.kubernetes.io/enforce": "privileged",
    "pod-security.kubernetes.io/audit": "privileged",
    "pod-security.kubernetes.io/warn": "privileged",
};

/** Pod label of the Grafana subchart's pods (grafana chart `grafana.selectorLabels`: `app.kubernetes.io/name: grafana`). */
const GRAFANA_POD = { "app.kubernetes.io/name": "grafana" };
/** Prometheus' web port and its config-reloader's metrics port (Prometheus Operator defaults). */
const PROMETHEUS_PORTS = [9090, 8080];
/** Alertmanager's web port (kube-prometheus-stack `alertmanager.service.port`). */
const ALERTMANAGER_PORT = 9093;

const tcp = (ports: readonly number[]) => ports.map((port) => ({ port, protocol: "TCP" }));

/**
 * NetworkPolicies through the charts' own options (kube-prometheus-stack 88.5.3 templates
 * prometheus/networkpolicy.yaml, alertmanager/networkpolicy.yaml, prometheus-operator/networkpolicy.yaml;
 * grafana chart 12.11.1 templates/networkpolicy.yaml), or all off.
 * - Prometheus: the chart renders `policyTypes: [Egress, Ingress]` with only the rules given, so both
 *   are given: ingress from the pods of the monitoring namespace (Grafana's datasource, its own
 *   self-scrape) on 9090/8080; egress open, since it scrapes every node and namespace (MetalLB,
 *   node-exporter on host ports, kube-state-metrics, kubelets) and may remote-write anywhere.
 * - Alertmanager: the chart's rules (from Prometheus on 9093/8080, its peers, its reloader), plus
 *   Grafana's Alertmanager datasource; egress stays open (PagerDuty, Slack).
 * - The operator: the chart's policy (its webhook/metrics port 10250 for the API server and
 *   Prometheus, egress open to the API server).
 * - Grafana: only its port 3000; from the monitoring namespace's pods unless it is exposed (an
 *   Ingress or a LoadBalancer, which come from other namespaces or the nodes), then from anywhere.
 *   A `kubectl port-forward` enters the pod's network namespace and is not filtered.
 */
export function networkPolicyValues(enabled: boolean, namespace: string, grafanaExposed: boolean): Record<string, unknown> {
    if (!enabled) {
        return {
            prometheus: { networkPolicy: { enabled: false } },
            alertmanager: { networkPolicy: { enabled: false } },
            prometheusOperator: { networkPolicy: { enabled: false } },
            grafana: { networkPolicy: { enabled: false } },
        };
    }
    return {
        prometheus: {
            networkPolicy: {
                enabled: true,
                flavor: "kubernetes",
                ingress: [{ from: [{ podSelector: {} }], ports: tcp(PROMETHEUS_PORTS) }],
                egress: [{}],
            },
        },
        alertmanager: {
            networkPolicy: {
                enabled: true,
                additionalIngress: [{ from: [{ podSelector: { matchLabels: { ...GRAFANA_POD } } }], ports: tcp([ALERTMANAGER_PORT]) }],
            },
        },
        prometheusOperator: { networkPolicy: { enabled: true, flavor: "kubernetes" } },
        grafana: {
            networkPolicy: grafanaExposed
                ? { enabled: true, ingress: true, allowExternal: true }
                : {
                      enabled: true,
                      ingress: true,
                      allowExternal: false,
                      explicitNamespacesSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
                  },
        },
    };
}

/**
 * Control-plane components kube-prometheus-stack scrapes (and alerts on: KubeControllerManagerDown,
 * KubeSchedulerDown, etcd*, KubeProxyDown). On kubeadm-style clusters they listen on 127.0.0.1, so
 * scraping them fails and their alerts fire from the first minute: all off unless a stack says so.
 */
export interface ControlPlaneScraping {
    readonly kubeControllerManager: boolean;
    readonly kubeScheduler: boolean;
    readonly kubeEtcd: boolean;
    readonly kubeProxy: boolean;
}
export const NO_CONTROL_PLANE_SCRAPING: ControlPlaneScraping = { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: false, kubeProxy: false };

/**
 * kube-state-metrics exports Service annotations only when allowed (kube-state-metrics chart value
 * `metricAnnotationsAllowList`): this one gives
 * `kube_service_annotations{annotation_metallb_io_ip_allocated_from_pool="<pool>"}`, the only
 * per-pool Service count (MetalLB's own metallb_allocator_services_allocated_total is never set).
 */
export const KSM_ANNOTATIONS_ALLOWLIST = ["services=[metallb.io/ip-allocated-from-pool]"];

/** Secret (monitoring namespace) with the remote-write credentials, one key per endpoint and field. */
export const REMOTE_WRITE_SECRET = "prometheus-remote-write";

export type RemoteWriteAuth = "none" | "basic" | "bearer";
export interface RemoteWriteTarget {
    /** Unique; names the credential keys in the Secret. */
    readonly name: string;
    readonly url: string;
    readonly auth: RemoteWriteAuth;
    /** Basic auth user name (stored in the Secret too: the operator reads it from a Secret key). */
    readonly username?: string;
    /** Extra HTTP headers (plain values: RemoteWriteSpec `headers` is a map of strings). */
    readonly headers?: Readonly<Record<string, string>>;
    readonly tls?: z.output<typeof remoteWriteTlsSettings>;
    readonly queueConfig?: z.output<typeof remoteWriteQueueSettings>;
}

/**
 * RemoteWriteSpec `tlsConfig` (Prometheus Operator v0.93 SafeTLSConfig: `ca` and `cert` are
 * SecretOrConfigMap, `keySecret` a SecretKeySelector). `insecureSkipVerify` only when written.
 */
export function remoteWriteTlsConfig(tls: z.output<typeof remoteWriteTlsSettings>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (tls.caSecret) out.ca = { secret: { ...tls.caSecret } };
    if (tls.certSecret) out.cert = { secret: { ...tls.certSecret } };
    if (tls.keySecret) out.keySecret = { ...tls.keySecret };
    if (tls.serverName !== undefined) out.serverName = tls.serverName;
    if (tls.insecureSkipVerify !== undefined) out.insecureSkipVerify = tls.insecureSkipVerify;
    return out;
}

/** Keys of the remote-write Secret for an endpoint (`<name>-username`, `<name>-password`, `<name>-token`). */
export function remoteWriteSecretKeys(name: string) {
    return { username: `${name}-username`, password: `${name}-password`, token: `${name}-token` } as const;
}

/**
 * `prometheus.prometheusSpec.remoteWrite` entries (Prometheus Operator RemoteWriteSpec): the
 * credentials are references to keys of REMOTE_WRITE_SECRET, never values. Header values are
 * written as they are: RemoteWriteSpec `headers` is a plain `map[string]string` in v0.93
 * (pkg/apis/monitoring/v1/prometheus_types.go L1742ff., no Secret reference), so the component
 * makes the Release values a Pulumi secret when an endpoint has headers.
 */
export function remoteWriteSpec(targets: readonly RemoteWriteTarget[]): Record<string, unknown>[] {
    return targets.map((t) => {
        const keys = remoteWriteSecretKeys(t.name);
        const ref = (key: string) => ({ name: REMOTE_WRITE_SECRET, key });
        const auth =
            t.auth === "basic"
                ? { basicAuth: { username: ref(keys.username), password: ref(keys.password) } }
                : t.auth === "bearer"
                  ? { authorization: { type: "Bearer", credentials: ref(keys.token) } }
                  : {};
        return {
            name: t.name,
            url: t.url,
            ...auth,
            ...(t.headers && Object.keys(t.headers).length > 0 ? { headers: { ...t.headers } } : {}),
            ...(t.tls ? { tlsConfig: remoteWriteTlsConfig(t.tls) } : {}),
            ...(t.queueConfig ? { queueConfig: { ...t.queueConfig } } : {}),
        };
    });
}

export interface KpsValuesOptions {
    readonly prometheus: {
        readonly retention: string;
        readonly retentionSize?: string;
        readonly scrapeInterval: string;
        readonly evaluationInterval: string;
        readonly resources?: ResourcesConfig;
        readonly storage?: StorageConfig;
    };
    readonly alertmanager: { readonly retention: string; readonly resources?: ResourcesConfig; readonly storage?: StorageConfig };
    readonly grafana: {
        readonly resources?: ResourcesConfig;
        readonly persistence?: StorageConfig;
        readonly serviceType: "LoadBalancer" | "ClusterIP";
        readonly pool?: string;
        readonly address?: string;
        /** Client networks allowed to reach the LoadBalancer. */
        readonly loadBalancerSourceRanges?: readonly string[];
        /** Exposure through an Ingress with TLS. */
        readonly ingress?: { readonly className: string; readonly host: string; readonly tlsSecretName: string };
        /** Public URL of Grafana (root_url; lib/monitoring/grafana.ts grafanaPublicUrl), when exposed. */
        readonly url?: string;
        /**
         * Changes whenever the admin password changes (not derived from it): a pod annotation, so
         * Grafana restarts and its init container applies the new password.
         */
        readonly adminPasswordRevision?: string;
    };
    /** Control-plane scraping (default: none). */
    readonly controlPlane?: ControlPlaneScraping;
    /** NetworkPolicies for the stack in `namespace` (unset: none). */
    readonly networkPolicies?: { readonly namespace: string };
    /** node-exporter's own (privileged) namespace; unset keeps it in the release namespace. */
    readonly nodeExporterNamespace?: string;
    /** Prometheus remote-write endpoints. */
    readonly remoteWrite?: readonly RemoteWriteTarget[];
    /** Prometheus external labels (e.g. `cluster`). */
    readonly externalLabels?: Readonly<Record<string, string>>;
    readonly receivers: ReceiverOptions;
    /** Extra chart values, deep-merged last. */
    readonly overrides?: Record<string, unknown>;
}

function volumeClaim(storage: StorageConfig): Record<string, unknown> {
    return {
        volumeClaimTemplate: {
            spec: {
                ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
                accessModes: ["ReadWriteOnce"],
                resources: { requests: { storage: storage.size } },
            },
        },
    };
}

/**
 * Prometheus Operator CRDs that follow a chart bump. Helm installs `crds/` on the first install
 * only (kube-prometheus-stack README "Upgrading Chart"), so after bumping `chartVersion` the
 * operator would run against the old CRDs. kube-prometheus-stack 88.5.3 `crds.upgradeJob`
 * (values L33-45, charts/crds/templates/upgrade/*.yaml) server-side-applies the chart's CRDs
 * (`forceConflicts: true`) from a Job with hooks pre-install, pre-upgrade and pre-rollback, weight
 * 5, after its ServiceAccount, ClusterRole (CRDs by name only) and binding (weight -5). The
 * release is a `helm.v3.Release`, which runs hooks; the Job uses the chart's busybox and kubectl
 * images (`crds.upgradeJob.image`, honouring `global.imageRegistry`).
 */
export const CRD_UPGRADE_VALUES = { enabled: true, upgradeJob: { enabled: true } } as const;

const defined = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * Values for kube-prometheus-stack. They hold no secret: Grafana's admin password comes from the
 * `grafana-admin` Secret, the receivers' credentials from the mounted `alertmanager-receivers`.
 * Prometheus keeps the chart's default selectors (`release: <release name>`), which the
 * MetalLB monitors and rules carry.
 */
export function buildKpsValues(o: KpsValuesOptions): Record<string, unknown> {
    const controlPlane = o.controlPlane ?? NO_CONTROL_PLANE_SCRAPING;
    const remoteWrite = o.remoteWrite ?? [];
    const externalLabels = o.externalLabels ?? {};
    const annotations = defined({ "metallb.io/address-pool": o.grafana.pool, "metallb.io/loadBalancerIPs": o.grafana.address });
    const values: Record<string, unknown> = {
        prometheus: {
            prometheusSpec: defined({
                retention: o.prometheus.retention,
                retentionSize: o.prometheus.retentionSize,
                scrapeInterval: o.prometheus.scrapeInterval,
                evaluationInterval: o.prometheus.evaluationInterval,
                resources: o.prometheus.resources,
                storageSpec: o.prometheus.storage ? volumeClaim(o.prometheus.storage) : undefined,
                remoteWrite: remoteWrite.length > 0 ? remoteWriteSpec(remoteWrite) : undefined,
                externalLabels: Object.keys(externalLabels).length > 0 ? { ...externalLabels } : undefined,
            }),
        },
        crds: structuredClone(CRD_UPGRADE_VALUES) as Record<string, unknown>,
        kubeControllerManager: { enabled: controlPlane.kubeControllerManager },
        kubeScheduler: { enabled: controlPlane.kubeScheduler },
        kubeEtcd: { enabled: controlPlane.kubeEtcd },
        kubeProxy: { enabled: controlPlane.kubeProxy },
        "kube-state-metrics": { metricAnnotationsAllowList: [...KSM_ANNOTATIONS_ALLOWLIST] },
        alertmanager: {
            alertmanagerSpec: defined({
                retention: o.alertmanager.retention,
                resources: o.alertmanager.resources,
                storage: o.alertmanager.storage ? volumeClaim(o.alertmanager.storage) : undefined,
                secrets: [RECEIVERS_SECRET],
            }),
            config: buildAlertmanagerConfig(o.receivers),
        },
        grafana: defined({
            admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: GRAFANA_ADMIN_USER_KEY, passwordKey: GRAFANA_ADMIN_PASSWORD_KEY },
            resources: o.grafana.resources,
            persistence: o.grafana.persistence
                ? defined({ enabled: true, storageClassName: o.grafana.persistence.storageClassName, size: o.grafana.persistence.size })
                : { enabled: false },
            // A ReadWriteOnce volume cannot attach to the new pod while the old one holds it on
            // another node: RollingUpdate (the chart's default) deadlocks (grafana/helm-charts#146).
            deploymentStrategy: o.grafana.persistence ? { type: "Recreate" } : undefined,
            // The annotation restarts the pod when the password changes; the init container that
            // applies it is added from the final values (withAdminPasswordReset).
            podAnnotations:
                o.grafana.adminPasswordRevision !== undefined ? { [ADMIN_PASSWORD_REVISION_ANNOTATION]: o.grafana.adminPasswordRevision } : undefined,
            service: defined({
                type: o.grafana.serviceType,
                annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
                loadBalancerSourceRanges:
                    o.grafana.serviceType === "LoadBalancer" && o.grafana.loadBalancerSourceRanges ? [...o.grafana.loadBalancerSourceRanges] : undefined,
            }),
            // Grafana chart values `ingress.*` (grafana-values.yaml): TLS for the host from the given Secret.
            ingress: o.grafana.ingress
                ? {
                      enabled: true,
                      ingressClassName: o.grafana.ingress.className,
                      hosts: [o.grafana.ingress.host],
                      path: "/",
                      pathType: "Prefix",
                      tls: [{ secretName: o.grafana.ingress.tlsSecretName, hosts: [o.grafana.ingress.host] }],
                  }
                : undefined,
            "grafana.ini": grafanaIniFor(o.grafana.url),
        }),
        ...(o.nodeExporterNamespace !== undefined ? { "prometheus-node-exporter": { namespaceOverride: o.nodeExporterNamespace } } : {}),
    };
    const exposed = o.grafana.serviceType === "LoadBalancer" || o.grafana.ingress !== undefined;
    const policies = networkPolicyValues(o.networkPolicies !== undefined, o.networkPolicies?.namespace ?? "", exposed);
    return withAdminPasswordReset(deepMerge(deepMerge(values, policies), o.overrides), o.overrides);
}

const ADMIN_SECRET_REF = { name: GRAFANA_ADMIN_SECRET, passwordKey: GRAFANA_ADMIN_PASSWORD_KEY };

/**
 * Adds the admin-password init container (./grafana.ts) to the merged values, built from the final
 * Grafana values (image registry, env, persistence subPath, paths.data as overridden), unless the
 * overrides set `grafana.extraInitContainers` themselves (lists replace: `[]` opts out).
 */
export function withAdminPasswordReset(merged: Record<string, unknown>, overrides?: Record<string, unknown>): Record<string, unknown> {
    // biome-ignore lint/suspicious/noExplicitAny: Grafana chart values as the user may override them
    const grafana = (merged.grafana ?? {}) as Record<string, any>;
    // biome-ignore lint/suspicious/noExplicitAny: Grafana chart values as the user may override them
    if ((overrides?.grafana as Record<string, any> | undefined)?.extraInitContainers !== undefined) {
        return merged;
    }
    return { ...merged, grafana: { ...grafana, extraInitContainers: [adminPasswordResetInitContainer(ADMIN_SECRET_REF, grafana)] } };
}

/**
 * Why the admin password cannot be rotated with these chart overrides (an external Grafana
 * database with the init container still in place), as one message; undefined when it can.
 */
export function adminPasswordResetProblems(overrides?: Record<string, unknown>): string | undefined {
    // biome-ignore lint/suspicious/noExplicitAny: Grafana chart values as the user may override them
    const grafana = deepMerge({ extraInitContainers: [{ name: RESET_ADMIN_PASSWORD_CONTAINER }] }, (overrides?.grafana ?? {}) as Record<string, any>);
    return adminPasswordResetProblem(grafana);
}
