import { BgpBackend } from "./schema";
import { deepMerge } from "../util/merge";

export interface MetallbValuesOptions {
    /** BGP implementation: the speaker's native one, or the frr-k8s DaemonSet (the chart's 0.16 default). */
    readonly bgpBackend: `${BgpBackend}`;
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
    return deepMerge(values, opts.overrides);
}
