import { FRRK8S_BGP, FRRK8S_CLIENT, JOBS, K8S_CLIENT, NATIVE_BGP, NODE_LABEL, RECORDED, SPEAKER } from "../metrics";

/**
 * The dashboard's PromQL, built from the metric names in lib/metrics.ts. Everything the alerts
 * also aggregate (pool usage, session state, announced prefixes, BFD, client error rates) is read
 * from the recording rules, so panels and alerts agree by construction. `$pool`, `$node` and
 * `$__rate_interval` are Grafana variables.
 */
export function dashboardQueries(namespace: string) {
    const ns = `namespace="${namespace}"`;
    const pool = `{${ns},pool=~"$pool"}`;
    const speaker = `{job="${JOBS.speaker}",${ns},${NODE_LABEL}=~"$node"}`;
    const frr = `{job="${JOBS.frrK8s}",${ns},${NODE_LABEL}=~"$node"}`;
    const perNode = `{${ns},${NODE_LABEL}=~"$node"}`;
    const clients = `{job=~"${JOBS.controller}|${JOBS.speaker}",${ns}}`;
    const frrClients = `{job="${JOBS.frrK8s}",${ns}}`;
    const rate = (metric: string, sel: string) => `rate(${metric}${sel}[$__rate_interval])`;
    return {
        addressesInUse: `sum(${RECORDED.poolAddressesInUse}${pool})`,
        poolSize: `sum(${RECORDED.poolAddressesTotal}${pool})`,
        freeAddresses: `sum(${RECORDED.poolAddressesTotal}${pool}) - sum(${RECORDED.poolAddressesInUse}${pool})`,
        worstUtilisation: `max(${RECORDED.poolUsageRatio}${pool})`,
        sessionsUp: `sum(${RECORDED.bgpSessionUp}${perNode})`,
        sessionsTotal: `count(${RECORDED.bgpSessionUp}${perNode})`,
        podsWithValidConfig: `count(((${K8S_CLIENT.configLoaded}${clients} == 1) unless (${K8S_CLIENT.configStale}${clients} == 1)) or ((${FRRK8S_CLIENT.configLoaded}${frrClients} == 1) unless (${FRRK8S_CLIENT.configStale}${frrClients} == 1)))`,
        podsReporting: `count(${K8S_CLIENT.configLoaded}${clients} or ${FRRK8S_CLIENT.configLoaded}${frrClients})`,
        firingAlerts: `count(ALERTS{alertstate="firing",alertname=~"MetalLB.*",${ns}}) or vector(0)`,

        poolInUse: `${RECORDED.poolAddressesInUse}${pool}`,
        poolTotal: `${RECORDED.poolAddressesTotal}${pool}`,
        poolUtilisation: `${RECORDED.poolUsageRatio}${pool}`,
        poolServices: `count by (pool) (label_replace(kube_service_annotations{annotation_metallb_io_ip_allocated_from_pool=~"$pool",annotation_metallb_io_ip_allocated_from_pool!=""}, "pool", "$1", "annotation_metallb_io_ip_allocated_from_pool", "(.+)"))`,

        announcedByNode: `max by (exported_service, ip, ${NODE_LABEL}, protocol) (${SPEAKER.announced}${speaker})`,
        gratuitousByNode: `sum by (${NODE_LABEL}) (${rate(SPEAKER.l2Gratuitous, speaker)})`,

        l2RequestsByNode: `sum by (${NODE_LABEL}) (${rate(SPEAKER.l2Requests, speaker)})`,
        l2ResponsesByNode: `sum by (${NODE_LABEL}) (${rate(SPEAKER.l2Responses, speaker)})`,
        l2RequestsByIp: `sum by (ip) (${rate(SPEAKER.l2Requests, speaker)})`,
        l2ResponsesByIp: `sum by (ip) (${rate(SPEAKER.l2Responses, speaker)})`,

        sessionState: `${RECORDED.bgpSessionUp}${perNode}`,
        announcedPrefixes: `${RECORDED.bgpAnnouncedPrefixes}${perNode}`,
        receivedPrefixes: `max by (${NODE_LABEL}, peer, vrf) (${FRRK8S_BGP.receivedPrefixes}${frr})`,
        nativeUpdatesSent: `sum by (${NODE_LABEL}, peer) (${rate(NATIVE_BGP.updatesSent, speaker)})`,
        frrUpdatesSent: `sum by (${NODE_LABEL}, peer) (${rate(FRRK8S_BGP.updatesSent, frr)})`,
        frrUpdatesReceived: `sum by (${NODE_LABEL}, peer) (${rate(FRRK8S_BGP.updatesReceived, frr)})`,
        frrKeepalivesSent: `sum by (${NODE_LABEL}, peer) (${rate(FRRK8S_BGP.keepalivesSent, frr)})`,
        frrKeepalivesReceived: `sum by (${NODE_LABEL}, peer) (${rate(FRRK8S_BGP.keepalivesReceived, frr)})`,
        frrNotificationsSent: `sum by (${NODE_LABEL}, peer) (${rate(FRRK8S_BGP.notificationsSent, frr)})`,
        bfdState: `${RECORDED.bfdSessionUp}${perNode}`,

        clientUpdates: `sum by (job, pod) (${RECORDED.clientUpdates}{${ns}})`,
        clientErrors: `sum by (job, pod) (${RECORDED.clientUpdateErrors}{${ns}})`,
        clientErrorRatio: `sum(${RECORDED.clientUpdateErrors}{${ns}}) / sum(${RECORDED.clientUpdates}{${ns}})`,
        poolVariable: `label_values(${RECORDED.poolAddressesTotal}{${ns}}, pool)`,
        nodeVariable: `label_values(up{job=~"${JOBS.speaker}|${JOBS.frrK8s}",${ns}}, ${NODE_LABEL})`,
    };
}

export type DashboardQueries = ReturnType<typeof dashboardQueries>;
