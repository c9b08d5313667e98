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
    /** Instant query (stat, gauge, table); default range. */
    readonly instant?: boolean;
    readonly table?: boolean;
}

export type PanelKind = "stat" | "gauge" | "bargauge" | "timeseries" | "statetimeline" | "table";

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
}

export interface RowSpec {
    readonly title: string;
    readonly panels: readonly PanelSpec[];
}

const GREEN = "green";
const RED = "red";

/** Utilisation colours at the alert thresholds, so the dashboard turns red when the alert fires. */
function utilisation(warning: number, critical: number): ThresholdStep[] {
    return [
        { value: null, color: GREEN },
        { value: warning / 100, color: "orange" },
        { value: critical / 100, color: RED },
    ];
}

export interface PanelOptions {
    readonly features: DashboardFeatures;
    /** Alert thresholds in percent (alerts:poolUsageWarningPercent / CriticalPercent). */
    readonly warningPercent: number;
    readonly criticalPercent: number;
}

/** Spreads a row's panels over the 24 grid columns (earlier panels get the remainder). */
function spread(panels: PanelSpec[]): PanelSpec[] {
    const base = Math.floor(24 / panels.length);
    const extra = 24 - base * panels.length;
    return panels.map((p, i) => ({ ...p, width: base + (i < extra ? 1 : 0) }));
}

/** The dashboard's rows, top to bottom, for one installation. */
export function dashboardRows(q: DashboardQueries, o: PanelOptions): RowSpec[] {
    const f = o.features;
    const util = utilisation(o.warningPercent, o.criticalPercent);
    const frr = f.bgpBackend === "frr-k8s";
    const rows: RowSpec[] = [
        {
            title: "Overview",
            panels: spread([
                { kind: "stat", title: "Addresses in use", description: "Addresses MetalLB has allocated to LoadBalancer Services, in the selected pools.", unit: "short", width: 4, height: 4, targets: [{ expr: q.addressesInUse, legend: "in use", instant: true }] },
                { kind: "stat", title: "Pool size", description: "Usable addresses in the selected pools.", unit: "short", width: 4, height: 4, targets: [{ expr: q.poolSize, legend: "total", instant: true }] },
                {
                    kind: "stat",
                    title: "Free addresses",
                    description: "Addresses still free in the selected pools. New Services stay pending when their pool has none.",
                    unit: "short",
                    width: 4,
                    height: 4,
                    thresholds: [{ value: null, color: RED }, { value: 1, color: "orange" }, { value: 5, color: GREEN }],
                    targets: [{ expr: q.freeAddresses, legend: "free", instant: true }],
                },
                {
                    kind: "gauge",
                    title: "Fullest pool",
                    description: `Utilisation of the fullest selected pool. Orange at ${o.warningPercent}% and red at ${o.criticalPercent}%, the thresholds of the MetalLBAddressPoolUsageHigh and MetalLBAddressPoolExhausted alerts.`,
                    unit: "percentunit",
                    min: 0,
                    max: 1,
                    width: 4,
                    height: 4,
                    thresholds: util,
                    targets: [{ expr: q.worstUtilisation, legend: "utilisation", instant: true }],
                },
                ...(f.bgp
                    ? [
                          {
                              kind: "stat" as const,
                              title: "BGP sessions up",
                              description: "BGP sessions established, out of all sessions MetalLB has (one per node and peer).",
                              unit: "short",
                              width: 4,
                              height: 4,
                              targets: [
                                  { expr: q.sessionsUp, legend: "up", instant: true },
                                  { expr: q.sessionsTotal, legend: "total", instant: true },
                              ],
                          },
                      ]
                    : []),
                {
                    kind: "stat",
                    title: "Pods with a valid config",
                    description: "MetalLB pods (controller, speakers, frr-k8s) that have loaded their configuration and are not running a stale one, out of all reporting.",
                    unit: "short",
                    width: 4,
                    height: 4,
                    targets: [
                        { expr: q.podsWithValidConfig, legend: "valid", instant: true },
                        { expr: q.podsReporting, legend: "reporting", instant: true },
                    ],
                },
                {
                    kind: "stat",
                    title: "Firing MetalLB alerts",
                    description: "MetalLB alerts firing now in MetalLB's namespace (see Alertmanager for details).",
                    unit: "short",
                    width: 4,
                    height: 4,
                    thresholds: [{ value: null, color: GREEN }, { value: 1, color: RED }],
                    targets: [{ expr: q.firingAlerts, legend: "firing", instant: true }],
                },
            ]),
        },
        {
            title: "Address allocation",
            panels: [
                {
                    kind: "timeseries",
                    title: "Addresses in use vs pool size",
                    description: "Per pool: addresses allocated and usable addresses over time.",
                    unit: "short",
                    min: 0,
                    width: 12,
                    height: 8,
                    targets: [
                        { expr: q.poolInUse, legend: "{{pool}} in use" },
                        { expr: q.poolTotal, legend: "{{pool}} size" },
                    ],
                },
                { kind: "bargauge", title: "Utilisation per pool", description: "Share of each pool's addresses in use, coloured at the alert thresholds.", unit: "percentunit", min: 0, max: 1, width: 6, height: 8, thresholds: util, targets: [{ expr: q.poolUtilisation, legend: "{{pool}}", instant: true }] },
                { kind: "timeseries", title: "Services per pool", description: "LoadBalancer Services holding an address from each pool.", unit: "short", min: 0, width: 6, height: 8, targets: [{ expr: q.poolServices, legend: "{{pool}}" }] },
            ],
        },
        {
            title: "Announcements",
            panels: [
                {
                    kind: "table",
                    title: "Service IPs by announcing node",
                    description: "Which node announces which service IP, and how (metallb_speaker_announced; desired state, which may lag an L2 failover).",
                    unit: "short",
                    width: f.l2 ? 14 : 24,
                    height: 8,
                    targets: [{ expr: q.announcedByNode, instant: true, table: true }],
                },
                ...(f.l2
                    ? [{ kind: "timeseries" as const, title: "L2 failovers per node", description: "Gratuitous ARP/NDP packets a node sends when it takes over service IPs (failovers).", unit: "pps", min: 0, width: 10, height: 8, targets: [{ expr: q.gratuitousByNode, legend: "{{node}}" }] }]
                    : []),
            ],
        },
    ];
    if (f.l2) {
        rows.push({
            title: "Layer 2",
            panels: [
                {
                    kind: "timeseries",
                    title: "ARP/NDP per node",
                    description: "ARP/NDP requests received for owned IPs and responses sent, per announcing node.",
                    unit: "pps",
                    min: 0,
                    width: 12,
                    height: 8,
                    targets: [
                        { expr: q.l2RequestsByNode, legend: "{{node}} requests" },
                        { expr: q.l2ResponsesByNode, legend: "{{node}} responses" },
                    ],
                },
                {
                    kind: "timeseries",
                    title: "ARP/NDP per service IP",
                    description: "ARP/NDP requests and responses per service IP; requests without responses point at an IP nobody answers for.",
                    unit: "pps",
                    min: 0,
                    width: 12,
                    height: 8,
                    targets: [
                        { expr: q.l2RequestsByIp, legend: "{{ip}} requests" },
                        { expr: q.l2ResponsesByIp, legend: "{{ip}} responses" },
                    ],
                },
            ],
        });
    }
    if (f.bgp) {
        rows.push({
            title: "BGP",
            panels: [
                { kind: "statetimeline", title: "BGP session state", description: "State of each BGP session per node and peer, both backends (native and frr-k8s).", unit: "short", upDown: true, width: 24, height: 8, targets: [{ expr: q.sessionState, legend: "{{node}} → {{peer}}" }] },
                {
                    kind: "timeseries",
                    title: frr ? "Prefixes announced and received" : "Prefixes announced",
                    description: frr ? "Prefixes announced to and received from each peer, per node." : "Prefixes announced to each peer, per node.",
                    unit: "short",
                    min: 0,
                    width: 12,
                    height: 8,
                    targets: [
                        { expr: q.announcedPrefixes, legend: "{{node}} → {{peer}} announced" },
                        ...(frr ? [{ expr: q.receivedPrefixes, legend: "{{node}} ← {{peer}} received" }] : []),
                    ],
                },
                {
                    kind: "timeseries",
                    title: "BGP messages",
                    description: frr ? "UPDATE, KEEPALIVE and NOTIFICATION messages per node and peer." : "UPDATE messages sent per node and peer (the native backend exports no other counters).",
                    unit: "ops",
                    min: 0,
                    width: 12,
                    height: 8,
                    targets: frr
                        ? [
                              { expr: q.frrUpdatesSent, legend: "{{node}} → {{peer}} updates sent" },
                              { expr: q.frrUpdatesReceived, legend: "{{node}} ← {{peer}} updates received" },
                              { expr: q.frrKeepalivesSent, legend: "{{node}} → {{peer}} keepalives sent" },
                              { expr: q.frrKeepalivesReceived, legend: "{{node}} ← {{peer}} keepalives received" },
                              { expr: q.frrNotificationsSent, legend: "{{node}} → {{peer}} notifications sent" },
                          ]
                        : [{ expr: q.nativeUpdatesSent, legend: "{{node}} → {{peer}} updates sent" }],
                },
                ...(f.bfd
                    ? [{ kind: "statetimeline" as const, title: "BFD session state", description: "State of each BFD session per node and peer (frr-k8s).", unit: "short", upDown: true, width: 24, height: 6, targets: [{ expr: q.bfdState, legend: "{{node}} → {{peer}}" }] }]
                    : []),
            ],
        });
    }
    rows.push({
        title: "Kubernetes client",
        panels: [
            { kind: "timeseries", title: "Update rate", description: "Kubernetes object updates processed per component pod (5 minute rate).", unit: "ops", min: 0, width: 8, height: 8, targets: [{ expr: q.clientUpdates, legend: "{{pod}}" }] },
            { kind: "timeseries", title: "Update errors", description: "Kubernetes object updates that failed, per component pod (5 minute rate).", unit: "ops", min: 0, width: 8, height: 8, targets: [{ expr: q.clientErrors, legend: "{{pod}}" }] },
            { kind: "timeseries", title: "Error ratio", description: "Failed updates as a share of all updates, across MetalLB.", unit: "percentunit", min: 0, width: 8, height: 8, targets: [{ expr: q.clientErrorRatio, legend: "errors" }] },
        ],
    });
    return rows;
}
