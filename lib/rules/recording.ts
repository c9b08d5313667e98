import { ALLOCATOR, FRRK8S_BGP, FRRK8S_CLIENT, JOBS, K8S_CLIENT, NATIVE_BGP, NODE_LABEL, RECORDED } from "../metrics";
import { RecordingRule, RuleTarget } from "./types";

/** `{job="…",namespace="…"}` for one of our scrape jobs, or a job regex. */
export function selector(target: Pick<RuleTarget, "namespace">, job: string, extra = ""): string {
    const jobMatcher = job.includes("|") ? `job=~"${job}"` : `job="${job}"`;
    return `{${jobMatcher},namespace="${target.namespace}"${extra ? `,${extra}` : ""}}`;
}

const PEER_LABELS = `namespace, ${NODE_LABEL}, peer, vrf`;

/**
 * Native BGP labels `peer` as "<ip>:<port>", frr-k8s as "<ip>" plus `vrf` (metallb docs,
 * prometheus-metrics). Stripping the port gives one series per node and peer for both backends.
 */
function bothBackends(target: RuleTarget, native: string, frrK8s: string): string {
    const nativeSeries = `label_replace(${native}${selector(target, JOBS.speaker)}, "peer", "$1", "peer", "(.+):[0-9]+")`;
    return `max by (${PEER_LABELS}) (${nativeSeries} or ${frrK8s}${selector(target, JOBS.frrK8s)})`;
}

/**
 * Aggregations the alerts and the dashboard share, named level:metric:operations. Pool series
 * keep `namespace` and `pool` on both sides of every ratio, so no label is lost to an on() join.
 */
export function recordingRules(target: RuleTarget): RecordingRule[] {
    const controller = selector(target, JOBS.controller);
    const clients = `${JOBS.controller}|${JOBS.speaker}`;
    return [
        { record: RECORDED.poolAddressesTotal, expr: `max by (namespace, pool) (${ALLOCATOR.addressesTotal}${controller})` },
        { record: RECORDED.poolAddressesInUse, expr: `max by (namespace, pool) (${ALLOCATOR.addressesInUse}${controller})` },
        { record: RECORDED.poolServicesAllocated, expr: `max by (namespace, pool) (${ALLOCATOR.servicesAllocated}${controller})` },
        { record: RECORDED.poolUsageRatio, expr: `${RECORDED.poolAddressesInUse} / (${RECORDED.poolAddressesTotal} > 0)` },
        { record: RECORDED.bgpSessionUp, expr: bothBackends(target, NATIVE_BGP.sessionUp, FRRK8S_BGP.sessionUp) },
        { record: RECORDED.bgpAnnouncedPrefixes, expr: bothBackends(target, NATIVE_BGP.announcedPrefixes, FRRK8S_BGP.announcedPrefixes) },
        { record: RECORDED.bfdSessionUp, expr: `max by (${PEER_LABELS}) (${FRRK8S_BGP.bfdSessionUp}${selector(target, JOBS.frrK8s)})` },
        {
            record: RECORDED.clientUpdates,
            expr: `sum by (namespace, job, pod, ${NODE_LABEL}) (rate(${K8S_CLIENT.updates}${selector(target, clients)}[5m]) or rate(${FRRK8S_CLIENT.updates}${selector(target, JOBS.frrK8s)}[5m]))`,
        },
        {
            record: RECORDED.clientUpdateErrors,
            expr: `sum by (namespace, job, pod, ${NODE_LABEL}) (rate(${K8S_CLIENT.updateErrors}${selector(target, clients)}[5m]) or rate(${FRRK8S_CLIENT.updateErrors}${selector(target, JOBS.frrK8s)}[5m]))`,
        },
    ];
}
