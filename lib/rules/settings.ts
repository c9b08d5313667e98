import { z } from "zod";
import { JOBS } from "../metrics";
import { linkProblem } from "../util/credentials";
import { argsType } from "../util/schema";
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
/** A pool usage threshold in percent: the alerts' and the dashboard's. */
export const usagePercent = z.number().int().min(1).max(100);

/** `for` of each alert (Prometheus durations). Criticals stay at 2m or less: 30s scrape + 30s evaluation + for <= 3 minutes. */
const forSchema = argsType(
    "AlertDurationsArgs",
    "`for` of each alert (Prometheus durations); unset ones keep their defaults.",
    z.strictObject({
        poolUsage: duration.default("10m").describe("`for` of MetalLBAddressPoolUsageHigh (default 10m)."),
        poolExhausted: duration.default("2m").describe("`for` of MetalLBAddressPoolExhausted (default 2m)."),
        servicePending: duration.default("5m").describe("`for` of MetalLBServicePending, warning (default 5m)."),
        servicePendingControllerDown: duration.default("2m").describe("`for` of MetalLBServicePending while the controller is down, critical (default 2m)."),
        addressNotAnnounced: duration.default("2m").describe("`for` of MetalLBAddressNotAnnounced (default 2m)."),
        l2SplitBrain: duration.default("2m").describe("`for` of MetalLBL2SplitBrain (default 2m)."),
        bgpPeerDown: duration.default("2m").describe("`for` of MetalLBBGPPeerDown (default 2m)."),
        bgpSessionDown: duration.default("3m").describe("`for` of MetalLBBGPSessionDown (default 3m)."),
        bgpSessionVanished: duration.default("5m").describe("`for` of MetalLBBGPSessionVanished (default 5m)."),
        bgpNoPrefixes: duration.default("10m").describe("`for` of MetalLBBGPNoPrefixesAnnounced (default 10m)."),
        bfdSessionDown: duration.default("2m").describe("`for` of MetalLBBFDSessionDown (default 2m)."),
        controllerDown: duration.default("2m").describe("`for` of MetalLBControllerDown (default 2m)."),
        speakerDown: duration.default("5m").describe("`for` of MetalLBSpeakerDown and MetalLBSpeakersNotReady (default 5m)."),
        frrK8sDown: duration.default("5m").describe("`for` of MetalLBFRRK8sDown and MetalLBFRRK8sNotReady (default 5m)."),
        config: duration.default("5m").describe("`for` of the stale and not-loaded configuration alerts (default 5m)."),
        webhookFailures: duration.default("1m").describe("`for` of MetalLBWebhookFailing (default 1m)."),
    }),
);

/** Where MetalLB and the series the alerts join with are scraped: one place for a whole fleet. */
export const selectorsSchema = argsType(
    "AlertSelectorsArgs",
    "Where MetalLB and the series the alerts join with are scraped (the mixin `_config` way).",
    z.strictObject({
        namespace: z
            .string()
            .max(63)
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name (lowercase letters, digits and '-')" })
            .optional()
            .describe("MetalLB's namespace; unset: the one the rules are built for."),
        // The defaults are our ServiceMonitors' jobLabel values and kube-prometheus-stack's jobs.
        controllerJob: jobName
            .default(JOBS.controller)
            .describe("`job` label of the MetalLB controller's metrics (default: this package's ServiceMonitor job)."),
        speakerJob: jobName.default(JOBS.speaker).describe("`job` label of the speakers' metrics (default: this package's ServiceMonitor job)."),
        frrK8sJob: jobName.default(JOBS.frrK8s).describe("`job` label of the frr-k8s pods' metrics (default: this package's ServiceMonitor job)."),
        kubeStateMetricsJob: jobName.default("kube-state-metrics").describe("`job` label of kube-state-metrics (default `kube-state-metrics`)."),
        apiserverJob: jobName.default("apiserver").describe("`job` label of the Kubernetes API server (default `apiserver`)."),
    }),
);

export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/metallb-observability/metallb-observability/blob/main/runbooks";

/** The `alerts:` settings. */
export const alertSettingsSchema = argsType(
    "AlertSettingsArgs",
    "Alert thresholds, durations and selectors; every unset one keeps its default (DEFAULT_ALERT_SETTINGS).",
    z
        .strictObject({
            // Set: every recording rule and alert keeps it in each `by`/`on`, `absent()` becomes per
            // cluster, descriptions name the cluster, Alertmanager groups by it.
            clusterLabel: labelName.optional().describe("Label naming the cluster in a multi-cluster store (e.g. `cluster`); kept in every aggregation."),
            poolUsageWarningPercent: usagePercent.default(80).describe("A pool family at or above this usage (percent) warns (default 80)."),
            poolUsageCriticalPercent: usagePercent
                .default(95)
                .describe("A pool family at or above this usage (percent) is critical (default 95); above the warning."),
            // Pools with autoAssign false are excluded anyway (reservedPools).
            excludePools: z.array(z.string().min(1)).default([]).describe("Pools no pool alert fires for."),
            bgpFlapChanges: z.number().int().min(2).default(4).describe("BGP session state changes within 15 minutes that count as flapping (default 4)."),
            bfdFlapEvents: z.number().int().min(1).default(3).describe("BFD session down events within 15 minutes that count as flapping (default 3)."),
            // A speaker rollout moves an address at most twice.
            l2OwnerChanges: z.number().int().min(2).default(4).describe("L2 owner changes of an address within 15 minutes that count as churn (default 4)."),
            for: forSchema.prefault({}).describe("How long each alert's condition must hold before it fires."),
            selectors: selectorsSchema.prefault({}).describe("Where MetalLB and the series the alerts join with are scraped (namespace, job labels)."),
            runbookBaseUrl: z
                .url()
                .superRefine((url, ctx) => {
                    const problem = linkProblem(url);
                    if (problem) {
                        ctx.addIssue({ code: "custom", message: problem, input: undefined });
                    }
                })
                .default(DEFAULT_RUNBOOK_BASE_URL)
                .describe("Base URL of the runbooks; each alert links to `<base>/<AlertName>.md`."),
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
        }),
);

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
