import * as assert from "assert";
import { buildMetallbValues } from "../../../lib/metallb/values";
import { metricsTlsConfig, serviceMonitorSpec } from "../../../lib/monitoring/scrape";
import { crdErrors } from "../../support/schemas";

describe("metrics TLS: one setting for both sides", () => {
    const tls = { secretName: "metallb-metrics-tls", serverName: "metallb-metrics.metallb-system.svc" };

    it("the ServiceMonitors verify against the ca.crt of the Secret the chart serves with, for the server name", () => {
        for (const target of ["controller", "speaker", "frr-k8s"] as const) {
            const spec = serviceMonitorSpec(target, { namespace: "metallb-system", tls }) as any;
            for (const e of spec.endpoints) {
                assert.deepStrictEqual(e.tlsConfig, {
                    ca: { secret: { name: "metallb-metrics-tls", key: "ca.crt" } },
                    serverName: "metallb-metrics.metallb-system.svc",
                });
            }
            const manifest = { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: target, namespace: "metallb-system" }, spec };
            assert.deepStrictEqual(crdErrors(manifest), []);
        }
        // The chart side of the same setting mounts exactly that Secret.
        const values = buildMetallbValues({ bgpBackend: "frr-k8s", metricsTlsSecret: tls.secretName }) as any;
        const ca = (serviceMonitorSpec("speaker", { namespace: "metallb-system", tls }) as any).endpoints[0].tlsConfig.ca.secret.name;
        assert.strictEqual(values.tls.speakerMetricsTLSSecret, ca);
        assert.strictEqual(values["frr-k8s"].tls.metricsTLSSecret, ca);
    });

    it("without the setting, accepts MetalLB's self-signed certificates", () => {
        assert.deepStrictEqual(metricsTlsConfig(undefined), { insecureSkipVerify: true });
    });
});
