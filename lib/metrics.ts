/**
 * The one place that names MetalLB's metrics, their labels and our scrape-target contract. Rules,
 * the dashboard and the tests all read these constants, so a rename cannot leave one behind.
 * Source: MetalLB v0.16.1 and frr-k8s v0.0.25 (internal/allocator/stats.go,
 * internal/k8s/controllers/stats.go, internal/layer2/stats.go, internal/bgp/*, speaker/main.go,
 * frr-k8s cmd/metrics/collector/*).
 */

/** Controller: address allocation, label `pool`. Gauges despite the `_total` suffix. */
export const ALLOCATOR = {
    addressesTotal: "metallb_allocator_addresses_total",
    addressesInUse: "metallb_allocator_addresses_in_use_total",
    servicesAllocated: "metallb_allocator_services_allocated_total",
} as const;

/** Controller and speaker (and frr-k8s with the `frrk8s_` prefix): Kubernetes client. No labels. */
export const K8S_CLIENT = {
    updates: "metallb_k8s_client_updates_total",
    updateErrors: "metallb_k8s_client_update_errors_total",
    configLoaded: "metallb_k8s_client_config_loaded_bool",
    configStale: "metallb_k8s_client_config_stale_bool",
} as const;

export const FRRK8S_CLIENT = {
    updates: "frrk8s_k8s_client_updates_total",
    updateErrors: "frrk8s_k8s_client_update_errors_total",
    configLoaded: "frrk8s_k8s_client_config_loaded_bool",
    configStale: "frrk8s_k8s_client_config_stale_bool",
} as const;

/** Speaker. `announced` has labels service, protocol, node, ip; the layer2 counters only `ip`. */
export const SPEAKER = {
    announced: "metallb_speaker_announced",
    l2Requests: "metallb_layer2_requests_received",
    l2Responses: "metallb_layer2_responses_sent",
    l2Gratuitous: "metallb_layer2_gratuitous_sent",
} as const;

/** Native BGP (speaker): label `peer` = "<ip>:<port>". */
export const NATIVE_BGP = {
    sessionUp: "metallb_bgp_session_up",
    updatesSent: "metallb_bgp_updates_total",
    announcedPrefixes: "metallb_bgp_announced_prefixes_total",
    pendingPrefixes: "metallb_bgp_pending_prefixes_total",
} as const;

/** frr-k8s BGP/BFD (frr-k8s pods, port 9141): labels `peer` = "<ip>" and `vrf`. */
export const FRRK8S_BGP = {
    sessionUp: "frrk8s_bgp_session_up",
    announcedPrefixes: "frrk8s_bgp_announced_prefixes_total",
    receivedPrefixes: "frrk8s_bgp_received_prefixes_total",
    updatesSent: "frrk8s_bgp_updates_total",
    updatesReceived: "frrk8s_bgp_updates_total_received",
    keepalivesSent: "frrk8s_bgp_keepalives_sent",
    keepalivesReceived: "frrk8s_bgp_keepalives_received",
    notificationsSent: "frrk8s_bgp_notifications_sent",
    opensSent: "frrk8s_bgp_opens_sent",
    bfdSessionUp: "frrk8s_bfd_session_up",
} as const;

/** kube-state-metrics (job="kube-state-metrics" under kube-prometheus-stack). */
export const KSM = {
    job: "kube-state-metrics",
    daemonsetReady: "kube_daemonset_status_number_ready",
    daemonsetDesired: "kube_daemonset_status_desired_number_scheduled",
} as const;

/** `job` label values our ServiceMonitors give the targets (relabelled, independent of Service names). */
export const JOBS = {
    controller: "metallb-controller",
    speaker: "metallb-speaker",
    frrK8s: "frr-k8s",
} as const;

/** Target label carrying the node of per-node targets (speaker, frr-k8s), from the pod's node. */
export const NODE_LABEL = "node";

/** Metrics ports as the chart names them on the pods (0.16: HTTPS with bearer-token auth). */
export const PORTS = {
    metallb: { name: "metricshttps", port: 9120 },
    frrK8sController: { name: "metricshttps", port: 9140 },
    frrK8sFrr: { name: "frrmetricshttps", port: 9141 },
} as const;

/** Recording rules (level:metric:operations); the dashboard and alerts read these. */
export const RECORDED = {
    poolAddressesTotal: "pool:metallb_allocator_addresses_total:max",
    poolAddressesInUse: "pool:metallb_allocator_addresses_in_use_total:max",
    poolServicesAllocated: "pool:metallb_allocator_services_allocated_total:max",
    poolUsageRatio: "pool:metallb_allocator_addresses_in_use:ratio",
    bgpSessionUp: "node_peer:metallb_bgp_session_up:max",
    bgpAnnouncedPrefixes: "node_peer:metallb_bgp_announced_prefixes:max",
    bfdSessionUp: "node_peer:metallb_bfd_session_up:max",
    clientUpdates: "job_pod:metallb_k8s_client_updates:rate5m",
    clientUpdateErrors: "job_pod:metallb_k8s_client_update_errors:rate5m",
} as const;

/** Every metric name a query may use: exported upstream or recorded by our rules. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set<string>([
    "up",
    ...Object.values(ALLOCATOR),
    ...Object.values(K8S_CLIENT),
    ...Object.values(FRRK8S_CLIENT),
    ...Object.values(SPEAKER),
    ...Object.values(NATIVE_BGP),
    ...Object.values(FRRK8S_BGP),
    KSM.daemonsetReady,
    KSM.daemonsetDesired,
    ...Object.values(RECORDED),
    "ALERTS",
]);

/** The MetalLB chart's `metallb.fullname`: the release name if it contains "metallb", else "<release>-metallb". */
export function metallbFullname(releaseName: string): string {
    return (releaseName.includes("metallb") ? releaseName : `${releaseName}-metallb`).slice(0, 63).replace(/-+$/, "");
}

/** DaemonSet names the charts create. */
export function daemonSetNames(releaseName: string): { speaker: string; frrK8s: string } {
    return { speaker: `${metallbFullname(releaseName)}-speaker`, frrK8s: `${releaseName}-frr-k8s` };
}
