import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { decodeConfigValue, parseStackConfig, RawConfig } from "../../../lib/config/load";
import { ConfigError, Problem } from "../../../lib/util/problems";
import { findStackFile, loadStackConfig, useStackFile } from "../../../lib/config/runtime";
import { secureLeafPaths, stackFileKeys } from "../../../lib/config/secrets";
import { readStackFile } from "../../../scripts/render/stackFile";

const PROJECT = "metallb-observability";
const SECURE = { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB" };
const PEERS = [
    { name: "tor-a", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1" },
    { name: "tor-b", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.2" },
];

/** A whole stack file: one pool, Grafana reachable on it, two BGP peers, both receivers. */
function stackYaml(overrides: Record<string, unknown>): string {
    return stringify({
        config: {
            "metallb:pools": [{ name: "default", addresses: ["192.168.1.240-192.168.1.250"] }],
            "metallb:l2Advertisements": [{ name: "default" }],
            "metallb:bgp": { peers: PEERS },
            "metallb:bgpPasswords": { "tor-a": SECURE, "tor-b": SECURE },
            "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.250", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
            "monitoring:receivers": { pagerduty: { enabled: true }, slack: { channel: "#alerts" }, heartbeat: {} },
            "monitoring:remoteWrite": [
                { name: "mimir", url: "https://mimir.example/api/v1/push", auth: "basic", username: "tenant-1" },
                { name: "thanos", url: "https://thanos.example/api/v1/receive", auth: "bearer" },
            ],
            "monitoring:remoteWriteCredentials": { mimir: SECURE, thanos: SECURE },
            "monitoring:grafanaAdminPassword": SECURE,
            "monitoring:pagerdutyRoutingKey": SECURE,
            "monitoring:slackWebhookUrl": SECURE,
            "monitoring:heartbeatUrl": SECURE,
            ...overrides,
        },
    });
}

/** The config as the offline render (and `pulumi up` beside a stack file) sees it. */
function fromStackFile(text: string): RawConfig {
    const { config, secretKeys } = readStackFile(text, PROJECT);
    return {
        values: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, decodeConfigValue(v, k)])),
        secretKeys: new Set(secretKeys),
        secureLeaves: secureLeafPaths(text, PROJECT),
    };
}

function problemsOf(raw: RawConfig): Problem[] {
    try {
        parseStackConfig(raw);
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return [...err.problems];
    }
    return [];
}

describe("secret keys: every leaf is checked on its own", () => {
    it("accepts the fully encrypted stack file", () => {
        assert.deepStrictEqual(problemsOf(fromStackFile(stackYaml({}))), []);
    });

    it("lists the secure leaves of a stack file by their --path", () => {
        const leaves = secureLeafPaths(stackYaml({ "metallb:bgpPasswords": { "tor-a": "plain", "tor.b": SECURE } }), PROJECT);
        assert.ok(leaves.has('metallb:bgpPasswords["tor.b"]'));
        assert.ok(!leaves.has("metallb:bgpPasswords.tor-a"));
        assert.ok(leaves.has("monitoring:grafanaAdminPassword"));
    });

    it("refuses a plaintext BGP password beside an encrypted one, naming its path and the command", () => {
        const found = problemsOf(fromStackFile(stackYaml({ "metallb:bgpPasswords": { "tor-a": "plaintext-pw", "tor-b": SECURE } })));
        assert.deepStrictEqual(
            found.map((p) => p.path),
            ["metallb:bgpPasswords.tor-a"],
        );
        assert.match(found[0].message, /pulumi config set --secret --path 'metallb:bgpPasswords\.tor-a' <value>/);
        assert.ok(!JSON.stringify(found).includes("plaintext-pw"), "the value is never echoed");
    });

    it("accepts a map encrypted as one value (pulumi config set --secret key '{...}')", () => {
        for (const key of ["metallb:bgpPasswords", "monitoring:remoteWriteCredentials"]) {
            const text = stackYaml({ [key]: SECURE });
            const raw = fromStackFile(text);
            // What the runtime hands the program once it has decrypted the value.
            const decrypted = key === "metallb:bgpPasswords" ? { "tor-a": "pw-a", "tor-b": "pw-b" } : { mimir: "token-1", thanos: "token-2" };
            assert.deepStrictEqual(problemsOf({ ...raw, values: { ...raw.values, [key]: decrypted }, secretKeys: new Set([...raw.secretKeys, key]) }), [], key);
        }
    });

    it("refuses a plaintext remote-write credential beside an encrypted one", () => {
        const found = problemsOf(fromStackFile(stackYaml({ "monitoring:remoteWriteCredentials": { mimir: SECURE, thanos: "plaintext-token" } })));
        assert.deepStrictEqual(
            found.map((p) => p.path),
            ["monitoring:remoteWriteCredentials.thanos"],
        );
        assert.match(found[0].message, /pulumi config set --secret --path 'monitoring:remoteWriteCredentials\.thanos' <value>/);
        assert.ok(!JSON.stringify(found).includes("plaintext-token"));
    });

    for (const key of ["monitoring:grafanaAdminPassword", "monitoring:pagerdutyRoutingKey", "monitoring:slackWebhookUrl", "monitoring:heartbeatUrl"]) {
        it(`refuses ${key} in plain text while the other secrets are encrypted`, () => {
            const found = problemsOf(fromStackFile(stackYaml({ [key]: "plaintext-value" })));
            assert.deepStrictEqual(
                found.map((p) => p.path),
                [key],
            );
            assert.match(found[0].message, new RegExp(`pulumi config set --secret --path '${key}' <value>`));
            assert.ok(!JSON.stringify(found).includes("plaintext-value"));
        });
    }

    it("refuses monitoring:grafanaAuth in plain text (existing Grafana) beside encrypted receivers", () => {
        const text = stackYaml({
            "monitoring:install": false,
            "monitoring:existing": {
                selectorLabels: { release: "kps" },
                prometheusServiceAccount: { namespace: "monitoring", name: "prometheus" },
                prometheusUrl: "http://prometheus.monitoring:9090",
                grafanaUrl: "https://grafana.example.org",
            },
            "monitoring:grafana": undefined,
            "monitoring:receivers": undefined,
            "monitoring:remoteWrite": undefined,
            "monitoring:remoteWriteCredentials": undefined,
            "monitoring:grafanaAdminPassword": undefined,
            "monitoring:pagerdutyRoutingKey": undefined,
            "monitoring:slackWebhookUrl": undefined,
            "monitoring:heartbeatUrl": undefined,
            "monitoring:grafanaAuth": "glsa_plaintext-value",
        });
        const found = problemsOf(fromStackFile(text));
        assert.deepStrictEqual(
            found.map((p) => p.path),
            ["monitoring:grafanaAuth"],
        );
        assert.ok(!JSON.stringify(found).includes("plaintext-value"));
    });

    it("without a stack file, checks the runtime's top-level flag for each leaf", () => {
        const values = {
            "metallb:pools": [{ name: "default", addresses: ["192.168.1.240/28"] }],
            "metallb:l2Advertisements": [{ name: "default" }],
            "monitoring:grafana": { service: { type: "LoadBalancer", address: "192.168.1.241", loadBalancerSourceRanges: ["192.168.1.0/24"] } },
        };
        const raw = (secret: string[]): RawConfig => ({
            values: { ...values, "metallb:bgp": { peers: PEERS }, "metallb:bgpPasswords": { "tor-a": "x", "tor-b": "y" } },
            secretKeys: new Set(secret),
        });
        assert.deepStrictEqual(
            problemsOf(raw([])).map((p) => p.path),
            ["metallb:bgpPasswords.tor-a", "metallb:bgpPasswords.tor-b"],
        );
        assert.deepStrictEqual(problemsOf(raw(["metallb:bgpPasswords"])), []);
    });

    it("checks a secret that comes from elsewhere (an ESC environment) by the runtime's flag, not the stack file", () => {
        const text = stackYaml({ "monitoring:grafanaAdminPassword": undefined });
        const raw = fromStackFile(text);
        const fromEsc = (secret: string[]): RawConfig => ({
            ...raw,
            values: { ...raw.values, "monitoring:grafanaAdminPassword": "from-esc" },
            secretKeys: new Set([...raw.secretKeys, ...secret]),
            stackFileKeys: stackFileKeys(text, PROJECT),
        });
        assert.deepStrictEqual(problemsOf(fromEsc(["monitoring:grafanaAdminPassword"])), []);
        assert.deepStrictEqual(
            problemsOf(fromEsc([])).map((p) => p.path),
            ["monitoring:grafanaAdminPassword"],
        );
    });

    it("keeps an all-digit secret a string", () => {
        assert.strictEqual(decodeConfigValue("0123456", "monitoring:pagerdutyRoutingKey"), "0123456");
        assert.strictEqual(decodeConfigValue("42", "alerts:bgpFlapChanges"), 42);
    });

    describe("at `pulumi up`: the runtime reads the stack file beside the project", () => {
        let dir: string;
        const saved = pulumi.runtime.allConfig();
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-secrets-"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: PROJECT, runtime: "nodejs", stackConfigDir: "stacks" }));
            fs.mkdirSync(path.join(dir, "stacks"));
        });
        after(() => {
            useStackFile(undefined);
            pulumi.runtime.setAllConfig(saved, []);
        });

        it("finds Pulumi.<stack>.yaml under the project's stackConfigDir", () => {
            assert.strictEqual(findStackFile(dir, "lab"), undefined);
            fs.writeFileSync(path.join(dir, "stacks", "Pulumi.lab.yaml"), "config: {}\n");
            assert.strictEqual(findStackFile(dir, "lab"), path.join(dir, "stacks", "Pulumi.lab.yaml"));
            assert.strictEqual(findStackFile(path.join(dir, "stacks"), "lab"), path.join(dir, "stacks", "Pulumi.lab.yaml"), "found from a subdirectory too");
        });

        it("refuses the mixed BGP passwords although the runtime calls the whole key secret", () => {
            const text = stackYaml({ "metallb:bgpPasswords": { "tor-a": "plaintext-pw", "tor-b": SECURE } });
            const file = path.join(dir, "stacks", "Pulumi.mixed.yaml");
            fs.writeFileSync(file, text);
            // What the engine hands the program: decrypted values, the key flagged secret as a whole.
            const { config, secretKeys } = readStackFile(text, PROJECT);
            pulumi.runtime.setAllConfig({ ...config, "metallb:bgpPasswords": JSON.stringify({ "tor-a": "plaintext-pw", "tor-b": "decrypted" }) }, secretKeys);
            useStackFile(file);
            assert.throws(
                () => loadStackConfig(),
                (err: Error) =>
                    err instanceof pulumi.RunError &&
                    /metallb:bgpPasswords\.tor-a: is stored in plain text/.test(err.message) &&
                    !err.message.includes("plaintext-pw"),
            );
        });
    });
});
