import { KSM, NODE_LABEL } from "../metrics";
import { AlertSettings } from "./settings";
import { RuleTarget } from "./types";

/**
 * What every rule builder needs: the settings, the target, and helpers that put the cluster label
 * (when `clusterLabel` is set) into every `by (...)` and `on (...)`, the kubernetes-mixin way.
 */
export interface RuleContext {
    readonly settings: AlertSettings;
    readonly target: RuleTarget;
    /** MetalLB's namespace: `selectors.namespace` or the target's. */
    readonly namespace: string;
    /** The cluster label, or undefined for a single cluster. */
    readonly cluster?: string;
}

export function ruleContext(settings: AlertSettings, target: RuleTarget): RuleContext {
    return { settings, target, namespace: settings.selectors.namespace ?? target.namespace, cluster: settings.clusterLabel };
}

/** The grouping labels, cluster label first when set. */
export function labels(ctx: RuleContext, ...names: string[]): string {
    return [...(ctx.cluster ? [ctx.cluster] : []), ...names].join(", ");
}

/** `by (cluster, ...)`. */
export function by(ctx: RuleContext, ...names: string[]): string {
    return `by (${labels(ctx, ...names)})`;
}

/** `on (cluster, ...)`; `on ()` in a single cluster without further labels. */
export function on(ctx: RuleContext, ...names: string[]): string {
    return `on (${labels(ctx, ...names)})`;
}

/** `{job="…",namespace="<MetalLB's>"}` for one of MetalLB's jobs (or a `a|b` job regex), plus extra matchers. */
export function selector(ctx: RuleContext, job: string, extra = ""): string {
    const jobMatcher = job.includes("|") ? `job=~"${job}"` : `job="${job}"`;
    return `{${jobMatcher},namespace="${ctx.namespace}"${extra ? `,${extra}` : ""}}`;
}

/**
 * A series our recording rules write, scoped to MetalLB's namespace (every record keeps it), so two
 * MetalLB installations' rule files in one Prometheus never read each other's records.
 */
export function recorded(ctx: RuleContext, name: string, extra = ""): string {
    return `${name}{namespace="${ctx.namespace}"${extra ? `,${extra}` : ""}}`;
}

/** `{job="kube-state-metrics",…}`. */
export function ksm(ctx: RuleContext, extra = ""): string {
    return `{job="${ctx.settings.selectors.kubeStateMetricsJob}"${extra ? `,${extra}` : ""}}`;
}

/** `{job="apiserver",…}`. */
export function apiserver(ctx: RuleContext, extra = ""): string {
    return `{job="${ctx.settings.selectors.apiserverJob}"${extra ? `,${extra}` : ""}}`;
}

/** Nodes kube-state-metrics reports NotReady (Ready condition not "true"), for `unless on (cluster, node)`. */
export function notReadyNodes(ctx: RuleContext): string {
    return `(${KSM.nodeStatusCondition}${ksm(ctx, 'condition="Ready",status="true"')} == 0)`;
}

/** `unless` the series' node is NotReady: a node that is down is KubeNodeNotReady's alert, not MetalLB's. */
export function unlessNodeNotReady(ctx: RuleContext): string {
    return `unless ${on(ctx, NODE_LABEL)} ${notReadyNodes(ctx)}`;
}

/** " in cluster {{ $labels.<cluster> }}" when the cluster label is set, for descriptions. */
export function inCluster(ctx: RuleContext): string {
    return ctx.cluster ? ` in cluster {{ $labels.${ctx.cluster} }}` : "";
}

/** A literal as a regex inside a PromQL double-quoted string (the backslash itself escaped: PromQL strings take Go escapes). */
export function escapeRegex(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&");
}
