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
import { AlertSettings, alertSettingsSchema } from "../lib/rules/settings";
import { formatProblems, parseWith, Problem } from "../lib/util/problems";
import type { MetalLbMonitoringArgs } from "./argTypes";
import { componentType, forwardDependsOn, checksOnResolve, parseArgs } from "./args";
import { metalLbMonitoringArgs } from "./schemas/metallbMonitoring";

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

        // Settings another resource's output feeds are validated when they resolve (plain ones were
        // above); the whole-stack component's are complete settings it validated.
        const check = checksOnResolve(args);
        const settings = pulumi.output(a.alerts ?? {}).apply((given) => {
            if (!check) {
                return given as AlertSettings;
            }
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
