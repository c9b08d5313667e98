import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { captureOptions, FakeInstall, promiseOf, registered, Registration } from "../support/pulumi";
import { crdErrors } from "../support/schemas";
import { MetalLb } from "../../components/metallb";
import { MetalLbMonitoring } from "../../components/metallbMonitoring";
import { BgpBackend } from "../../lib/metallb/schema";

const SA = { namespace: "monitoring", name: "kube-prometheus-stack-prometheus" };

function byType(regs: Registration[], type: string): Registration[] {
    return regs.filter((r) => r.type === type);
}

describe("MetalLbMonitoring component", () => {
    it("selects the pods by exactly the labels the MetalLb component outputs", async () => {
        const lb = new MetalLb("mon-lb", { releaseName: "edge", bgpBackend: BgpBackend.FrrK8s, createNamespace: false });
        new MetalLbMonitoring("mon-a", {
            namespace: "metallb-system",
            releaseName: "edge",
            bgpBackend: BgpBackend.FrrK8s,
            controllerSelector: lb.controllerSelector,
            speakerSelector: lb.speakerSelector,
            frrK8sSelector: lb.frrK8sSelector,
            selectorLabels: { release: "kps" },
            prometheusServiceAccount: SA,
        });
        const services = byType(await registered("mon-a"), "kubernetes:core/v1:Service");
        const selectorOf = (target: string) => services.find((s) => s.inputs.metadata.labels["metallb-observability/target"] === target)!.inputs.spec.selector;
        assert.deepStrictEqual(selectorOf("controller"), await promiseOf(lb.controllerSelector));
        assert.deepStrictEqual(selectorOf("speaker"), await promiseOf(lb.speakerSelector));
        assert.deepStrictEqual(selectorOf("frr-k8s"), await promiseOf(lb.frrK8sSelector!));
        assert.ok(
            services.every((s) => s.inputs.spec.clusterIP === "None"),
            "headless: one target per pod",
        );
    });

    it("scrapes over HTTPS with the Prometheus token, on ports the Services really have, relabelling job and node", async () => {
        new MetalLbMonitoring("mon-b", {
            namespace: "metallb-system",
            bgpBackend: BgpBackend.FrrK8s,
            selectorLabels: { release: "kps" },
            prometheusServiceAccount: SA,
        });
        const regs = await registered("mon-b");
        const services = byType(regs, "kubernetes:core/v1:Service");
        const monitors = byType(regs, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        assert.strictEqual(monitors.length, 3);
        const expected: Record<string, { job: string; node: boolean; ports: string[] }> = {
            controller: { job: "metallb-controller", node: false, ports: ["metricshttps"] },
            speaker: { job: "metallb-speaker", node: true, ports: ["metricshttps"] },
            "frr-k8s": { job: "frr-k8s", node: true, ports: ["metricshttps", "frrmetricshttps"] },
        };
        for (const sm of monitors) {
            const target = sm.inputs.spec.selector.matchLabels["metallb-observability/target"];
            const svc = services.find((s) => s.inputs.metadata.labels["metallb-observability/target"] === target)!;
            for (const [k, v] of Object.entries(sm.inputs.spec.selector.matchLabels)) {
                assert.strictEqual(svc.inputs.metadata.labels[k], v, "ServiceMonitor selects its Service");
            }
            const servicePorts = svc.inputs.spec.ports.map((p: { name: string }) => p.name);
            assert.deepStrictEqual(
                sm.inputs.spec.endpoints.map((e: { port: string }) => e.port),
                expected[target].ports,
            );
            for (const ep of sm.inputs.spec.endpoints) {
                assert.ok(servicePorts.includes(ep.port), `port ${ep.port} exists on the ${target} Service`);
                assert.strictEqual(ep.scheme, "https");
                assert.strictEqual(ep.bearerTokenFile, "/var/run/secrets/kubernetes.io/serviceaccount/token");
                assert.deepStrictEqual(ep.tlsConfig, { insecureSkipVerify: true });
                assert.ok(ep.relabelings.some((r: any) => r.targetLabel === "job" && r.replacement === expected[target].job));
                const node = ep.relabelings.find((r: any) => r.targetLabel === "node");
                assert.strictEqual(Boolean(node), expected[target].node, `${target} node relabelling`);
                if (node) {
                    assert.deepStrictEqual(node.sourceLabels, ["__meta_kubernetes_pod_node_name"]);
                }
            }
            assert.deepStrictEqual(sm.inputs.metadata.labels.release, "kps", "labels come from the monitoring stack's selector output");
            assert.deepStrictEqual(crdErrors(sm.inputs as any), []);
        }
        const ports = services.flatMap((s: any) => s.inputs.spec.ports.map((p: any) => `${p.name}:${p.port}`)).sort();
        assert.deepStrictEqual(ports, ["frrmetricshttps:9141", "metricshttps:9120", "metricshttps:9120", "metricshttps:9140"]);
    });

    it("grants the Prometheus service account exactly get on /metrics, nothing more", async () => {
        new MetalLbMonitoring("mon-c", {
            namespace: "metallb-system",
            bgpBackend: BgpBackend.Native,
            selectorLabels: { release: "kps" },
            prometheusServiceAccount: SA,
        });
        const regs = await registered("mon-c");
        const [role] = byType(regs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
        const [binding] = byType(regs, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding");
        assert.deepStrictEqual(role.inputs.rules, [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }]);
        assert.deepStrictEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: SA.name, namespace: SA.namespace }]);
        assert.strictEqual(binding.inputs.roleRef.kind, "ClusterRole");
        assert.strictEqual(binding.inputs.roleRef.name, role.inputs.metadata.name);
        assert.ok(
            !byType(regs, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").some((m) => m.inputs.metadata.name.includes("frr")),
            "no frr-k8s monitor with the native backend",
        );
    });

    it("verifies certificates with a configured CA instead of skipping verification", async () => {
        new MetalLbMonitoring("mon-d", {
            namespace: "metallb-system",
            bgpBackend: BgpBackend.Native,
            selectorLabels: { release: "kps" },
            prometheusServiceAccount: SA,
            tls: { secretName: "metallb-metrics-ca", serverName: "metallb-metrics" },
        });
        const [sm] = byType(await registered("mon-d"), "kubernetes:monitoring.coreos.com/v1:ServiceMonitor");
        assert.deepStrictEqual(sm.inputs.spec.endpoints[0].tlsConfig, {
            ca: { secret: { name: "metallb-metrics-ca", key: "ca.crt" } },
            serverName: "metallb-metrics",
        });
        assert.deepStrictEqual(crdErrors(sm.inputs as any), []);
    });

    it("creates a PrometheusRule labelled for the rule selector, valid for the CRD, after the installs", async () => {
        const install = new FakeInstall("mon-install");
        const { opts, seen } = captureOptions();
        const m = new MetalLbMonitoring(
            "mon-e",
            {
                namespace: "metallb-system",
                bgpBackend: BgpBackend.Native,
                selectorLabels: { release: "kps", team: "net" },
                prometheusServiceAccount: SA,
                alerts: { excludePools: ["lab"] },
            },
            { ...opts, dependsOn: [install] },
        );
        const [rule] = byType(await registered("mon-e"), "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        assert.deepStrictEqual(rule.inputs.metadata.labels, { release: "kps", team: "net", "app.kubernetes.io/part-of": "metallb-observability" });
        assert.deepStrictEqual(crdErrors(rule.inputs as any), []);
        assert.match(JSON.stringify(rule.inputs.spec), /pool!~\\"lab\\"/);
        const names = await promiseOf(m.alertNames);
        assert.ok(names.includes("MetalLBAddressPoolExhausted") && !names.includes("MetalLBBFDSessionDown"));
        for (const t of ["kubernetes:monitoring.coreos.com/v1:PrometheusRule", "kubernetes:monitoring.coreos.com/v1:ServiceMonitor"]) {
            for (const s of seen.filter((x) => x.type === t)) {
                assert.ok((s.opts.dependsOn as pulumi.Resource[]).includes(install), `${s.name} waits for the installs`);
                assert.strictEqual(s.opts.parent, m);
            }
        }
    });
});

describe("MetalLbMonitoring arguments", () => {
    it("refuses invalid alert settings before registering anything", async () => {
        assert.throws(
            () =>
                new MetalLbMonitoring("mon-bad", {
                    namespace: "metallb-system",
                    bgpBackend: BgpBackend.Native,
                    selectorLabels: { release: "kps" },
                    prometheusServiceAccount: SA,
                    alerts: { poolUsageWarningPercent: 99, poolUsageCriticalPercent: 90, for: { poolUsage: "ten minutes" } as never },
                }),
            (err: Error) => {
                assert.match(err.message, /^Invalid arguments of MetalLbMonitoring "mon-bad" \(2 problems\):/);
                assert.match(err.message, /args\.alerts\.for\.poolUsage: must be a Prometheus duration/);
                assert.match(err.message, /args\.alerts\.poolUsageWarningPercent: \(99\) must be below poolUsageCriticalPercent \(90\)/);
                return true;
            },
        );
        assert.deepStrictEqual(await registered("mon-bad"), []);
    });
});
