import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, from its own module (see components/metallb.ts).
import type { Service } from "@pulumi/kubernetes/core/v1/service";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { frrK8sPodSelector, metallbPodSelector, PodSelector } from "../lib/metallb/labels";
import { BgpBackend } from "../lib/metallb/enums";
import { METALLB_DEFAULTS } from "../lib/metallb/schema";
import { METRICS_READER_RULES, metricsServiceLabels, metricsServiceName, metricsServiceSpec, ScrapeTarget, serviceMonitorSpec } from "../lib/monitoring/scrape";
import { metallbRules } from "../lib/rules";
import { alertSettingsSchema } from "../lib/rules/settings";
import { formatProblems, parseWith, Problem } from "../lib/util/problems";
import { assertType, enumOf, Equals, input, k8sLabelName, k8sName, promDuration } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { ServiceAccountRef } from "./monitoringStack";

/** `for` of each alert (Prometheus durations); unset ones keep their defaults. */
export interface AlertDurationsArgs {
    /** `for` of MetalLBAddressPoolUsageHigh (default 10m). */
    poolUsage?: string;
    /** `for` of MetalLBAddressPoolExhausted (default 2m). */
    poolExhausted?: string;
    /** `for` of MetalLBServicePending, warning (default 5m). */
    servicePending?: string;
    /** `for` of MetalLBServicePending while the controller is down, critical (default 2m). */
    servicePendingControllerDown?: string;
    /** `for` of MetalLBAddressNotAnnounced (default 2m). */
    addressNotAnnounced?: string;
    /** `for` of MetalLBL2SplitBrain (default 2m). */
    l2SplitBrain?: string;
    /** `for` of MetalLBBGPPeerDown (default 2m). */
    bgpPeerDown?: string;
    /** `for` of MetalLBBGPSessionDown (default 3m). */
    bgpSessionDown?: string;
    /** `for` of MetalLBBGPSessionVanished (default 5m). */
    bgpSessionVanished?: string;
    /** `for` of MetalLBBGPNoPrefixesAnnounced (default 10m). */
    bgpNoPrefixes?: string;
    /** `for` of MetalLBBFDSessionDown (default 2m). */
    bfdSessionDown?: string;
    /** `for` of MetalLBControllerDown (default 2m). */
    controllerDown?: string;
    /** `for` of MetalLBSpeakerDown and MetalLBSpeakersNotReady (default 5m). */
    speakerDown?: string;
    /** `for` of MetalLBFRRK8sDown and MetalLBFRRK8sNotReady (default 5m). */
    frrK8sDown?: string;
    /** `for` of the stale and not-loaded configuration alerts (default 5m). */
    config?: string;
    /** `for` of MetalLBWebhookFailing (default 1m). */
    webhookFailures?: string;
}

/** Where MetalLB and the series the alerts join with are scraped (the mixin `_config` way). */
export interface AlertSelectorsArgs {
    /** MetalLB's namespace; unset: the one the rules are built for. */
    namespace?: string;
    /** `job` label of the MetalLB controller's metrics (default: this package's ServiceMonitor job). */
    controllerJob?: string;
    /** `job` label of the speakers' metrics (default: this package's ServiceMonitor job). */
    speakerJob?: string;
    /** `job` label of the frr-k8s pods' metrics (default: this package's ServiceMonitor job). */
    frrK8sJob?: string;
    /** `job` label of kube-state-metrics (default `kube-state-metrics`). */
    kubeStateMetricsJob?: string;
    /** `job` label of the Kubernetes API server (default `apiserver`). */
    apiserverJob?: string;
}

/** Alert thresholds, durations and selectors; every unset one keeps its default (DEFAULT_ALERT_SETTINGS). */
export interface AlertSettingsArgs {
    /** Label naming the cluster in a multi-cluster store (e.g. `cluster`); kept in every aggregation. */
    clusterLabel?: string;
    /** A pool family at or above this usage (percent) warns (default 80). */
    poolUsageWarningPercent?: number;
    /** A pool family at or above this usage (percent) is critical (default 95); above the warning. */
    poolUsageCriticalPercent?: number;
    /** Pools no pool alert fires for. */
    excludePools?: string[];
    /** BGP session state changes within 15 minutes that count as flapping (default 4). */
    bgpFlapChanges?: number;
    /** BFD session down events within 15 minutes that count as flapping (default 3). */
    bfdFlapEvents?: number;
    /** L2 owner changes of an address within 15 minutes that count as churn (default 4). */
    l2OwnerChanges?: number;
    /** How long each alert's condition must hold before it fires. */
    for?: AlertDurationsArgs;
    /** Where MetalLB and the series the alerts join with are scraped (namespace, job labels). */
    selectors?: AlertSelectorsArgs;
    /** Base URL of the runbooks; each alert links to `<base>/<AlertName>.md`. */
    runbookBaseUrl?: string;
}

/**
 * TLS towards MetalLB's metrics endpoints: one kubernetes.io/tls Secret in MetalLB's namespace that
 * the chart mounts as the serving certificate (`MetalLb.metricsTlsSecret`, the same name) and whose
 * `ca.crt` the ServiceMonitors verify against.
 */
export interface MetricsTlsArgs {
    /** The Secret (tls.crt, tls.key, ca.crt), e.g. issued by cert-manager. */
    secretName: string;
    /** Name the certificate is issued for: Prometheus scrapes pod IPs, which the certificate does not name. */
    serverName: string;
}

export interface MetalLbMonitoringArgs {
    /** Namespace MetalLB runs in (`MetalLb.namespace`); Services, ServiceMonitors and the PrometheusRule go there. */
    namespace: pulumi.Input<string>;
    /** MetalLB's Helm release name (`MetalLb.releaseName`, default `metallb`): names the Services and DaemonSets. */
    releaseName?: pulumi.Input<string>;
    /** BGP backend MetalLB uses (`MetalLb.bgpBackend`); `frr-k8s` adds the frr-k8s pods' monitoring and alerts. */
    bgpBackend: BgpBackend;
    /** Controller pod labels (default: what the chart sets for `releaseName`; pass `MetalLb.controllerSelector`). */
    controllerSelector?: pulumi.Input<{ [label: string]: string }>;
    /** Speaker pod labels (default as above; pass `MetalLb.speakerSelector`). */
    speakerSelector?: pulumi.Input<{ [label: string]: string }>;
    /** frr-k8s pod labels, frr-k8s backend only (default as above; pass `MetalLb.frrK8sSelector`). */
    frrK8sSelector?: pulumi.Input<{ [label: string]: string }>;
    /** Labels Prometheus selects ServiceMonitors and PrometheusRules by (`MonitoringStack.selectorLabels`); at least one. */
    selectorLabels: pulumi.Input<{ [label: string]: pulumi.Input<string> }>;
    /** Prometheus' service account (`MonitoringStack.prometheusServiceAccount`): granted `get` on `/metrics`, which MetalLB authorises each scrape with. */
    prometheusServiceAccount: pulumi.Input<ServiceAccountRef>;
    /** Verify MetalLB's metrics certificates with this CA (e.g. a cert-manager Certificate's Secret); default: accept its self-signed ones. */
    tls?: pulumi.Input<MetricsTlsArgs>;
    /** Scrape interval of the MetalLB targets; default Prometheus' own. */
    scrapeInterval?: string;
    /** Alert thresholds, durations and selectors, any subset at any depth (defaults: DEFAULT_ALERT_SETTINGS). */
    alerts?: pulumi.Input<AlertSettingsArgs>;
    /** Pools announced over BGP (`AddressPools.bgpPools`; enables the "announcing nothing" alert for them). */
    bgpPools?: pulumi.Input<pulumi.Input<string>[]>;
    /** Pools reserved by design (`AddressPools.reservedPools`, autoAssign false): never alerted on as exhausted. */
    reservedPools?: pulumi.Input<pulumi.Input<string>[]>;
}

const podSelector = input(z.record(z.string().min(1), z.string()).refine((m) => Object.keys(m).length > 0, { error: "needs at least one label" }));

const metalLbMonitoringArgs = z.strictObject({
    namespace: input(k8sLabelName),
    releaseName: input(k8sLabelName).optional(),
    bgpBackend: enumOf<BgpBackend>(BgpBackend),
    controllerSelector: podSelector.optional(),
    speakerSelector: podSelector.optional(),
    frrK8sSelector: podSelector.optional(),
    selectorLabels: input(
        z.record(z.string().min(1), input(z.string())).refine((m) => Object.keys(m).length > 0, {
            error: "needs at least one label: Prometheus selects ServiceMonitors and rules by them (e.g. {release: <kube-prometheus-stack release>})",
        }),
    ),
    prometheusServiceAccount: input(z.strictObject({ namespace: k8sLabelName, name: k8sName })),
    tls: input(z.strictObject({ secretName: k8sName, serverName: z.string().min(1) })).optional(),
    scrapeInterval: promDuration.optional(),
    alerts: input(alertSettingsSchema).optional(),
    bgpPools: input(z.array(input(k8sName))).optional(),
    reservedPools: input(z.array(input(k8sName))).optional(),
});
assertType<Equals<z.input<typeof metalLbMonitoringArgs>, MetalLbMonitoringArgs>>();

/** Features that do not exist with the chosen backend. */
function consistency(a: z.output<typeof metalLbMonitoringArgs>): Problem[] {
    if (a.bgpBackend === BgpBackend.Native && a.frrK8sSelector !== undefined) {
        return [
            {
                path: "args.frrK8sSelector",
                message: "has no effect with the native BGP backend (there are no frr-k8s pods); remove it or set bgpBackend frr-k8s",
            },
        ];
    }
    return [];
}

const TYPE = componentType("MetalLbMonitoring", "metallb-observability:monitoring:MetalLbMonitoring");

/**
 * Monitoring for a MetalLB 0.16 installation, installed by this project or elsewhere: metrics
 * Services, ServiceMonitors (HTTPS, bearer token, job/node relabelling), the RBAC MetalLB's
 * scrape authorisation needs, and a PrometheusRule with recording rules and alerts. Pass
 * `dependsOn: [metallb, monitoringStack]` so the Prometheus Operator's CRDs exist first.
 */
export class MetalLbMonitoring extends pulumi.ComponentResource {
    /** Metrics Services by target (controller, speaker, frr-k8s). */
    public readonly services: { [target: string]: Service };
    /** Scrape targets monitored (each with a metrics Service and a ServiceMonitor). */
    public readonly targets: pulumi.Output<string[]>;
    /** Name of the PrometheusRule holding recording rules and alerts (in MetalLB's namespace). */
    public readonly prometheusRuleName: pulumi.Output<string>;
    /** Names of the alerts defined. */
    public readonly alertNames: pulumi.Output<string[]>;

    constructor(name: string, args: MetalLbMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = parseArgs("MetalLbMonitoring", name, metalLbMonitoringArgs, args, consistency);
        super(TYPE.type, name, {}, TYPE.opts(opts));
        const namespace = pulumi.output(a.namespace);
        const release = pulumi.output(a.releaseName ?? METALLB_DEFAULTS.releaseName);
        const childOpts = { parent: this, dependsOn: forwardDependsOn(opts) };
        // Prometheus selects ServiceMonitors and PrometheusRules by these labels.
        const crLabels = pulumi.output(a.selectorLabels).apply((l) => ({ ...l, "app.kubernetes.io/part-of": "metallb-observability" }));

        const selectors: Partial<Record<ScrapeTarget, pulumi.Input<PodSelector>>> = {
            controller: a.controllerSelector ?? release.apply((r) => metallbPodSelector(r, "controller")),
            speaker: a.speakerSelector ?? release.apply((r) => metallbPodSelector(r, "speaker")),
        };
        if (a.bgpBackend === BgpBackend.FrrK8s) {
            selectors["frr-k8s"] = a.frrK8sSelector ?? release.apply((r) => frrK8sPodSelector(r));
        }

        this.services = {};
        for (const [target, selector] of Object.entries(selectors) as [ScrapeTarget, pulumi.Input<PodSelector>][]) {
            this.services[target] = new k8s.core.v1.Service(
                `${name}-${target}-service`,
                {
                    metadata: { name: release.apply((r) => metricsServiceName(r, target)), namespace, labels: metricsServiceLabels(target) },
                    spec: pulumi.output(selector).apply((s) => metricsServiceSpec(target, s)),
                },
                childOpts,
            );
            new k8s.apiextensions.CustomResource(
                `${name}-${target}-servicemonitor`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "ServiceMonitor",
                    metadata: { name: pulumi.interpolate`${release}-${target}`, namespace, labels: crLabels },
                    spec: pulumi.all([namespace, a.tls]).apply(([n, tls]) => serviceMonitorSpec(target, { namespace: n, tls, interval: a.scrapeInterval })),
                },
                childOpts,
            );
        }

        const sa = pulumi.output(a.prometheusServiceAccount);
        const role = new k8s.rbac.v1.ClusterRole(
            `${name}-metrics-reader`,
            { metadata: { name: pulumi.interpolate`${namespace}-${release}-metrics-reader` }, rules: METRICS_READER_RULES },
            { parent: this },
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-metrics-reader`,
            {
                metadata: { name: pulumi.interpolate`${namespace}-${release}-metrics-reader` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }],
            },
            { parent: this },
        );

        // Settings another resource's output feeds are validated when they resolve (plain ones were above).
        const settings = pulumi.output(a.alerts ?? {}).apply((given) => {
            const problems: Problem[] = [];
            const parsed = parseWith(alertSettingsSchema, given, { root: "args.alerts." }, problems);
            if (parsed === undefined) {
                throw new pulumi.RunError(formatProblems(problems, `arguments of MetalLbMonitoring "${name}"`));
            }
            return parsed;
        });
        const rules = pulumi
            .all([namespace, release, settings, a.bgpPools ?? [], a.reservedPools ?? []])
            .apply(([ns, rel, alerts, bgpPools, reservedPools]) =>
                metallbRules(alerts, { namespace: ns, releaseName: rel, bgpBackend: a.bgpBackend, bgpPools, reservedPools }),
            );
        const prometheusRule = new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: { name: "metallb-observability", namespace, labels: crLabels },
                spec: rules,
            },
            childOpts,
        );
        this.alertNames = rules.apply((r) => r.groups.flatMap((g) => g.rules.flatMap((rule) => ("alert" in rule ? [rule.alert] : []))));

        this.targets = pulumi.output(Object.keys(selectors));
        this.prometheusRuleName = prometheusRule.metadata.name;

        this.registerOutputs({ alertNames: this.alertNames, targets: this.targets, prometheusRuleName: this.prometheusRuleName });
    }
}
