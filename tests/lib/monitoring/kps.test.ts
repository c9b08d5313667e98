import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { isSecretInput, promiseOf, registered } from "../../support/pulumi";
import { MonitoringStack } from "../../../components/monitoringStack";
import {
    buildKpsValues,
    grafanaFullname,
    kpsEndpoints,
    kpsFullname,
    MONITORING_NAMESPACE_LABELS,
    NODE_EXPORTER_NAMESPACE_LABELS,
} from "../../../lib/monitoring/kps";
import { GrafanaServiceType, RemoteWriteAuth } from "../../../lib/monitoring/schema";

describe("kube-prometheus-stack naming", () => {
    // Expected values from the chart's helpers (templates/_helpers.tpl, 26-character truncation).
    const table: [string, string, string][] = [
        ["kube-prometheus-stack", "kube-prometheus-stack", "kube-prometheus-stack-grafana"],
        ["monitoring", "monitoring-kube-prometheus", "monitoring-grafana"],
        ["prometheus", "prometheus-kube-prometheus", "prometheus-grafana"],
        ["my-grafana", "my-grafana-kube-prometheus", "my-grafana"],
    ];
    for (const [release, full, grafana] of table) {
        it(`release ${release}: fullname ${full}, Grafana ${grafana}`, () => {
            assert.strictEqual(kpsFullname(release), full);
            assert.strictEqual(grafanaFullname(release), grafana);
        });
    }

    it("names the Prometheus service account and in-cluster URLs after the fullname", () => {
        const e = kpsEndpoints("kube-prometheus-stack", "monitoring");
        assert.deepStrictEqual(e.prometheusServiceAccount, { namespace: "monitoring", name: "kube-prometheus-stack-prometheus" });
        assert.strictEqual(e.prometheusUrl, "http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    });
});

describe("buildKpsValues", () => {
    const base = {
        prometheus: { retention: "2d", scrapeInterval: "30s", evaluationInterval: "30s" },
        alertmanager: { retention: "24h" },
        grafana: { serviceType: "LoadBalancer" as const, pool: "default", address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] },
        receivers: { pagerduty: false },
    };

    it("keeps the chart's default selectors, so `release: <name>` selects our monitors and rules", () => {
        const v = buildKpsValues(base) as any;
        assert.strictEqual(v.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, undefined);
        assert.strictEqual(v.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues, undefined);
    });

    it("asks MetalLB for Grafana's fixed address and takes the admin password from a Secret", () => {
        const v = buildKpsValues(base) as any;
        assert.deepStrictEqual(v.grafana.service, {
            type: "LoadBalancer",
            annotations: { "metallb.io/address-pool": "default", "metallb.io/loadBalancerIPs": "192.168.1.250" },
            loadBalancerSourceRanges: ["192.168.1.0/24"],
        });
        assert.strictEqual(v.grafana.admin.existingSecret, "grafana-admin");
        assert.strictEqual(v.grafana.adminPassword, undefined);
    });

    it("is ephemeral without storage settings (dev) and persistent with them (prod)", () => {
        const dev = buildKpsValues(base) as any;
        assert.strictEqual(dev.prometheus.prometheusSpec.storageSpec, undefined);
        assert.deepStrictEqual(dev.grafana.persistence, { enabled: false });
        const prod = buildKpsValues({ ...base, prometheus: { ...base.prometheus, storage: { size: "50Gi" } } }) as any;
        assert.deepStrictEqual(prod.prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests, { storage: "50Gi" });
    });

    it("mounts the receivers Secret into Alertmanager", () => {
        const v = buildKpsValues(base) as any;
        assert.deepStrictEqual(v.alertmanager.alertmanagerSpec.secrets, ["alertmanager-receivers"]);
    });
});

describe("buildKpsValues on a real cluster", () => {
    const base = {
        prometheus: { retention: "2d", scrapeInterval: "30s", evaluationInterval: "30s" },
        alertmanager: { retention: "24h" },
        grafana: { serviceType: "LoadBalancer" as const },
        receivers: { pagerduty: false },
    };

    it("gives node-exporter's namespace the Pod Security level it needs, and the monitoring namespace baseline", () => {
        assert.strictEqual(NODE_EXPORTER_NAMESPACE_LABELS["pod-security.kubernetes.io/enforce"], "privileged");
        assert.strictEqual(MONITORING_NAMESPACE_LABELS["pod-security.kubernetes.io/enforce"], "baseline");
        assert.strictEqual(MONITORING_NAMESPACE_LABELS["pod-security.kubernetes.io/audit"], "restricted");
        const v = buildKpsValues({ ...base, nodeExporterNamespace: "node-exporter" }) as any;
        assert.deepStrictEqual(v["prometheus-node-exporter"], { namespaceOverride: "node-exporter" });
    });

    it("recreates a persistent Grafana instead of rolling it (RWO volume), and keeps the chart default without persistence", () => {
        const persistent = buildKpsValues({ ...base, grafana: { ...base.grafana, persistence: { size: "10Gi" } } }) as any;
        assert.deepStrictEqual(persistent.grafana.deploymentStrategy, { type: "Recreate" });
        assert.strictEqual((buildKpsValues(base) as any).grafana.deploymentStrategy, undefined);
    });

    it("scrapes no control-plane component unless the stack turns it on", () => {
        const off = buildKpsValues(base) as any;
        for (const key of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) {
            assert.deepStrictEqual(off[key], { enabled: false }, key);
        }
        const on = buildKpsValues({ ...base, controlPlane: { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: true, kubeProxy: true } }) as any;
        assert.deepStrictEqual([on.kubeEtcd.enabled, on.kubeProxy.enabled, on.kubeScheduler.enabled], [true, true, false]);
    });

    it("lets kube-state-metrics export the pool a Service got its address from", () => {
        const v = buildKpsValues(base) as any;
        assert.deepStrictEqual(v["kube-state-metrics"].metricAnnotationsAllowList, ["services=[metallb.io/ip-allocated-from-pool]"]);
    });

    it("remote-writes with credentials referenced from a Secret, and sets external labels", () => {
        const v = buildKpsValues({
            ...base,
            remoteWrite: [
                { name: "mimir", url: "https://mimir.example/api/v1/push", auth: "basic", username: "tenant-1" },
                { name: "thanos", url: "https://thanos.example/api/v1/receive", auth: "bearer" },
                { name: "open", url: "http://cortex.example/push", auth: "none" },
            ],
            externalLabels: { cluster: "prod-1" },
        }) as any;
        const ps = v.prometheus.prometheusSpec;
        assert.deepStrictEqual(ps.externalLabels, { cluster: "prod-1" });
        assert.deepStrictEqual(ps.remoteWrite, [
            {
                name: "mimir",
                url: "https://mimir.example/api/v1/push",
                basicAuth: {
                    username: { name: "prometheus-remote-write", key: "mimir-username" },
                    password: { name: "prometheus-remote-write", key: "mimir-password" },
                },
            },
            {
                name: "thanos",
                url: "https://thanos.example/api/v1/receive",
                authorization: { type: "Bearer", credentials: { name: "prometheus-remote-write", key: "thanos-token" } },
            },
            { name: "open", url: "http://cortex.example/push" },
        ]);
        assert.strictEqual((buildKpsValues(base) as any).prometheus.prometheusSpec.remoteWrite, undefined);
    });

    it("applies a changed admin password: reset init container, and a pod annotation that changes with it", () => {
        const v = buildKpsValues({ ...base, grafana: { ...base.grafana, adminPasswordRevision: "a1b2" } }) as any;
        assert.deepStrictEqual(v.grafana.podAnnotations, { "metallb-observability/admin-password-revision": "a1b2" });
        const [init] = v.grafana.extraInitContainers;
        assert.strictEqual(init.name, "reset-admin-password");
        assert.deepStrictEqual(init.env.find((e: any) => e.name === "GRAFANA_ADMIN_PASSWORD").valueFrom.secretKeyRef, {
            name: v.grafana.admin.existingSecret,
            key: v.grafana.admin.passwordKey,
        });
    });
});

describe("MonitoringStack on a real cluster", () => {
    it("keeps remote-write credentials in a Secret, never in the chart values", async () => {
        new MonitoringStack("kps-rw", {
            remoteWrite: [
                {
                    name: "mimir",
                    url: "https://mimir.example/api/v1/push",
                    auth: RemoteWriteAuth.Basic,
                    username: "tenant-1",
                    credential: pulumi.secret("mimir-pw-123"),
                },
                { name: "thanos", url: "https://thanos.example/api/v1/receive", auth: RemoteWriteAuth.Bearer, credential: pulumi.secret("thanos-token-456") },
            ],
        });
        const regs = await registered("kps-rw");
        const release = regs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;
        const valuesText = JSON.stringify(release.inputs.values);
        for (const plain of ["mimir-pw-123", "thanos-token-456"]) {
            assert.ok(!valuesText.includes(plain), `${plain} is not in the Helm values`);
        }
        assert.strictEqual(release.inputs.values.prometheus.prometheusSpec.remoteWrite[0].basicAuth.password.key, "mimir-password");
        const secret = regs.find((r) => r.type === "kubernetes:core/v1:Secret" && r.inputs.metadata.name === "prometheus-remote-write")!;
        assert.ok(isSecretInput(secret.inputs.stringData), "the Secret's data is a Pulumi secret");
        const data = secret.inputs.stringData.value;
        assert.deepStrictEqual(data, { "mimir-username": "tenant-1", "mimir-password": "mimir-pw-123", "thanos-token": "thanos-token-456" });
    });

    it("brackets an IPv6 Grafana address", async () => {
        const s = new MonitoringStack("kps-v6", {
            grafana: { serviceType: GrafanaServiceType.LoadBalancer, address: "fd00::10", loadBalancerSourceRanges: ["fd00::/64"] },
        });
        assert.strictEqual(await promiseOf(s.grafanaUrl!), "http://[fd00::10]");
    });
});
