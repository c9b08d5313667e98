import { DAEMONSET_SUFFIX, KSM, METALLB_API_REGEX, RECORDED } from "../metrics";
import { AlertSelectors } from "./settings";

/**
 * The PromQL vocabulary the recording rules, the alerts and the dashboard share: selectors with
 * their cluster, job and namespace slots, the groupings, and the sub-expressions several of them
 * state (pending Services, MetalLB's webhooks, MetalLB's DaemonSets), each written once.
 *
 * A scope says where the series are: MetalLB's namespace, the jobs (alerts:selectors), the cluster
 * label kept in every `by`/`on`, and, for the dashboard, a matcher on it (`cluster=~"$cluster"`)
 * that every selector carries.
 */
export interface Scope {
    /** MetalLB's namespace. */
    readonly namespace: string;
    readonly selectors: AlertSelectors;
    /** The cluster label, kept first in every grouping; undefined for a single cluster. */
    readonly cluster?: string;
    /** A matcher every selector carries (the dashboard's `<cluster>=~"$cluster"`). */
    readonly clusterMatcher?: string;
}

/** `{...}`: the scope's cluster matcher (if any), then the given matchers. */
export function matchers(scope: Scope, ...m: readonly string[]): string {
    return `{${[...(scope.clusterMatcher ? [scope.clusterMatcher] : []), ...m.filter(Boolean)].join(",")}}`;
}

/** The grouping labels, cluster label first when set. */
export function labels(scope: Pick<Scope, "cluster">, ...names: string[]): string {
    return [...(scope.cluster ? [scope.cluster] : []), ...names].join(", ");
}

/** `by (cluster, ...)`. */
export function by(scope: Pick<Scope, "cluster">, ...names: string[]): string {
    return `by (${labels(scope, ...names)})`;
}

/** `on (cluster, ...)`; `on ()` in a single cluster without further labels. */
export function on(scope: Pick<Scope, "cluster">, ...names: string[]): string {
    return `on (${labels(scope, ...names)})`;
}

/** `namespace="<MetalLB's>"`. */
export function inNamespace(scope: Scope): string {
    return `namespace="${scope.namespace}"`;
}

/** `{job="…",namespace="<MetalLB's>"}` for one of MetalLB's jobs (or a `a|b` job regex), plus extra matchers. */
export function job(scope: Scope, name: string, ...extra: string[]): string {
    return matchers(scope, name.includes("|") ? `job=~"${name}"` : `job="${name}"`, inNamespace(scope), ...extra);
}

/** `{job="kube-state-metrics",…}`. */
export function ksm(scope: Scope, ...extra: string[]): string {
    return matchers(scope, `job="${scope.selectors.kubeStateMetricsJob}"`, ...extra);
}

/** `{job="apiserver",…}`. */
export function apiserver(scope: Scope, ...extra: string[]): string {
    return matchers(scope, `job="${scope.selectors.apiserverJob}"`, ...extra);
}

/**
 * A series our recording rules write, scoped to MetalLB's namespace (every record keeps it), so two
 * MetalLB installations' rule files in one Prometheus never read each other's records.
 */
export function recorded(scope: Scope, name: string, ...extra: string[]): string {
    return `${name}${matchers(scope, inNamespace(scope), ...extra)}`;
}

/** A literal as a regex inside a PromQL double-quoted string (the backslash itself escaped: PromQL strings take Go escapes). */
export function escapeRegex(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\\\$&");
}

/** LoadBalancer Services without any ingress point (kube-state-metrics; `EXTERNAL-IP <pending>`), labels namespace and service. */
export function pendingServices(scope: Scope): string {
    const svc = labels(scope, "namespace", "service");
    return `(group by (${svc}) (${KSM.serviceSpecType}${ksm(scope, 'type="LoadBalancer"')}) unless on (${svc}) group by (${svc}) (${KSM.serviceLoadBalancerIngress}${ksm(scope)}))`;
}

/** MetalLB's admission webhooks (`<kind>validationwebhook.metallb.io`), as a matcher on `label` (`name`, or `crd_name` for conversions). */
export function metallbWebhooks(label = "name"): string {
    return `${label}=~"${METALLB_API_REGEX}"`;
}

/** MetalLB's DaemonSets (speaker, frr-k8s) of any release, by how the charts end their names, as a `daemonset` matcher. */
export function metallbDaemonSets(): string {
    return `daemonset=~"${Object.values(DAEMONSET_SUFFIX)
        .map((suffix) => `.*${escapeRegex(suffix)}`)
        .join("|")}"`;
}

/** Layer2 addresses more than one node announces (split brain), from the per-IP announcers record. */
export function l2SplitBrain(scope: Scope): string {
    return `${recorded(scope, RECORDED.ipAnnouncers, 'protocol="layer2"')} > 1`;
}
