/**
 * MetalLB clusters as Prometheus stores them: every series labelled exactly as our ServiceMonitors
 * (lib/monitoring/scrape.ts: job relabelled, `node` from the pod's node), kube-prometheus-stack's
 * kube-state-metrics (honorLabels: the object's namespace/service/pod win) and API server
 * ServiceMonitors label it, with only metrics the real components emit
 * (tests/fixtures/metrics-catalog.json; ../shared/research/real-cluster.md
 * §1, §2). One generator serves the small test fixtures and the 500-node benchmark
 * (scripts/bench-dashboard.ts). Written as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.
 */
import * as fs from "fs";
import { ALLOCATOR, APISERVER, FRRK8S_BGP, FRRK8S_CLIENT, K8S_CLIENT, KSM, NATIVE_BGP, POOL_ANNOTATION, SPEAKER } from "../../lib/metrics";

export type Labels = Record<string, string>;

export interface Series {
    readonly name: string;
    readonly labels: Labels;
    /** Value at `minute` minutes into the scenario (counters keep growing). */
    readonly value: (minute: number) => number;
    /** The series exists only from / until this minute (a speaker stops announcing, a new owner starts). */
    readonly from?: number;
    readonly until?: number;
}

export const NS = "metallb-system";

export { APISERVER };
/** kube-state-metrics' label for the `metallb.io/ip-allocated-from-pool` annotation (metricAnnotationsAllowList). */
export const POOL_ANNOTATION_LABEL = POOL_ANNOTATION.label;

const target = (job: string, service: string, pod: string, container: string, instance: string, endpoint: string, node?: string): Labels => ({
    job,
    namespace: NS,
    service,
    endpoint,
    pod,
    container,
    instance,
    ...(node ? { node } : {}),
});

/** Pod-name suffix as the DaemonSet controller makes them (5 characters). */
const suffix = (i: number) => (i + 100_000).toString(36).slice(-5);
export const nodeName = (i: number) => `node-${String(i + 1).padStart(3, "0")}`;
const nodeIp = (i: number) => `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;

export const CONTROLLER = target(
    "metallb-controller",
    "metallb-controller-metrics",
    "metallb-controller-7d9f8b6c5-abcde",
    "controller",
    "10.244.1.10:9120",
    "metricshttps",
);
export const speaker = (i: number) =>
    target("metallb-speaker", "metallb-speaker-metrics", `metallb-speaker-${suffix(i)}`, "speaker", `${nodeIp(i)}:9120`, "metricshttps", nodeName(i));
const frrMetrics = (i: number) =>
    target("frr-k8s", "metallb-frr-k8s-metrics", `metallb-frr-k8s-${suffix(i)}`, "frr-metrics", `${nodeIp(i)}:9141`, "frrmetricshttps", nodeName(i));
const frrController = (i: number) =>
    target("frr-k8s", "metallb-frr-k8s-metrics", `metallb-frr-k8s-${suffix(i)}`, "controller", `${nodeIp(i)}:9140`, "metricshttps", nodeName(i));
const KSM_TARGET: Labels = {
    job: KSM.job,
    namespace: "monitoring",
    service: "kube-prometheus-stack-kube-state-metrics",
    endpoint: "http",
    pod: "kube-prometheus-stack-kube-state-metrics-6b8f9c7d4-q2w3e",
    container: "kube-state-metrics",
    instance: "10.244.2.5:8080",
};
const APISERVER_TARGET: Labels = { job: "apiserver", namespace: "default", service: "kubernetes", endpoint: "https", instance: "10.0.0.1:6443" };

/** The conditions the kubelet sets on every node, with the status a healthy node has. */
const NODE_CONDITIONS: readonly [string, string][] = [
    ["Ready", "true"],
    ["MemoryPressure", "false"],
    ["DiskPressure", "false"],
    ["PIDPressure", "false"],
];

const constant = (v: number) => () => v;
const growing = (start: number, perMinute: number) => (m: number) => start + perMinute * m;
/** A counter that jumps by `by` at `minute` (a restart, a reset, a flap). */
const stepUp =
    (start: number, minute: number, by = 1) =>
    (m: number) =>
        m >= minute ? start + by : start;

export interface PoolSpec {
    readonly name: string;
    readonly protocol: "layer2" | "bgp";
    /** First three octets of the pool's IPv4 /24, e.g. "192.168.10". */
    readonly v4Prefix: string;
    /** Usable IPv4 addresses. */
    readonly v4Size: number;
    /** Also an IPv6 /64: the allocator then reports MaxInt64 totals (allocator.go poolCount). */
    readonly ipv6?: boolean;
}

export interface ClusterSpec {
    readonly nodes: number;
    readonly backend: "native" | "frr-k8s";
    readonly pools: readonly PoolSpec[];
    /** LoadBalancer Services per pool (one IPv4 each), in pool order. */
    readonly servicesPerPool: readonly number[];
    /** BGP routers every node peers with; none for an L2-only cluster. */
    readonly peers: readonly string[];
    readonly vrf?: string;
    readonly bfd?: boolean;
    /** Ready endpoints per Service. */
    readonly endpointsPerService?: number;
    /** Labels on every series, as a fleet store (Thanos, Mimir: Prometheus' external labels) holds them, e.g. `{cluster: "prod-eu"}`. */
    readonly externalLabels?: Labels;
    readonly faults?: Faults;
}

/** What is wrong in the cluster: each fault shows in the series exactly as the real components would show it. */
export interface Faults {
    /** LoadBalancer Services without an address (no ingress, no pool annotation: allocation failed). */
    readonly pendingServices?: number;
    /** L2 Services with an address and ready endpoints that no speaker announces. */
    readonly unannouncedIps?: number;
    /** L2 IPs two speakers announce at once. */
    readonly duplicateAnnouncers?: number;
    /** L2 IPs that moved to another node halfway through the window. */
    readonly ownerChanges?: number;
    /** BGP sessions (node 0 to the first peer, ...) that are down. */
    readonly sessionsDown?: number;
    /** BFD sessions that flapped (down events). */
    readonly bfdFlaps?: number;
    /** Speakers not ready (DaemonSet ready < desired). */
    readonly speakersNotReady?: number;
    /** Speakers running a stale config. */
    readonly staleConfigs?: number;
    /** Speaker containers that restarted during the window. */
    readonly restarts?: number;
    /** IPAddressPool changes the MetalLB webhook rejected. */
    readonly webhookRejections?: number;
    /** Every IPv4 address of the first pool in use. */
    readonly exhaustedPool?: boolean;
    /** Firing alerts, as Prometheus records them in ALERTS. */
    readonly alerts?: readonly Labels[];
}

interface Service {
    readonly namespace: string;
    readonly name: string;
    readonly pool: PoolSpec;
    readonly ip?: string;
    readonly owner: number;
}

/** All series of one cluster over a window of `minutes`. */
export function clusterSeries(spec: ClusterSpec, minutes: number): Series[] {
    const f = spec.faults ?? {};
    const out: Series[] = [];
    const frr = spec.backend === "frr-k8s";
    const nodes = Array.from({ length: spec.nodes }, (_, i) => i);
    const add = (name: string, labels: Labels, value: (m: number) => number, window: { from?: number; until?: number } = {}) =>
        out.push({ name, labels: { ...labels, ...spec.externalLabels }, value, ...window });
    // The other scrape targets the symptoms come from are up too.
    add("up", KSM_TARGET, constant(1));
    add("up", APISERVER_TARGET, constant(1));

    // Components: up, Kubernetes client (controller, speakers, frr-k8s controllers).
    const clients: [Labels, typeof K8S_CLIENT | typeof FRRK8S_CLIENT, boolean][] = [[CONTROLLER, K8S_CLIENT, false]];
    for (const i of nodes) {
        clients.push([speaker(i), K8S_CLIENT, i < (f.staleConfigs ?? 0)]);
        if (frr) {
            clients.push([frrController(i), FRRK8S_CLIENT, false]);
            add("up", frrMetrics(i), constant(1));
        }
    }
    for (const [labels, metrics, stale] of clients) {
        add("up", labels, constant(1));
        add(metrics.configLoaded, labels, constant(1));
        add(metrics.configStale, labels, constant(stale ? 1 : 0));
        add(metrics.updates, labels, growing(100, 2));
        add(metrics.updateErrors, labels, constant(0));
    }
    const daemonsets: [string, number][] = [["metallb-speaker", f.speakersNotReady ?? 0], ...(frr ? ([["metallb-frr-k8s", 0]] as [string, number][]) : [])];
    for (const [daemonset, notReady] of daemonsets) {
        const labels = { ...KSM_TARGET, namespace: NS, daemonset };
        add(KSM.daemonsetReady, labels, constant(spec.nodes - notReady));
        add(KSM.daemonsetDesired, labels, constant(spec.nodes));
    }
    // Every node's conditions as kube-state-metrics reports them: one series per condition and status
    // (kube-state-metrics docs/metrics/cluster/node-metrics.md), the kubelet's four conditions, all healthy.
    for (const i of nodes) {
        for (const [condition, healthy] of NODE_CONDITIONS) {
            for (const status of ["true", "false", "unknown"]) {
                add(KSM.nodeStatusCondition, { ...KSM_TARGET, node: nodeName(i), condition, status }, constant(status === healthy ? 1 : 0));
            }
        }
    }
    for (const i of nodes) {
        const p = speaker(i);
        add(
            KSM.podContainerRestarts,
            { ...KSM_TARGET, namespace: NS, pod: p.pod, container: "speaker", uid: `uid-${p.pod}` },
            i < (f.restarts ?? 0) ? stepUp(0, minutes / 2) : constant(0),
        );
    }

    // Services, their addresses and the pools.
    const services: Service[] = [];
    spec.pools.forEach((pool, p) => {
        for (let s = 0; s < (spec.servicesPerPool[p] ?? 0); s++) {
            services.push({
                namespace: `team-${s % 10}`,
                name: `${pool.name}-svc-${s}`,
                pool,
                ip: `${pool.v4Prefix}.${s + 10}`,
                owner: (s * 7 + p) % spec.nodes,
            });
        }
    });
    for (let s = 0; s < (f.pendingServices ?? 0); s++) {
        services.push({ namespace: "team-pending", name: `pending-${s}`, pool: spec.pools[0], owner: 0 });
    }
    spec.pools.forEach((pool, p) => {
        const used = f.exhaustedPool && p === 0 ? pool.v4Size : services.filter((s) => s.pool === pool && s.ip).length;
        const v6Total = pool.ipv6 ? Number.MAX_SAFE_INTEGER * 1024 : 0; // 2^63, as Prometheus stores math.MaxInt64
        const labels = { ...CONTROLLER, pool: pool.name };
        add(ALLOCATOR.addressesTotal, labels, constant(pool.ipv6 ? v6Total : pool.v4Size));
        add(ALLOCATOR.addressesInUse, labels, constant(used));
        add("metallb_allocator_ipv4_addresses_total", labels, constant(pool.v4Size));
        add("metallb_allocator_ipv4_addresses_in_use_total", labels, constant(used));
        add("metallb_allocator_ipv6_addresses_total", labels, constant(v6Total));
        add("metallb_allocator_ipv6_addresses_in_use_total", labels, constant(0));
    });

    const unannounced = new Set(services.filter((s) => s.pool.protocol === "layer2" && s.ip).slice(0, f.unannouncedIps ?? 0));
    const l2 = services.filter((s) => s.pool.protocol === "layer2" && s.ip && !unannounced.has(s));
    const duplicated = new Set(l2.slice(0, f.duplicateAnnouncers ?? 0));
    const moved = new Set(l2.slice(f.duplicateAnnouncers ?? 0, (f.duplicateAnnouncers ?? 0) + (f.ownerChanges ?? 0)));
    for (const svc of services) {
        const ksm = { ...KSM_TARGET, namespace: svc.namespace, service: svc.name, uid: `uid-${svc.namespace}-${svc.name}` };
        add(KSM.serviceSpecType, { ...ksm, type: "LoadBalancer" }, constant(1));
        add(KSM.serviceCreated, ksm, constant(1_700_000_000));
        add(KSM.serviceAnnotations, svc.ip ? { ...ksm, [POOL_ANNOTATION_LABEL]: svc.pool.name } : ksm, constant(1));
        for (let e = 0; e < (spec.endpointsPerService ?? 2); e++) {
            add(
                KSM.endpointAddress,
                { ...KSM_TARGET, namespace: svc.namespace, endpoint: svc.name, ip: `10.244.${(svc.owner + e) % 250}.${(e % 200) + 20}`, ready: "true" },
                constant(1),
            );
        }
        if (!svc.ip) {
            continue;
        }
        add(KSM.serviceLoadBalancerIngress, { ...ksm, ip: svc.ip, hostname: "" }, constant(1));
        if (unannounced.has(svc)) {
            continue;
        }
        const exported = `${svc.namespace}/${svc.name}`;
        const announce = (i: number, window: { from?: number; until?: number } = {}) => {
            add(
                SPEAKER.announced,
                { ...speaker(i), exported_node: nodeName(i), exported_service: exported, protocol: svc.pool.protocol, ip: svc.ip! },
                constant(1),
                window,
            );
        };
        if (svc.pool.protocol === "bgp") {
            for (const i of nodes) {
                announce(i);
            }
            continue;
        }
        const next = (svc.owner + 1) % spec.nodes;
        if (moved.has(svc)) {
            announce(svc.owner, { until: minutes / 2 });
            announce(next, { from: minutes / 2 });
        } else {
            announce(svc.owner);
        }
        if (duplicated.has(svc)) {
            announce(next);
        }
        // ARP/NDP counters exist on the nodes that answered for the IP and are never deleted.
        for (const i of moved.has(svc) || duplicated.has(svc) ? [svc.owner, next] : [svc.owner]) {
            const labels = { ...speaker(i), ip: svc.ip };
            add(SPEAKER.l2Requests, labels, growing(50, 12));
            add(SPEAKER.l2Responses, labels, growing(50, 12));
            add(SPEAKER.l2Gratuitous, labels, constant(3));
        }
    }

    // BGP sessions: every node peers with every router.
    let down = f.sessionsDown ?? 0;
    let flaps = f.bfdFlaps ?? 0;
    const bgpPrefixes = services.filter((s) => s.pool.protocol === "bgp" && s.ip).length;
    for (const i of nodes) {
        for (const peer of spec.peers) {
            const up = down-- > 0 ? 0 : 1;
            const prefixes = up ? bgpPrefixes : 0;
            if (!frr) {
                const labels = { ...speaker(i), peer: `${peer}:179` };
                add(NATIVE_BGP.sessionUp, labels, constant(up));
                add(NATIVE_BGP.announcedPrefixes, labels, constant(prefixes));
                add(NATIVE_BGP.pendingPrefixes, labels, constant(0));
                add(NATIVE_BGP.updatesSent, labels, growing(4, up));
                continue;
            }
            const labels = { ...frrMetrics(i), peer, vrf: spec.vrf ?? "default" };
            add(FRRK8S_BGP.sessionUp, labels, constant(up));
            add(FRRK8S_BGP.announcedPrefixes, labels, constant(prefixes));
            add(FRRK8S_BGP.receivedPrefixes, labels, constant(up));
            add(FRRK8S_BGP.opensSent, labels, constant(1));
            add("frrk8s_bgp_opens_received", labels, constant(1));
            add(FRRK8S_BGP.notificationsSent, labels, constant(0));
            add(FRRK8S_BGP.updatesSent, labels, growing(4, up));
            add(FRRK8S_BGP.updatesReceived, labels, growing(3, up));
            add(FRRK8S_BGP.keepalivesSent, labels, growing(10, 2 * up));
            add(FRRK8S_BGP.keepalivesReceived, labels, growing(10, 2 * up));
            add("frrk8s_bgp_route_refresh_sent", labels, constant(0));
            add("frrk8s_bgp_total_sent", labels, growing(14, 3 * up));
            add("frrk8s_bgp_total_received", labels, growing(13, 3 * up));
            if (spec.bfd) {
                const flapped = flaps-- > 0;
                add(FRRK8S_BGP.bfdSessionUp, labels, constant(up));
                add("frrk8s_bfd_session_up_events", labels, flapped ? stepUp(1, minutes / 2) : constant(1));
                add("frrk8s_bfd_session_down_events", labels, flapped ? stepUp(0, minutes / 2) : constant(0));
                add("frrk8s_bfd_control_packet_input", labels, growing(100, 200));
                add("frrk8s_bfd_control_packet_output", labels, growing(100, 200));
                add("frrk8s_bfd_echo_packet_input", labels, constant(0));
                add("frrk8s_bfd_echo_packet_output", labels, constant(0));
                add("frrk8s_bfd_zebra_notifications", labels, constant(2));
            }
        }
    }

    if (f.webhookRejections) {
        const labels = {
            ...APISERVER_TARGET,
            name: "ipaddresspoolvalidationwebhook.metallb.io",
            type: "validating",
            operation: "CREATE",
            error_type: "no_error",
            rejection_code: "403",
        };
        add(APISERVER.webhookRejections, labels, stepUp(0, minutes / 2, f.webhookRejections));
    }
    for (const alert of f.alerts ?? []) {
        add("ALERTS", { alertstate: "firing", ...alert }, constant(1));
    }
    return out;
}

const L2_POOL: PoolSpec = { name: "services-l2", protocol: "layer2", v4Prefix: "192.168.10", v4Size: 40 };
const BGP_POOL: PoolSpec = { name: "services-bgp", protocol: "bgp", v4Prefix: "198.51.100", v4Size: 64 };
const DUAL_POOL: PoolSpec = { name: "services-dual", protocol: "layer2", v4Prefix: "192.168.20", v4Size: 8, ipv6: true };
const PEERS = ["10.0.255.1", "10.0.255.2"];
/** Fixture window in minutes (the tests' Prometheus holds 70 minutes of history). */
export const FIXTURE_MINUTES = 70;

/** Small clusters for the tests; `faulty` has one of every fault a symptom panel shows. */
export const SPECS = {
    l2: { nodes: 2, backend: "native", pools: [L2_POOL, DUAL_POOL], servicesPerPool: [2, 1], peers: [] } as ClusterSpec,
    nativeBgp: { nodes: 2, backend: "native", pools: [BGP_POOL], servicesPerPool: [2], peers: PEERS } as ClusterSpec,
    frrBgp: { nodes: 2, backend: "frr-k8s", pools: [L2_POOL, BGP_POOL], servicesPerPool: [2, 2], peers: PEERS, vrf: "default", bfd: true } as ClusterSpec,
    faulty: {
        nodes: 3,
        backend: "frr-k8s",
        pools: [{ ...L2_POOL, v4Size: 6 }, BGP_POOL],
        servicesPerPool: [6, 2],
        peers: PEERS,
        vrf: "red",
        bfd: true,
        externalLabels: { cluster: "prod-eu" },
        faults: {
            pendingServices: 1,
            unannouncedIps: 1,
            duplicateAnnouncers: 1,
            ownerChanges: 1,
            sessionsDown: 1,
            bfdFlaps: 1,
            speakersNotReady: 1,
            staleConfigs: 1,
            restarts: 1,
            webhookRejections: 2,
            alerts: [{ alertname: "MetalLBBGPSessionDown", severity: "critical", namespace: NS, node: nodeName(0), peer: PEERS[0], vrf: "red" }],
        },
    } as ClusterSpec,
};

export const SCENARIOS = {
    l2: (): Series[] => clusterSeries(SPECS.l2, FIXTURE_MINUTES),
    nativeBgp: (): Series[] => clusterSeries(SPECS.nativeBgp, FIXTURE_MINUTES),
    frrBgp: (): Series[] => clusterSeries(SPECS.frrBgp, FIXTURE_MINUTES),
    faulty: (): Series[] => clusterSeries(SPECS.faulty, FIXTURE_MINUTES),
};

function labelText(labels: Labels): string {
    return Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(",");
}

function groupByFamily(series: readonly Series[]): Map<string, Series[]> {
    const families = new Map<string, Series[]>();
    for (const s of series) {
        const members = families.get(s.name);
        if (members) {
            members.push(s);
        } else {
            families.set(s.name, [s]);
        }
    }
    return families;
}

/**
 * OpenMetrics text, written in chunks to `write`: one sample every `stepSeconds` from
 * `startSeconds` to `endSeconds`, grouped by metric family as the format requires. Types are
 * `gauge` (OpenMetrics counters need a `_total` suffix that several MetalLB counters lack;
 * PromQL's rate() does not care).
 */
export function writeOpenMetrics(
    series: readonly Series[],
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
    write: (chunk: string) => void,
): void {
    let buf: string[] = [];
    let size = 0;
    const push = (line: string) => {
        buf.push(line);
        size += line.length;
        if (size > 1 << 20) {
            write(`${buf.join("\n")}\n`);
            buf = [];
            size = 0;
        }
    };
    for (const [name, members] of groupByFamily(series)) {
        push(`# TYPE ${name} gauge`);
        for (const s of members) {
            const head = `${name}{${labelText(s.labels)}} `;
            for (let t = startSeconds; t <= endSeconds; t += stepSeconds) {
                const minute = (t - startSeconds) / 60;
                if ((s.from === undefined || minute >= s.from) && (s.until === undefined || minute < s.until)) {
                    push(`${head}${s.value(minute)} ${t}`);
                }
            }
        }
    }
    push("# EOF");
    write(`${buf.join("\n")}\n`);
}

export function openMetrics(series: readonly Series[], startSeconds: number, endSeconds: number, stepSeconds: number): string {
    const parts: string[] = [];
    writeOpenMetrics(series, startSeconds, endSeconds, stepSeconds, (c) => parts.push(c));
    return parts.join("");
}

/** Writes OpenMetrics files of about equal size (for parallel `promtool` runs); returns their paths. */
export function writeOpenMetricsFiles(
    series: readonly Series[],
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
    paths: readonly string[],
): string[] {
    const parts: Series[][] = paths.map(() => []);
    series.forEach((s, i) => {
        parts[i % paths.length].push(s);
    });
    paths.forEach((p, i) => {
        const fd = fs.openSync(p, "w");
        try {
            writeOpenMetrics(parts[i], startSeconds, endSeconds, stepSeconds, (c) => fs.writeSync(fd, c));
        } finally {
            fs.closeSync(fd);
        }
    });
    return [...paths];
}
