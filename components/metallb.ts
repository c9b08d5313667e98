import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BgpBackend, METALLB_DEFAULTS } from "../lib/config/schema";
import { frrK8sPodSelector, metallbPodSelector, PodSelector, PRIVILEGED_NAMESPACE_LABELS } from "../lib/metallb/labels";
import { buildMetallbValues } from "../lib/metallb/values";
import { webhookGateTransform } from "../lib/metallb/webhookGate";
import { engineSupportsTransforms } from "./engine";

export interface MetalLbArgs {
    /**
     * Namespace to install into; created with the privileged Pod Security labels unless
     * `createNamespace` is false. A plain string so that `pulumi preview` can render the chart
     * in full before the namespace exists. Default `metallb-system`.
     */
    namespace?: string;
    /** Create the namespace (default true). Set false when it is managed elsewhere. */
    createNamespace?: boolean;
    /** Helm release name; part of the pods' `app.kubernetes.io/instance` label. Default `metallb`. */
    releaseName?: string;
    /** Exact chart version (default 0.16.1; never 0.16.0). */
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
    values?: Record<string, unknown>;
    /**
     * Hold the chart's dependents until MetalLB's admission webhook has its CA bundle and accepts
     * connections (default true: wait annotations and a readiness probe on the webhook port).
     * This uses a Pulumi transform, so it is skipped under the mock runtime (tests, offline render).
     */
    waitForWebhook?: boolean;
}

/**
 * MetalLB from its Helm chart (helm.v4.Chart, so `pulumi preview` lists every object the chart
 * creates), in a namespace labelled for the privileged Pod Security level.
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
    /** Labels selecting the frr-k8s pods; undefined with the native backend. */
    public readonly frrK8sSelector: pulumi.Output<PodSelector> | undefined;
    /** The chart; depend on it (or on `ready`) to wait for MetalLB and its webhook. */
    public readonly chart: k8s.helm.v4.Chart;
    /** Resources that must exist before MetalLB objects can be created. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: MetalLbArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("metallb-observability:metallb:MetalLb", name, {}, opts);

        const namespace = args.namespace ?? METALLB_DEFAULTS.namespace;
        const releaseName = args.releaseName ?? METALLB_DEFAULTS.releaseName;
        this.bgpBackend = args.bgpBackend ?? "native";

        const ns =
            args.createNamespace === false
                ? undefined
                : new k8s.core.v1.Namespace(
                      `${name}-namespace`,
                      { metadata: { name: namespace, labels: { ...PRIVILEGED_NAMESPACE_LABELS } } },
                      { parent: this },
                  );

        const waitForWebhook = (args.waitForWebhook ?? true) && engineSupportsTransforms();
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                chart: "metallb",
                version: args.chartVersion ?? METALLB_DEFAULTS.chartVersion,
                repositoryOpts: { repo: args.chartRepository ?? METALLB_DEFAULTS.chartRepository },
                name: releaseName,
                namespace,
                values: buildMetallbValues({ bgpBackend: this.bgpBackend, metricsTlsSecret: args.metricsTlsSecret, overrides: args.values }),
            },
            {
                parent: this,
                dependsOn: ns ? [ns] : [],
                transforms: waitForWebhook ? [webhookGateTransform] : [],
            },
        );
        this.ready = [this.chart];

        this.namespace = ns ? ns.metadata.name : pulumi.output(namespace);
        this.releaseName = pulumi.output(releaseName);
        this.controllerSelector = pulumi.output(metallbPodSelector(releaseName, "controller"));
        this.speakerSelector = pulumi.output(metallbPodSelector(releaseName, "speaker"));
        this.frrK8sSelector = this.bgpBackend === "frr-k8s" ? pulumi.output(frrK8sPodSelector(releaseName)) : undefined;

        this.registerOutputs({
            namespace: this.namespace,
            releaseName: this.releaseName,
            controllerSelector: this.controllerSelector,
            speakerSelector: this.speakerSelector,
            frrK8sSelector: this.frrK8sSelector,
        });
    }
}
