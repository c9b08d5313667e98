import {
    ALLOCATOR,
    FRRK8S_BGP,
    FRRK8S_CLIENT,
    K8S_CLIENT,
    KSM,
    NATIVE_BGP,
    NODE_LABEL,
    POOL_ANNOTATION,
    RECORDED,
    SPEAKER,
    UNBOUNDED_POOL_SIZE,
} from "../metrics";
import { by, ksm, on, recorded, RuleContext, selector } from "./context";
import { RecordingRule } from "./types";

/**
 * Native BGP labels `peer` as "<ip>:<port>", frr-k8s as "<ip>" plus `vrf` (metallb docs,
 * prometheus-metrics). Stripping the port gives one series per node and peer for both backends.
 */
function stripPort(expr: string): string {
    return `label_replace(${expr}, "peer", "$1", "peer", "(.+):[0-9]+")`;
}

function bothBackends(ctx: RuleContext, native: string, frrK8s: string): string {
    const { speakerJob, frrK8sJob } = ctx.settings.selectors;
    return `max ${by(ctx, "namespace", NODE_LABEL, "peer", "vrf")} (${stripPort(`${native}${selector(ctx, speakerJob)}`)} or ${frrK8s}${selector(ctx, frrK8sJob)})`;
}

/** `label_replace(expr, "<label>", "<value>", "", "")`: adds a constant label. */
function withLabel(expr: string, label: string, value: string): string {
    return `label_replace(${expr}, "${label}", "${value}", "", "")`;
}

const FAMILIES = [
    { family: "ipv4", total: ALLOCATOR.ipv4AddressesTotal, inUse: ALLOCATOR.ipv4AddressesInUse },
    { family: "ipv6", total: ALLOCATOR.ipv6AddressesTotal, inUse: ALLOCATOR.ipv6AddressesInUse },
] as const;

/** Pool series: per family, never reading the MaxInt64 totals of /64-sized ranges (allocator.go poolCount). */
function poolRules(ctx: RuleContext): RecordingRule[] {
    const ctrl = selector(ctx, ctx.settings.selectors.controllerJob);
    const perPool = by(ctx, "namespace", "pool");
    const onPool = on(ctx, "namespace", "pool");
    const finiteTotal = (metric: string) => `max ${perPool} (${metric}${ctrl}) > 0 < ${UNBOUNDED_POOL_SIZE}`;
    const anyTotal = (metric: string) => `max ${perPool} (${metric}${ctrl}) > 0`;
    const union = (f: (fam: (typeof FAMILIES)[number]) => string) => FAMILIES.map((fam) => withLabel(f(fam), "family", fam.family)).join(" or ");
    // Services counted per value of the pool annotation, then that value (one series per pool, not
    // per Service) relabelled as `pool`; the pool lives in MetalLB's namespace.
    const perAnnotation = `count ${by(ctx, POOL_ANNOTATION.label)} (${KSM.serviceAnnotations}${ksm(ctx, `${POOL_ANNOTATION.label}!=""`)})`;
    const annotated = `label_replace(${perAnnotation}, "pool", "$1", "${POOL_ANNOTATION.label}", "(.+)")`;
    return [
        { record: RECORDED.poolFamilyAddressesTotal, expr: union((f) => `(${finiteTotal(f.total)})`) },
        { record: RECORDED.poolFamilyAddressesInUse, expr: union((f) => `(max ${perPool} (${f.inUse}${ctrl}) and ${onPool} (${anyTotal(f.total)}))`) },
        // Both sides carry the same labels (cluster, namespace, pool, family): one-to-one.
        {
            record: RECORDED.poolFamilyFree,
            expr: `${recorded(ctx, RECORDED.poolFamilyAddressesTotal)} - ${recorded(ctx, RECORDED.poolFamilyAddressesInUse)}`,
        },
        {
            record: RECORDED.poolFamilyRatio,
            expr: `${recorded(ctx, RECORDED.poolFamilyAddressesInUse)} / ${recorded(ctx, RECORDED.poolFamilyAddressesTotal)}`,
        },
        {
            record: RECORDED.poolUsageRatio,
            // MetalLB before 0.14 has no per-family series: then the combined ones, when finite.
            expr: `max ${perPool} (${recorded(ctx, RECORDED.poolFamilyRatio)}) or (max ${perPool} (${ALLOCATOR.addressesInUse}${ctrl}) / (${finiteTotal(ALLOCATOR.addressesTotal)}))`,
        },
        { record: RECORDED.poolServices, expr: withLabel(`sum ${by(ctx, "pool")} (${annotated})`, "namespace", ctx.namespace) },
    ];
}

/** The window the churn and flapping alerts count changes in (their settings say "within 15 minutes"). */
export const CHANGE_WINDOW = "15m";

/**
 * How long an instant selector finds a series that stopped without a stale marker: Prometheus'
 * default `--query.lookback-delta` (prometheus/prometheus cmd/prometheus/main.go, 5m).
 */
const LOOKBACK = "5m";

/**
 * A record as the previous rule evaluation wrote it: `offset 1s` skips the sample this evaluation
 * just wrote and finds the one before, whatever the evaluation interval.
 */
function atPreviousEvaluation(record: string): string {
    return `${record} offset 1s`;
}

/**
 * A counter's growth since the previous rule evaluation, only where it grew: its value now minus the
 * value the previous evaluation recorded, or after a reset (a value below the previous one) the whole new value, as increase() counts a
 * reset. Nothing while the counter stands still (or restarts at 0), and nothing at a series' first
 * evaluation (as increase() counts from a series' first sample), so a window over this record reads
 * only the evaluations where the counter moved. `counter` is a record, `matching` its `on (...)`.
 */
function newSincePrevious(counter: string, matching: string): string {
    const previous = `${matching} ${atPreviousEvaluation(counter)}`;
    return `(${counter} - ${previous} > 0) or (${counter} < ${previous} > 0)`;
}

/**
 * Speaker announcements: who announces each IP, and how often a layer2 IP changes hands. The raw
 * series is one per node and Service in BGP mode: `ipAnnouncers` is the one rule that reads all of
 * it; alerts and panels read that record (the layer2 owner reads only the layer2 series, one per IP).
 */
function announcementRules(ctx: RuleContext): RecordingRule[] {
    const l2 = `${SPEAKER.announced}${selector(ctx, ctx.settings.selectors.speakerJob, 'protocol="layer2"')}`;
    const all = `${SPEAKER.announced}${selector(ctx, ctx.settings.selectors.speakerJob)}`;
    const owner = recorded(ctx, RECORDED.l2Owner);
    const perIp = by(ctx, "namespace", "exported_service", "ip");
    return [
        // Speakers, one aggregation over the raw series. A speaker is a DaemonSet pod, one per node;
        // a replaced pod's series are marked stale when its target goes, so two series of one node
        // overlap for a scrape at most, far less than MetalLBL2SplitBrain's `for`.
        {
            record: RECORDED.ipAnnouncers,
            expr: `count ${by(ctx, "namespace", "protocol", "exported_service", "ip")} (${all})`,
        },
        { record: RECORDED.l2Owner, expr: `max ${by(ctx, "namespace", "exported_service", "ip", "exported_node")} (${l2})` },
        // A node that announced the IP at the previous evaluation but not now has lost it. Nothing is
        // recorded while the owner stays.
        {
            record: RECORDED.l2OwnerLost,
            expr: `${atPreviousEvaluation(owner)} unless ${on(ctx, "namespace", "exported_service", "ip", "exported_node")} ${owner}`,
        },
        // Losses within the change window, read from the sparse record (only the losses); 0 for an IP
        // announced without any.
        {
            record: RECORDED.l2OwnerChanges,
            expr: `sum ${perIp} (count_over_time(${recorded(ctx, RECORDED.l2OwnerLost)}[${CHANGE_WINDOW}])) or 0 * group ${perIp} (${owner})`,
        },
    ];
}

/** BGP message types per backend metric, as (direction, type); native mode counts only the updates it sends. */
const MESSAGES: readonly { direction: "sent" | "received"; type: string; frrK8s: string; native?: string }[] = [
    { direction: "sent", type: "open", frrK8s: FRRK8S_BGP.opensSent },
    { direction: "received", type: "open", frrK8s: FRRK8S_BGP.opensReceived },
    { direction: "sent", type: "update", frrK8s: FRRK8S_BGP.updatesSent, native: NATIVE_BGP.updatesSent },
    { direction: "received", type: "update", frrK8s: FRRK8S_BGP.updatesReceived },
    { direction: "sent", type: "keepalive", frrK8s: FRRK8S_BGP.keepalivesSent },
    { direction: "received", type: "keepalive", frrK8s: FRRK8S_BGP.keepalivesReceived },
    { direction: "sent", type: "notification", frrK8s: FRRK8S_BGP.notificationsSent },
    { direction: "sent", type: "route_refresh", frrK8s: FRRK8S_BGP.routeRefreshSent },
];

/** How long a BGP session that stopped reporting counts as "vanished" (MetalLBBGPSessionVanished). */
export const SESSION_MEMORY_SECONDS = 3600;

/**
 * BGP and BFD: the raw series are one per node and peer, each read once per cycle here; the alerts
 * and the dashboard read the records.
 */
function bgpRules(ctx: RuleContext): RecordingRule[] {
    const { speakerJob, frrK8sJob } = ctx.settings.selectors;
    const peer = by(ctx, "namespace", "peer", "vrf");
    const session = on(ctx, "namespace", NODE_LABEL, "peer", "vrf");
    const sessionUp = recorded(ctx, RECORDED.bgpSessionUp);
    const lastSeen = recorded(ctx, RECORDED.bgpSessionLastSeen);
    const previous = atPreviousEvaluation(sessionUp);
    // Each message type summed per peer first (16 series), then labelled: label_replace and `or`
    // over the per-node series cost more than the reads themselves. rate() reads each counter once
    // (its value now and 5 minutes ago instead needs two reads and a join per counter, twice the time).
    const messages = MESSAGES.map(({ direction, type, frrK8s, native }) => {
        const frr = `rate(${frrK8s}${selector(ctx, frrK8sJob)}[5m])`;
        const series = native ? `${stripPort(`rate(${native}${selector(ctx, speakerJob)}[5m])`)} or ${frr}` : frr;
        return withLabel(withLabel(`sum ${peer} (${series})`, "direction", direction), "type", type);
    });
    const downCounter = recorded(ctx, RECORDED.bfdSessionDownCounter);
    return [
        { record: RECORDED.bgpSessionUp, expr: bothBackends(ctx, NATIVE_BGP.sessionUp, FRRK8S_BGP.sessionUp) },
        // State changes without reading 15 minutes of every session: a session's new state, only at an
        // evaluation where it differs from the previous evaluation's. Nothing is recorded while a
        // session is stable, so counting the changes of 15 minutes reads only those.
        { record: RECORDED.bgpSessionChanges, expr: `${sessionUp} != ${session} ${previous}` },
        // Sessions that stopped reporting: there at the previous evaluation but not now, with its time;
        // kept for an hour while they stay away. This rule reads its own previous result (only the
        // vanished sessions) instead of an hour of samples of every session.
        {
            record: RECORDED.bgpSessionLastSeen,
            expr: `(timestamp(${previous}) or (${lastSeen} > time() - ${SESSION_MEMORY_SECONDS})) unless ${session} ${sessionUp}`,
        },
        // Peers whose sessions from every Ready node are down: the router is down. Sessions of NotReady
        // nodes do not count either way (a node that is down is not a router that is down).
        { record: RECORDED.peersDown, expr: `sum ${peer} (${sessionUp} ${unlessNodeNotReady(ctx)}) == 0` },
        { record: RECORDED.peerSessionsUp, expr: `sum ${peer} (${sessionUp})` },
        { record: RECORDED.peerSessions, expr: `count ${peer} (${sessionUp})` },
        { record: RECORDED.peerMessages, expr: messages.join(" or ") },
        { record: RECORDED.bgpAnnouncedPrefixes, expr: bothBackends(ctx, NATIVE_BGP.announcedPrefixes, FRRK8S_BGP.announcedPrefixes) },
        {
            record: RECORDED.bfdSessionUp,
            expr: `max ${by(ctx, "namespace", NODE_LABEL, "peer", "vrf")} (${FRRK8S_BGP.bfdSessionUp}${selector(ctx, frrK8sJob)})`,
        },
        // The counter sees flaps shorter than a scrape interval, which frrk8s_bfd_session_up cannot.
        // Read once per evaluation; the events since the previous evaluation are recorded
        // only when there are some (after a reset, the new count), and the window sums only those.
        {
            record: RECORDED.bfdSessionDownCounter,
            expr: `max ${by(ctx, "namespace", NODE_LABEL, "peer", "vrf")} (${FRRK8S_BGP.bfdSessionDownEvents}${selector(ctx, frrK8sJob)})`,
        },
        { record: RECORDED.bfdSessionDownNew, expr: newSincePrevious(downCounter, session) },
        {
            record: RECORDED.bfdSessionDownEvents,
            expr: `sum_over_time(${recorded(ctx, RECORDED.bfdSessionDownNew)}[${CHANGE_WINDOW}])`,
        },
    ];
}

/**
 * Growth of a counter over the last 5 minutes, from its value now and 5 minutes ago: two samples per
 * series where rate() reads every sample of the window. A window in which the counter was reset (its
 * value fell) has no result rather than a wrong one. For the dashboard's per-pod client rates
 * (divided by 300 after the sum); no alert reads them.
 */
function increase5m(series: string): string {
    return `(${series} - ${series} offset 5m >= 0)`;
}

function clientRules(ctx: RuleContext): RecordingRule[] {
    const { controllerJob, speakerJob, frrK8sJob } = ctx.settings.selectors;
    const metallb = selector(ctx, `${controllerJob}|${speakerJob}`);
    const frr = selector(ctx, frrK8sJob);
    const perPod = by(ctx, "namespace", "job", "pod", NODE_LABEL);
    const onPod = on(ctx, "namespace", "job", "pod", NODE_LABEL);
    const sum = (f: (series: string) => string, metallbMetric: string, frrMetric: string) =>
        `sum ${perPod} (${f(`${metallbMetric}${metallb}`)} or ${f(`${frrMetric}${frr}`)})`;
    const errors = recorded(ctx, RECORDED.clientUpdateErrorsTotal);
    return [
        { record: RECORDED.clientUpdates, expr: `${sum(increase5m, K8S_CLIENT.updates, FRRK8S_CLIENT.updates)} / 300` },
        { record: RECORDED.clientUpdateErrors, expr: `${sum(increase5m, K8S_CLIENT.updateErrors, FRRK8S_CLIENT.updateErrors)} / 300` },
        // Each pod's error counter, read once per evaluation. Its last value within the lookback (5m):
        // a failed scrape marks the raw series stale, and a counter that skipped evaluations would
        // hide the errors made meanwhile from the record below.
        {
            record: RECORDED.clientUpdateErrorsTotal,
            expr: sum((s) => `last_over_time(${s}[${LOOKBACK}])`, K8S_CLIENT.updateErrors, FRRK8S_CLIENT.updateErrors),
        },
        { record: RECORDED.clientUpdateErrorsNew, expr: newSincePrevious(errors, onPod) },
        // An hour of the sparse record above: the evaluations in which a pod failed updates, not an hour
        // of every pod's samples. Nothing for a pod without any.
        { record: RECORDED.reconcileErrors, expr: `sum_over_time(${recorded(ctx, RECORDED.clientUpdateErrorsNew)}[1h])` },
    ];
}

/**
 * `unless` the series' node is NotReady (the record of NotReady nodes, evaluated first in the group):
 * a node that is down is KubeNodeNotReady's alert, not MetalLB's.
 */
export function unlessNodeNotReady(ctx: RuleContext): string {
    return `unless ${on(ctx, NODE_LABEL)} ${recorded(ctx, RECORDED.notReadyNodes)}`;
}

/** Nodes kube-state-metrics reports NotReady, read once for every rule that leaves them out. */
function nodeRules(ctx: RuleContext): RecordingRule[] {
    return [
        {
            record: RECORDED.notReadyNodes,
            expr: withLabel(
                `max ${by(ctx, NODE_LABEL)} (${KSM.nodeStatusCondition}${ksm(ctx, 'condition="Ready",status="true"')} == 0)`,
                "namespace",
                ctx.namespace,
            ),
        },
    ];
}

/**
 * Aggregations the alerts and the dashboard share, named level:metric:operations. Every `by`
 * keeps MetalLB's `namespace` and the cluster label when it is set.
 */
export function recordingRules(ctx: RuleContext): RecordingRule[] {
    return [...nodeRules(ctx), ...poolRules(ctx), ...announcementRules(ctx), ...bgpRules(ctx), ...clientRules(ctx)];
}
