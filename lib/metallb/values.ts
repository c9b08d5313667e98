import { BgpBackend } from "./schema";
import { deepMerge } from "../util/merge";

export interface MetallbValuesOptions {
    /** BGP implementation: the speaker's native one, or the frr-k8s DaemonSet (the chart's 0.16 default). */
    readonly bgpBackend: `${BgpBackend}`;
    /**
     * kubernetes.io/tls Secret (in MetalLB's namespace: tls.crt, tls.key, ca.crt) the chart mounts as
     * the metrics serving certificate of the controller, the speakers and frr-k8s; unset, each
     * serves a self-signed certificate. Must be the Secret the ServiceMonitors verify against.
     */
    readonly metricsTlsSecret?: string;
    /** Extra chart values, deep-merged last (lists replace). */
    readonly overrides?: Record<string, unknown>;
}

/**
 * Values for the MetalLB 0.16 chart. The chart's own monitors stay off: its PodMonitor is broken in
 * 0.16.0/0.16.1 (metallb/metallb#3080) and its ServiceMonitor/PrometheusRule templates produce job
 * labels and alerts that do not match each other (#2389, #2876); the monitoring component creates
 * correct ones instead.
 */
export function buildMetallbValues(opts: MetallbValuesOptions): Record<string, unknown> {
    const frrK8s = opts.bgpBackend === "frr-k8s";
    const values: Record<string, unknown> = {
        // `frrk8s.enabled` (no hyphen) switches the backend; `frr-k8s:` configures the subchart (#3053).
        frrk8s: { enabled: frrK8s },
        speaker: { frr: { enabled: false } },
        prometheus: {
            scrapeAnnotations: false,
            rbacPrometheus: false,
            podMonitor: { enabled: false },
            serviceMonitor: { enabled: false },
            prometheusRule: { enabled: false },
        },
        crds: { enabled: true, validationFailurePolicy: "Fail" },
    };
    if (opts.metricsTlsSecret) {
        // metallb chart 0.16.1: controller.yaml L84-86/L118-122/L179-183 and speaker.yaml L178-181,
        // L297-299 mount the Secret and pass --metrics-cert-dir; the frr-k8s 0.0.25 subchart (values
        // under `frr-k8s:`) does the same with tls.metricsTLSSecret for both of its metrics ports
        // (templates/controller.yaml L160-163 volume, L229-231 controller, L367-372 frr-metrics).
        values.tls = { controllerMetricsTLSSecret: opts.metricsTlsSecret, speakerMetricsTLSSecret: opts.metricsTlsSecret };
        if (frrK8s) {
            values["frr-k8s"] = { tls: { metricsTLSSecret: opts.metricsTlsSecret } };
        }
    }
    return deepMerge(values, opts.overrides);
}
