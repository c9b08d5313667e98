/** Prometheus rule types, as PrometheusRule `spec.groups` and rule files take them. */
export interface RecordingRule {
    readonly record: string;
    readonly expr: string;
    readonly labels?: Readonly<Record<string, string>>;
}

export type Severity = "critical" | "warning" | "info";

export interface AlertingRule {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels: Readonly<{ severity: Severity } & Record<string, string>>;
    readonly annotations: Readonly<{ summary: string; description: string; runbook_url: string } & Record<string, string>>;
}

export interface RuleGroup {
    readonly name: string;
    readonly interval?: string;
    readonly rules: readonly (RecordingRule | AlertingRule)[];
}

export interface RuleFile {
    readonly groups: readonly RuleGroup[];
}

export { AlertSettings, AlertSettingsInput, DEFAULT_ALERT_SETTINGS, DEFAULT_RUNBOOK_BASE_URL, withAlertDefaults } from "./settings";

/** What the rules are built for: where MetalLB runs and how it is set up. */
export interface RuleTarget {
    /** MetalLB's namespace: every selector is scoped to it. */
    readonly namespace: string;
    /** MetalLB's Helm release name (DaemonSet names derive from it). */
    readonly releaseName: string;
    /** BGP backend; frr-k8s adds the frr-k8s pod and BFD alerts. */
    readonly bgpBackend: "native" | "frr-k8s";
    /** Pools announced over BGP; the "announcing nothing" alert looks at these. Empty: no BGP. */
    readonly bgpPools: readonly string[];
    /**
     * Pools reserved by design (`autoAssign: false`, e.g. the one address Grafana's Service asks
     * for): never "exhausted" or "usage high"; a Service that cannot get their address is pending.
     */
    readonly reservedPools?: readonly string[];
}
