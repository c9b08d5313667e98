import { JOBS, NODE_LABEL, PORTS } from "../metrics";
import { PodSelector } from "../metallb/labels";

/**
 * Pure builders for the scrape side of MetalLB monitoring: metrics Services that select the pods
 * by the labels the Helm chart puts on them, and ServiceMonitors that scrape them over HTTPS with
 * the Prometheus service account's token, relabelling `job` and `node` to the contract in
 * lib/metrics.ts.
 */

export type ScrapeTarget = "controller" | "speaker" | "frr-k8s";

export interface MetricsPort {
    readonly name: string;
    readonly port: number;
}

/** What each target exposes and how its series are labelled. */
export const TARGETS: Readonly<Record<ScrapeTarget, { job: string; ports: readonly MetricsPort[]; perNode: boolean }>> = {
    controller: { job: JOBS.controller, ports: [PORTS.metallb], perNode: false },
    speaker: { job: JOBS.speaker, ports: [PORTS.metallb], perNode: true },
    "frr-k8s": { job: JOBS.frrK8s, ports: [PORTS.frrK8sController, PORTS.frrK8sFrr], perNode: true },
};

/** Labels on our metrics Services; the ServiceMonitors select on them. */
export function metricsServiceLabels(target: ScrapeTarget): Record<string, string> {
    return {
        "app.kubernetes.io/part-of": "metallb-observability",
        "app.kubernetes.io/component": "metrics",
        "metallb-observability/target": target,
    };
}

export function metricsServiceName(releaseName: string, target: ScrapeTarget): string {
    return `${releaseName}-${target}-metrics`;
}

/**
 * A headless Service (one endpoint per pod, so one target per node for the DaemonSets) whose
 * ports point at the pods' named container ports.
 */
export function metricsServiceSpec(target: ScrapeTarget, selector: PodSelector): Record<string, unknown> {
    return {
        clusterIP: "None",
        selector: { ...selector },
        ports: TARGETS[target].ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: "TCP" })),
    };
}

/**
 * TLS towards MetalLB's metrics endpoints (`monitoring:metricsTls`): one kubernetes.io/tls Secret in
 * MetalLB's namespace that the chart mounts as the serving certificate (lib/metallb/values.ts) and
 * whose `ca.crt` the ServiceMonitors verify against. Both sides come from this one setting: a CA
 * check against pods that still serve self-signed certificates fails every scrape (real-cluster.md section 4).
 */
export interface MetricsTls {
    /** The Secret (tls.crt, tls.key, ca.crt), e.g. issued by cert-manager. */
    readonly secretName: string;
    /** Name the certificate is issued for: Prometheus scrapes pod IPs, which the certificate does not name. */
    readonly serverName: string;
}

/** Key of the CA certificate in a kubernetes.io/tls Secret (as cert-manager writes it). */
export const METRICS_TLS_CA_KEY = "ca.crt";

/** The ServiceMonitor endpoints' `tlsConfig`: verify against the Secret's CA, or accept self-signed. */
export function metricsTlsConfig(tls?: MetricsTls): Record<string, unknown> {
    return tls ? { ca: { secret: { name: tls.secretName, key: METRICS_TLS_CA_KEY } }, serverName: tls.serverName } : { insecureSkipVerify: true };
}

/**
 * Token file of the Prometheus pod's own service account: the projected, rotated token of the
 * account MetalLB's SubjectAccessReview checks. It is what MetalLB's and frr-k8s' own charts use;
 * the operator marks the field deprecated in favour of `authorization`, which needs a long-lived
 * token Secret instead.
 */
export const SERVICE_ACCOUNT_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface ServiceMonitorOptions {
    readonly namespace: string;
    readonly tls?: MetricsTls;
    /** Scrape interval; unset uses Prometheus' default. */
    readonly interval?: string;
}

export function serviceMonitorSpec(target: ScrapeTarget, opts: ServiceMonitorOptions): Record<string, unknown> {
    const t = TARGETS[target];
    const relabelings: Record<string, unknown>[] = [{ action: "replace", targetLabel: "job", replacement: t.job }];
    if (t.perNode) {
        relabelings.push({ action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: NODE_LABEL });
    }
    const tlsConfig = metricsTlsConfig(opts.tls);
    return {
        selector: { matchLabels: metricsServiceLabels(target) },
        namespaceSelector: { matchNames: [opts.namespace] },
        endpoints: t.ports.map((p) => ({
            port: p.name,
            scheme: "https",
            bearerTokenFile: SERVICE_ACCOUNT_TOKEN_FILE,
            tlsConfig,
            ...(opts.interval ? { interval: opts.interval } : {}),
            relabelings,
        })),
    };
}

/** ClusterRole rules: exactly what MetalLB's SubjectAccessReview asks for a scrape. */
export const METRICS_READER_RULES = [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }];
