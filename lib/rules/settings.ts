import { z } from "zod";
import { JOBS } from "../metrics";
import { linkProblem } from "../util/credentials";
import { criticalForKeys, ruleLabelNames } from "./vocabulary";

/**
 * The alert settings (stack config namespace `alerts:`, `MetalLbMonitoring`'s `alerts` argument) as
 * one zod schema. Every field has a default (zod 4 `default` for leaves, `prefault` for nested
 * objects so that their own defaults run), so any deep-partial input parses to complete settings:
 * `alertSettingsSchema.parse({})` is `DEFAULT_ALERT_SETTINGS`.
 *
 * `selectors` follows the kubernetes-mixin `_config` convention (kubernetes-monitoring/kubernetes-mixin
 * config.libsonnet: `kubeStateMetricsSelector`, `kubeApiserverSelector`, `clusterLabel`): a fleet
 * that installs MetalLB elsewhere, or scrapes it under other job names, sets them once here.
 */

/** Prometheus duration: "30s", "5m", "1h30m" (prometheus/common model.ParseDuration, without "0"). */
const PROM_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
const duration = z.string().min(1).regex(PROM_DURATION, { error: "must be a Prometheus duration such as 30s, 5m, 15d" });

/** A Prometheus label name (prometheus/common model.LabelNameRE, without the reserved `__` prefix). */
export const labelName = z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { error: "must be a Prometheus label name such as cluster" })
    .refine((s) => !s.startsWith("__"), { error: "must not start with __ (reserved by Prometheus)" });

/**
 * A plain label value: the selectors are written into matchers (`job="<value>"`, and joined into
 * `job=~"a|b"`), so quotes, backslashes, braces and regex syntax would change what the rules select.
 * Letters, digits and `_ . : / -` (a PodMonitor's job is `<namespace>/<name>`).
 */
const PLAIN_LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
const plainValue = z.string().min(1).regex(PLAIN_LABEL_VALUE, {
    error: "must be a plain label value: letters, digits and _ . : / - (no quotes, braces, | or other regex syntax; it is written into the rules' matchers)",
});
const jobName = plainValue;

/** Milliseconds of a Prometheus duration (PROM_DURATION). */
function promDurationMs(text: string): number {
    const units: Record<string, number> = { y: 31_536_000_000, w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
    let total = 0;
    for (const m of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) {
        total += Number(m[1]) * units[m[2]];
    }
    return total;
}

/** The longest `for` a critical alert may have: beyond it the alert pages too late to matter. */
export const MAX_CRITICAL_FOR = "1h";
const percent = z.number().int().min(1).max(100);

/** `for` of each alert (Prometheus durations). Criticals stay at 2m or less: 30s scrape + 30s evaluation + for <= 3 minutes. */
const forSchema = z.strictObject({
    poolUsage: duration.default("10m"),
    poolExhausted: duration.default("2m"),
    servicePending: duration.default("5m"),
    servicePendingControllerDown: duration.default("2m"),
    addressNotAnnounced: duration.default("2m"),
    l2SplitBrain: duration.default("2m"),
    bgpPeerDown: duration.default("2m"),
    bgpSessionDown: duration.default("3m"),
    bgpSessionVanished: duration.default("5m"),
    bgpNoPrefixes: duration.default("10m"),
    bfdSessionDown: duration.default("2m"),
    controllerDown: duration.default("2m"),
    speakerDown: duration.default("5m"),
    frrK8sDown: duration.default("5m"),
    config: duration.default("5m"),
    webhookFailures: duration.default("1m"),
});

/** Where MetalLB and the series the alerts join with are scraped: one place for a whole fleet. */
export const selectorsSchema = z.strictObject({
    /** MetalLB's namespace; unset: the namespace the rules are built for (where this program installs MetalLB). */
    namespace: z
        .string()
        .max(63)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name (lowercase letters, digits and '-')" })
        .optional(),
    /** `job` label of the MetalLB controller, speaker and frr-k8s targets (our ServiceMonitors' jobLabel values). */
    controllerJob: jobName.default(JOBS.controller),
    speakerJob: jobName.default(JOBS.speaker),
    frrK8sJob: jobName.default(JOBS.frrK8s),
    /** `job` of kube-state-metrics and of the API server as kube-prometheus-stack scrapes them. */
    kubeStateMetricsJob: jobName.default("kube-state-metrics"),
    apiserverJob: jobName.default("apiserver"),
});

export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/metallb-observability/metallb-observability/blob/main/runbooks";

/** The `alerts:` settings. */
export const alertSettingsSchema = z
    .strictObject({
        /**
         * Label that names the cluster in a multi-cluster store (Thanos, Mimir), e.g. `cluster`. Unset
         * (default): single cluster. Set: every recording rule and alert keeps it in each `by`/`on`,
         * `absent()` becomes per cluster, descriptions name the cluster, Alertmanager groups by it.
         */
        clusterLabel: labelName.optional(),
        /** A pool family (IPv4 or IPv6) at or above this usage (percent) for `for.poolUsage` warns. */
        poolUsageWarningPercent: percent.default(80),
        /** A pool family at or above this usage (percent) for `for.poolExhausted` is critical. */
        poolUsageCriticalPercent: percent.default(95),
        /** Pools no pool alert fires for (e.g. a deliberately tiny pool); pools with autoAssign false are excluded anyway. */
        excludePools: z.array(z.string().min(1)).default([]),
        /** BGP session state changes within 15 minutes that count as flapping. */
        bgpFlapChanges: z.number().int().min(2).default(4),
        /** BFD session down events within 15 minutes that count as flapping (frrk8s_bfd_session_down_events). */
        bfdFlapEvents: z.number().int().min(1).default(3),
        /** Times an L2 address changes its announcing node within 15 minutes that count as churn (a speaker rollout moves it at most twice). */
        l2OwnerChanges: z.number().int().min(2).default(4),
        for: forSchema.prefault({}),
        selectors: selectorsSchema.prefault({}),
        /** Base URL of the runbooks folder; each alert links to `<base>/<AlertName>.md`. */
        runbookBaseUrl: z
            .url()
            .superRefine((url, ctx) => {
                const problem = linkProblem(url);
                if (problem) {
                    ctx.addIssue({ code: "custom", message: problem, input: undefined });
                }
            })
            .default(DEFAULT_RUNBOOK_BASE_URL),
    })
    .superRefine((s, ctx) => {
        if (s.clusterLabel !== undefined && ruleLabelNames().has(s.clusterLabel)) {
            ctx.addIssue({
                code: "custom",
                path: ["clusterLabel"],
                message: `"${s.clusterLabel}" is a label the rules already use (${[...ruleLabelNames()].sort().join(", ")}); name the cluster with a label of its own, e.g. cluster`,
            });
        }
        // Only long durations ask the rules which settings time a critical alert (the defaults are built before the rules can be).
        const long = Object.entries(s.for).filter(([, value]) => promDurationMs(value) > promDurationMs(MAX_CRITICAL_FOR));
        for (const [key, value] of long) {
            if (criticalForKeys().has(key)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["for", key],
                    message: `(${value}) holds back a critical alert for longer than ${MAX_CRITICAL_FOR}: it would page only after the harm is done; use at most ${MAX_CRITICAL_FOR}`,
                });
            }
        }
        if (s.poolUsageWarningPercent >= s.poolUsageCriticalPercent) {
            ctx.addIssue({
                code: "custom",
                path: ["poolUsageWarningPercent"],
                message: `(${s.poolUsageWarningPercent}) must be below poolUsageCriticalPercent (${s.poolUsageCriticalPercent})`,
            });
        }
    });

/** Complete alert settings, as the rule builders take them. */
export type AlertSettings = z.output<typeof alertSettingsSchema>;
/** Alert settings as a user writes them: every field optional, at any depth. */
export type AlertSettingsInput = z.input<typeof alertSettingsSchema>;
export type AlertSelectors = AlertSettings["selectors"];

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze(alertSettingsSchema.parse({}));

/** Partial alert settings completed with the defaults; throws (a ZodError) when they are invalid. */
export function withAlertDefaults(partial: AlertSettingsInput = {}): AlertSettings {
    return alertSettingsSchema.parse(partial);
}
