/**
 * Healthy MetalLB clusters as Prometheus would store them: every series labelled exactly as our
 * ServiceMonitors (and kube-prometheus-stack's kube-state-metrics) label it, with MetalLB's real
 * metric names. Written as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`.
 */
import { ALLOCATOR, FRRK8S_BGP, FRRK8S_CLIENT, K8S_CLIENT, KSM, NATIVE_BGP, SPEAKER } from "../../lib/metrics";

export type Labels = Record<string, string>;

export interface Series {
    readonly name: string;
    readonly labels: Labels;
    /** Value at `minute` minutes into the scenario (counters keep growing). */
    readonly value: (minute: number) => number;
}

const NS = "metallb-system";
const NODES = ["node-a", "node-b"];

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

export const CONTROLLER = target("metallb-controller", "metallb-controller-metrics", "metallb-controller-7d9f8b6c5-abcde", "controller", "10.244.1.10:9120", "metricshttps");
export const speaker = (i: number) =>
    target("metallb-speaker", "metallb-speaker-metrics", `metallb-speaker-${"ab"[i].repeat(5)}`, "speaker", `192.168.1.${11 + i}:9120`, "metricshttps", NODES[i]);
const frrMetrics = (i: number) =>
    target("frr-k8s", "metallb-frr-k8s-metrics", `metallb-frr-k8s-${"ab"[i].repeat(5)}`, "frr-metrics", `192.168.1.${11 + i}:9141`, "frrmetricshttps", NODES[i]);
const frrController = (i: number) =>
    target("frr-k8s", "metallb-frr-k8s-metrics", `metallb-frr-k8s-${"ab"[i].repeat(5)}`, "controller", `192.168.1.${11 + i}:9140`, "metricshttps", NODES[i]);
const KSM_TARGET = target(KSM.job, "kube-prometheus-stack-kube-state-metrics", "kube-prometheus-stack-kube-state-metrics-6b8f9c7d4-q2w3e", "kube-state-metrics", "10.244.2.5:8080", "http");

const constant = (v: number) => () => v;
const growing = (start: number, perMinute: number) => (m: number) => start + perMinute * m;

function components(extraPods: Labels[] = [], frr = false): Series[] {
    const pods = [CONTROLLER, speaker(0), speaker(1), ...extraPods];
    const out: Series[] = pods.map((labels) => ({ name: "up", labels, value: constant(1) }));
    for (const labels of [CONTROLLER, speaker(0), speaker(1)]) {
        out.push(
            { name: K8S_CLIENT.configLoaded, labels, value: constant(1) },
            { name: K8S_CLIENT.configStale, labels, value: constant(0) },
            { name: K8S_CLIENT.updates, labels, value: growing(100, 6) },
            { name: K8S_CLIENT.updateErrors, labels, value: constant(0) },
        );
    }
    const daemonsets: [string, number][] = [["metallb-speaker", 2], ...(frr ? ([["metallb-frr-k8s", 2]] as [string, number][]) : [])];
    for (const [daemonset, n] of daemonsets) {
        out.push(
            { name: KSM.daemonsetReady, labels: { ...KSM_TARGET, daemonset }, value: constant(n) },
            { name: KSM.daemonsetDesired, labels: { ...KSM_TARGET, daemonset }, value: constant(n) },
        );
    }
    return out;
}

function pool(name: string, total: number, inUse: number): Series[] {
    const labels = { ...CONTROLLER, pool: name };
    return [
        { name: ALLOCATOR.addressesTotal, labels, value: constant(total) },
        { name: ALLOCATOR.addressesInUse, labels, value: constant(inUse) },
        // MetalLB >= 0.14 also reports per family (these pools are IPv4-only).
        { name: ALLOCATOR.ipv4AddressesTotal, labels, value: constant(total) },
        { name: ALLOCATOR.ipv4AddressesInUse, labels, value: constant(inUse) },
    ];
}

/** Speaker series for an announced service IP (target labels win; the scraped ones become exported_*). */
function announced(i: number, ip: string, svc: string, protocol: "layer2" | "bgp"): Series {
    return { name: SPEAKER.announced, labels: { ...speaker(i), exported_node: NODES[i], exported_service: svc, protocol, ip }, value: constant(1) };
}

function layer2(i: number, ip: string): Series[] {
    const labels = { ...speaker(i), ip };
    return [
        { name: SPEAKER.l2Requests, labels, value: growing(50, 12) },
        { name: SPEAKER.l2Responses, labels, value: growing(50, 12) },
        { name: SPEAKER.l2Gratuitous, labels, value: constant(3) },
    ];
}

const PEERS = ["10.0.0.1", "10.0.0.2"];

export const SCENARIOS = {
    /** L2 only, native backend: one pool, two speakers, two announced IPs. */
    l2: (): Series[] => [
        ...components(),
        ...pool("default", 11, 3),
        announced(0, "192.168.1.240", "default/web", "layer2"),
        announced(1, "192.168.1.241", "default/api", "layer2"),
        ...layer2(0, "192.168.1.240"),
        ...layer2(1, "192.168.1.241"),
    ],
    /** BGP only, native backend: peer = "<ip>:<port>". */
    nativeBgp: (): Series[] => [
        ...components(),
        ...pool("services-bgp", 64, 2),
        announced(0, "198.51.100.1", "default/web", "bgp"),
        announced(1, "198.51.100.1", "default/web", "bgp"),
        ...[0, 1].flatMap((i) =>
            PEERS.flatMap((p) => {
                const labels = { ...speaker(i), peer: `${p}:179` };
                return [
                    { name: NATIVE_BGP.sessionUp, labels, value: constant(1) },
                    { name: NATIVE_BGP.announcedPrefixes, labels, value: constant(2) },
                    { name: NATIVE_BGP.pendingPrefixes, labels, value: constant(2) },
                    { name: NATIVE_BGP.updatesSent, labels, value: growing(4, 1) },
                ];
            }),
        ),
    ],
    /** L2 + BGP on frr-k8s with BFD: peer = "<ip>" plus vrf, served by the frr-k8s pods. */
    frrBgp: (): Series[] => [
        ...components([0, 1].flatMap((i) => [frrMetrics(i), frrController(i)]), true),
        ...pool("services-l2", 40, 5),
        ...pool("services-bgp", 64, 2),
        announced(0, "10.20.0.200", "monitoring/grafana", "layer2"),
        announced(0, "198.51.100.1", "default/web", "bgp"),
        announced(1, "198.51.100.1", "default/web", "bgp"),
        ...layer2(0, "10.20.0.200"),
        ...[0, 1].flatMap((i) => [
            { name: FRRK8S_CLIENT.configLoaded, labels: frrController(i), value: constant(1) },
            { name: FRRK8S_CLIENT.configStale, labels: frrController(i), value: constant(0) },
            { name: FRRK8S_CLIENT.updates, labels: frrController(i), value: growing(40, 2) },
            { name: FRRK8S_CLIENT.updateErrors, labels: frrController(i), value: constant(0) },
            ...PEERS.flatMap((p) => {
                const labels = { ...frrMetrics(i), peer: p, vrf: "default" };
                return [
                    { name: FRRK8S_BGP.sessionUp, labels, value: constant(1) },
                    { name: FRRK8S_BGP.announcedPrefixes, labels, value: constant(2) },
                    { name: FRRK8S_BGP.receivedPrefixes, labels, value: constant(1) },
                    { name: FRRK8S_BGP.updatesSent, labels, value: growing(4, 1) },
                    { name: FRRK8S_BGP.updatesReceived, labels, value: growing(3, 1) },
                    { name: FRRK8S_BGP.keepalivesSent, labels, value: growing(10, 2) },
                    { name: FRRK8S_BGP.keepalivesReceived, labels, value: growing(10, 2) },
                    { name: FRRK8S_BGP.notificationsSent, labels, value: constant(0) },
                    { name: FRRK8S_BGP.bfdSessionUp, labels, value: constant(1) },
                ];
            }),
        ]),
    ],
};

function labelText(labels: Labels): string {
    return Object.entries(labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
        .join(",");
}

/**
 * OpenMetrics text: one sample every `stepSeconds` from `startSeconds` to `endSeconds`, grouped by
 * metric family as the format requires. Types are `gauge` (OpenMetrics counters need a `_total`
 * suffix that several MetalLB counters lack; PromQL's rate() does not care).
 */
export function openMetrics(series: readonly Series[], startSeconds: number, endSeconds: number, stepSeconds: number): string {
    const families = new Map<string, Series[]>();
    for (const s of series) {
        families.set(s.name, [...(families.get(s.name) ?? []), s]);
    }
    const lines: string[] = [];
    for (const [name, members] of families) {
        lines.push(`# TYPE ${name} gauge`);
        for (const s of members) {
            for (let t = startSeconds; t <= endSeconds; t += stepSeconds) {
                lines.push(`${name}{${labelText(s.labels)}} ${s.value((t - startSeconds) / 60)} ${t}`);
            }
        }
    }
    lines.push("# EOF");
    return `${lines.join("\n")}\n`;
}
