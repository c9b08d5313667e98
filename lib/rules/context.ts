import { apiserver, by, escapeRegex, job, ksm, labels, on, recorded, Scope } from "./promql";
import { AlertSettings } from "./settings";
import { RuleTarget } from "./types";

export { apiserver, by, escapeRegex, ksm, labels, on, recorded };

/**
 * What every rule builder needs: the settings, the target, and the scope of the shared PromQL
 * vocabulary (./promql.ts), whose helpers put the cluster label (when `clusterLabel` is set) into
 * every `by (...)` and `on (...)`, the kubernetes-mixin way.
 */
export interface RuleContext extends Scope {
    readonly settings: AlertSettings;
    readonly target: RuleTarget;
    /** MetalLB's namespace: `selectors.namespace` or the target's. */
    readonly namespace: string;
    /** The cluster label, or undefined for a single cluster. */
    readonly cluster?: string;
}

export function ruleContext(settings: AlertSettings, target: RuleTarget): RuleContext {
    return { settings, target, selectors: settings.selectors, namespace: settings.selectors.namespace ?? target.namespace, cluster: settings.clusterLabel };
}

/** `{job="…",namespace="<MetalLB's>"}` for one of MetalLB's jobs (or a `a|b` job regex), plus extra matchers. */
export function selector(ctx: RuleContext, jobName: string, extra = ""): string {
    return job(ctx, jobName, extra);
}

/** " in cluster {{ $labels.<cluster> }}" when the cluster label is set, for descriptions. */
export function inCluster(ctx: RuleContext): string {
    return ctx.cluster ? ` in cluster {{ $labels.${ctx.cluster} }}` : "";
}
