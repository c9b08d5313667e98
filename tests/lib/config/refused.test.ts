import * as assert from "assert";
import { parseStackConfig } from "../../../lib/config/load";
import { stackConfigHelpers } from "./helpers";

/** The smallest valid stack: one pool announced over L2. */
const POOL = { name: "default", addresses: ["192.168.1.240-192.168.1.250"] };
const BASE = { "metallb:pools": [POOL], "metallb:l2Advertisements": [{ name: "default" }] };
const { problems, expectProblem, ok } = stackConfigHelpers(BASE);

/** Every message of a refused config, one per line. */
const messages = (values: Record<string, unknown>, secretKeys: string[] = []) =>
    problems(values, secretKeys)
        .map((p) => `${p.path}: ${p.message}`)
        .join("\n");

const pools = (...addresses: string[]) => ({ "metallb:pools": [POOL, { name: "extra", addresses }] });

describe("dangerous input is refused before anything is created", () => {
    describe("pools", () => {
        for (const [entry, what] of [
            ["0.0.0.0/0", /unspecified/],
            ["::/0", /unspecified/],
            ["127.0.0.0/24", /loopback/],
            ["::1/128", /loopback/],
            ["169.254.169.254/32", /link-local 169\.254\.0\.0\/16 \(holds the cloud metadata address/],
            ["169.254.0.0/16", /link-local/],
            ["fe80::/64", /link-local fe80::\/10/],
            ["224.0.0.0/24", /multicast/],
            ["ff02::1-ff02::10", /multicast/],
            ["255.255.255.255/32", /broadcast/],
            ["10.0.0.0-169.254.169.254", /loopback 127\.0\.0\.0\/8 and link-local 169\.254/],
        ] as const) {
            it(`refuses ${entry} (special-purpose addresses), naming the entry and what is valid`, () => {
                expectProblem(pools(entry), "metallb:pools[1].addresses[0]", what);
                assert.match(messages(pools(entry)), /a pool must hold only addresses MetalLB may give to Services/);
            });
        }

        it("refuses pools broader than /16 (IPv4) or /56 (IPv6) unless the limit is lowered", () => {
            expectProblem(pools("10.0.0.0/8"), "metallb:pools[1].addresses[0]", /holds 16777216 addresses, more than a \/16 .*lower metallb:poolPrefixLimit/);
            expectProblem(pools("10.0.0.0-10.2.0.0"), "metallb:pools[1].addresses[0]", /more than a \/16/);
            expectProblem(pools("fd00::/48"), "metallb:pools[1].addresses[0]", /more than a \/56/);
            assert.doesNotThrow(() => ok(pools("10.10.0.0/16", "fd00::/56")));
            assert.doesNotThrow(() => ok({ ...pools("10.0.0.0/8"), "metallb:poolPrefixLimit": { ipv4: 8 } }));
        });

        it("refuses IPv6 zone indices in pools and peers", () => {
            expectProblem(pools("fd00::1%eth0/128"), "metallb:pools[1].addresses[0]", /zone index/);
            expectProblem(
                { "metallb:bgp": { peers: [{ name: "r", myASN: 64512, peerASN: 64500, peerAddress: "fd00::1%eth0" }] } },
                "metallb:bgp.peers[0].peerAddress",
                /zone index/,
            );
        });
    });

    describe("alert settings", () => {
        it("refuses a selector that is not a plain label value (it would rewrite the rules' matchers)", () => {
            for (const bad of ['kube-state-metrics",job="x', "ksm}", "a|b", "k.*", "x\\"]) {
                expectProblem({ "alerts:selectors": { kubeStateMetricsJob: bad } }, "alerts:selectors.kubeStateMetricsJob", /must be a plain label value/);
            }
            expectProblem({ "alerts:selectors": { namespace: 'metallb",x="y' } }, "alerts:selectors.namespace", /Kubernetes namespace name/);
            assert.doesNotThrow(() => ok({ "alerts:selectors": { kubeStateMetricsJob: "monitoring/kube-state-metrics", speakerJob: "metallb_speaker.v2" } }));
        });

        it("refuses a cluster label the rules already use or that Prometheus refuses", () => {
            for (const used of ["job", "namespace", "instance", "pod", "service", "node", "pool", "peer", "ip", "vrf"]) {
                expectProblem({ "alerts:clusterLabel": used }, "alerts:clusterLabel", /is a label the rules already use/);
            }
            expectProblem({ "alerts:clusterLabel": "my-cluster" }, "alerts:clusterLabel", /Prometheus label name/);
            expectProblem({ "alerts:clusterLabel": "__cluster" }, "alerts:clusterLabel", /reserved/);
            assert.strictEqual(ok({ "alerts:clusterLabel": "cluster" }).alerts.clusterLabel, "cluster");
        });

        it("refuses a `for` that holds a critical alert back for more than an hour; warnings may wait longer", () => {
            expectProblem({ "alerts:for": { poolExhausted: "2h" } }, "alerts:for.poolExhausted", /critical alert for longer than 1h/);
            expectProblem({ "alerts:for": { controllerDown: "61m" } }, "alerts:for.controllerDown", /longer than 1h/);
            assert.doesNotThrow(() => ok({ "alerts:for": { poolExhausted: "1h", poolUsage: "6h" } }));
        });

        it("refuses a runbook URL that is not http(s)", () => {
            expectProblem({ "alerts:runbookBaseUrl": "javascript:alert(1)" }, "alerts:runbookBaseUrl", /must be an http:\/\/ or https:\/\/ URL/);
            expectProblem({ "alerts:runbookBaseUrl": "file:///etc/runbooks" }, "alerts:runbookBaseUrl", /http/);
        });
    });

    describe("labels and names", () => {
        it("refuses external labels Prometheus refuses and object labels Kubernetes refuses", () => {
            expectProblem({ "monitoring:externalLabels": { "my-cluster": "a" } }, "monitoring:externalLabels.my-cluster", /must be a Prometheus label name/);
            const labelled = (labels: Record<string, string>) => ({ "metallb:pools": [{ ...POOL, labels }] });
            assert.match(messages(labelled({ "bad key!": "x" })), /metallb:pools\[0\]\.labels.*not a valid Kubernetes label key/);
            assert.match(messages(labelled({ zone: "a b" })), /metallb:pools\[0\]\.labels\.zone: is not a valid Kubernetes label value/);
            assert.match(messages(labelled({ zone: "x".repeat(64) })), /label value/);
            assert.doesNotThrow(() => ok(labelled({ "example.com/zone": "rack-1", tier: "" })));
        });

        it("refuses a BGP peer name whose password Secret name would exceed Kubernetes' 253 characters", () => {
            const name = `p${"e".repeat(245)}`;
            const peer = { name, myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1" };
            expectProblem(
                { "metallb:bgp": { peers: [peer] }, "metallb:bgpPasswords": { [name]: "pw" } },
                `metallb:bgpPasswords.${name}`,
                /Kubernetes allows 253/,
                ["metallb:bgpPasswords"],
            );
        });

        it("refuses a MetalLB release name whose derived object names exceed Kubernetes' limits", () => {
            expectProblem({ "metallb:releaseName": "m".repeat(50) }, "metallb:releaseName", /is too long: .*Service name .*at most 63/);
            assert.doesNotThrow(() => ok({ "metallb:releaseName": "m".repeat(30) }));
        });
    });

    describe("URLs", () => {
        it("refuses chart repositories that are not https or oci", () => {
            expectProblem({ "metallb:chartRepository": "http://charts.example.org" }, "metallb:chartRepository", /https:\/\/ or oci:\/\//);
            expectProblem({ "monitoring:chartRepository": "http://charts.example.org" }, "monitoring:chartRepository", /https:\/\/ or oci:\/\//);
            assert.doesNotThrow(() => ok({ "monitoring:chartRepository": "oci://ghcr.io/prometheus-community/charts" }));
        });

        it("refuses credentials sent over plain http to another host (remote write, Grafana)", () => {
            const rw = (url: string) => ({
                "monitoring:remoteWrite": [{ name: "m", url, auth: "bearer" }],
                "monitoring:remoteWriteCredentials": { m: "t0ken-value" },
            });
            expectProblem(rw("http://mimir.example/api/v1/push"), "monitoring:remoteWrite[0].url", /plain http to mimir\.example/, [
                "monitoring:remoteWriteCredentials",
            ]);
            assert.doesNotThrow(() => ok(rw("http://127.0.0.1:9009/api/v1/push"), ["monitoring:remoteWriteCredentials"]));
            assert.doesNotThrow(() => ok({ "monitoring:remoteWrite": [{ name: "m", url: "http://mimir.example/api/v1/push" }] }), "no credentials, no problem");
        });

        const CREDENTIAL_URLS = [
            "https://user:hunter2@mimir.example/api/v1/push",
            "https://mimir.example/api/v1/push?token=abc123",
            "https://gitlab.example/api/v4/x?private_token=abc123",
            "https://bucket.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc123",
            "https://hooks.slack.com/services/T000/B000/abc123",
        ];
        for (const url of CREDENTIAL_URLS) {
            it(`refuses a credential in a plain URL setting with the command that encrypts it: ${url.replace(/abc123|hunter2/, "…")}`, () => {
                const p = expectProblem(
                    { "monitoring:remoteWrite": [{ name: "m", url }] },
                    "monitoring:remoteWrite[0].url",
                    /in plain text .*pulumi config set --secret --path 'monitoring:remoteWrite\[0\]\.url' <value>/,
                );
                const all = messages({ "monitoring:remoteWrite": [{ name: "m", url }] });
                assert.ok(!all.includes("abc123") && !all.includes("hunter2"), all);
                assert.ok(p);
                // Encrypted (leaf by leaf, as the stack file shows it), the same URL is accepted and flows as a secret.
                const cfg = parseStackConfig({
                    values: { ...BASE, "monitoring:remoteWrite": [{ name: "m", url }] },
                    secretKeys: new Set(["monitoring:remoteWrite"]),
                    secureLeaves: new Set(["monitoring:remoteWrite[0].url"]),
                });
                assert.deepStrictEqual(cfg.secretValues, [url]);
            });
        }

        it("never echoes a credential-looking value given at a wrong key or of a wrong type", () => {
            const hook = "https://hooks.slack.com/services/T000/B000/s3cr3tpath";
            const all = messages({
                "monitoring:receivers": { slack: { channel: 42, webhook: hook } },
                "alerts:bgpFlapChanges": hook,
                "alerts:selectors": { apiserverJob: hook },
            });
            assert.match(all, /alerts:bgpFlapChanges/);
            assert.ok(!all.includes("s3cr3tpath"), all);
        });

        it("never echoes a secret value in a message, whatever the check", () => {
            const all = messages({ "alerts:runbookBaseUrl": "ftp://wiki-s3cr3t.example/runbooks" }, ["alerts:runbookBaseUrl"]);
            assert.match(all, /alerts:runbookBaseUrl/);
            assert.ok(!all.includes("s3cr3t"), all);
            // Checks that quote what they refuse (an address entry, the host of a URL) do not quote a secret.
            const pools = messages({ "metallb:pools": [{ name: "default", addresses: ["10.9.8.7"] }] }, ["metallb:pools"]);
            assert.match(pools, /metallb:pools\[0\]\.addresses\[0\]: "\[secret\]" is a bare IP address/);
            assert.ok(!pools.includes("10.9.8.7"), pools);
            const existing = {
                "monitoring:install": false,
                "monitoring:existing": {
                    selectorLabels: { release: "kps" },
                    prometheusServiceAccount: { namespace: "monitoring", name: "prometheus" },
                    prometheusUrl: "https://prometheus.example.org",
                    grafanaUrl: "http://graf-s3cr3t.example",
                },
                "monitoring:grafanaAuth": "glsa_token",
                "dashboard:delivery": "grafana-api",
            };
            const http = problems(existing, ["monitoring:grafanaAuth"]);
            assert.ok(
                http.some((p) => p.path === "monitoring:existing.grafanaUrl" && /s3cr3t/.test(p.message)),
                "a plain URL is quoted (the check names the host it refuses)",
            );
            const hidden = messages(existing, ["monitoring:grafanaAuth", "monitoring:existing"]);
            assert.match(hidden, /monitoring:existing\.grafanaUrl: must be https .*\[secret\]/);
            assert.ok(!hidden.includes("s3cr3t"), hidden);
        });
    });
});
