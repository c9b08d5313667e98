import * as assert from "assert";
import { promiseOf, registered } from "../support/pulumi";
import { AddressPools, BgpBackend, DEFAULT_ALERT_SETTINGS, MetalLb, MetalLbDashboard, MetalLbMonitoring, MonitoringStack } from "../../components";

/**
 * Natural wiring compiles and works: a component's structural outputs (namespace, release name,
 * backend, selectors) pass straight into the next component's arguments, alert settings may be any
 * subset (or the complete defaults), and order comes from `dependsOn`.
 */
describe("wiring the components together", () => {
    it("passes outputs straight into the next component's arguments", async () => {
        const metallb = new MetalLb("wire-lb", { bgpBackend: BgpBackend.FrrK8s, namespace: "lb-system", releaseName: "edge" });
        const pools = new AddressPools(
            "wire-pools",
            { namespace: metallb.namespace, bgpBackend: metallb.bgpBackend, pools: [{ name: "p", addresses: ["10.4.0.0/28"] }] },
            { dependsOn: [metallb] },
        );
        const stack = new MonitoringStack("wire-kps", { releaseName: "monitoring" }, { dependsOn: [pools] });
        const monitoring = new MetalLbMonitoring(
            "wire-mon",
            {
                namespace: metallb.namespace,
                releaseName: metallb.releaseName,
                bgpBackend: metallb.bgpBackend,
                controllerSelector: metallb.controllerSelector,
                speakerSelector: metallb.speakerSelector,
                frrK8sSelector: metallb.frrK8sSelector,
                selectorLabels: stack.selectorLabels,
                prometheusServiceAccount: stack.prometheusServiceAccount,
                alerts: { for: { bgpSessionDown: "5m" }, selectors: { kubeStateMetricsJob: "ksm" } },
            },
            { dependsOn: [metallb, stack] },
        );
        new MetalLbMonitoring(
            "wire-defaults",
            {
                namespace: metallb.namespace,
                bgpBackend: metallb.bgpBackend,
                selectorLabels: stack.selectorLabels,
                prometheusServiceAccount: stack.prometheusServiceAccount,
                alerts: DEFAULT_ALERT_SETTINGS,
            },
            { dependsOn: [stack] },
        );
        new MetalLbDashboard(
            "wire-dash",
            {
                metallbNamespace: metallb.namespace,
                features: { l2: false, bgp: true, bgpBackend: metallb.bgpBackend, bfd: false },
                configMapNamespace: stack.namespace,
            },
            { dependsOn: [stack] },
        );

        const regs = await registered("wire-mon");
        const rule = regs.find((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")!;
        assert.strictEqual(rule.inputs.metadata.namespace, "lb-system");
        assert.deepStrictEqual(rule.inputs.metadata.labels, { release: "monitoring", "app.kubernetes.io/part-of": "metallb-observability" });
        const services = regs
            .filter((r) => r.type === "kubernetes:core/v1:Service")
            .map((r) => r.inputs.metadata.name)
            .sort();
        assert.deepStrictEqual(services, ["edge-controller-metrics", "edge-frr-k8s-metrics", "edge-speaker-metrics"]);
        assert.deepStrictEqual(await promiseOf(monitoring.targets), ["controller", "speaker", "frr-k8s"]);
        const binding = regs.find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")!;
        assert.deepStrictEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "monitoring-kube-prometheus-prometheus", namespace: "monitoring" }]);
    });
});
