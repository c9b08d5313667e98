import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { redactSecrets } from "../../../scripts/render/outputs";
import { runIndex } from "../../support/runIndex";

/**
 * Runs the whole program (index.ts) under mocks with decrypted config, as the Pulumi CLI hands it
 * over: every value a string, the encrypted keys listed as secret (tests/support/runIndex.ts).
 */
function runProgram(config: Record<string, unknown>, secretKeys: string[], stackFile?: string) {
    return runIndex(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])), secretKeys, stackFile);
}

/** Every place a value shows outside a Pulumi secret: resource inputs (secrets redacted) and plain stack outputs. */
function leaks(stdout: string, values: readonly string[]): string[] {
    const { resources, outputs } = JSON.parse(stdout) as {
        resources: { type: string; name: string; inputs: unknown }[];
        outputs: Record<string, { value: unknown; secret: boolean }>;
    };
    const out: string[] = [];
    for (const r of resources) {
        const visible = JSON.stringify(redactSecrets(r.inputs));
        out.push(...values.filter((v) => visible.includes(v)).map((v) => `${r.type} ${r.name} shows ${v}`));
    }
    for (const [name, o] of Object.entries(outputs)) {
        const visible = JSON.stringify(o.value) ?? "";
        if (!o.secret) {
            out.push(...values.filter((v) => visible.includes(v)).map((v) => `output ${name} shows ${v}`));
        }
    }
    return out;
}

const BASE = {
    "metallb:pools": [{ name: "default", addresses: ["192.168.1.240-192.168.1.250"] }],
    "metallb:l2Advertisements": [{ name: "default" }],
};

describe("secrets outside the designated keys (the whole program under mocks, config as the CLI hands it)", function () {
    this.timeout(120_000);

    it("an encrypted remote-write endpoint, external label, Slack channel, runbook URL and chart repositories stay secrets in every input and output", async () => {
        const secrets = {
            remoteUrl: "https://mimir-9c1e.internal.example/api/v1/push",
            remoteUser: "tenant-5b2d",
            label: "customer-4e8f",
            channel: "#ops-3d9a",
            runbooks: "https://wiki-2a6c.internal.example/runbooks",
            metallbRepo: "https://charts-8b1f.internal.example/metallb",
            kpsRepo: "oci://registry-6d0e.internal.example/charts",
        };
        const config = {
            ...BASE,
            "metallb:chartRepository": secrets.metallbRepo,
            "monitoring:chartRepository": secrets.kpsRepo,
            "monitoring:remoteWrite": [{ name: "mimir", url: secrets.remoteUrl, auth: "basic", username: secrets.remoteUser }],
            // A whole encrypted map: every value in it is secret (the runtime knows whole keys only).
            "monitoring:remoteWriteCredentials": { mimir: "pw-1c4b" },
            "monitoring:externalLabels": { customer: secrets.label },
            "monitoring:receivers": { slack: { channel: secrets.channel } },
            "monitoring:slackWebhookUrl": "https://hooks.slack.com/services/T0/B0/abcdef0123456789",
            "alerts:runbookBaseUrl": secrets.runbooks,
        };
        const secretKeys = [
            "metallb:chartRepository",
            "monitoring:chartRepository",
            "monitoring:remoteWriteCredentials",
            "monitoring:externalLabels",
            "monitoring:receivers",
            "monitoring:slackWebhookUrl",
            "alerts:runbookBaseUrl",
        ];
        // Leaf by leaf, as `pulumi up` beside the stack file sees it: the URL and user name of the endpoint.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
        const stackFile = path.join(dir, "Pulumi.probe.yaml");
        const secure = { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBB" };
        const file: Record<string, unknown> = Object.fromEntries(
            Object.keys(config).map((k) => [k, secretKeys.includes(k) ? secure : config[k as keyof typeof config]]),
        );
        file["monitoring:remoteWrite"] = [{ name: "mimir", url: secure, auth: "basic", username: secure }];
        fs.writeFileSync(stackFile, stringify({ config: file }));
        const r = await runProgram(config, [...secretKeys, "monitoring:remoteWrite"], stackFile);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(leaks(r.stdout, [...Object.values(secrets), "pw-1c4b", "abcdef0123456789"]), []);
        // The values did reach the resources, inside secrets.
        for (const v of Object.values(secrets)) {
            assert.ok(r.stdout.includes(v), `${v} reaches a resource`);
        }
    });

    it("the URLs of an existing monitoring stack stay secrets", async () => {
        const secrets = {
            prometheus: "https://prom-51ab.internal.example:9090",
            alertmanager: "https://am-77cd.internal.example:9093",
            grafana: "https://graf-93ef.internal.example",
        };
        const config = {
            ...BASE,
            "monitoring:install": false,
            "monitoring:existing": {
                selectorLabels: { release: "kube-prometheus-stack" },
                prometheusServiceAccount: { namespace: "monitoring", name: "prometheus" },
                prometheusUrl: secrets.prometheus,
                alertmanagerUrl: secrets.alertmanager,
                grafanaUrl: secrets.grafana,
            },
            "monitoring:grafanaAuth": "glsa_pw-e2a1",
            "dashboard:delivery": "grafana-api",
        };
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
        const stackFile = path.join(dir, "Pulumi.probe.yaml");
        const secure = { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBB" };
        const file = {
            ...config,
            "monitoring:existing": { ...config["monitoring:existing"], prometheusUrl: secure, alertmanagerUrl: secure, grafanaUrl: secure },
            "monitoring:grafanaAuth": secure,
        };
        fs.writeFileSync(stackFile, stringify({ config: file }));
        const r = await runProgram(config, ["monitoring:grafanaAuth", "monitoring:existing"], stackFile);
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(leaks(r.stdout, [...Object.values(secrets), "pw-e2a1"]), []);
        const { outputs } = JSON.parse(r.stdout) as { outputs: Record<string, { value: unknown; secret: boolean }> };
        assert.deepStrictEqual(outputs.prometheusUrl, { value: secrets.prometheus, secret: true });
        // Without the stack file the runtime knows only that `existing` is secret as a whole: its selector labels are refused, by name.
        const whole = await runProgram(config, ["monitoring:grafanaAuth", "monitoring:existing"]);
        assert.strictEqual(whole.status, 1);
        assert.match(whole.stderr, /monitoring:existing\.selectorLabels\.release: holds a secret/);
        assert.doesNotMatch(whole.stderr, /prom-51ab|pw-e2a1/);
    });

    it("refuses a secret in a setting that decides structure, naming the setting and never the value", async () => {
        const r = await runProgram(
            { ...BASE, "metallb:pools": [{ name: "pool-c0ffee", addresses: ["192.168.7.0/28"] }], "metallb:l2Advertisements": [{ name: "default" }] },
            ["metallb:pools"],
        );
        assert.strictEqual(r.status, 1, r.stdout);
        assert.match(r.stderr, /metallb:pools\[0\]\.name: holds a secret .* cannot stay secret/);
        assert.match(r.stderr, /metallb:pools\[0\]\.addresses\[0\]: holds a secret/);
        assert.doesNotMatch(r.stderr, /c0ffee|192\.168\.7/);
        assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });
});
