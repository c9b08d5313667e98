import { daemonSetNames, FRRK8S_CLIENT, JOBS, K8S_CLIENT, KSM, NODE_LABEL, RECORDED } from "../metrics";
import { selector } from "./recording";
import { AlertingRule, AlertSettings, RuleTarget, Severity } from "./types";

/**
 * One alert as data: everything but the runbook link, which is derived from the name. Summaries
 * are static sentences; descriptions name the pool, node or peer concerned from the labels the
 * expression keeps.
 */
interface AlertSpec {
    readonly alert: string;
    readonly severity: Severity;
    readonly expr: string;
    readonly for?: string;
    readonly summary: string;
    readonly description: string;
}

/** Alert names, exported so tests and runbooks can be checked against them. */
export const ALERT_NAMES = [
    "MetalLBAddressPoolUsageHigh",
    "MetalLBAddressPoolExhausted",
    "MetalLBBGPSessionDown",
    "MetalLBBGPSessionFlapping",
    "MetalLBBGPNoPrefixesAnnounced",
    "MetalLBBFDSessionDown",
    "MetalLBControllerDown",
    "MetalLBSpeakerDown",
    "MetalLBSpeakersNotReady",
    "MetalLBFRRK8sDown",
    "MetalLBFRRK8sNotReady",
    "MetalLBConfigStale",
    "MetalLBConfigNotLoaded",
    "MetalLBKubernetesAPIErrors",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];

function escapeRegex(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `,pool!~"a|b"` for excluded pools, or nothing. */
function poolExclusion(settings: AlertSettings): string {
    return settings.excludePools.length > 0 ? `{pool!~"${settings.excludePools.map(escapeRegex).join("|")}"}` : "";
}

const PEER_TEXT = "peer {{ $labels.peer }}{{ with $labels.vrf }} (VRF {{ . }}){{ end }}";

function poolAlerts(s: AlertSettings): AlertSpec[] {
    const ratio = `${RECORDED.poolUsageRatio}${poolExclusion(s)}`;
    return [
        {
            alert: "MetalLBAddressPoolUsageHigh",
            severity: "warning",
            expr: `${ratio} >= ${s.poolUsageWarningPercent / 100}`,
            for: s.for.poolUsage,
            summary: "A MetalLB address pool is running out of addresses.",
            description: `Pool {{ $labels.pool }} in namespace {{ $labels.namespace }} has {{ $value | humanizePercentage }} of its addresses in use (warning at ${s.poolUsageWarningPercent}%). Add addresses to the pool before new LoadBalancer Services stay pending.`,
        },
        {
            alert: "MetalLBAddressPoolExhausted",
            severity: "critical",
            expr: `${ratio} >= ${s.poolUsageCriticalPercent / 100}`,
            for: s.for.poolExhausted,
            summary: "A MetalLB address pool is exhausted or nearly exhausted.",
            description: `Pool {{ $labels.pool }} in namespace {{ $labels.namespace }} has {{ $value | humanizePercentage }} of its addresses in use (critical at ${s.poolUsageCriticalPercent}%). New LoadBalancer Services that need this pool get no address.`,
        },
    ];
}

function bgpAlerts(s: AlertSettings, t: RuleTarget): AlertSpec[] {
    const alerts: AlertSpec[] = [
        {
            alert: "MetalLBBGPSessionDown",
            severity: "critical",
            expr: `${RECORDED.bgpSessionUp} == 0`,
            for: s.for.bgpSessionDown,
            summary: "A MetalLB BGP session is down.",
            description: `The BGP session from node {{ $labels.${NODE_LABEL} }} to ${PEER_TEXT} is down; the router no longer learns the service addresses from this node.`,
        },
        {
            alert: "MetalLBBGPSessionFlapping",
            severity: "warning",
            expr: `changes(${RECORDED.bgpSessionUp}[15m]) >= ${s.bgpFlapChanges}`,
            summary: "A MetalLB BGP session is flapping.",
            description: `The BGP session from node {{ $labels.${NODE_LABEL} }} to ${PEER_TEXT} changed state {{ $value }} times in the last 15 minutes.`,
        },
    ];
    if (t.bgpPools.length > 0) {
        const inUse = `sum(${RECORDED.poolAddressesInUse}{namespace="${t.namespace}",pool=~"${t.bgpPools.map(escapeRegex).join("|")}"})`;
        const byPeer = "namespace, peer, vrf";
        alerts.push({
            alert: "MetalLBBGPNoPrefixesAnnounced",
            severity: "warning",
            // Per peer rather than per node: with externalTrafficPolicy Local only nodes with endpoints announce.
            expr: `(max by (${byPeer}) (${RECORDED.bgpAnnouncedPrefixes}) == 0) and on (${byPeer}) (max by (${byPeer}) (${RECORDED.bgpSessionUp}) == 1) and on () (${inUse} > 0)`,
            for: s.for.bgpNoPrefixes,
            summary: "MetalLB announces no prefixes to a BGP peer although addresses are allocated.",
            description: `BGP sessions to ${PEER_TEXT} are up, but no node announces any prefix to it while addresses of the BGP pools are allocated; the routed services are unreachable through this peer.`,
        });
    }
    if (t.bgpBackend === "frr-k8s") {
        alerts.push({
            alert: "MetalLBBFDSessionDown",
            severity: "critical",
            expr: `${RECORDED.bfdSessionUp} == 0`,
            for: s.for.bfdSessionDown,
            summary: "A MetalLB BFD session is down.",
            description: `The BFD session from node {{ $labels.${NODE_LABEL} }} to ${PEER_TEXT} is down; the path to the router has failed or BFD is misconfigured.`,
        });
    }
    return alerts;
}

function daemonSetNotReady(t: RuleTarget, daemonset: string): string {
    const sel = `{job="${KSM.job}",namespace="${t.namespace}",daemonset="${daemonset}"}`;
    return `${KSM.daemonsetReady}${sel} < ${KSM.daemonsetDesired}${sel}`;
}

function componentAlerts(s: AlertSettings, t: RuleTarget): AlertSpec[] {
    const ds = daemonSetNames(t.releaseName);
    const alerts: AlertSpec[] = [
        {
            alert: "MetalLBControllerDown",
            severity: "critical",
            // `absent` covers "no controller target at all" (and keeps job/namespace from the selector).
            expr: `(up${selector(t, JOBS.controller)} == 0) or absent(up${selector(t, JOBS.controller)})`,
            for: s.for.controllerDown,
            summary: "The MetalLB controller is down or not scraped.",
            description: "No healthy metallb-controller target in namespace {{ $labels.namespace }}: the controller is down or Prometheus cannot scrape it. New LoadBalancer Services get no address until it is back.",
        },
        {
            alert: "MetalLBSpeakerDown",
            severity: "warning",
            expr: `up${selector(t, JOBS.speaker)} == 0`,
            for: s.for.speakerDown,
            summary: "A MetalLB speaker is down or not scraped.",
            description: `The MetalLB speaker {{ $labels.pod }} on node {{ $labels.${NODE_LABEL} }} cannot be scraped; that node does not announce service addresses.`,
        },
        {
            alert: "MetalLBSpeakersNotReady",
            severity: "warning",
            expr: daemonSetNotReady(t, ds.speaker),
            for: s.for.speakerDown,
            summary: "Fewer MetalLB speakers are ready than the DaemonSet wants.",
            description: "Only {{ $value }} MetalLB speakers of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} are ready, fewer than it schedules; some nodes announce no service addresses.",
        },
    ];
    if (t.bgpBackend === "frr-k8s") {
        alerts.push(
            {
                alert: "MetalLBFRRK8sDown",
                severity: "warning",
                expr: `min by (namespace, ${NODE_LABEL}, pod) (up${selector(t, JOBS.frrK8s)}) == 0`,
                for: s.for.frrK8sDown,
                summary: "An frr-k8s pod (MetalLB's BGP backend) is down or not scraped.",
                description: `The frr-k8s pod {{ $labels.pod }} on node {{ $labels.${NODE_LABEL} }} cannot be scraped; BGP sessions from that node are not monitored and may be down.`,
            },
            {
                alert: "MetalLBFRRK8sNotReady",
                severity: "warning",
                expr: daemonSetNotReady(t, ds.frrK8s),
                for: s.for.frrK8sDown,
                summary: "Fewer frr-k8s pods are ready than the DaemonSet wants.",
                description: "Only {{ $value }} frr-k8s pods of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} are ready, fewer than it schedules; nodes without one announce nothing over BGP.",
            },
        );
    }
    return alerts;
}

function configAlerts(s: AlertSettings, t: RuleTarget): AlertSpec[] {
    const metallb = selector(t, `${JOBS.controller}|${JOBS.speaker}`);
    const frr = selector(t, JOBS.frrK8s);
    const bool = (metallbMetric: string, frrMetric: string) =>
        `max by (namespace, job, pod, ${NODE_LABEL}) (${metallbMetric}${metallb} or ${frrMetric}${frr})`;
    const where = `{{ $labels.pod }}{{ with $labels.${NODE_LABEL} }} on node {{ . }}{{ end }} ({{ $labels.job }})`;
    return [
        {
            alert: "MetalLBConfigStale",
            severity: "warning",
            expr: `${bool(K8S_CLIENT.configStale, FRRK8S_CLIENT.configStale)} == 1`,
            for: s.for.config,
            summary: "A MetalLB component runs on a stale configuration.",
            description: `${where} could not load the latest MetalLB configuration and keeps running the previous one; check its logs and the ConfigurationState objects.`,
        },
        {
            alert: "MetalLBConfigNotLoaded",
            severity: "warning",
            expr: `${bool(K8S_CLIENT.configLoaded, FRRK8S_CLIENT.configLoaded)} == 0`,
            for: s.for.config,
            summary: "A MetalLB component has not loaded any configuration.",
            description: `${where} has not loaded a valid MetalLB configuration since it started; it neither allocates nor announces.`,
        },
        {
            alert: "MetalLBKubernetesAPIErrors",
            severity: "warning",
            expr: `${RECORDED.clientUpdateErrors} > 0`,
            for: s.for.apiErrors,
            summary: "A MetalLB component keeps failing to apply Kubernetes updates.",
            description: `${where} keeps failing to apply Kubernetes object updates ({{ printf "%.2f" $value }} failed updates/s over 5 minutes); check its logs and RBAC.`,
        },
    ];
}

/** The alerting rules for a MetalLB installation. */
export function alertingRules(settings: AlertSettings, target: RuleTarget): AlertingRule[] {
    const base = settings.runbookBaseUrl.replace(/\/+$/, "");
    return [...poolAlerts(settings), ...bgpAlerts(settings, target), ...componentAlerts(settings, target), ...configAlerts(settings, target)].map((a) => ({
        alert: a.alert,
        expr: a.expr,
        ...(a.for ? { for: a.for } : {}),
        labels: { severity: a.severity },
        annotations: { summary: a.summary, description: a.description, runbook_url: `${base}/${a.alert}.md` },
    }));
}
