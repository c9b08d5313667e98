import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, imported from its own module (not
// the package index): a consumer's compile then reads that class, not all of @pulumi/kubernetes'
// ~670 declaration files (about half of a Pulumi template's `tsc` time; tests/examples/pack.test.ts).
import type { Chart as HelmChart } from "@pulumi/kubernetes/helm/v4/chart";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { frrK8sPodSelector, metallbPodSelector, PodSelector, PRIVILEGED_NAMESPACE_LABELS } from "../lib/metallb/labels";
import { BgpBackend } from "../lib/metallb/enums";
import { METALLB_DEFAULTS, metallbChartVersion } from "../lib/metallb/schema";
import { buildMetallbValues } from "../lib/metallb/values";
import { webhookGateTransforms } from "../lib/metallb/webhookGate";
import { assertType, chartRepositoryUrl, enumOf, Equals, input, k8sLabelName, k8sName } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { transformsFor } from "./engine";

export interface MetalLbArgs {
    /**
     * Namespace to install into; created with the privileged Pod Security labels unless
     * `createNamespace` is false. Default `metallb-system`.
     */
    namespace?: string;
    /** Create the namespace (default true). Set false when it is managed elsewhere. */
    createNamespace?: boolean;
    /** Helm release name; part of the pods' `app.kubernetes.io/instance` label. Default `metallb`. */
    releaseName?: string;
    /** Exact chart version, 0.16.1 or later (default 0.16.1; never 0.16.0). */
    chartVersion?: pulumi.Input<string>;
    /** Chart repository (default https://metallb.github.io/metallb). */
    chartRepository?: pulumi.Input<string>;
    /** BGP backend: `native` (speaker only; right for L2-only clusters) or `frr-k8s`. Default `native`. */
    bgpBackend?: BgpBackend;
    /**
     * kubernetes.io/tls Secret in the namespace that controller, speakers and frr-k8s serve their
     * metrics with (default: self-signed). Pass the same as MetalLbMonitoring's `tls.secretName`.
     */
    metricsTlsSecret?: string;
    /** Extra chart values, deep-merged over the component's (lists replace). */
    // biome-ignore lint/suspicious/noExplicitAny: free-form chart values: the schema analyzer maps `any` to the package schema's Any
    values?: { [key: string]: any };
    /**
     * Hold the chart's dependents until MetalLB's admission webhook has its CA bundle and accepts
     * connections (default true: wait annotations and a readiness probe on the webhook port).
     * This uses a Pulumi transform, so it is skipped under the mock runtime (tests, offline render).
     */
    waitForWebhook?: boolean;
}

const metalLbArgs = z.strictObject({
    namespace: k8sLabelName.optional(),
    createNamespace: z.boolean().optional(),
    releaseName: k8sLabelName.optional(),
    chartVersion: input(metallbChartVersion).optional(),
    chartRepository: input(chartRepositoryUrl).optional(),
    bgpBackend: enumOf<BgpBackend>(BgpBackend).optional(),
    metricsTlsSecret: k8sName.optional(),
    values: z.record(z.string(), z.any()).optional(),
    waitForWebhook: z.boolean().optional(),
});
assertType<Equals<z.input<typeof metalLbArgs>, MetalLbArgs>>();

const TYPE = componentType("MetalLb", "metallb-observability:metallb:MetalLb");

/**
 * MetalLB from its Helm chart (helm.v4.Chart, so `pulumi preview` lists every object the chart
 * creates), in a namespace labelled for the privileged Pod Security level. Depend on the component
 * (`dependsOn: [metallb]`) to wait for MetalLB, its CRDs and its webhook.
 */
export class MetalLb extends pulumi.ComponentResource {
    /** Namespace MetalLB runs in; its custom resources must be created there. */
    public readonly namespace: pulumi.Output<string>;
    /** Helm release name. */
    public readonly releaseName: pulumi.Output<string>;
    /** BGP backend in use. */
    public readonly bgpBackend: BgpBackend;
    /** Labels selecting the controller pod. */
    public readonly controllerSelector: pulumi.Output<PodSelector>;
    /** Labels selecting the speaker pods. */
    public readonly speakerSelector: pulumi.Output<PodSelector>;
    /** Labels selecting the frr-k8s pods; unset with the native backend. */
    public readonly frrK8sSelector?: pulumi.Output<PodSelector>;
    /** The chart. */
    public readonly chart: HelmChart;

    constructor(name: string, args: MetalLbArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const a = parseArgs("MetalLb", name, metalLbArgs, args);
        super(TYPE.type, name, {}, TYPE.opts(opts));

        const namespace = a.namespace ?? METALLB_DEFAULTS.namespace;
        const releaseName = a.releaseName ?? METALLB_DEFAULTS.releaseName;
        this.bgpBackend = a.bgpBackend ?? BgpBackend.Native;

        const ns =
            a.createNamespace === false
                ? undefined
                : new k8s.core.v1.Namespace(
                      `${name}-namespace`,
                      { metadata: { name: namespace, labels: { ...PRIVILEGED_NAMESPACE_LABELS } } },
                      { parent: this, dependsOn: forwardDependsOn(opts) },
                  );

        const waitForWebhook = a.waitForWebhook ?? true;
        const values = buildMetallbValues({ bgpBackend: this.bgpBackend, metricsTlsSecret: a.metricsTlsSecret, overrides: a.values });
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                chart: "metallb",
                version: a.chartVersion ?? METALLB_DEFAULTS.chartVersion,
                repositoryOpts: { repo: a.chartRepository ?? METALLB_DEFAULTS.chartRepository },
                name: releaseName,
                namespace,
                values,
            },
            {
                parent: this,
                dependsOn: forwardDependsOn(opts, ...(ns ? [ns] : [])),
                // Only when MetalLB fills the CA bundles itself: with `controller.webhookMode: disabled`
                // the wait annotations would hold the `up` until the await timeout.
                transforms: transformsFor(`${name}-chart`, waitForWebhook ? webhookGateTransforms(values) : []),
            },
        );

        this.namespace = ns ? ns.metadata.name : pulumi.output(namespace);
        this.releaseName = pulumi.output(releaseName);
        this.controllerSelector = pulumi.output(metallbPodSelector(releaseName, "controller"));
        this.speakerSelector = pulumi.output(metallbPodSelector(releaseName, "speaker"));
        if (this.bgpBackend === BgpBackend.FrrK8s) {
            this.frrK8sSelector = pulumi.output(frrK8sPodSelector(releaseName));
        }

        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            bgpBackend: this.bgpBackend,
            controllerSelector: this.controllerSelector,
            speakerSelector: this.speakerSelector,
            frrK8sSelector: this.frrK8sSelector,
        });
    }
}
