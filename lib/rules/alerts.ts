import { APISERVER, daemonSetNames, FRRK8S_CLIENT, K8S_CLIENT, KSM, NODE_LABEL, POOL_ANNOTATION, RECORDED } from "../metrics";
import { apiserver, by, escapeRegex, inCluster, ksm, labels, on, recorded, RuleContext, ruleContext, selector } from "./context";
import { l2SplitBrain, metallbWebhooks, pendingServices } from "./promql";
import { CHANGE_WINDOW, unlessNodeNotReady } from "./recording";
import { AlertSettings } from "./settings";
import { AlertingRule, RuleTarget, Severity } from "./types";

/**
 * One alert as data: everything but the runbook link, which is derived from the name. Summaries
 * are static sentences; descriptions name the pool, service, node or peer concerned (and the
 * cluster, when `clusterLabel` is set) from the labels the expression keeps.
 */
interface AlertSpec {
    readonly severity: Severity;
    readonly expr: string;
    readonly for?: string;
    readonly summary: string;
    readonly description: string;
}

type SpecBuilder = (ctx: RuleContext) => readonly AlertSpec[];

const PEER_TEXT = "peer {{ $labels.peer }}{{ with $labels.vrf }} (VRF {{ . }}){{ end }}";

/** Pools no pool alert is about: the excluded and the reserved (autoAssign false) ones, as a matcher. */
function poolExclusion(ctx: RuleContext): string {
    const pools = [...ctx.settings.excludePools, ...(ctx.target.reservedPools ?? [])];
    return pools.length > 0 ? `pool!~"${pools.map(escapeRegex).join("|")}"` : "";
}

/** The controller's scrape target(s). */
function controllerUp(ctx: RuleContext): string {
    return `up${selector(ctx, ctx.settings.selectors.controllerJob)}`;
}

/**
 * A DaemonSet with fewer ready pods than it schedules, except what NotReady nodes explain and while
 * a rollout progresses (updated pods changed within 10 minutes, the way kubernetes-mixin's
 * KubeDaemonSetRolloutStuck tells a rollout from a stuck one). The NotReady nodes come from their
 * record (only the NotReady ones, usually none): with some, ready + their count < desired; with none,
 * ready < desired.
 */
function daemonSetNotReady(ctx: RuleContext, daemonset: string): string {
    const sel = ksm(ctx, `namespace="${ctx.namespace}",daemonset="${daemonset}"`);
    const ready = `${KSM.daemonsetReady}${sel}`;
    const desired = `${KSM.daemonsetDesired}${sel}`;
    const notReady = recorded(ctx, RECORDED.notReadyNodes);
    return (
        `((${ready} + ${on(ctx)} group_left () count ${by(ctx)} (${notReady}) < ${desired}) or (${ready} < ${desired} unless ${on(ctx)} ${notReady}))` +
        ` unless ${on(ctx, "namespace", "daemonset")} (changes(${KSM.daemonsetUpdated}${sel}[10m]) > 0)`
    );
}

/**
 * A counter that grew within `window`, including a series born with its first increment (a new
 * label set such as a webhook's first rejection starts at 1, which `increase` cannot see).
 */
function grewWithin(ctx: RuleContext, series: string, window: string, group: string[], relabel: (e: string) => string = (e) => e): string {
    return `(sum ${by(ctx, ...group)} (${relabel(`increase(${series}[${window}])`)}) > 0) or group ${by(ctx, ...group)} (${relabel(`${series} unless ${series} offset ${window}`)})`;
}

/** Peers whose sessions from every Ready node are down (the record). */
function peersDown(ctx: RuleContext): string {
    return recorded(ctx, RECORDED.peersDown);
}

const SPECS = {
    MetalLBAddressPoolUsageHigh: (ctx) => [
        {
            severity: "warning",
            expr: `${recorded(ctx, RECORDED.poolFamilyRatio, poolExclusion(ctx))} >= ${ctx.settings.poolUsageWarningPercent / 100}`,
            for: ctx.settings.for.poolUsage,
            summary: "A MetalLB address pool is running out of addresses.",
            description: `Pool {{ $labels.pool }} in namespace {{ $labels.namespace }}${inCluster(ctx)} has {{ $value | humanizePercentage }} of its {{ $labels.family }} addresses in use (warning at ${ctx.settings.poolUsageWarningPercent}%). Add addresses to the pool before new LoadBalancer Services stay pending.`,
        },
    ],
    MetalLBAddressPoolExhausted: (ctx) => [
        {
            severity: "critical",
            expr: `${recorded(ctx, RECORDED.poolFamilyRatio, poolExclusion(ctx))} >= ${ctx.settings.poolUsageCriticalPercent / 100}`,
            for: ctx.settings.for.poolExhausted,
            summary: "A MetalLB address pool is exhausted or nearly exhausted.",
            description: `Pool {{ $labels.pool }} in namespace {{ $labels.namespace }}${inCluster(ctx)} has {{ $value | humanizePercentage }} of its {{ $labels.family }} addresses in use (critical at ${ctx.settings.poolUsageCriticalPercent}%). New LoadBalancer Services that need an {{ $labels.family }} address from this pool get none.`,
        },
    ],
    MetalLBServicePending: (ctx) => [
        {
            severity: "warning",
            expr: pendingServices(ctx),
            for: ctx.settings.for.servicePending,
            summary: "A LoadBalancer Service has no external address.",
            description: `Service {{ $labels.namespace }}/{{ $labels.service }}${inCluster(ctx)} is of type LoadBalancer but has no ingress address (EXTERNAL-IP <pending>): its pool is full, no pool matches it, or it asks for an address MetalLB cannot give. See its AllocationFailed events.`,
        },
        {
            severity: "critical",
            expr: `${pendingServices(ctx)} unless ${on(ctx)} (${controllerUp(ctx)} == 1)`,
            for: ctx.settings.for.servicePendingControllerDown,
            summary: "A LoadBalancer Service has no external address and the MetalLB controller is down.",
            description: `Service {{ $labels.namespace }}/{{ $labels.service }}${inCluster(ctx)} has no ingress address and no MetalLB controller in namespace ${ctx.namespace} is up to allocate one.`,
        },
    ],
    MetalLBAddressNotAnnounced: (ctx) => {
        const svc = labels(ctx, "namespace", "service");
        const allocated = `max ${by(ctx, "namespace", "service", "pool")} (label_replace(${KSM.serviceAnnotations}${ksm(ctx, `${POOL_ANNOTATION.label}!=""`)}, "pool", "$1", "${POOL_ANNOTATION.label}", "(.+)"))`;
        // Endpoints objects are named after their Service; speakers skip Services without ready endpoints (speaker/layer2_controller.go).
        // One series per Endpoints object before the relabelling, not one per address.
        const ready = `group by (${svc}) (label_replace(group by (${labels(ctx, "namespace", "endpoint")}) (${KSM.endpointAddress}${ksm(ctx, 'ready="true"')}), "service", "$1", "endpoint", "(.+)"))`;
        // The announcers per IP (one series per Service address, not per node and Service), its
        // `exported_service` ("<namespace>/<name>", speaker/main.go) split into the Service's labels.
        const announcers = recorded(ctx, RECORDED.ipAnnouncers);
        const announced = `group by (${svc}) (label_replace(label_replace(${announcers}, "namespace", "$1", "exported_service", "([^/]+)/.+"), "service", "$1", "exported_service", "[^/]+/(.+)"))`;
        return [
            {
                severity: "critical",
                expr: `${allocated} and on (${svc}) ${ready} unless on (${svc}) ${announced}`,
                for: ctx.settings.for.addressNotAnnounced,
                summary: "A Service address allocated by MetalLB is announced by no node.",
                description: `Service {{ $labels.namespace }}/{{ $labels.service }}${inCluster(ctx)} has an address from pool {{ $labels.pool }} and ready endpoints, but no MetalLB speaker announces it: clients cannot reach it.`,
            },
        ];
    },
    MetalLBL2SplitBrain: (ctx) => [
        {
            severity: "critical",
            expr: l2SplitBrain(ctx),
            for: ctx.settings.for.l2SplitBrain,
            summary: "A layer2 address is announced by more than one node.",
            description: `Address {{ $labels.ip }} of Service {{ $labels.exported_service }}${inCluster(ctx)} is announced by {{ $value }} nodes at once (split brain): clients reach whichever node answered ARP/NDP last.`,
        },
    ],
    MetalLBL2OwnerChurn: (ctx) => [
        {
            severity: "warning",
            expr: `${recorded(ctx, RECORDED.l2OwnerChanges)} >= ${ctx.settings.l2OwnerChanges}`,
            summary: "A layer2 address keeps changing the node that announces it.",
            description: `Address {{ $labels.ip }} of Service {{ $labels.exported_service }}${inCluster(ctx)} lost its announcing node {{ $value }} times in the last 15 minutes; every move breaks connections through it.`,
        },
    ],
    MetalLBBGPPeerDown: (ctx) => [
        {
            severity: "critical",
            expr: peersDown(ctx),
            for: ctx.settings.for.bgpPeerDown,
            summary: "Every MetalLB BGP session to a peer is down.",
            description: `No Ready node${inCluster(ctx)} has a BGP session up to ${PEER_TEXT}: the router is down or unreachable and no longer routes the service addresses.`,
        },
    ],
    MetalLBBGPSessionDown: (ctx) => [
        {
            severity: "warning",
            // Per node; when the whole peer is down MetalLBBGPPeerDown pages once instead.
            expr: `${recorded(ctx, RECORDED.bgpSessionUp)} == 0 unless ${on(ctx, "namespace", "peer", "vrf")} ${peersDown(ctx)} ${unlessNodeNotReady(ctx)}`,
            for: ctx.settings.for.bgpSessionDown,
            summary: "A MetalLB BGP session is down.",
            description: `The BGP session from node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} to ${PEER_TEXT} is down while other nodes keep theirs; the router no longer learns the service addresses from this node.`,
        },
    ],
    MetalLBBGPSessionFlapping: (ctx) => [
        {
            severity: "warning",
            // The recorded state changes (nothing while a session is stable), not 15 minutes of every session.
            expr: `count_over_time(${recorded(ctx, RECORDED.bgpSessionChanges)}[${CHANGE_WINDOW}]) >= ${ctx.settings.bgpFlapChanges} ${unlessNodeNotReady(ctx)}`,
            summary: "A MetalLB BGP session is flapping.",
            description: `The BGP session from node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} to ${PEER_TEXT} changed state {{ $value }} times in the last 15 minutes.`,
        },
    ],
    MetalLBBGPSessionVanished: (ctx) => {
        if (ctx.target.bgpBackend !== "frr-k8s") {
            return [];
        }
        const frr = ctx.settings.selectors.frrK8sJob;
        const session = recorded(ctx, RECORDED.bgpSessionUp);
        // Seen within the hour but not now: the record holds only those sessions.
        const vanished = recorded(ctx, RECORDED.bgpSessionLastSeen);
        // Still configured (another node has a session to the peer: the per-peer sum exists, up or
        // down), or the node reports no session at all: vtysh failed (frr-k8s collector/bgp.go returns early).
        const stillConfigured = `${vanished} and ${on(ctx, "namespace", "peer", "vrf")} ${recorded(ctx, RECORDED.peerSessionsUp)}`;
        const nodeSilent = `${vanished} unless ${on(ctx, "namespace", NODE_LABEL)} group ${by(ctx, "namespace", NODE_LABEL)} (${session})`;
        const targetUp = `(min ${by(ctx, "namespace", NODE_LABEL)} (up${selector(ctx, frr)}) == 1)`;
        return [
            {
                severity: "warning",
                expr: `((${stillConfigured}) or (${nodeSilent})) and ${on(ctx, "namespace", NODE_LABEL)} ${targetUp} ${unlessNodeNotReady(ctx)}`,
                for: ctx.settings.for.bgpSessionVanished,
                summary: "A BGP session's metrics vanished while its frr-k8s pod is up.",
                description: `frr-k8s on node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} is scraped but no longer reports its BGP session to ${PEER_TEXT}: FRR (vtysh) does not answer, so the session state is unknown.`,
            },
        ];
    },
    MetalLBBGPNoPrefixesAnnounced: (ctx) => {
        if (ctx.target.bgpPools.length === 0) {
            return [];
        }
        const inUse = `sum ${by(ctx)} (${recorded(ctx, RECORDED.poolFamilyAddressesInUse, `pool=~"${ctx.target.bgpPools.map(escapeRegex).join("|")}"`)})`;
        const byPeer = labels(ctx, "namespace", "peer", "vrf");
        return [
            {
                severity: "warning",
                // Per peer rather than per node: with externalTrafficPolicy Local only nodes with endpoints announce.
                // A session up to the peer: the per-peer count of sessions up is above 0.
                expr: `(max by (${byPeer}) (${recorded(ctx, RECORDED.bgpAnnouncedPrefixes)}) == 0) and on (${byPeer}) (${recorded(ctx, RECORDED.peerSessionsUp)} > 0) and ${on(ctx)} (${inUse} > 0)`,
                for: ctx.settings.for.bgpNoPrefixes,
                summary: "MetalLB announces no prefixes to a BGP peer although addresses are allocated.",
                description: `BGP sessions${inCluster(ctx)} to ${PEER_TEXT} are up, but no node announces any prefix to it while addresses of the BGP pools are allocated; the routed services are unreachable through this peer.`,
            },
        ];
    },
    MetalLBBFDSessionDown: (ctx) =>
        ctx.target.bgpBackend !== "frr-k8s"
            ? []
            : [
                  {
                      severity: "warning",
                      expr: `${recorded(ctx, RECORDED.bfdSessionUp)} == 0 unless ${on(ctx, "namespace", "peer", "vrf")} ${peersDown(ctx)} ${unlessNodeNotReady(ctx)}`,
                      for: ctx.settings.for.bfdSessionDown,
                      summary: "A MetalLB BFD session is down.",
                      description: `The BFD session from node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} to ${PEER_TEXT} is down; the path to the router has failed or BFD is misconfigured.`,
                  },
              ],
    MetalLBBFDSessionFlapping: (ctx) =>
        ctx.target.bgpBackend !== "frr-k8s"
            ? []
            : [
                  {
                      severity: "warning",
                      // Down events (the counter sees flaps shorter than a scrape interval) within the change window.
                      expr: `${recorded(ctx, RECORDED.bfdSessionDownEvents)} >= ${ctx.settings.bfdFlapEvents} ${unlessNodeNotReady(ctx)}`,
                      summary: "A MetalLB BFD session is flapping.",
                      description: `The BFD session from node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} to ${PEER_TEXT} went down {{ $value | printf "%.0f" }} times in the last 15 minutes, possibly faster than Prometheus scrapes.`,
                  },
              ],
    MetalLBControllerDown: (ctx) => {
        const up = controllerUp(ctx);
        const ksmUp = `up${ksm(ctx)}`;
        // absent() is global; per cluster, a cluster whose kube-state-metrics reports but whose controller does not (kubernetes-mixin).
        const missing = ctx.cluster ? `(group ${by(ctx)} (${ksmUp}) unless ${on(ctx)} group ${by(ctx)} (${up}))` : `absent(${up})`;
        return [
            {
                severity: "critical",
                expr: `(${up} == 0) or ${missing}`,
                for: ctx.settings.for.controllerDown,
                summary: "The MetalLB controller is down or not scraped.",
                description: `No healthy metallb-controller target in namespace ${ctx.namespace}${inCluster(ctx)}: the controller is down or Prometheus cannot scrape it. New LoadBalancer Services get no address until it is back.`,
            },
        ];
    },
    MetalLBSpeakerDown: (ctx) => [
        {
            severity: "warning",
            expr: `up${selector(ctx, ctx.settings.selectors.speakerJob)} == 0 ${unlessNodeNotReady(ctx)}`,
            for: ctx.settings.for.speakerDown,
            summary: "A MetalLB speaker is down or not scraped.",
            description: `The MetalLB speaker {{ $labels.pod }} on node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} cannot be scraped; that node does not announce service addresses.`,
        },
    ],
    MetalLBSpeakersNotReady: (ctx) => [
        {
            severity: "warning",
            expr: daemonSetNotReady(ctx, daemonSetNames(ctx.target.releaseName).speaker),
            for: ctx.settings.for.speakerDown,
            summary: "Fewer MetalLB speakers are ready than the DaemonSet wants.",
            description: `DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }}${inCluster(ctx)} has fewer ready speakers than it schedules on Ready nodes, and no rollout is progressing; some nodes announce no service addresses.`,
        },
    ],
    MetalLBFRRK8sDown: (ctx) =>
        ctx.target.bgpBackend !== "frr-k8s"
            ? []
            : [
                  {
                      severity: "warning",
                      // Any of the pod's endpoints down (the down ones picked before the aggregation: the same as min == 0).
                      expr: `max ${by(ctx, "namespace", NODE_LABEL, "pod")} (up${selector(ctx, ctx.settings.selectors.frrK8sJob)} == 0) ${unlessNodeNotReady(ctx)}`,
                      for: ctx.settings.for.frrK8sDown,
                      summary: "An frr-k8s pod (MetalLB's BGP backend) is down or not scraped.",
                      description: `The frr-k8s pod {{ $labels.pod }} on node {{ $labels.${NODE_LABEL} }}${inCluster(ctx)} cannot be scraped; BGP sessions from that node are not monitored and may be down.`,
                  },
              ],
    MetalLBFRRK8sNotReady: (ctx) =>
        ctx.target.bgpBackend !== "frr-k8s"
            ? []
            : [
                  {
                      severity: "warning",
                      expr: daemonSetNotReady(ctx, daemonSetNames(ctx.target.releaseName).frrK8s),
                      for: ctx.settings.for.frrK8sDown,
                      summary: "Fewer frr-k8s pods are ready than the DaemonSet wants.",
                      description: `DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }}${inCluster(ctx)} has fewer ready frr-k8s pods than it schedules on Ready nodes, and no rollout is progressing; nodes without one announce nothing over BGP.`,
                  },
              ],
    MetalLBConfigStale: (ctx) => configAlert(ctx, "stale"),
    MetalLBConfigNotLoaded: (ctx) => configAlert(ctx, "notLoaded"),
    MetalLBReconcileErrors: (ctx) => [
        {
            severity: "warning",
            // increase over an hour: an allocation failure is +1 once and never retried (SyncStateErrorNoRetry), so a short rate misses it.
            expr: `${recorded(ctx, RECORDED.reconcileErrors)} > 0`,
            summary: "A MetalLB component failed to reconcile Kubernetes objects.",
            description: `${where(ctx)} failed {{ $value | printf "%.0f" }} reconciles in the last hour (invalid configuration, an address it could not allocate, or API errors); check its logs and the Services' events.`,
        },
    ],
    MetalLBWebhookFailing: (ctx) => {
        const rejections = `${APISERVER.webhookRejections}${apiserver(ctx, metallbWebhooks(), 'error_type!="no_error"')}`;
        const conversions = `${APISERVER.crdConversionWebhookCount}${apiserver(ctx, metallbWebhooks("crd_name"), 'succeeded="false"')}`;
        const asName = (e: string) => `label_replace(${e}, "name", "$1", "crd_name", "(.+)")`;
        return [
            {
                severity: "warning",
                // error_type no_error is a webhook saying "invalid": working as designed. The others mean it could not be called.
                expr: `${grewWithin(ctx, rejections, "10m", ["name"])} or ${grewWithin(ctx, conversions, "10m", ["name"], asName)}`,
                for: ctx.settings.for.webhookFailures,
                summary: "MetalLB's webhooks are failing, so configuration changes are rejected.",
                description: `The API server could not call MetalLB's webhook {{ $labels.name }}${inCluster(ctx)} within the last 10 minutes: creating or changing MetalLB objects fails. Check the controller's webhook-server port and its certificate.`,
            },
        ];
    },
} satisfies Record<string, SpecBuilder>;

/** The name of every alert the rules can define. */
export type AlertName = keyof typeof SPECS;
/** Every alert name, from the specs themselves (some apply only to frr-k8s or to BGP pools). */
export const ALERT_NAMES = Object.keys(SPECS) as AlertName[];

/** "<pod> on node <node> (<job>)" for the per-pod alerts. */
function where(ctx: RuleContext): string {
    return `{{ $labels.pod }}{{ with $labels.${NODE_LABEL} }} on node {{ . }}{{ end }} ({{ $labels.job }})${inCluster(ctx)}`;
}

function configAlert(ctx: RuleContext, kind: "stale" | "notLoaded"): AlertSpec[] {
    const { controllerJob, speakerJob, frrK8sJob } = ctx.settings.selectors;
    const metallb = selector(ctx, `${controllerJob}|${speakerJob}`);
    const frr = selector(ctx, frrK8sJob);
    const bool = (metallbMetric: string, frrMetric: string) =>
        `max ${by(ctx, "namespace", "job", "pod", NODE_LABEL)} (${metallbMetric}${metallb} or ${frrMetric}${frr})`;
    return kind === "stale"
        ? [
              {
                  severity: "warning",
                  // Any series of the pod at 1, picked before the aggregation (the same as max == 1).
                  expr: `max ${by(ctx, "namespace", "job", "pod", NODE_LABEL)} ((${K8S_CLIENT.configStale}${metallb} == 1) or (${FRRK8S_CLIENT.configStale}${frr} == 1))`,
                  for: ctx.settings.for.config,
                  summary: "A MetalLB component runs on a stale configuration.",
                  description: `${where(ctx)} could not load the latest MetalLB configuration and keeps running the previous one; check its logs and the ConfigurationState objects.`,
              },
          ]
        : [
              {
                  severity: "warning",
                  expr: `${bool(K8S_CLIENT.configLoaded, FRRK8S_CLIENT.configLoaded)} == 0`,
                  for: ctx.settings.for.config,
                  summary: "A MetalLB component has not loaded any configuration.",
                  description: `${where(ctx)} has not loaded a valid MetalLB configuration since it started; it neither allocates nor announces.`,
              },
          ];
}

/** The alerting rules for a MetalLB installation. */
export function alertingRules(settings: AlertSettings, target: RuleTarget): AlertingRule[] {
    const ctx = ruleContext(settings, target);
    const base = settings.runbookBaseUrl.replace(/\/+$/, "");
    return ALERT_NAMES.flatMap((alert) =>
        (SPECS[alert] as SpecBuilder)(ctx).map((a) => ({
            alert,
            expr: a.expr,
            ...(a.for ? { for: a.for } : {}),
            labels: { severity: a.severity },
            annotations: { summary: a.summary, description: a.description, runbook_url: `${base}/${alert}.md` },
        })),
    );
}
