import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { decodeConfigValue, parseStackConfig, RawConfig } from "../../../lib/config/load";
import { ConfigError } from "../../../lib/util/problems";
import { stackConfigHelpers } from "./helpers";
import { readStackFile } from "../../../scripts/render/stackFile";

const ROOT = path.resolve(__dirname, "../../..");

const POOL = { name: "default", addresses: ["192.168.1.240-192.168.1.250"] };
const PEER = { name: "tor-a", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1" };

/** The smallest valid stack: one pool, and Grafana reachable at an address from it. */
const BASE = {
    "metallb:pools": [POOL],
    "metallb:l2Advertisements": [{ name: "default" }],
    "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
};

const { raw, problems, expectProblem } = stackConfigHelpers(BASE);

function stackFile(name: string): RawConfig {
    const { config, secretKeys } = readStackFile(fs.readFileSync(path.join(ROOT, `Pulumi.${name}.yaml`), "utf8"), "metallb-observability");
    return {
        values: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, decodeConfigValue(v)])),
        secretKeys: new Set(secretKeys),
    };
}

describe("parseStackConfig", () => {
    describe("valid configurations", () => {
        it("accepts the dev stack: one L2 pool, native backend, chart defaults", () => {
            const cfg = parseStackConfig(stackFile("dev"));
            assert.strictEqual(cfg.metallb.bgpBackend, "native");
            assert.strictEqual(cfg.metallb.chartVersion, "0.16.1");
            assert.strictEqual(cfg.metallb.namespace, "metallb-system");
            assert.deepStrictEqual(
                cfg.metallb.pools.map((p) => p.name),
                ["default"],
            );
            assert.strictEqual(cfg.metallb.pools[0].autoAssign, true);
        });

        it("accepts the prod stack: two pools, L2 + BGP with two peers and BFD on frr-k8s", () => {
            const cfg = parseStackConfig(stackFile("prod"));
            assert.strictEqual(cfg.metallb.bgpBackend, "frr-k8s");
            assert.strictEqual(cfg.metallb.pools.length, 2);
            assert.strictEqual(cfg.metallb.bgp.peers.length, 2);
            assert.ok(cfg.metallb.bgp.peers.every((p) => p.bfdProfile === "fast-failover"));
            assert.deepStrictEqual(Object.keys(cfg.metallb.bgpPasswords).sort(), ["tor-a", "tor-b"]);
        });

        it("defaults the backend to frr-k8s when BGP peers are configured and none is chosen", () => {
            const cfg = parseStackConfig(raw({ "metallb:bgp": { peers: [PEER] } }));
            assert.strictEqual(cfg.metallb.bgpBackend, "frr-k8s");
        });
    });

    describe("addresses", () => {
        it("rejects an entry that is neither a CIDR nor a range", () => {
            expectProblem(
                { "metallb:pools": [{ name: "a", addresses: ["not-an-ip"] }] },
                "metallb:pools[0].addresses[0]",
                /neither a CIDR nor a start-end range/,
            );
        });
        it("rejects a bare IP without prefix length", () => {
            expectProblem({ "metallb:pools": [{ name: "a", addresses: ["10.0.0.1"] }] }, "metallb:pools[0].addresses[0]", /bare IP.*\/32/);
        });
        it("rejects a range whose start is after its end", () => {
            expectProblem({ "metallb:pools": [{ name: "a", addresses: ["10.0.0.9-10.0.0.1"] }] }, "metallb:pools[0].addresses[0]", /starts after it ends/);
        });
        it("rejects a range mixing IPv4 and IPv6", () => {
            expectProblem({ "metallb:pools": [{ name: "a", addresses: ["10.0.0.1-fd00::1"] }] }, "metallb:pools[0].addresses[0]", /mixes IPv4 and IPv6/);
        });
        it("rejects two pools that overlap", () => {
            expectProblem(
                {
                    "metallb:pools": [
                        { name: "a", addresses: ["10.0.0.0/24"] },
                        { name: "b", addresses: ["10.0.0.100-10.0.0.110"] },
                    ],
                },
                "metallb:pools[1].addresses[0]",
                /overlaps "10\.0\.0\.0\/24" of pool "a"/,
            );
        });
        it("rejects two entries of one pool that overlap", () => {
            expectProblem(
                { "metallb:pools": [{ name: "a", addresses: ["10.0.0.0/24", "10.0.0.7/32"] }] },
                "metallb:pools[0].addresses[1]",
                /another entry of pool "a"/,
            );
        });
        it("rejects a pool without addresses, and a stack without pools", () => {
            expectProblem({ "metallb:pools": [{ name: "a", addresses: [] }] }, "metallb:pools[0].addresses", /at least one/);
            expectProblem({ "metallb:pools": undefined }, "metallb:pools", /required/);
        });
    });

    describe("names and references", () => {
        it("rejects duplicate pool names", () => {
            expectProblem(
                {
                    "metallb:pools": [
                        { name: "a", addresses: ["10.0.0.0/28"] },
                        { name: "a", addresses: ["10.0.1.0/28"] },
                    ],
                },
                "metallb:pools[1].name",
                /duplicate pool name "a"/,
            );
        });
        it("rejects names that are not Kubernetes object names", () => {
            expectProblem(
                { "metallb:pools": [{ name: "Public_Pool", addresses: ["10.0.0.0/28"] }] },
                "metallb:pools[0].name",
                /not a valid Kubernetes object name/,
            );
            expectProblem({ "metallb:namespace": "MetalLB" }, "metallb:namespace", /not a valid name/);
        });
        it("rejects an L2 advertisement naming a pool that does not exist", () => {
            expectProblem(
                { "metallb:l2Advertisements": [{ name: "l2", ipAddressPools: ["missing"] }] },
                "metallb:l2Advertisements[0].ipAddressPools[0]",
                /pool "missing", which is not defined/,
            );
        });
        it("rejects a BGP advertisement naming a pool or peer that does not exist", () => {
            const bgp = { peers: [PEER], advertisements: [{ name: "adv", ipAddressPools: ["missing"], peers: ["tor-z"] }] };
            expectProblem({ "metallb:bgp": bgp }, "metallb:bgp.advertisements[0].ipAddressPools[0]", /pool "missing"/);
            expectProblem({ "metallb:bgp": bgp }, "metallb:bgp.advertisements[0].peers[0]", /peer "tor-z"/);
        });
        it("rejects unknown settings", () => {
            expectProblem({ "metallb:pool": [] }, "metallb:pool", /unknown setting/);
            expectProblem(
                { "metallb:pools": [{ ...POOL, autoassign: false }] },
                "metallb:pools[0].autoassign",
                /unknown setting "autoassign"; did you mean "autoAssign"\?/,
            );
        });
    });

    describe("BGP peers", () => {
        const peer = (over: Record<string, unknown>) => ({ "metallb:bgp": { peers: [{ ...PEER, ...over }] } });
        it("requires myASN", () => {
            expectProblem(peer({ myASN: undefined }), "metallb:bgp.peers[0].myASN", /needs myASN/);
        });
        it("rejects ASNs outside 0..4294967295", () => {
            expectProblem(peer({ myASN: 4294967296 }), "metallb:bgp.peers[0].myASN", /between 0 and 4294967295/);
            expectProblem(peer({ peerASN: -1 }), "metallb:bgp.peers[0].peerASN", /between 0 and 4294967295/);
        });
        it("needs exactly one of peerASN and dynamicASN", () => {
            expectProblem(peer({ dynamicASN: "external" }), "metallb:bgp.peers[0].peerASN", /both peerASN and dynamicASN/);
            expectProblem(peer({ peerASN: undefined }), "metallb:bgp.peers[0].peerASN", /exactly one of peerASN/);
        });
        it("needs exactly one of peerAddress and interface", () => {
            expectProblem(peer({ interface: "eth0" }), "metallb:bgp.peers[0].peerAddress", /both peerAddress and interface/);
            expectProblem(peer({ peerAddress: undefined }), "metallb:bgp.peers[0].peerAddress", /exactly one of peerAddress/);
        });
        it("rejects a hold time other than 0 or at least 3s", () => {
            expectProblem(peer({ holdTime: "2s" }), "metallb:bgp.peers[0].holdTime", /must be 0 .* or at least 3s/);
            assert.doesNotThrow(() => parseStackConfig(raw(peer({ holdTime: "0s" }))));
            assert.doesNotThrow(() => parseStackConfig(raw(peer({ holdTime: "3s" }))));
        });
        it("rejects a keepalive above the hold time", () => {
            expectProblem(peer({ holdTime: "9s", keepaliveTime: "10s" }), "metallb:bgp.peers[0].keepaliveTime", /above the hold time/);
            expectProblem(peer({ keepaliveTime: "2m" }), "metallb:bgp.peers[0].keepaliveTime", /default 90s/);
        });
        it("rejects a BFD profile that is not defined", () => {
            expectProblem(peer({ bfdProfile: "fast" }), "metallb:bgp.peers[0].bfdProfile", /BFD profile "fast", which is not defined/);
        });
        it("rejects a password in plain config, pointing at the secret key instead", () => {
            const found = problems(peer({ password: "hunter2" }));
            const p = found.find((x) => x.path === "metallb:bgp.peers[0].password");
            assert.ok(p, "password problem reported");
            assert.match(p.message, /pulumi config set --secret --path 'metallb:bgpPasswords\.tor-a'/);
            assert.ok(!found.some((x) => x.message.includes("hunter2")), "the password is never echoed");
        });
        it("rejects bgpPasswords that are not stored as a secret, without echoing them", () => {
            const found = problems({ ...peer({}), "metallb:bgpPasswords": { "tor-a": "s3cret-value" } });
            assert.ok(found.some((p) => p.path === "metallb:bgpPasswords.tor-a" && /plain text/.test(p.message)));
            assert.ok(!JSON.stringify(found).includes("s3cret-value"));
            assert.doesNotThrow(() => parseStackConfig(raw({ ...peer({}), "metallb:bgpPasswords": { "tor-a": "x" } }, ["metallb:bgpPasswords"])));
        });
        it("rejects options the native backend does not support", () => {
            expectProblem(
                { "metallb:bgpBackend": "native", "metallb:bgp": { peers: [{ ...PEER, keepaliveTime: "30s" }] } },
                "metallb:bgp.peers[0]",
                /keepaliveTime is not supported by the native BGP backend/,
            );
            expectProblem(
                { "metallb:bgpBackend": "native", "metallb:bgp": { peers: [PEER], bfdProfiles: [{ name: "b" }] } },
                "metallb:bgp.bfdProfiles",
                /not supported by the native BGP backend/,
            );
        });
    });

    describe("chart and backend", () => {
        it("rejects a chart version range", () => {
            for (const v of ["^0.16.1", "~0.16.1", "0.16.x", ">=0.16.1", "*"]) {
                expectProblem({ "metallb:chartVersion": v }, "metallb:chartVersion", /exact chart version/);
            }
        });
        it("rejects chart 0.16.0 and pre-0.16 charts", () => {
            expectProblem({ "metallb:chartVersion": "0.16.0" }, "metallb:chartVersion", /crash-loops/);
            expectProblem({ "metallb:chartVersion": "0.15.3" }, "metallb:chartVersion", /older than 0\.16\.1/);
        });
        it("rejects an unknown BGP backend and lists the valid ones", () => {
            expectProblem({ "metallb:bgpBackend": "frr" }, "metallb:bgpBackend", /native, frr-k8s/);
        });
    });

    it("reports every problem in one error, not only the first", () => {
        const found = problems({
            "metallb:chartVersion": "^0.16",
            "metallb:bgpBackend": "bird",
            "metallb:pools": [{ name: "a", addresses: ["10.0.0.1"] }],
            "metallb:l2Advertisements": [{ name: "l2", ipAddressPools: ["b"] }],
        });
        const paths = found.map((p) => p.path);
        for (const expected of [
            "metallb:chartVersion",
            "metallb:bgpBackend",
            "metallb:pools[0].addresses[0]",
            "metallb:l2Advertisements[0].ipAddressPools[0]",
        ]) {
            assert.ok(paths.includes(expected), `missing ${expected} in ${paths.join(", ")}`);
        }
        const err = new ConfigError(found);
        assert.match(err.message, /^Invalid stack configuration \(\d+ problems\):/);
    });
});

describe("parseStackConfig: monitoring, alerts and dashboard", () => {
    const ok = (values: Record<string, unknown>, secretKeys: string[] = []) => parseStackConfig(raw(values, secretKeys));

    it("defaults to installing kube-prometheus-stack 88.5.3 with release kube-prometheus-stack in monitoring", () => {
        const cfg = ok({ "monitoring:grafana": undefined });
        assert.strictEqual(cfg.monitoring.install, true);
        assert.strictEqual(cfg.monitoring.chartVersion, "88.5.3");
        assert.strictEqual(cfg.monitoring.releaseName, "kube-prometheus-stack");
        assert.strictEqual(cfg.monitoring.namespace, "monitoring");
        assert.strictEqual(cfg.alerts.poolUsageWarningPercent, 80);
        assert.strictEqual(cfg.dashboard.delivery, "configmap", "Grafana's sidecar loads the dashboard: it survives Grafana restarts");
        assert.ok(cfg.monitoring.install);
        assert.strictEqual(cfg.monitoring.grafana.service.type, "ClusterIP", "no Grafana on the LAN unless asked for");
        assert.strictEqual(cfg.monitoring.networkPolicies, true);
        assert.strictEqual(cfg.monitoring.nodeExporterNamespace, "node-exporter");
    });

    it("requires Grafana credentials and receiver secrets to be Pulumi secrets, without echoing them", () => {
        const found = problems({
            "monitoring:grafanaAdminPassword": "pw-in-clear",
            "monitoring:receivers": { slack: { channel: "#x" } },
            "monitoring:slackWebhookUrl": "https://hooks/xyz",
        });
        assert.ok(found.some((p) => p.path === "monitoring:grafanaAdminPassword" && /--secret/.test(p.message)));
        assert.ok(found.some((p) => p.path === "monitoring:slackWebhookUrl" && /--secret/.test(p.message)));
        assert.ok(!JSON.stringify(found).includes("pw-in-clear") && !JSON.stringify(found).includes("hooks/xyz"));
        assert.doesNotThrow(() =>
            ok({ "monitoring:grafanaAdminPassword": "x", "monitoring:receivers": { slack: { channel: "#x" } }, "monitoring:slackWebhookUrl": "y" }, [
                "monitoring:grafanaAdminPassword",
                "monitoring:slackWebhookUrl",
            ]),
        );
    });

    it("requires the credential of each configured receiver", () => {
        expectProblem({ "monitoring:receivers": { pagerduty: { enabled: true } } }, "monitoring:pagerdutyRoutingKey", /required for the PagerDuty receiver/);
        expectProblem({ "monitoring:receivers": { slack: { channel: "#x" } } }, "monitoring:slackWebhookUrl", /required for the Slack receiver/);
    });

    it("checks a LoadBalancer Grafana's address against the pools", () => {
        const lb = { type: "LoadBalancer", loadBalancerSourceRanges: ["192.168.1.0/24"] };
        expectProblem({ "monitoring:grafana": { service: { ...lb, address: "10.9.9.9" } } }, "monitoring:grafana.service.address", /not inside any pool/);
        expectProblem(
            { "monitoring:grafana": { service: { ...lb, pool: "nope", address: "192.168.1.250" } } },
            "monitoring:grafana.service.pool",
            /pool "nope"/,
        );
        assert.doesNotThrow(() => ok({ "monitoring:grafana": {} }));
    });

    it("refuses the API delivery to the installed Grafana: its sidecar loads the ConfigMap, no admin login leaves the cluster", () => {
        expectProblem(
            { "monitoring:grafana": {}, "dashboard:delivery": "grafana-api" },
            "dashboard:delivery",
            /only for a Grafana this program does not install.*ConfigMap/,
        );
        expectProblem({ "monitoring:grafana": { url: "http://localhost:3000" } }, "monitoring:grafana.url", /no longer read/);
    });

    it("needs the existing stack's endpoints when it does not install one", () => {
        expectProblem({ "monitoring:install": false }, "monitoring:existing", /required when monitoring:install is false/);
        const existing = {
            selectorLabels: { release: "prom" },
            prometheusServiceAccount: { namespace: "obs", name: "prom" },
            prometheusUrl: "http://prom.obs:9090",
            grafanaUrl: "https://grafana.example.org",
        };
        const api = { "monitoring:install": false, "monitoring:grafana": undefined, "dashboard:delivery": "grafana-api" };
        expectProblem({ ...api, "monitoring:existing": existing }, "monitoring:grafanaAuth", /required to push the dashboard.*service-account token/);
        const cfg = ok({ ...api, "monitoring:existing": existing, "monitoring:grafanaAuth": "glsa_token" }, ["monitoring:grafanaAuth"]);
        assert.ok(!cfg.monitoring.install);
        assert.deepStrictEqual(cfg.monitoring.existing.selectorLabels, { release: "prom" });
    });

    it("pushes to an existing Grafana only with a service-account token, over https or a loopback port-forward", () => {
        const existing = {
            selectorLabels: { release: "prom" },
            prometheusServiceAccount: { namespace: "obs", name: "prom" },
            prometheusUrl: "http://prom.obs:9090",
        };
        const api = { "monitoring:install": false, "monitoring:grafana": undefined, "dashboard:delivery": "grafana-api", "monitoring:grafanaAuth": "glsa_abc" };
        const secret = ["monitoring:grafanaAuth"];
        const login = expectProblem(
            { ...api, "monitoring:existing": { ...existing, grafanaUrl: "https://g.example" }, "monitoring:grafanaAuth": "admin:pw-xyz" },
            "monitoring:grafanaAuth",
            /service-account token, not user:password/,
            secret,
        );
        assert.doesNotMatch(login.message, /pw-xyz/, "never echoes the credential");
        expectProblem(
            { ...api, "monitoring:existing": { ...existing, grafanaUrl: "http://grafana.lan" } },
            "monitoring:existing.grafanaUrl",
            /must be https/,
            secret,
        );
        for (const url of ["https://grafana.example.org", "http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
            assert.doesNotThrow(() => ok({ ...api, "monitoring:existing": { ...existing, grafanaUrl: url } }, secret), url);
        }
    });

    it("validates sizes, durations and thresholds", () => {
        expectProblem({ "monitoring:prometheus": { retention: "two weeks" } }, "monitoring:prometheus.retention", /Prometheus duration/);
        expectProblem({ "monitoring:prometheus": { retentionSize: "45G" } }, "monitoring:prometheus.retentionSize", /45GB/);
        expectProblem({ "monitoring:prometheus": { storage: { size: "lots" } } }, "monitoring:prometheus.storage.size", /quantity/);
        expectProblem({ "monitoring:chartVersion": "~88" }, "monitoring:chartVersion", /exact chart version/);
        expectProblem({ "alerts:poolUsageWarningPercent": 96 }, "alerts:poolUsageWarningPercent", /below poolUsageCriticalPercent/);
        expectProblem({ "alerts:excludePools": ["ghost"] }, "alerts:excludePools[0]", /pool "ghost"/);
        expectProblem({ "alerts:for": { poolUsage: "ten minutes" } }, "alerts:for.poolUsage", /Prometheus duration/);
        expectProblem({ "dashboard:delivery": "email" }, "dashboard:delivery", /grafana-api, configmap, none/);
    });
});
