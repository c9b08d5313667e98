import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { registered } from "../../support/pulumi";
import { decodeConfigValue } from "../../../lib/config/load";
import { stackConfigHelpers } from "./helpers";

/**
 * What a new user runs into with the stack config: each mistake is refused with its key path,
 * what is wrong (with the value given) and what would be valid, all problems in one message.
 */

const POOL = { name: "default", addresses: ["192.168.1.240/28"] };
const BASE = {
    "metallb:pools": [POOL],
    "metallb:l2Advertisements": [{ name: "default" }],
    "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
};

const { problems, expectProblem: one, ok } = stackConfigHelpers(BASE);

describe("stack config as a new user writes it", () => {
    describe("misspelt namespaces and keys", () => {
        for (const [key, suggestion] of [
            ["alert:poolUsageWarningPercent", "alerts:poolUsageWarningPercent"],
            ["dashboards:delivery", "dashboard:delivery"],
            ["monitor:install", "monitoring:install"],
            ["Metallb:bgpBackend", "metallb:bgpBackend"],
            ["metallb-observability:pools", "metallb:pools"],
            ["metallb-observability:install", "monitoring:install"],
        ]) {
            it(`refuses ${key} with "did you mean ${suggestion}"`, () => {
                one({ [key]: 1 }, key, new RegExp(`did you mean ${suggestion.replace(/[.]/g, "\\.")}\\?`));
            });
        }
        it("leaves other namespaces alone (kubernetes:, pulumi:, grafana:)", () => {
            assert.doesNotThrow(() => ok({ "kubernetes:context": "lab", "pulumi:tags": null, "grafana:url": "http://x" }));
        });
        it('refuses a misspelt key with "did you mean autoAssign"', () => {
            one({ "metallb:pools": [{ ...POOL, autoassign: false }] }, "metallb:pools[0].autoassign", /did you mean "autoAssign"\?/);
        });
        it("lists the valid keys when nothing is close", () => {
            one({ "metallb:pools": [{ ...POOL, colour: "red" }] }, "metallb:pools[0].colour", /valid here: name, addresses, autoAssign/);
        });
    });

    describe("values of the wrong type say so and show the value", () => {
        it('"80%" is not a number', () => {
            const p = one({ "alerts:poolUsageWarningPercent": "80%" }, "alerts:poolUsageWarningPercent", /must be a number, not the string "80%"/);
            assert.doesNotMatch(p.message, /required/);
        });
        it("a string where a list is expected", () => {
            const p = one(
                { "metallb:pools": [{ name: "a", addresses: "192.168.1.240/28" }] },
                "metallb:pools[0].addresses",
                /must be a list, not the string "192\.168\.1\.240\/28"/,
            );
            assert.doesNotMatch(p.message, /required/);
        });
        it("a missing required key says it is required", () => {
            one({ "metallb:pools": undefined }, "metallb:pools", /is required but not set/);
        });
        it("accepts cpu: 0.5 as a quantity", () => {
            const cfg = ok({ "monitoring:prometheus": { resources: { requests: { cpu: 0.5, memory: "2Gi" } } } });
            assert.ok(cfg.monitoring.install);
            assert.strictEqual(cfg.monitoring.prometheus.resources?.requests?.cpu, "0.5");
        });
        it("keeps an all-digit secret a string, and hands it out as a secret Output", async () => {
            const value = decodeConfigValue("0123456", "monitoring:pagerdutyRoutingKey");
            const cfg = ok({ "monitoring:receivers": { pagerduty: {} }, "monitoring:pagerdutyRoutingKey": value }, ["monitoring:pagerdutyRoutingKey"]);
            assert.ok(cfg.monitoring.install && cfg.monitoring.receivers.pagerduty);
            const key = cfg.monitoring.receivers.pagerduty.routingKey;
            assert.ok(pulumi.Output.isInstance(key));
            assert.ok(await (key as unknown as { isSecret: Promise<boolean> }).isSecret);
            assert.strictEqual(await new Promise((resolve) => key.apply(resolve)), "0123456");
        });
        it("never shows a secret's value, even when its type is wrong", () => {
            const found = problems({ "monitoring:grafanaAdminPassword": { pin: 31337 } }, ["monitoring:grafanaAdminPassword"]);
            assert.ok(found.some((p) => p.path === "monitoring:grafanaAdminPassword"));
            assert.ok(!JSON.stringify(found).includes("31337"));
        });
    });

    describe("settings without effect in the chosen mode", () => {
        const existing = {
            selectorLabels: { release: "kps" },
            prometheusServiceAccount: { namespace: "obs", name: "prom" },
            prometheusUrl: "http://prom.obs:9090",
        };
        it("monitoring:prometheus with install: false", () => {
            one(
                {
                    "monitoring:install": false,
                    "monitoring:grafana": undefined,
                    "monitoring:existing": existing,
                    "dashboard:delivery": "configmap",
                    "monitoring:prometheus": { retention: "30d" },
                },
                "monitoring:prometheus",
                /no effect with monitoring:install false/,
            );
        });
        it("dashboard:folder with ConfigMap delivery", () => {
            one({ "dashboard:delivery": "configmap", "dashboard:folder": "Network" }, "dashboard:folder", /no effect with dashboard:delivery configmap/);
        });
        it("dashboard:folderUid with ConfigMap delivery, dashboard:uid with none", () => {
            one({ "dashboard:delivery": "configmap", "dashboard:folderUid": "net" }, "dashboard:folderUid", /no effect with dashboard:delivery configmap/);
            one({ "dashboard:delivery": "none", "dashboard:uid": "metallb-lab" }, "dashboard:uid", /no effect with dashboard:delivery none/);
        });
        it("a pool or address for a ClusterIP Grafana Service", () => {
            const values = {
                "monitoring:grafana": { service: { type: "ClusterIP", pool: "default", address: "192.168.1.250", loadBalancerSourceRanges: ["10.0.0.0/8"] } },
            };
            one(values, "monitoring:grafana.service.pool", /no effect with a ClusterIP Service/);
            one(values, "monitoring:grafana.service.address", /no effect with a ClusterIP Service/);
            one(values, "monitoring:grafana.service.loadBalancerSourceRanges", /no effect with a ClusterIP Service/);
        });
        it("a LoadBalancer Grafana without source ranges, or next to an Ingress", () => {
            one(
                { "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.250" } } },
                "monitoring:grafana.service.loadBalancerSourceRanges",
                /is required with a LoadBalancer Service/,
            );
            one(
                {
                    "monitoring:grafana": {
                        service: { type: "LoadBalancer", loadBalancerSourceRanges: ["0.0.0.0/0"] },
                        ingress: { className: "nginx", host: "grafana.example.com", tlsSecretName: "grafana-tls" },
                    },
                },
                "monitoring:grafana.ingress",
                /second way/,
            );
            one(
                { "monitoring:grafana": { service: { type: "LoadBalancer", loadBalancerSourceRanges: ["192.168.1.7"] } } },
                "monitoring:grafana.service.loadBalancerSourceRanges[0]",
                /is not a CIDR/,
            );
        });
        it("an Ingress without its TLS Secret", () => {
            one(
                { "monitoring:grafana": { ingress: { className: "nginx", host: "grafana.example.com" } } },
                "monitoring:grafana.ingress.tlsSecretName",
                /required/,
            );
        });
        it("a smoke test without source ranges", () => {
            one({ "metallb:smokeTest": { enabled: true } }, "metallb:smokeTest.loadBalancerSourceRanges", /is required with smokeTest.enabled/);
        });
        it("node-exporter in the monitoring namespace", () => {
            one({ "monitoring:nodeExporterNamespace": "monitoring" }, "monitoring:nodeExporterNamespace", /must differ from monitoring:namespace/);
        });
        it("an empty selector label set of an existing stack", () => {
            one(
                {
                    "monitoring:install": false,
                    "monitoring:grafana": undefined,
                    "dashboard:delivery": "configmap",
                    "monitoring:existing": { ...existing, selectorLabels: {} },
                },
                "monitoring:existing.selectorLabels",
                /at least one label/,
            );
        });
    });

    describe("addresses", () => {
        it("refuses a pool entry with host bits, naming the network it meant", () => {
            one({ "metallb:pools": [{ name: "a", addresses: ["10.30.3.5/28"] }] }, "metallb:pools[0].addresses[0]", /the network is 10\.30\.3\.0\/28/);
        });
        it("refuses Grafana's address in a pool no advertisement announces, naming the pool", () => {
            one({ "metallb:l2Advertisements": [] }, "monitoring:grafana.service.address", /pool "default", which no L2 or BGP advertisement announces/);
        });
        it("refuses .0 and .255 in an avoidBuggyIPs pool", () => {
            const pools = [{ name: "edge", addresses: ["10.9.0.0/24"], avoidBuggyIPs: true }];
            one(
                {
                    "metallb:pools": pools,
                    "monitoring:grafana": { service: { type: "LoadBalancer", address: "10.9.0.255", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
                },
                "monitoring:grafana.service.address",
                /ends in \.0 or \.255.*avoidBuggyIPs/,
            );
            one({ "metallb:pools": pools, "metallb:smokeTest": { enabled: true, address: "10.9.0.0" } }, "metallb:smokeTest.address", /ends in \.0 or \.255/);
        });
        it("refuses the smoke test and Grafana on the same address", () => {
            one(
                { "metallb:smokeTest": { enabled: true, address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
                "monitoring:grafana.service.address",
                /also metallb:smokeTest\.address/,
            );
        });
        it("refuses the smoke test's address in a pool no advertisement announces", () => {
            const pools = [POOL, { name: "later", addresses: ["10.8.0.0/28"] }];
            one(
                {
                    "metallb:pools": pools,
                    "metallb:l2Advertisements": [{ name: "l2", ipAddressPools: ["default"] }],
                    "metallb:smokeTest": { enabled: true, address: "10.8.0.2" },
                },
                "metallb:smokeTest.address",
                /pool "later", which no L2 or BGP advertisement announces/,
            );
        });
        it("warns, naming the pool, when a fixed address lies in an autoAssign pool", () => {
            const cfg = ok({});
            assert.ok(cfg.warnings.some((w) => w.path === "monitoring:grafana.service.address" && /pool "default" with autoAssign: true/.test(w.message)));
            const reserved = ok({ "metallb:pools": [{ ...POOL, autoAssign: false }] });
            assert.deepStrictEqual(reserved.warnings, []);
        });
        it("warns at preview about a pool no advertisement announces, naming it", () => {
            const cfg = ok({
                "metallb:pools": [POOL, { name: "later", addresses: ["10.8.0.0/28"] }],
                "metallb:l2Advertisements": [{ name: "l2", ipAddressPools: ["default"] }],
            });
            assert.ok(cfg.warnings.some((w) => w.path === "metallb:pools[1]" && /pool "later" is announced by no L2 or BGP advertisement/.test(w.message)));
        });
    });

    describe("one message, no cascade", () => {
        it("a broken pool list gives one problem, not follow-ups about the pools it names", () => {
            const found = problems({
                "metallb:pools": "192.168.1.240/28",
                "metallb:l2Advertisements": [{ name: "l2", ipAddressPools: ["default"] }],
                "alerts:excludePools": ["default"],
            });
            assert.deepStrictEqual(
                found.map((p) => p.path),
                ["metallb:pools"],
            );
        });
        it("a type error in one namespace does not hold back another namespace's own problems", () => {
            const found = problems({ "alerts:poolUsageWarningPercent": "80%", "dashboard:delivery": "configmap", "dashboard:folder": "Network" });
            assert.deepStrictEqual(
                found.map((p) => p.path),
                ["alerts:poolUsageWarningPercent", "dashboard:folder"],
            );
        });
        it("stops the program with every problem in one message, no stack trace, nothing registered", async () => {
            const programResources = async () => (await Promise.all(["metallb", "address-pools", "monitoring"].map(registered))).flat().length;
            const before = await programResources();
            const saved = pulumi.runtime.allConfig();
            pulumi.runtime.setAllConfig(
                {
                    "metallb:pools": JSON.stringify([{ name: "a", addresses: ["10.30.3.5/28"], autoassign: true }]),
                    "alert:poolUsageWarningPercent": "80",
                },
                [],
            );
            try {
                assert.throws(
                    () => require("../../../index"),
                    (err: Error) => {
                        assert.ok(err instanceof pulumi.RunError, "a RunError: Pulumi prints its message without a stack trace");
                        assert.match(err.message, /^Invalid stack configuration \(3 problems\):/);
                        for (const path of ["alert:poolUsageWarningPercent", "metallb:pools[0].addresses[0]", "metallb:pools[0].autoassign"]) {
                            assert.ok(err.message.includes(`- ${path}:`), `${path} in\n${err.message}`);
                        }
                        assert.doesNotMatch(err.message, /\n\s+at /);
                        return true;
                    },
                );
            } finally {
                pulumi.runtime.setAllConfig(saved, []);
            }
            assert.strictEqual(await programResources(), before, "nothing registered");
        });
    });
});
