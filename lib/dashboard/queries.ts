import { AlertSelectors, selectorsSchema } from "../rules/settings";
import {
    apiserver,
    escapeRegex,
    job,
    ksm as ksmSelector,
    l2SplitBrain,
    labels,
    matchers,
    metallbDaemonSets,
    metallbWebhooks,
    pendingServices,
    Scope,
} from "../rules/promql";
import { APISERVER, FRRK8S_BGP, FRRK8S_CLIENT, K8S_CLIENT, KSM, NODE_LABEL, POOL_ANNOTATION as POOL_ANNOTATION_METRIC, RECORDED, SPEAKER } from "../metrics";

/** kube-state-metrics and API server series the symptom panels read (../shared/research/real-cluster.md §2). */
export const SYMPTOM_METRICS = {
    serviceType: KSM.serviceSpecType,
    serviceCreated: KSM.serviceCreated,
    serviceIngress: KSM.serviceLoadBalancerIngress,
    serviceAnnotations: KSM.serviceAnnotations,
    endpointAddress: KSM.endpointAddress,
    containerRestarts: KSM.podContainerRestarts,
    webhookRejections: APISERVER.webhookRejections,
} as const;
/** kube-state-metrics' label for the `metallb.io/ip-allocated-from-pool` annotation (needs `metricAnnotationsAllowList`). */
export const POOL_ANNOTATION = POOL_ANNOTATION_METRIC.label;

export interface QueryOptions {
    /** MetalLB's namespace (raw MetalLB series are scoped to it). */
    readonly namespace: string;
    /** The rules' cluster label (alerts:clusterLabel): every selector gets `<label>=~"$cluster"`, every `by` keeps it. */
    readonly clusterLabel?: string;
    /** Where the series are scraped (alerts:selectors, the rules' own): job names and MetalLB's namespace. */
    readonly selectors?: Partial<AlertSelectors>;
    /** Pools left out of the pool panels as the alerts leave them out: reserved (autoAssign false) and excluded ones. */
    readonly excludePools?: readonly string[];
}

/**
 * The dashboard's PromQL, built from the metric names in lib/metrics.ts. Wide aggregations read the
 * recording rules of lib/rules (`RECORDED`: per-IP announcer counts, per-peer sessions and message
 * rates, per-family pool figures, Services per pool), so a panel never fans out over every node × IP or node × peer series; per-IP and
 * per-session panels show only what is wrong or the worst offenders. `$pool`, `$node`, `$cluster`,
 * `$__range` and `$__rate_interval` are Grafana variables.
 */
export function dashboardQueries(o: QueryOptions) {
    const cl = o.clusterLabel;
    // The rules' selectors with their defaults (lib/rules/settings.ts) and the rules' vocabulary
    // (lib/rules/promql.ts), so both read the same series; every selector also matches `$cluster`.
    const sel = selectorsSchema.parse(o.selectors ?? {});
    const scope: Scope = { namespace: sel.namespace ?? o.namespace, selectors: sel, cluster: cl, clusterMatcher: cl ? `${cl}=~"$cluster"` : undefined };
    /** A selector: our matchers plus the cluster matcher when a cluster label is set. */
    const s = (...m: string[]) => matchers(scope, ...m);
    /** `by (...)` labels, the cluster label first when set. */
    const by = (...names: string[]) => labels(scope, ...names);
    const jobs = { controller: sel.controllerJob, speaker: sel.speakerJob, frrK8s: sel.frrK8sJob, ksm: sel.kubeStateMetricsJob };
    // Reserved and excluded pools are full by design: they would pin the "minimum free" at 0.
    const pools = ['pool=~"$pool"', ...(o.excludePools?.length ? [`pool!~"${o.excludePools.map(escapeRegex).join("|")}"`] : [])];
    const node = `${NODE_LABEL}=~"$node"`;
    const speaker = job(scope, jobs.speaker, node);
    const frr = job(scope, jobs.frrK8s, node);
    const ksm = (...m: string[]) => ksmSelector(scope, ...m);
    const or0 = (e: string) => `${e} or vector(0)`;
    const svc = by("namespace", "service");

    // A LoadBalancer Service without an ingress address is pending (kube-state-metrics does not see
    // loadBalancerClass): MetalLBServicePending's expression.
    const pending = pendingServices(scope);
    // Addresses MetalLB allocated (pool annotation) to Services with ready endpoints that no speaker announces
    // (speakers skip Services without ready endpoints by design: speaker/layer2_controller.go).
    const metallbServices = `max by (${svc}) (${SYMPTOM_METRICS.serviceAnnotations}${ksm(`${POOL_ANNOTATION}!=""`)})`;
    const readyServices = `label_replace(max by (${by("namespace", "endpoint")}) (${SYMPTOM_METRICS.endpointAddress}${ksm('ready="true"')}), "service", "$1", "endpoint", "(.+)")`;
    const unannounced = `(max by (${by("namespace", "service", "ip")}) (${SYMPTOM_METRICS.serviceIngress}${ksm('ip!=""')}) and on (${svc}) ${metallbServices} and on (${svc}) ${readyServices}) unless on (${by("ip")}) ${RECORDED.ipAnnouncers}${s()}`;
    // MetalLBL2SplitBrain's expression.
    const duplicates = l2SplitBrain(scope);
    const clients = job(scope, `${jobs.controller}|${jobs.speaker}`, node);
    const frrClients = job(scope, jobs.frrK8s, node);
    const badConfig = `(${K8S_CLIENT.configLoaded}${clients} == 0) or (${K8S_CLIENT.configStale}${clients} == 1) or (${FRRK8S_CLIENT.configLoaded}${frrClients} == 0) or (${FRRK8S_CLIENT.configStale}${frrClients} == 1)`;
    const ns = `namespace="${scope.namespace}"`;
    const daemonsets = ksm(ns, metallbDaemonSets());
    const alerts = `ALERTS${s('alertstate="firing"', 'alertname=~"MetalLB.*"')}`;
    const restarts = `increase(${SYMPTOM_METRICS.containerRestarts}${ksm(ns)}[$__range])`;
    const rejections = `increase(${SYMPTOM_METRICS.webhookRejections}${apiserver(scope, metallbWebhooks())}[$__range])`;
    const sessionUp = `${RECORDED.bgpSessionUp}${s(node)}`;
    const peer = by("peer", "vrf");

    return {
        // Health: counts of what is wrong (0 = fine).
        pendingCount: or0(`count(${pending})`),
        unannouncedCount: or0(`count(${unannounced})`),
        duplicateCount: or0(`count(${duplicates})`),
        sessionsDown: or0(`sum(${RECORDED.peerSessions}${s()}) - sum(${RECORDED.peerSessionsUp}${s()})`),
        badConfigCount: or0(`count(${badConfig})`),
        notReady: or0(`sum(${KSM.daemonsetDesired}${daemonsets}) - sum(${KSM.daemonsetReady}${daemonsets})`),
        firingCount: or0(`count(${alerts})`),
        restartCount: or0(`sum(${restarts})`),

        // Symptoms.
        pendingTable: `time() - max by (${svc}) (${SYMPTOM_METRICS.serviceCreated}${ksm()} and on (${svc}) (${pending}))`,
        unannouncedTable: unannounced,
        duplicatesTable: duplicates,
        poolFree: `${RECORDED.poolFamilyFree}${s(...pools)}`,
        poolRatio: `${RECORDED.poolFamilyRatio}${s(...pools)}`,
        fullestPool: `max(${RECORDED.poolFamilyRatio}${s(...pools)})`,
        servicesPerPool: `${RECORDED.poolServices}${s(...pools)}`,
        webhookRejections: `sum by (${by("name", "operation", "rejection_code", "error_type")}) (${rejections}) > 0`,
        firingAlerts: alerts,

        // Layer 2: a moved IP was announced by more than one node within the range.
        // Counted per announcing node, not per series: a speaker pod replaced on the same node is a new
        // series (pod, instance labels) but not a new owner.
        ownerChanges: `topk(10, count by (${by("exported_service", "ip")}) (count by (${by("exported_service", "ip", "exported_node")}) (count_over_time(${SPEAKER.announced}${job(scope, jobs.speaker, 'protocol="layer2"', node)}[$__range]))) - 1 > 0)`,
        arpRequestsByNode: `topk(10, sum by (${by(NODE_LABEL)}) (rate(${SPEAKER.l2Requests}${speaker}[$__rate_interval])))`,

        // BGP per peer (across nodes).
        peerUp: `${RECORDED.peerSessionsUp}${s()}`,
        peerTotal: `${RECORDED.peerSessions}${s()}`,
        peerDown: `${RECORDED.peerSessions}${s()} - ${RECORDED.peerSessionsUp}${s()}`,
        peerStateChanges: `sum by (${peer}) (changes(${sessionUp}[$__range]))`,
        peerAnnounced: `min by (${peer}) (${RECORDED.bgpAnnouncedPrefixes}${s(node)})`,
        peerReceived: `min by (${peer}) (${FRRK8S_BGP.receivedPrefixes}${frr})`,
        peerMessages: `sum by (${by("peer", "vrf", "direction", "type")}) (${RECORDED.peerMessages}${s()})`,
        bfdDownEvents: `sum by (${peer}) (increase(${FRRK8S_BGP.bfdSessionDownEvents}${frr}[$__range]))`,
        // Per session: only those that are down.
        sessionsDownTable: `${sessionUp} == 0`,
        bfdDownTable: `${RECORDED.bfdSessionUp}${s(node)} == 0`,

        // Components.
        restartsTable: `sum by (${by("pod", "container")}) (${restarts}) > 0`,
        clientUpdates: `sum by (${by("job")}) (${RECORDED.clientUpdates}${s(node)})`,
        clientErrors: `sum by (${by("job")}) (${RECORDED.clientUpdateErrors}${s(node)})`,

        clusterVariable: cl ? `label_values(up{job="${jobs.ksm}"}, ${cl})` : undefined,
        poolVariable: `label_values(${RECORDED.poolFamilyFree}${s()}, pool)`,
        nodeVariable: `label_values(up${job(scope, `${jobs.speaker}|${jobs.frrK8s}`)}, ${NODE_LABEL})`,
    };
}

export type DashboardQueries = ReturnType<typeof dashboardQueries>;
