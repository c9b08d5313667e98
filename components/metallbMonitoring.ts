import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { alertSettingsProblems } from "../lib/config/alerts";
import { argumentsError } from "../lib/config/problems";
import { BgpBackend, METALLB_DEFAULTS } from "../lib/config/schema";
import { frrK8sPodSelector, metallbPodSelector, PodSelector } from "../lib/metallb/labels";
import {
    METRICS_READER_RULES,
    MetricsTls,
    metricsServiceLabels,
    metricsServiceName,
    metricsServiceSpec,
    ScrapeTarget,
    serviceMonitorSpec,
} from "../lib/monitoring/scrape";
import { metallbRules } from "../lib/rules";
import { AlertSettingsInput, withAlertDefaults } from "../lib/rules/settings";

export interface ServiceAccountRef {
    readonly namespace: string;
    readonly name: string;
}

export interface MetalLbMonitoringArgs {
    /** Namespace MetalLB runs in; Services, ServiceMonitors and the PrometheusRule go there. */
    namespace: string;
    /** MetalLB's Helm release name (default `metallb`): names the Services and DaemonSets. */
    releaseName?: string;
    /** BGP backend MetalLB uses; `frr-k8s` adds the frr-k8s pods' monitoring and alerts. */
    bgpBackend: BgpBackend;
    /** Controller pod labels (default: what the chart sets for `releaseName`; pass `MetalLb.controllerSelector`). */
    controllerSelector?: pulumi.Input<PodSelector>;
    /** Speaker pod labels (default as above; pass `MetalLb.speakerSelector`). */
    speakerSelector?: pulumi.Input<PodSelector>;
    /** frr-k8s pod labels (default as above; pass `MetalLb.frrK8sSelector`). */
    frrK8sSelector?: pulumi.Input<PodSelector>;
    /** Labels Prometheus selects ServiceMonitors and PrometheusRules by (`MonitoringStack.selectorLabels`). */
    selectorLabels: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Prometheus' service account: granted `get` on `/metrics`, which MetalLB authorises each scrape with. */
    prometheusServiceAccount: pulumi.Input<ServiceAccountRef>;
    /** Verify MetalLB's metrics certificates with this CA; default: accept its self-signed ones. */
    tls?: MetricsTls;
    /** Scrape interval of the MetalLB targets; default Prometheus' own. */
    scrapeInterval?: string;
    /** Alert thresholds and durations (defaults: DEFAULT_ALERT_SETTINGS). */
    alerts?: AlertSettingsInput;
    /** Pools announced over BGP (enables the "announcing nothing" alert for them). */
    bgpPools?: string[];
    /** Pools reserved by design (autoAssign false): never alerted on as exhausted. */
    reservedPools?: string[];
    /** Resources to create after: the MetalLB install and the Prometheus Operator (its CRDs). */
    waitFor?: pulumi.Resource[];
}

/**
 * Monitoring for a MetalLB 0.16 installation, installed by this project or elsewhere: metrics
 * Services, ServiceMonitors (HTTPS, bearer token, job/node relabelling), the RBAC MetalLB's
 * scrape authorisation needs, and a PrometheusRule with recording rules and alerts.
 */
export class MetalLbMonitoring extends pulumi.ComponentResource {
    /** Metrics Services by target. */
    public readonly services: Partial<Record<ScrapeTarget, k8s.core.v1.Service>>;
    /** ServiceMonitors by target. */
    public readonly serviceMonitors: Partial<Record<ScrapeTarget, k8s.apiextensions.CustomResource>>;
    /** The PrometheusRule holding recording rules and alerts. */
    public readonly prometheusRule: k8s.apiextensions.CustomResource;
    /** Names of the alerts defined. */
    public readonly alertNames: pulumi.Output<string[]>;

    constructor(name: string, args: MetalLbMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = alertSettingsProblems(args.alerts);
        if (problems.length > 0) {
            throw new pulumi.RunError(argumentsError(`MetalLbMonitoring "${name}"`, problems));
        }
        super("metallb-observability:monitoring:MetalLbMonitoring", name, {}, opts);
        const release = args.releaseName ?? METALLB_DEFAULTS.releaseName;
        const waitFor = args.waitFor ?? [];
        const childOpts = { parent: this, dependsOn: waitFor };
        // Prometheus selects ServiceMonitors and PrometheusRules by these labels.
        const crLabels = pulumi.output(args.selectorLabels).apply((l) => ({ ...l, "app.kubernetes.io/part-of": "metallb-observability" }));

        const selectors: Partial<Record<ScrapeTarget, pulumi.Input<PodSelector>>> = {
            controller: args.controllerSelector ?? metallbPodSelector(release, "controller"),
            speaker: args.speakerSelector ?? metallbPodSelector(release, "speaker"),
        };
        if (args.bgpBackend === "frr-k8s") {
            selectors["frr-k8s"] = args.frrK8sSelector ?? frrK8sPodSelector(release);
        }

        this.services = {};
        this.serviceMonitors = {};
        for (const [target, selector] of Object.entries(selectors) as [ScrapeTarget, pulumi.Input<PodSelector>][]) {
            this.services[target] = new k8s.core.v1.Service(
                `${name}-${target}-service`,
                {
                    metadata: { name: metricsServiceName(release, target), namespace: args.namespace, labels: metricsServiceLabels(target) },
                    spec: pulumi.output(selector).apply((s) => metricsServiceSpec(target, s)),
                },
                childOpts,
            );
            this.serviceMonitors[target] = new k8s.apiextensions.CustomResource(
                `${name}-${target}-servicemonitor`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "ServiceMonitor",
                    metadata: {
                        name: `${release}-${target}`,
                        namespace: args.namespace,
                        labels: crLabels,
                    },
                    spec: serviceMonitorSpec(target, { namespace: args.namespace, tls: args.tls, interval: args.scrapeInterval }),
                },
                childOpts,
            );
        }

        const sa = pulumi.output(args.prometheusServiceAccount);
        const role = new k8s.rbac.v1.ClusterRole(
            `${name}-metrics-reader`,
            { metadata: { name: `${args.namespace}-${release}-metrics-reader` }, rules: METRICS_READER_RULES },
            { parent: this },
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-metrics-reader`,
            {
                metadata: { name: `${args.namespace}-${release}-metrics-reader` },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }],
            },
            { parent: this },
        );

        const rules = metallbRules(withAlertDefaults(args.alerts), { namespace: args.namespace, releaseName: release, bgpBackend: args.bgpBackend, bgpPools: args.bgpPools ?? [], reservedPools: args.reservedPools ?? [] });
        this.prometheusRule = new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: {
                    name: "metallb-observability",
                    namespace: args.namespace,
                    labels: crLabels,
                },
                spec: rules,
            },
            childOpts,
        );
        this.alertNames = pulumi.output(rules.groups.flatMap((g) => g.rules.flatMap((r) => ("alert" in r ? [r.alert] : []))));

        this.registerOutputs({ alertNames: this.alertNames });
    }
}
