/**
 * The monitoring settings added for a real cluster (issue 9), as the current stack-config schema
 * reads them: defaults, and the secrets each one needs.
 */
import * as assert from "assert";
import { parseStackConfig, RawConfig } from "../../../lib/config/load";
import { ConfigError } from "../../../lib/util/problems";

const BASE = {
    "metallb:pools": [{ name: "default", addresses: ["192.168.1.240-192.168.1.250"] }],
    "metallb:l2Advertisements": [{ name: "default" }],
    "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
};
const raw = (values: Record<string, unknown>, secretKeys: string[] = []): RawConfig => ({ values: { ...BASE, ...values }, secretKeys: new Set(secretKeys) });

function problemPaths(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
    try {
        parseStackConfig(raw(values, secretKeys));
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return err.problems.map((p) => `${p.path}: ${p.message}`);
    }
    return [];
}

describe("monitoring settings for a real cluster", () => {
    it("default: no control-plane scraping, only MetalLB criticals page, no remote write", () => {
        const { monitoring } = parseStackConfig(raw({}));
        assert.ok(monitoring.install);
        assert.deepStrictEqual(monitoring.controlPlane, { kubeControllerManager: false, kubeScheduler: false, kubeEtcd: false, kubeProxy: false });
        assert.strictEqual(monitoring.receivers.pageAllCritical, false);
        assert.strictEqual(monitoring.receivers.heartbeat, undefined);
        assert.deepStrictEqual([monitoring.remoteWrite, monitoring.externalLabels, monitoring.metricsTls], [[], {}, undefined]);
    });

    it("reads metricsTls as {secretName, serverName}, and refuses the old shape", () => {
        const { monitoring } = parseStackConfig(raw({ "monitoring:metricsTls": { secretName: "metallb-metrics-tls", serverName: "metallb-metrics" } }));
        assert.deepStrictEqual(monitoring.metricsTls, { secretName: "metallb-metrics-tls", serverName: "metallb-metrics" });
        const old = problemPaths({ "monitoring:metricsTls": { caSecret: { name: "ca", key: "ca.crt" } } });
        assert.ok(
            old.some((p) => p.startsWith("monitoring:metricsTls")),
            old.join("\n"),
        );
    });

    it("a heartbeat receiver needs the secret monitoring:heartbeatUrl, kept secret", () => {
        const missing = problemPaths({ "monitoring:receivers": { heartbeat: {} } });
        assert.ok(
            missing.some((p) => /^monitoring:heartbeatUrl: is required .*pulumi config set --secret monitoring:heartbeatUrl/.test(p)),
            missing.join("\n"),
        );
        const plain = problemPaths({ "monitoring:receivers": { heartbeat: {} }, "monitoring:heartbeatUrl": "https://hc.example/ping/x" });
        assert.ok(
            plain.some((p) => /^monitoring:heartbeatUrl: is stored in plain text/.test(p)),
            plain.join("\n"),
        );
        assert.deepStrictEqual(
            problemPaths({ "monitoring:receivers": { heartbeat: {} }, "monitoring:heartbeatUrl": "https://hc.example/ping/x" }, ["monitoring:heartbeatUrl"]),
            [],
        );
    });

    it("remote write with auth needs its credential (a secret) and basic auth a user name", () => {
        const targets = [
            { name: "mimir", url: "https://mimir.example/api/v1/push", auth: "basic" },
            { name: "thanos", url: "https://thanos.example/api/v1/receive", auth: "bearer" },
        ];
        const found = problemPaths({ "monitoring:remoteWrite": targets });
        for (const expected of ["monitoring:remoteWriteCredentials.mimir", "monitoring:remoteWriteCredentials.thanos", "monitoring:remoteWrite[0].username"]) {
            assert.ok(
                found.some((p) => p.startsWith(`${expected}: `)),
                `${expected} in\n${found.join("\n")}`,
            );
        }
        const ok = problemPaths(
            {
                "monitoring:remoteWrite": [{ ...targets[0], username: "tenant-1" }, targets[1]],
                "monitoring:remoteWriteCredentials": { mimir: "pw", thanos: "token" },
            },
            ["monitoring:remoteWriteCredentials"],
        );
        assert.deepStrictEqual(ok, []);
    });
});
