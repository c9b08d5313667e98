import * as k8s from "@pulumi/kubernetes";
// The one @pulumi/kubernetes type this file's declarations name, imported from its own module (not
// the package index): a consumer's compile then reads that class, not all of @pulumi/kubernetes'
// ~670 declaration files (about half of a Pulumi template's `tsc` time; tests/examples/pack.test.ts).
import type { Chart as HelmChart } from "@pulumi/kubernetes/helm/v4/chart";
import * as pulumi from "@pulumi/pulumi";
import { frrK8sPodSelector, metallbPodSelector, PodSelector, PRIVILEGED_NAMESPACE_LABELS } from "../lib/metallb/labels";
import { BgpBackend } from "../lib/metallb/enums";
import { METALLB_DEFAULTS } from "../lib/metallb/schema";
import { buildMetallbValues } from "../lib/metallb/values";
import { webhookGateTransforms } from "../lib/metallb/webhookGate";
import type { MetalLbArgs } from "./argTypes";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { metalLbArgs } from "./schemas/metallb";
import { transformsFor } from "./engine";

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
