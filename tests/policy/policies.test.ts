import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { alertMetadata, helmChartPinned, metallbNamespacePrivileged, metallbServiceMonitorsHttps, noPlaintextSecrets, POLICIES } from "../../policy/policies";
import { violations } from "../../policy/run";

const SM = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

describe("policy pack", () => {
    describe("helm-chart-pinned", () => {
        it("passes an exact version and fails a range or none", async () => {
            assert.deepStrictEqual(await violations(helmChartPinned, { type: "kubernetes:helm.sh/v4:Chart", props: { chart: "metallb", version: "0.16.1" } }), []);
            assert.match((await violations(helmChartPinned, { type: "kubernetes:helm.sh/v3:Release", props: { chart: "kube-prometheus-stack", version: "^88.0.0" } }))[0], /not an exact chart version/);
            assert.strictEqual((await violations(helmChartPinned, { type: "kubernetes:helm.sh/v4:Chart", props: { chart: "metallb" } })).length, 1);
        });
    });

    describe("no-plaintext-secrets", () => {
        it("passes references to Secrets and mounted files", async () => {
            const props = {
                values: {
                    grafana: { admin: { existingSecret: "grafana-admin", passwordKey: "admin-password" } },
                    alertmanager: { config: { receivers: [{ name: "pager", pagerduty_configs: [{ routing_key_file: "/etc/alertmanager/secrets/x/key" }] }] } },
                },
            };
            assert.deepStrictEqual(await violations(noPlaintextSecrets, { type: "kubernetes:helm.sh/v3:Release", props }), []);
        });

        it("fails a password in Helm values and a webhook URL in a receiver", async () => {
            const props = { values: { grafana: { adminPassword: "hunter2" }, alertmanager: { config: { receivers: [{ slack_configs: [{ api_url: "https://hooks.slack.com/x" }] }] } } } };
            const found = await violations(noPlaintextSecrets, { type: "kubernetes:helm.sh/v3:Release", props });
            assert.strictEqual(found.length, 2);
            assert.match(found.join("\n"), /values\.grafana\.adminPassword/);
            assert.match(found.join("\n"), /api_url/);
            assert.ok(!found.join("\n").includes("hunter2"), "the violation does not print the secret");
        });

        it("fails a password in a MetalLB BGPPeer instead of passwordSecret", async () => {
            const found = await violations(noPlaintextSecrets, { type: "kubernetes:metallb.io/v1beta2:BGPPeer", props: { spec: { myASN: 1, password: "s3cret" } } });
            assert.match(found[0], /spec\.password/);
        });

        it("leaves Secret objects and provider configuration alone", async () => {
            assert.deepStrictEqual(await violations(noPlaintextSecrets, { type: "kubernetes:core/v1:Secret", props: { stringData: { password: "x" } } }), []);
            assert.deepStrictEqual(await violations(noPlaintextSecrets, { type: "pulumi:providers:grafana", props: { auth: "admin:x" } }), []);
        });
    });

    describe("metallb-namespace-privileged", () => {
        it("passes the labelled namespace and fails one without the label", async () => {
            const labelled = { metadata: { name: "metallb-system", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } };
            assert.deepStrictEqual(await violations(metallbNamespacePrivileged, { type: "kubernetes:core/v1:Namespace", props: labelled }), []);
            const bare = { metadata: { name: "metallb-system", labels: { "pod-security.kubernetes.io/enforce": "baseline" } } };
            assert.match((await violations(metallbNamespacePrivileged, { type: "kubernetes:core/v1:Namespace", props: bare }))[0], /privileged/);
        });

        it("follows the configured MetalLB namespace and ignores others", async () => {
            const bare = { metadata: { name: "lb" } };
            assert.deepStrictEqual(await violations(metallbNamespacePrivileged, { type: "kubernetes:core/v1:Namespace", props: bare }), []);
            assert.strictEqual((await violations(metallbNamespacePrivileged, { type: "kubernetes:core/v1:Namespace", props: bare }, { metallbNamespace: "lb" })).length, 1);
        });
    });

    describe("metallb-servicemonitor-https", () => {
        const sm = (scheme?: string) => ({ metadata: { name: "metallb-speaker", namespace: "metallb-system" }, spec: { endpoints: [{ port: "metricshttps", ...(scheme ? { scheme } : {}) }] } });
        it("passes HTTPS and fails HTTP or an unset scheme", async () => {
            assert.deepStrictEqual(await violations(metallbServiceMonitorsHttps, { type: SM, props: sm("https") }), []);
            assert.strictEqual((await violations(metallbServiceMonitorsHttps, { type: SM, props: sm("http") })).length, 1);
            assert.match((await violations(metallbServiceMonitorsHttps, { type: SM, props: sm() }))[0], /http \(default\)/);
        });
        it("ignores ServiceMonitors of other applications", async () => {
            const other = { metadata: { name: "web", namespace: "apps" }, spec: { endpoints: [{ port: "http" }] } };
            assert.deepStrictEqual(await violations(metallbServiceMonitorsHttps, { type: SM, props: other }), []);
        });
    });

    describe("prometheusrule-alert-metadata", () => {
        const rule = (extra: Record<string, unknown>) => ({ spec: { groups: [{ name: "g", rules: [{ record: "a:b:c", expr: "1" }, { alert: "X", expr: "1", ...extra }] }] } });
        it("passes an alert with severity, summary, description and runbook_url", async () => {
            const ok = rule({ labels: { severity: "warning" }, annotations: { summary: "S.", description: "D", runbook_url: "https://example.org/r" } });
            assert.deepStrictEqual(await violations(alertMetadata, { type: RULE, props: ok }), []);
        });
        it("fails an alert without them, listing what is missing", async () => {
            const found = await violations(alertMetadata, { type: RULE, props: rule({ labels: { severity: "page" }, annotations: { summary: "S." } }) });
            assert.match(found[0], /alert X in group g lacks label severity .*annotation description, annotation runbook_url/);
        });
    });

    it("every policy is mandatory", () => {
        assert.ok(POLICIES.every((p) => p.enforcementLevel === "mandatory"));
    });

    for (const stack of ["dev", "prod"]) {
        it(`every resource of the ${stack} stack passes the pack (npm run policy)`, function () {
            this.timeout(60_000);
            const root = path.resolve(__dirname, "../..");
            const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/policy-check.ts", "--stack", stack], { cwd: root, encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stdout, /resources pass 5 policies/);
        });
    }
});
