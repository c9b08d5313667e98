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

/** Alert thresholds and durations; all come from stack config (`alerts:`) with these defaults. */
export interface AlertSettings {
    /** A pool at or above this usage (percent) for `for.poolUsage` raises a warning. */
    readonly poolUsageWarningPercent: number;
    /** A pool at or above this usage (percent), or with no free address, is critical. */
    readonly poolUsageCriticalPercent: number;
    /** Pools no pool alert fires for (e.g. a deliberately tiny pool). */
    readonly excludePools: readonly string[];
    /** Session state changes within 15 minutes that count as flapping. */
    readonly bgpFlapChanges: number;
    /** `for` of each alert family (Prometheus durations). */
    readonly for: Readonly<{
        poolUsage: string;
        poolExhausted: string;
        bgpSessionDown: string;
        bgpNoPrefixes: string;
        bfdSessionDown: string;
        controllerDown: string;
        speakerDown: string;
        frrK8sDown: string;
        config: string;
        apiErrors: string;
    }>;
    /** Base URL of the runbooks folder; each alert links to `<base>/<AlertName>.md`. */
    readonly runbookBaseUrl: string;
}

export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/metallb-observability/metallb-observability/blob/main/runbooks";

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
    poolUsageWarningPercent: 80,
    poolUsageCriticalPercent: 95,
    excludePools: [],
    bgpFlapChanges: 4,
    for: {
        poolUsage: "10m",
        poolExhausted: "3m",
        bgpSessionDown: "3m",
        bgpNoPrefixes: "10m",
        bfdSessionDown: "2m",
        controllerDown: "3m",
        speakerDown: "5m",
        frrK8sDown: "5m",
        config: "5m",
        apiErrors: "10m",
    },
    runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
};

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
}

/** Partial alert settings (a component's argument, the `alerts:` config) completed with the defaults; unset durations keep theirs. */
export function withAlertDefaults(partial: Omit<Partial<AlertSettings>, "for"> & { readonly for?: Partial<Record<keyof AlertSettings["for"], string | undefined>> } = {}): AlertSettings {
    const durations = Object.fromEntries(Object.entries(partial.for ?? {}).filter(([, v]) => v !== undefined)) as Partial<AlertSettings["for"]>;
    return { ...DEFAULT_ALERT_SETTINGS, ...partial, for: { ...DEFAULT_ALERT_SETTINGS.for, ...durations } };
}
