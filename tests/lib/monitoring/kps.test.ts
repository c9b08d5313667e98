import * as assert from "assert";
import { buildKpsValues, grafanaFullname, kpsEndpoints, kpsFullname } from "../../../lib/monitoring/kps";

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
        grafana: { serviceType: "LoadBalancer" as const, pool: "default", address: "192.168.1.250" },
        receivers: { pagerduty: false },
    };

    it("keeps the chart's default selectors, so `release: <name>` selects our monitors and rules", () => {
        const v = buildKpsValues(base) as any;
        assert.strictEqual(v.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, undefined);
        assert.strictEqual(v.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues, undefined);
    });

    it("asks MetalLB for Grafana's fixed address and takes the admin password from a Secret", () => {
        const v = buildKpsValues(base) as any;
        assert.deepStrictEqual(v.grafana.service, { type: "LoadBalancer", annotations: { "metallb.io/address-pool": "default", "metallb.io/loadBalancerIPs": "192.168.1.250" } });
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
