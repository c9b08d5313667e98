/**
 * The one place that names MetalLB's metrics, their labels and our scrape-target contract. Rules,
 * the dashboard and the tests all read these constants, so a rename cannot leave one behind.
 * Source: MetalLB v0.16.1 and frr-k8s v0.0.25 (internal/allocator/stats.go,
 * internal/k8s/controllers/stats.go, internal/layer2/stats.go, internal/bgp/*, speaker/main.go,
 * frr-k8s cmd/metrics/collector/*).
 */

/**
 * Controller: address allocation, label `pool`. Gauges despite the `_total` suffix. A CIDR with 62
 * or more host bits (any IPv6 /64) sets `addressesTotal` and `ipv6AddressesTotal` to MaxInt64
 * (internal/allocator/allocator.go poolCount): only the per-family series show IPv4 exhaustion.
 */
export const ALLOCATOR = {
    addressesTotal: "metallb_allocator_addresses_total",
    addressesInUse: "metallb_allocator_addresses_in_use_total",
    ipv4AddressesTotal: "metallb_allocator_ipv4_addresses_total",
    ipv4AddressesInUse: "metallb_allocator_ipv4_addresses_in_use_total",
    ipv6AddressesTotal: "metallb_allocator_ipv6_addresses_total",
    ipv6AddressesInUse: "metallb_allocator_ipv6_addresses_in_use_total",
} as const;

/** Pools with more addresses than this (2^62) are "unbounded" in MetalLB's stats: their totals are MaxInt64. */
export const UNBOUNDED_POOL_SIZE = "2^62";

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
    opensReceived: "frrk8s_bgp_opens_received",
    routeRefreshSent: "frrk8s_bgp_route_refresh_sent",
    totalSent: "frrk8s_bgp_total_sent",
    totalReceived: "frrk8s_bgp_total_received",
    bfdSessionUp: "frrk8s_bfd_session_up",
    /** Counts BFD flaps, also those shorter than a scrape interval (frr-k8s cmd/metrics/collector/bfd.go). */
    bfdSessionDownEvents: "frrk8s_bfd_session_down_events",
} as const;

/**
 * kube-state-metrics (job="kube-state-metrics" under kube-prometheus-stack, scraped with
 * honorLabels, so `namespace`, `service`, `endpoint`, `node` are the object's, not the target's).
 * Sources: kubernetes/kube-state-metrics docs/metrics/workload/daemonset-metrics.md,
 * docs/metrics/service/service-metrics.md, docs/metrics/service/endpoint-metrics.md,
 * docs/metrics/cluster/node-metrics.md.
 */
export const KSM = {
    job: "kube-state-metrics",
    daemonsetReady: "kube_daemonset_status_number_ready",
    daemonsetDesired: "kube_daemonset_status_desired_number_scheduled",
    daemonsetUpdated: "kube_daemonset_status_updated_number_scheduled",
    /** {namespace, service, uid, type}: one series per Service, `type="LoadBalancer"` for ours. */
    serviceSpecType: "kube_service_spec_type",
    /** {namespace, service, uid, ip, hostname}: one series per ingress point; none while pending. */
    serviceLoadBalancerIngress: "kube_service_status_load_balancer_ingress",
    /** {namespace, service, uid, annotation_*}: only allowlisted annotations (metricAnnotationsAllowList). */
    serviceAnnotations: "kube_service_annotations",
    /** {namespace, endpoint, ip, ready}: one series per address of an Endpoints object (named like its Service). */
    endpointAddress: "kube_endpoint_address",
    /** {node, condition, status}: 1 for the status the condition has. */
    nodeStatusCondition: "kube_node_status_condition",
    /** {namespace, service, uid}: creation time (unix seconds); the dashboard's "pending since". */
    serviceCreated: "kube_service_created",
    /** {namespace, pod, container, uid}: container restarts (the dashboard's MetalLB pod restarts). */
    podContainerRestarts: "kube_pod_container_status_restarts_total",
} as const;

/**
 * The label kube-state-metrics gives the controller's pool annotation (controller/service.go
 * `metallb.io/ip-allocated-from-pool`) when kube-prometheus-stack sets
 * `kube-state-metrics.metricAnnotationsAllowList: ["services=[metallb.io/ip-allocated-from-pool]"]`
 * (annotation name sanitised: every non-alphanumeric character becomes `_`).
 */
export const POOL_ANNOTATION = { annotation: "metallb.io/ip-allocated-from-pool", label: "annotation_metallb_io_ip_allocated_from_pool" } as const;

/**
 * API server (job="apiserver" under kube-prometheus-stack). Source: kubernetes
 * staging/src/k8s.io/apiserver/pkg/admission/metrics/metrics.go (webhook rejections, labels name,
 * type, operation, error_type, rejection_code) and
 * staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/conversion/metrics.go (conversion webhook
 * duration histogram, labels crd_name, from_version, to_version, succeeded).
 */
export const APISERVER = {
    webhookRejections: "apiserver_admission_webhook_rejection_count",
    crdConversionWebhookCount: "apiserver_crd_conversion_webhook_duration_seconds_count",
} as const;

/** MetalLB's admission webhooks (`<kind>validationwebhook.metallb.io`) and CRDs (`<plural>.metallb.io`). */
export const METALLB_API_REGEX = ".+\\\\.metallb\\\\.io";

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

/**
 * Recording rules (level:metric:operations); the alerts and the dashboard read these. Every one
 * keeps MetalLB's `namespace` and, when `alerts:clusterLabel` is set, that cluster label.
 */
export const RECORDED = {
    /** Addresses per pool and family (label `family` = ipv4|ipv6); only finite sizes (never the MaxInt64 of a /64), only families the pool has. */
    poolFamilyAddressesTotal: "pool_family:metallb_allocator_addresses_total:max",
    /** Addresses in use per pool and family (label `family`), for every family the pool has. */
    poolFamilyAddressesInUse: "pool_family:metallb_allocator_addresses_in_use_total:max",
    /** Free addresses per pool and family (size minus in use), only for finite families. */
    poolFamilyFree: "pool_family:metallb_allocator_addresses:free",
    /** Usage ratio (0..1) per pool and family, only for finite families. */
    poolFamilyRatio: "pool_family:metallb_allocator_addresses_in_use:ratio",
    /** Usage ratio of a pool's fullest finite family (per-family ratios; the combined totals only when MetalLB has no per-family series). */
    poolUsageRatio: "pool:metallb_allocator_addresses_in_use:ratio",
    /** LoadBalancer Services holding an address of the pool, from the controller's `metallb.io/ip-allocated-from-pool` annotation (kube-state-metrics); `namespace` is MetalLB's. */
    poolServices: "pool:kube_service_annotations:count",
    /** Speakers announcing each Service IP (labels protocol, exported_service, ip): 1 is healthy, absent is unannounced, >1 in layer2 is split brain. */
    ipAnnouncers: "ip:metallb_speaker_announced:count",
    /** 1 while a node announces a layer2 IP (labels exported_service, ip, exported_node). */
    l2Owner: "ip_node:metallb_speaker_announced:l2_owner",
    /** A node that stopped announcing a layer2 IP, recorded at the evaluation where it stopped (sparse: nothing while the owner stays). */
    l2OwnerLost: "ip_node:metallb_speaker_announced:l2_owner_lost",
    /** Times a layer2 IP lost its announcing node in the last 15 minutes (labels exported_service, ip). */
    l2OwnerChanges: "ip:metallb_speaker_announced:l2_owner_changes_15m",
    /** BGP session state per node and peer, both backends (peer without port; `vrf` for frr-k8s). */
    bgpSessionUp: "node_peer:metallb_bgp_session_up:max",
    /** A session's new state, recorded only at evaluations where it differs from the previous one (sparse: nothing while stable). */
    bgpSessionChanges: "node_peer:metallb_bgp_session_up:changes",
    /** BGP sessions (labels node, peer, vrf) that stopped reporting within the last hour: when each was last seen (unix seconds). Nothing for a session that reports. */
    bgpSessionLastSeen: "node_peer:metallb_bgp_session_up:last_seen",
    /** Peers (labels peer, vrf) whose sessions from every Ready node are down (value 0): the router is down. Nothing while some session is up. */
    peersDown: "peer:metallb_bgp_session_up:down_from_ready_nodes",
    /** BGP sessions up to each peer across all nodes (labels peer, vrf). */
    peerSessionsUp: "peer:metallb_bgp_session_up:sum",
    /** BGP sessions to each peer across all nodes, up or down (labels peer, vrf). */
    peerSessions: "peer:metallb_bgp_session_up:count",
    /** BGP messages per second per peer (sum over nodes), one series per `direction` (sent|received) and `type` (open, update, keepalive, notification, route_refresh). */
    peerMessages: "peer:metallb_bgp_messages:rate5m",
    /** Prefixes announced per node and peer, both backends (labels node, peer, vrf). */
    bgpAnnouncedPrefixes: "node_peer:metallb_bgp_announced_prefixes:max",
    /** frr-k8s BFD session state per node and peer (labels node, peer, vrf). */
    bfdSessionUp: "node_peer:metallb_bfd_session_up:max",
    /** frr-k8s BFD session down-events counter per node and peer (labels node, peer, vrf). */
    bfdSessionDownCounter: "node_peer:frrk8s_bfd_session_down_events:max",
    /** BFD down events since the previous rule evaluation, recorded only when there were some (sparse). */
    bfdSessionDownNew: "node_peer:frrk8s_bfd_session_down_events:new",
    /** frr-k8s BFD session down events per node and peer in the last 15 minutes (labels node, peer, vrf); nothing for a session without any. */
    bfdSessionDownEvents: "node_peer:frrk8s_bfd_session_down_events:increase15m",
    /** Nodes kube-state-metrics reports NotReady (Ready condition not "true"), labels node (and MetalLB's namespace); nothing while every node is Ready. */
    notReadyNodes: "node:kube_node_status_condition:not_ready",
    /** Each pod's failed-update counter (controller, speakers, frr-k8s), its last value within the lookback, read once per evaluation for the reconcile-error rules. */
    clientUpdateErrorsTotal: "job_pod:metallb_k8s_client_update_errors_total:sum",
    /** Kubernetes object updates processed per second per pod (controller, speakers, frr-k8s). */
    clientUpdates: "job_pod:metallb_k8s_client_updates:rate5m",
    /** Failed updates per second per pod over 5 minutes. */
    clientUpdateErrors: "job_pod:metallb_k8s_client_update_errors:rate5m",
    /** Failed updates per pod since the previous rule evaluation, recorded only at evaluations where there were some (sparse). */
    clientUpdateErrorsNew: "job_pod:metallb_k8s_client_update_errors:new",
    /** Failed reconciles per pod in the last hour (nothing for a pod without any): an allocation failure counts once and is never retried, so only a long window sees it. */
    reconcileErrors: "job_pod:metallb_k8s_client_update_errors:increase1h",
} as const;

/**
 * Metrics of other components the rules read, with their upstream source: kube-state-metrics and the
 * API server as kube-prometheus-stack 88.5.3 scrapes them, Prometheus' own `up` and `ALERTS`.
 */
export const OTHER_METRICS: Readonly<Record<string, string>> = {
    up: "prometheus/prometheus scrape/scrape.go (synthetic per target)",
    ALERTS: "prometheus/prometheus rules/alerting.go (synthetic per alert)",
    [KSM.daemonsetReady]: "kubernetes/kube-state-metrics docs/metrics/workload/daemonset-metrics.md",
    [KSM.daemonsetDesired]: "kubernetes/kube-state-metrics docs/metrics/workload/daemonset-metrics.md",
    [KSM.daemonsetUpdated]: "kubernetes/kube-state-metrics docs/metrics/workload/daemonset-metrics.md",
    [KSM.serviceSpecType]: "kubernetes/kube-state-metrics docs/metrics/service/service-metrics.md",
    [KSM.serviceLoadBalancerIngress]: "kubernetes/kube-state-metrics docs/metrics/service/service-metrics.md",
    [KSM.serviceAnnotations]: "kubernetes/kube-state-metrics docs/metrics/service/service-metrics.md (with metricAnnotationsAllowList)",
    [KSM.endpointAddress]: "kubernetes/kube-state-metrics docs/metrics/service/endpoint-metrics.md",
    [KSM.nodeStatusCondition]: "kubernetes/kube-state-metrics docs/metrics/cluster/node-metrics.md",
    [KSM.serviceCreated]: "kubernetes/kube-state-metrics docs/metrics/service/service-metrics.md",
    [KSM.podContainerRestarts]: "kubernetes/kube-state-metrics docs/metrics/workload/pod-metrics.md",
    [APISERVER.webhookRejections]: "kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/admission/metrics/metrics.go",
    [APISERVER.crdConversionWebhookCount]: "kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/conversion/metrics.go",
};

/** Every metric name a query may use: exported upstream (and really emitted) or recorded by our rules. */
export const KNOWN_METRICS: ReadonlySet<string> = new Set<string>([
    ...Object.values(ALLOCATOR),
    ...Object.values(K8S_CLIENT),
    ...Object.values(FRRK8S_CLIENT),
    ...Object.values(SPEAKER),
    ...Object.values(NATIVE_BGP),
    ...Object.values(FRRK8S_BGP),
    ...Object.keys(OTHER_METRICS),
    ...Object.values(RECORDED),
]);

/** The MetalLB chart's `metallb.fullname`: the release name if it contains "metallb", else "<release>-metallb". */
export function metallbFullname(releaseName: string): string {
    return (releaseName.includes("metallb") ? releaseName : `${releaseName}-metallb`).slice(0, 63).replace(/-+$/, "");
}

/** How the charts end their DaemonSets' names. */
export const DAEMONSET_SUFFIX = { speaker: "-speaker", frrK8s: "-frr-k8s" } as const;

/** DaemonSet names the charts create. */
export function daemonSetNames(releaseName: string): { speaker: string; frrK8s: string } {
    return { speaker: `${metallbFullname(releaseName)}${DAEMONSET_SUFFIX.speaker}`, frrK8s: `${releaseName}${DAEMONSET_SUFFIX.frrK8s}` };
}
