import { DashboardQueries } from "./queries";

/** What a MetalLB installation uses; rows and panels for unused features are left out. */
export interface DashboardFeatures {
    /** L2Advertisements are configured. */
    readonly l2: boolean;
    /** BGP peers are configured. */
    readonly bgp: boolean;
    readonly bgpBackend: "native" | "frr-k8s";
    /** BFD profiles are configured (frr-k8s only). */
    readonly bfd: boolean;
}

/** The features a MetalLB configuration uses. */
export function dashboardFeatures(metallb: {
    readonly l2Advertisements: readonly unknown[];
    readonly bgp: { readonly peers: readonly unknown[]; readonly bfdProfiles: readonly unknown[] };
    readonly bgpBackend: "native" | "frr-k8s";
}): DashboardFeatures {
    return {
        l2: metallb.l2Advertisements.length > 0,
        bgp: metallb.bgp.peers.length > 0,
        bgpBackend: metallb.bgpBackend,
        bfd: metallb.bgpBackend === "frr-k8s" && metallb.bgp.bfdProfiles.length > 0,
    };
}

export interface ThresholdStep {
    readonly value: number | null;
    readonly color: string;
}

export interface TargetSpec {
    readonly expr: string;
    readonly legend?: string;
    /** Instant query (stat, table); default range. */
    readonly instant?: boolean;
    readonly table?: boolean;
}

export type PanelKind = "stat" | "gauge" | "bargauge" | "timeseries" | "statetimeline" | "table";

/** A table's columns: label or value field → readable title, in this order; every other field hidden. */
export type Columns = readonly (readonly [field: string, title: string])[];

/** One panel as data; build.ts turns it into a Grafana panel. */
export interface PanelSpec {
    readonly kind: PanelKind;
    readonly title: string;
    readonly description: string;
    readonly unit: string;
    readonly targets: readonly TargetSpec[];
    readonly width: number;
    readonly height: number;
    readonly thresholds?: readonly ThresholdStep[];
    /** 0/1 gauges shown as Down/Up. */
    readonly upDown?: boolean;
    readonly min?: number;
    readonly max?: number;
    /** Tables: the columns shown (values of several targets are "Value #A", "Value #B", ...). */
    readonly columns?: Columns;
    /** Tables: sort by this column title, ascending unless `desc`. */
    readonly sortBy?: { readonly column: string; readonly desc?: boolean };
    /** Tables: a footer row with the minimum of these column titles. */
    readonly footerMin?: readonly string[];
    /** Data links on every cell (Grafana data-link syntax, e.g. `${__data.fields.Alert}` for the row's Alert column). */
    readonly links?: readonly { readonly title: string; readonly url: string }[];
    /** Colour the whole cell background by thresholds (tables). */
    readonly colorCells?: boolean;
    /** Lists only what is wrong: empty ("No data") on a healthy cluster, one row per fault otherwise. */
    readonly symptom?: boolean;
}

export interface RowSpec {
    readonly title: string;
    /** Heavy rows (per IP, per session) start collapsed: their queries run only when opened. */
    readonly collapsed?: boolean;
    readonly panels: readonly PanelSpec[];
}

const GREEN = "green";
const RED = "red";
/** A count of what is wrong: green at 0, red from 1. */
const RED_FROM_ONE: ThresholdStep[] = [
    { value: null, color: GREEN },
    { value: 1, color: RED },
];

export interface PanelOptions {
    readonly features: DashboardFeatures;
    /** Alert thresholds in percent (alerts:poolUsageWarningPercent / CriticalPercent). */
    readonly warningPercent: number;
    readonly criticalPercent: number;
    /** Base URL of the runbooks; each alert's is `<base>/<AlertName>.md`. */
    readonly runbookBaseUrl: string;
}

/** Spreads a row's panels over the 24 grid columns (earlier panels get the remainder). */
function spread(panels: PanelSpec[]): PanelSpec[] {
    const base = Math.floor(24 / panels.length);
    const extra = 24 - base * panels.length;
    return panels.map((p, i) => ({ ...p, width: base + (i < extra ? 1 : 0) }));
}

const when = <T>(condition: boolean, ...items: T[]): T[] => (condition ? items : []);

function healthStat(title: string, description: string, expr: string): PanelSpec {
    return {
        kind: "stat",
        title,
        description,
        unit: "short",
        width: 3,
        height: 4,
        thresholds: RED_FROM_ONE,
        targets: [{ expr, legend: title, instant: true }],
    };
}

function table(title: string, description: string, targets: TargetSpec[], columns: Columns, extra: Partial<PanelSpec> = {}): PanelSpec {
    return {
        kind: "table",
        title,
        description,
        unit: "short",
        width: 12,
        height: 8,
        targets: targets.map((t) => ({ ...t, instant: true, table: true })),
        columns,
        ...extra,
    };
}

const PEER_LEGEND = "{{peer}} (VRF {{vrf}})";

/** The dashboard's rows, top to bottom, for one installation: what is wrong first, details below. */
export function dashboardRows(q: DashboardQueries, o: PanelOptions): RowSpec[] {
    const f = o.features;
    const frr = f.bgpBackend === "frr-k8s";
    const runbooks = o.runbookBaseUrl.replace(/\/+$/, "");
    const usage: ThresholdStep[] = [
        { value: null, color: GREEN },
        { value: o.warningPercent / 100, color: "orange" },
        { value: o.criticalPercent / 100, color: RED },
    ];
    const rows: RowSpec[] = [
        {
            title: "Health",
            panels: spread([
                healthStat(
                    "Pending Services",
                    "LoadBalancer Services without an address (allocation failed: no free address, sharing or family conflict, pool selectors). MetalLB has no metric for this; kube-state-metrics shows it.",
                    q.pendingCount,
                ),
                healthStat(
                    "Unannounced addresses",
                    "Addresses MetalLB allocated to Services with ready endpoints that no node announces: clients cannot reach them.",
                    q.unannouncedCount,
                ),
                ...when(
                    f.l2,
                    healthStat(
                        "Doubly announced L2 addresses",
                        "Layer 2 addresses more than one node announces at once (ARP/NDP answers from two nodes: split traffic).",
                        q.duplicateCount,
                    ),
                ),
                ...when(f.bgp, healthStat("BGP sessions down", "BGP sessions (node × peer) that are not established.", q.sessionsDown)),
                healthStat(
                    "Stale or missing configs",
                    "MetalLB pods (controller, speakers, frr-k8s) that failed to load their configuration or run a stale one.",
                    q.badConfigCount,
                ),
                healthStat("Speakers not ready", "Speaker and frr-k8s pods scheduled but not ready (their nodes announce nothing).", q.notReady),
                healthStat("Firing alerts", "MetalLB alerts firing now, in any namespace (the table below links their runbooks).", q.firingCount),
                healthStat("Restarts", "Container restarts of MetalLB's pods in the time range.", q.restartCount),
            ]),
        },
        {
            title: "Symptoms",
            panels: [
                table(
                    "Pending LoadBalancer Services",
                    "LoadBalancer Services still waiting for an address, and for how long. `kubectl describe service` shows MetalLB's AllocationFailed event with the reason.",
                    [{ expr: q.pendingTable }],
                    [
                        ["namespace", "Namespace"],
                        ["service", "Service"],
                        ["Value", "Age"],
                    ],
                    {
                        symptom: true,
                        unit: "dtdurations",
                        sortBy: { column: "Age", desc: true },
                    },
                ),
                table(
                    "Addresses with no announcing node",
                    "Allocated addresses of Services with ready endpoints that no speaker announces (no metallb_speaker_announced series for the IP): nobody answers ARP/NDP or advertises the route.",
                    [{ expr: q.unannouncedTable }],
                    [
                        ["namespace", "Namespace"],
                        ["service", "Service"],
                        ["ip", "Address"],
                    ],
                    { symptom: true },
                ),
                ...when(
                    f.l2,
                    table(
                        "L2 addresses with more than one announcer",
                        "Layer 2 addresses that several nodes announce at once: ARP/NDP answers race and traffic splits.",
                        [{ expr: q.duplicatesTable }],
                        [
                            ["exported_service", "Service"],
                            ["ip", "Address"],
                            ["Value", "Announcing nodes"],
                        ],
                        { symptom: true, thresholds: RED_FROM_ONE },
                    ),
                ),
                table(
                    "Free addresses per pool and family",
                    "Addresses still free in each pool, per address family (from the per-family allocator metrics: an IPv6 /64 reports MaxInt64 addresses and would hide an exhausted IPv4 range in a total). The footer shows the minimum; a pool at 0 cannot serve new Services of that family.",
                    [{ expr: q.poolFree }],
                    [
                        ["pool", "Pool"],
                        ["family", "Family"],
                        ["Value", "Free"],
                    ],
                    {
                        sortBy: { column: "Free" },
                        footerMin: ["Free"],
                        thresholds: [
                            { value: null, color: RED },
                            { value: 1, color: "orange" },
                            { value: 5, color: GREEN },
                        ],
                        colorCells: true,
                    },
                ),
                table(
                    "Services per pool",
                    "LoadBalancer Services holding an address from each pool (the controller's metallb.io/ip-allocated-from-pool annotation, exported by kube-state-metrics).",
                    [{ expr: q.servicesPerPool }],
                    [
                        ["pool", "Pool"],
                        ["Value", "Services"],
                    ],
                    { width: 8 },
                ),
                table(
                    "Webhook rejections",
                    "MetalLB configuration changes (pools, advertisements, peers) the API server rejected through MetalLB's admission webhooks in the time range; error_type calling_webhook_error means the webhook was unreachable.",
                    [{ expr: q.webhookRejections }],
                    [
                        ["name", "Webhook"],
                        ["operation", "Operation"],
                        ["rejection_code", "Code"],
                        ["error_type", "Error"],
                        ["Value", "Rejections"],
                    ],
                    { symptom: true, width: 8, thresholds: RED_FROM_ONE },
                ),
                table(
                    "Firing MetalLB alerts",
                    "MetalLB alerts firing now, in any namespace; click a row for its runbook.",
                    [{ expr: q.firingAlerts }],
                    [
                        ["alertname", "Alert"],
                        ["severity", "Severity"],
                        ["namespace", "Namespace"],
                        ["pool", "Pool"],
                        ["node", "Node"],
                        ["peer", "Peer"],
                        ["vrf", "VRF"],
                    ],
                    {
                        symptom: true,
                        width: 8,
                        links: [{ title: "Runbook of ${__data.fields.Alert}", url: `${runbooks}/\${__data.fields.Alert}.md` }],
                    },
                ),
            ],
        },
        {
            title: "Address pools",
            panels: [
                {
                    kind: "gauge",
                    title: "Fullest pool",
                    description: `Usage of the fullest selected pool and address family. Orange at ${o.warningPercent}% and red at ${o.criticalPercent}%, the thresholds of the pool alerts.`,
                    unit: "percentunit",
                    min: 0,
                    max: 1,
                    width: 6,
                    height: 7,
                    thresholds: usage,
                    targets: [{ expr: q.fullestPool, legend: "fullest", instant: true }],
                },
                {
                    kind: "timeseries",
                    title: "Pool usage per family",
                    description: `Share of each pool's addresses in use, per address family. Orange at ${o.warningPercent}% and red at ${o.criticalPercent}%, the thresholds of the pool alerts.`,
                    unit: "percentunit",
                    min: 0,
                    max: 1,
                    width: 18,
                    height: 7,
                    thresholds: usage,
                    targets: [{ expr: q.poolRatio, legend: "{{pool}} {{family}}" }],
                },
            ],
        },
    ];
    if (f.bgp) {
        rows.push({
            title: "BGP peers",
            panels: [
                table(
                    "Sessions per peer",
                    "Per BGP peer (and VRF): sessions established out of all nodes' sessions; Down is red from 1.",
                    [{ expr: q.peerDown }, { expr: q.peerUp }, { expr: q.peerTotal }],
                    [
                        ["peer", "Peer"],
                        ["vrf", "VRF"],
                        ["Value #A", "Down"],
                        ["Value #B", "Up"],
                        ["Value #C", "Total"],
                    ],
                    {
                        width: 8,
                        thresholds: RED_FROM_ONE,
                        colorCells: true,
                        sortBy: { column: "Down", desc: true },
                    },
                ),
                table(
                    "Session resets per peer",
                    `Session state changes per peer over the time range, summed over nodes (each reset counts a down and an up)${f.bfd ? ", and BFD down events (flaps shorter than a scrape interval included)" : ""}.`,
                    [{ expr: q.peerStateChanges }, ...when(f.bfd, { expr: q.bfdDownEvents })],
                    [["peer", "Peer"], ["vrf", "VRF"], ["Value #A", "State changes"], ...when(f.bfd, ["Value #B", "BFD down events"] as const)],
                    { width: 8, thresholds: RED_FROM_ONE },
                ),
                {
                    kind: "timeseries",
                    title: frr ? "Prefixes announced and received per peer" : "Prefixes announced per peer",
                    description:
                        "Per peer, the fewest prefixes any node announces to it (a node announcing fewer than the others is missing routes)" +
                        (frr ? ", and the fewest it receives." : "."),
                    unit: "short",
                    min: 0,
                    width: 8,
                    height: 8,
                    targets: [
                        { expr: q.peerAnnounced, legend: `${PEER_LEGEND} announced` },
                        ...when(frr, { expr: q.peerReceived, legend: `${PEER_LEGEND} received` }),
                    ],
                },
                {
                    kind: "timeseries",
                    title: "BGP messages per peer",
                    description: frr
                        ? "UPDATE, KEEPALIVE, NOTIFICATION and OPEN messages per second per peer, summed over nodes."
                        : "UPDATE messages sent per second per peer, summed over nodes (the native backend exports no other counters).",
                    unit: "ops",
                    min: 0,
                    width: 24,
                    height: 8,
                    targets: [{ expr: q.peerMessages, legend: `${PEER_LEGEND} {{direction}} {{type}}` }],
                },
            ],
        });
        rows.push({
            title: "BGP sessions (per node)",
            collapsed: true,
            panels: [
                table(
                    "Sessions down",
                    "Node × peer sessions that are not established now (filtered by $node).",
                    [{ expr: q.sessionsDownTable }],
                    [
                        ["node", "Node"],
                        ["peer", "Peer"],
                        ["vrf", "VRF"],
                    ],
                    { symptom: true, width: f.bfd ? 12 : 24 },
                ),
                ...when(
                    f.bfd,
                    table(
                        "BFD sessions down",
                        "Node × peer BFD sessions that are down now (filtered by $node).",
                        [{ expr: q.bfdDownTable }],
                        [
                            ["node", "Node"],
                            ["peer", "Peer"],
                            ["vrf", "VRF"],
                        ],
                        { symptom: true },
                    ),
                ),
            ],
        });
    }
    if (f.l2) {
        rows.push({
            title: "Layer 2 (per IP and node)",
            collapsed: true,
            panels: [
                table(
                    "L2 owner changes per IP (top 10)",
                    "Layer 2 addresses that more than one node announced within the time range (from metallb_speaker_announced: each change of the announcing node counts; gratuitous ARP is also sent on no-op resyncs and is not used).",
                    [{ expr: q.ownerChanges }],
                    [
                        ["exported_service", "Service"],
                        ["ip", "Address"],
                        ["Value", "Owner changes"],
                    ],
                    {
                        symptom: true,
                        width: 10,
                        sortBy: { column: "Owner changes", desc: true },
                    },
                ),
                {
                    kind: "timeseries",
                    title: "ARP/NDP requests per node (top 10)",
                    description: "ARP/NDP requests per second for the addresses each node announces (the 10 busiest nodes, filtered by $node).",
                    unit: "reqps",
                    min: 0,
                    width: 14,
                    height: 8,
                    targets: [{ expr: q.arpRequestsByNode, legend: "{{node}}" }],
                },
            ],
        });
    }
    rows.push({
        title: "Components",
        panels: [
            table(
                "Component restarts",
                "MetalLB containers that restarted in the time range.",
                [{ expr: q.restartsTable }],
                [
                    ["pod", "Pod"],
                    ["container", "Container"],
                    ["Value", "Restarts"],
                ],
                { symptom: true, width: 8, thresholds: RED_FROM_ONE, sortBy: { column: "Restarts", desc: true } },
            ),
            {
                kind: "timeseries",
                title: "Kubernetes client updates",
                description: "Kubernetes object updates processed per second, per component (5 minute rate).",
                unit: "ops",
                min: 0,
                width: 8,
                height: 8,
                targets: [{ expr: q.clientUpdates, legend: "{{job}}" }],
            },
            {
                kind: "timeseries",
                title: "Kubernetes client update errors",
                description: "Failed reconciles per second, per component (config parse and handler errors; an allocation failure counts once).",
                unit: "ops",
                min: 0,
                width: 8,
                height: 8,
                targets: [{ expr: q.clientErrors, legend: "{{job}}" }],
            },
        ],
    });
    return rows;
}
