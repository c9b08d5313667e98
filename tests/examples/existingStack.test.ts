import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { isSecretInput, PROJECT, promiseOf, registered } from "../support/pulumi";

/**
 * The consumer example imports the package by name (its compiled `exports` entry, built by
 * `npm run build`) and plugs MetalLB monitoring and the dashboard into a stack installed elsewhere.
 */
describe("examples/existing-stack (reusing the components from another stack)", () => {
    let program: { alertNames: pulumi.Output<string[]> };

    before(() => {
        const key = (k: string) => `${PROJECT}:${k}`;
        pulumi.runtime.setAllConfig(
            {
                [key("metallbNamespace")]: "lb-system",
                [key("metallbRelease")]: "edge-lb",
                [key("bgpBackend")]: "frr-k8s",
                [key("bgpPools")]: JSON.stringify(["services-bgp"]),
                [key("selectorLabels")]: JSON.stringify({ release: "monitoring" }),
                [key("prometheusServiceAccount")]: JSON.stringify({ namespace: "observability", name: "monitoring-kube-prometheus-prometheus" }),
                [key("grafanaUrl")]: "https://grafana.example.org",
                [key("grafanaAuth")]: "example-token",
            },
            [key("grafanaAuth")],
        );
        program = require("../../examples/existing-stack/index");
    });

    it("installs nothing: no chart, no release, no namespace", async () => {
        const regs = [...(await registered("lb-monitoring")), ...(await registered("lb-dashboard"))];
        assert.ok(regs.length > 0);
        assert.ok(!regs.some((r) => r.type.startsWith("kubernetes:helm.sh") || r.type === "kubernetes:core/v1:Namespace"));
    });

    it("labels the monitors and rules for the existing Prometheus and grants its service account /metrics", async () => {
        const regs = await registered("lb-monitoring");
        const labelled = regs.filter(
            (r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor" || r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        );
        assert.strictEqual(labelled.length, 4, "three ServiceMonitors (frr-k8s backend) and a PrometheusRule");
        assert.ok(labelled.every((r) => r.inputs.metadata.labels.release === "monitoring" && r.inputs.metadata.namespace === "lb-system"));
        const binding = regs.find((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")!;
        assert.deepStrictEqual(binding.inputs.subjects, [
            { kind: "ServiceAccount", name: "monitoring-kube-prometheus-prometheus", namespace: "observability" },
        ]);
        const speaker = regs.find((r) => r.type === "kubernetes:core/v1:Service" && r.inputs.metadata.name === "edge-lb-speaker-metrics")!;
        assert.strictEqual(speaker.inputs.spec.selector["app.kubernetes.io/instance"], "edge-lb");
        assert.ok((await promiseOf(program.alertNames)).includes("MetalLBBFDSessionDown"));
    });

    it("pushes the dashboard to the given Grafana with the secret credentials", async () => {
        const regs = await registered("lb-dashboard");
        const provider = regs.find((r) => r.type === "pulumi:providers:grafana")!;
        assert.strictEqual(provider.inputs.url, "https://grafana.example.org");
        assert.ok(isSecretInput(provider.inputs.auth));
        const dash = JSON.parse(regs.find((r) => r.type === "grafana:oss/dashboard:Dashboard")!.inputs.configJson);
        const gauge = dash.panels.find((p: any) => p.title === "Fullest pool");
        assert.strictEqual(gauge.fieldConfig.defaults.thresholds.steps[1].value, 0.75, "its own alert threshold");
        assert.match(JSON.stringify(dash), /namespace=\\"lb-system\\"/);
    });
});
