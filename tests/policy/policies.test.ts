import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import { EXACT_VERSION as LIB_EXACT_VERSION } from "../../lib/util/versions";
import {
    alertMetadata,
    EXACT_VERSION,
    helmChartPinned,
    helmChartRepositoryHttps,
    loadBalancerSourceRanges,
    metallbNamespacePrivileged,
    metallbPoolAddresses,
    metallbServiceMonitorsHttps,
    noPlaintextSecrets,
    POLICIES,
    scrapeTlsVerified,
} from "../../policy/policies";
import { SHARED } from "../../scripts/policy-sync";
import { policyCheck as policyCheckCommand, withStackNamespaces } from "../../scripts/policy-check";
import { checkResources, evaluate, resolvePolicies, verdict, violations } from "../../policy/run";
import { runCommandHere } from "../support/inProcess";
import { TS_LOADER } from "../support/render";

const ROOT = path.resolve(__dirname, "../..");
const POLICY_DIR = path.join(ROOT, "policy");
/** The stacks as the README adds them: one Pulumi.<name>.yaml each. */
const STACKS = fs
    .readdirSync(ROOT)
    .filter((f) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(f))
    .map((f) => f.split(".")[1]);

/** `npm run policy -- <args>` as a process of its own. */
function policyCheck(args: string[]) {
    return spawnSync(process.execPath, ["-r", TS_LOADER, "scripts/policy-check.ts", ...args], { cwd: ROOT, encoding: "utf8" });
}

/** The same command run in this process (tests/support/inProcess.ts): the same output and status, without starting one. */
function policyCheckHere(args: string[]) {
    return runCommandHere(policyCheckCommand, args);
}

const SM = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

describe("policy pack", () => {
    describe("helm-chart-pinned", () => {
        it("passes an exact version and fails a range or none", async () => {
            assert.deepStrictEqual(
                await violations(helmChartPinned, { type: "kubernetes:helm.sh/v4:Chart", props: { chart: "metallb", version: "0.16.1" } }),
                [],
            );
            assert.match(
                (
                    await violations(helmChartPinned, { type: "kubernetes:helm.sh/v3:Release", props: { chart: "kube-prometheus-stack", version: "^88.0.0" } })
                )[0],
                /not an exact chart version/,
            );
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
            const props = {
                values: {
                    grafana: { adminPassword: "hunter2" },
                    alertmanager: { config: { receivers: [{ slack_configs: [{ api_url: "https://hooks.slack.com/x" }] }] } },
                },
            };
            const found = await violations(noPlaintextSecrets, { type: "kubernetes:helm.sh/v3:Release", props });
            assert.strictEqual(found.length, 2);
            assert.match(found.join("\n"), /values\.grafana\.adminPassword/);
            assert.match(found.join("\n"), /api_url/);
            assert.ok(!found.join("\n").includes("hunter2"), "the violation does not print the secret");
        });

        it("fails a password in a MetalLB BGPPeer instead of passwordSecret", async () => {
            const found = await violations(noPlaintextSecrets, {
                type: "kubernetes:metallb.io/v1beta2:BGPPeer",
                props: { spec: { myASN: 1, password: "s3cret" } },
            });
            assert.match(found[0], /spec\.password/);
        });

        const release = (values: Record<string, unknown>) => ({ type: "kubernetes:helm.sh/v3:Release", props: { values } });
        for (const key of [
            "apiKey",
            "secretKey",
            "privateKey",
            "serviceKey",
            "api_key",
            "secret_key",
            "private_key",
            "service_key",
            // camelCase prefixes, and credentials that end in "Secret"
            "grafanaApiKey",
            "sshPrivateKey",
            "awsSecretAccessKey",
            "clientSecret",
            "webhookSecret",
        ]) {
            it(`fails ${key} in plain text and passes it as a reference to a Secret`, async () => {
                const found = await violations(noPlaintextSecrets, release({ grafana: { plugin: { [key]: "s3cr3t-value" } } }));
                assert.strictEqual(found.length, 1, key);
                assert.match(found[0], new RegExp(`values\\.grafana\\.plugin\\.${key} holds a credential`));
                assert.ok(!found[0].includes("s3cr3t-value"), "the violation does not print the secret");
                const ref = {
                    grafana: {
                        plugin: { existingSecret: "grafana-plugin", [`${key}Ref`]: { name: "grafana-plugin", key: "k" }, [`${key}_file`]: "/etc/secrets/k" },
                    },
                };
                assert.deepStrictEqual(await violations(noPlaintextSecrets, release(ref)), []);
            });
        }

        const CREDENTIAL_URLS: [string, string, string][] = [
            // what, with the credential, the same thing without it
            ["https user:password", "https://admin:hunter2@grafana.example.org/api", "https://grafana.example.org/api"],
            ["postgres user:password", "postgres://grafana:hunter2@db.example.org:5432/grafana", "postgres://db.example.org:5432/grafana"],
            ["Slack webhook", "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX", "https://slack.com/help/articles/115005265063"],
            ["Discord webhook", "https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOp", "https://discord.com/channels/123456789012345678"],
            [
                "Teams webhook",
                "https://contoso.webhook.office.com/webhookb2/0000-1111@2222/IncomingWebhook/3333/4444",
                "https://teams.microsoft.com/l/channel/x",
            ],
            [
                "Teams workflow",
                "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=Zm9vYmFy",
                "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01",
            ],
            [
                "PagerDuty integration",
                "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue",
                "https://events.pagerduty.com/v2/enqueue",
            ],
            ["token parameter", "https://alerts.example.org/hook?channel=ops&token=abc123", "https://alerts.example.org/hook?channel=ops"],
            ["GitLab private_token", "https://gitlab.example.org/api/v4/projects/1?private_token=glpat-abc123", "https://gitlab.example.org/api/v4/projects/1"],
            [
                "S3 presigned",
                "https://bucket.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abc123",
                "https://bucket.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256",
            ],
            ["token as user name", "https://ghp_abc123@github.com/org/repo.git", "https://github.com/org/repo.git"],
            ["remote-write user:password", "https://tenant:hunter2@mimir.example.org/api/v1/push", "https://mimir.example.org/api/v1/push"],
        ];
        for (const [what, withCredential, without] of CREDENTIAL_URLS) {
            it(`fails a ${what} URL under any key and passes the URL without its credential`, async () => {
                const receivers = (url: string) => release({ alertmanager: { config: { receivers: [{ name: "r", webhook_configs: [{ url }] }] } } });
                const found = await violations(noPlaintextSecrets, receivers(withCredential));
                assert.strictEqual(found.length, 1, what);
                assert.match(found[0], /values\.alertmanager\.config\.receivers\[0\]\.webhook_configs\[0\]\.url holds /);
                assert.ok(!found[0].includes(withCredential), "the violation does not print the URL");
                assert.deepStrictEqual(await violations(noPlaintextSecrets, receivers(without)), [], what);
            });
        }

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
            assert.strictEqual(
                (await violations(metallbNamespacePrivileged, { type: "kubernetes:core/v1:Namespace", props: bare }, { metallbNamespace: "lb" })).length,
                1,
            );
        });
    });

    describe("metallb-servicemonitor-https", () => {
        const sm = (scheme?: string) => ({
            metadata: { name: "metallb-speaker", namespace: "metallb-system" },
            spec: { endpoints: [{ port: "metricshttps", ...(scheme ? { scheme } : {}) }] },
        });
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
        const rule = (extra: Record<string, unknown>) => ({
            spec: {
                groups: [
                    {
                        name: "g",
                        rules: [
                            { record: "a:b:c", expr: "1" },
                            { alert: "X", expr: "1", ...extra },
                        ],
                    },
                ],
            },
        });
        it("passes an alert with severity, summary, description and runbook_url", async () => {
            const ok = rule({ labels: { severity: "warning" }, annotations: { summary: "S.", description: "D", runbook_url: "https://example.org/r" } });
            assert.deepStrictEqual(await violations(alertMetadata, { type: RULE, props: ok }), []);
        });
        it("fails an alert without them, listing what is missing", async () => {
            const found = await violations(alertMetadata, { type: RULE, props: rule({ labels: { severity: "page" }, annotations: { summary: "S." } }) });
            assert.match(found[0], /alert X in group g lacks label severity .*annotation description, annotation runbook_url/);
        });
    });

    it("every policy is mandatory but the two advisories (source ranges, certificate verification)", () => {
        assert.deepStrictEqual(
            POLICIES.filter((p) => p.enforcementLevel !== "mandatory").map((p) => [p.name, p.enforcementLevel]),
            [
                ["loadbalancer-source-ranges", "advisory"],
                ["scrape-tls-verified", "advisory"],
            ],
        );
    });

    describe("metallb-pool-addresses", () => {
        const pool = (...addresses: string[]) => ({ type: "kubernetes:metallb.io/v1beta1:IPAddressPool", props: { spec: { addresses } } });
        it("passes a LAN range and a routed block", async () => {
            assert.deepStrictEqual(await violations(metallbPoolAddresses, pool("192.168.1.240-192.168.1.250", "198.51.100.0/26", "fd00:10::/120")), []);
        });
        for (const [entry, what] of [
            ["0.0.0.0/0", /unspecified/],
            ["::/0", /unspecified/],
            ["127.0.0.1/32", /loopback/],
            ["169.254.169.254/32", /metadata/],
            ["fe80::/64", /link-local/],
            ["224.0.0.1/32", /multicast/],
            ["255.255.255.255/32", /broadcast/],
            ["10.0.0.0/8", /more than a \/16/],
            ["fd00::/48", /more than a \/56/],
            ["fe80::1%eth0/128", /zone index/],
        ] as const) {
            it(`fails ${entry}`, async () => {
                const found = await violations(metallbPoolAddresses, pool("192.168.1.240/28", entry));
                assert.strictEqual(found.length, 1, found.join("\n"));
                assert.match(found[0], /^spec\.addresses\[1\]: /);
                assert.match(found[0], what);
            });
        }
        it("takes a broader limit from the policy config", async () => {
            assert.deepStrictEqual(await violations(metallbPoolAddresses, pool("10.0.0.0/8"), { maxIpv4Prefix: 8 }), []);
        });
    });

    describe("loadbalancer-source-ranges (advisory)", () => {
        const svc = (spec: Record<string, unknown>) => ({ type: "kubernetes:core/v1:Service", props: { spec } });
        it("fails a LoadBalancer Service, and a chart's LoadBalancer in Helm values, without source ranges", async () => {
            assert.match(
                (await violations(loadBalancerSourceRanges, svc({ type: "LoadBalancer", ports: [{ port: 80 }] })))[0],
                /^spec is a LoadBalancer without loadBalancerSourceRanges/,
            );
            const helm = { type: "kubernetes:helm.sh/v3:Release", props: { values: { grafana: { service: { type: "LoadBalancer" } } } } };
            assert.match((await violations(loadBalancerSourceRanges, helm))[0], /^values\.grafana\.service is a LoadBalancer/);
        });
        it("passes one with source ranges, and other Service types", async () => {
            assert.deepStrictEqual(await violations(loadBalancerSourceRanges, svc({ type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] })), []);
            assert.deepStrictEqual(await violations(loadBalancerSourceRanges, svc({ type: "ClusterIP" })), []);
        });
    });

    describe("scrape-tls-verified (advisory)", () => {
        const sm = (tlsConfig: Record<string, unknown>) => ({
            type: SM,
            props: { spec: { endpoints: [{ port: "metricshttps", scheme: "https", tlsConfig }] } },
        });
        it("fails a scrape that skips certificate verification, naming monitoring:metricsTls", async () => {
            const found = await violations(scrapeTlsVerified, sm({ insecureSkipVerify: true }));
            assert.match(found[0], /spec\.endpoints\[0\]\.tlsConfig\.insecureSkipVerify: .*monitoring:metricsTls/);
        });
        it("passes a scrape that verifies against a CA", async () => {
            assert.deepStrictEqual(
                await violations(scrapeTlsVerified, sm({ ca: { secret: { name: "metallb-metrics-tls", key: "ca.crt" } }, serverName: "x" })),
                [],
            );
        });
    });

    describe("helm-chart-repository-https", () => {
        const chart = (props: Record<string, unknown>) => ({ type: "kubernetes:helm.sh/v4:Chart", props: { chart: "metallb", version: "0.16.1", ...props } });
        it("fails an http repository or chart URL", async () => {
            assert.match(
                (await violations(helmChartRepositoryHttps, chart({ repositoryOpts: { repo: "http://charts.example.org" } })))[0],
                /repositoryOpts\.repo must be an https:\/\/ or oci:\/\//,
            );
            assert.match((await violations(helmChartRepositoryHttps, chart({ chart: "http://charts.example.org/metallb-0.16.1.tgz" })))[0], /^chart must be/);
        });
        it("passes https and oci", async () => {
            assert.deepStrictEqual(await violations(helmChartRepositoryHttps, chart({ repositoryOpts: { repo: "https://metallb.github.io/metallb" } })), []);
            assert.deepStrictEqual(
                await violations(helmChartRepositoryHttps, chart({ chart: "oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack" })),
                [],
            );
        });
    });

    describe("offline runner (npm run policy)", () => {
        it("tells applicable resources from the ones a policy skips (notApplicable)", async () => {
            const ns = {
                type: "kubernetes:core/v1:Namespace",
                props: { metadata: { name: "metallb-system", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
            };
            assert.deepStrictEqual(await evaluate(metallbNamespacePrivileged, ns), { applicable: true, messages: [] });
            assert.deepStrictEqual(await evaluate(helmChartPinned, ns), { applicable: false, messages: [] });
        });

        it("resolves a --policy-pack-config file: defaults, the all level, per-policy levels and config", () => {
            const resolved = resolvePolicies(POLICIES, {
                all: "advisory",
                "helm-chart-pinned": "mandatory",
                "metallb-namespace-privileged": { enforcementLevel: "disabled", metallbNamespace: "lb" },
            });
            const [pinned, privileged] = ["helm-chart-pinned", "metallb-namespace-privileged"].map((n) => resolved.find((p) => p.policy.name === n)!);
            assert.deepStrictEqual(
                [pinned.enforcementLevel, privileged.enforcementLevel, privileged.config],
                ["mandatory", "disabled", { metallbNamespace: "lb" }],
            );
            assert.deepStrictEqual(resolvePolicies(POLICIES).find((p) => p.policy.name === "metallb-servicemonitor-https")!.config, {
                metallbNamespace: "metallb-system",
            });
        });

        it("refuses an unknown policy, level or config property, and a mistyped value", () => {
            assert.throws(() => resolvePolicies(POLICIES, { "no-such-policy": "mandatory" }), /no-such-policy: no such policy/);
            assert.throws(() => resolvePolicies(POLICIES, { all: "strict" }), /enforcement level "strict"/);
            assert.throws(() => resolvePolicies(POLICIES, { "helm-chart-pinned": { namespace: "x" } }), /unknown config property namespace/);
            assert.throws(() => resolvePolicies(POLICIES, { "metallb-namespace-privileged": { metallbNamespace: 1 } }), /metallbNamespace must be a string/);
        });

        it("a run over no resources, or with every policy disabled, checked nothing", async () => {
            assert.strictEqual((await checkResources(resolvePolicies(POLICIES), [])).checks, 0);
            const ns = { type: "kubernetes:core/v1:Namespace", name: "ns", props: { metadata: { name: "metallb-system" } } };
            const report = await checkResources(resolvePolicies(POLICIES, { all: "disabled" }), [ns]);
            assert.deepStrictEqual([report.checks, report.mandatory], [0, 0]);
        });

        it("advisory violations are reported without failing; mandatory ones fail", async () => {
            const ns = { type: "kubernetes:core/v1:Namespace", name: "ns", props: { metadata: { name: "metallb-system" } } };
            const advisory = await checkResources(resolvePolicies(POLICIES, { "metallb-namespace-privileged": "advisory" }), [ns]);
            assert.strictEqual(advisory.mandatory, 0);
            assert.match(advisory.lines.join("\n"), /\[advisory\] kubernetes:core\/v1:Namespace ns: namespace metallb-system must be labelled/);
            assert.strictEqual((await checkResources(resolvePolicies(POLICIES), [ns])).mandatory, 1);
        });

        for (const stack of STACKS) {
            // The first stack also reads policy/config.example.json (--config), as the README shows.
            const config = stack === STACKS[0] ? ["--config", "policy/config.example.json"] : [];
            it(`every resource of the ${stack} stack passes the pack, and every policy checks something${config.length ? " (with the example --config, as a process)" : ""}`, async function () {
                this.timeout(60_000);
                const r = config.length ? policyCheck(["--stack", stack, ...config]) : await policyCheckHere(["--stack", stack]);
                assert.strictEqual(r.status, 0, r.stderr);
                assert.match(r.stdout, new RegExp(`stack "${stack}": pass\\n$`));
                assert.doesNotMatch(r.stdout, /checked nothing/);
            });
        }

        it("a policy that checked nothing fails the run, naming it (e.g. MetalLB in a namespace the pack was not told about)", async () => {
            const resources = [
                {
                    type: "kubernetes:core/v1:Namespace",
                    name: "ns",
                    props: { metadata: { name: "metallb-system", labels: { "pod-security.kubernetes.io/enforce": "privileged" } } },
                },
                { type: "kubernetes:helm.sh/v4:Chart", name: "metallb", props: { chart: "metallb", version: "0.16.1" } },
            ];
            const moved = await checkResources(resolvePolicies(POLICIES, { "metallb-namespace-privileged": { metallbNamespace: "lb" } }), resources);
            assert.match(moved.lines.join("\n"), /metallb-namespace-privileged \(mandatory\): checked nothing/);
            const v = verdict("s", moved, 2);
            assert.strictEqual(v.ok, false);
            assert.match(v.line, /^stack "s": not a pass: metallb-namespace-privileged, .* checked nothing/);
            assert.deepStrictEqual(verdict("s", await checkResources(resolvePolicies(POLICIES), []), 0), {
                ok: false,
                line: 'stack "s": nothing checked: no policy applies to any of its 0 resources; this is not a pass',
            });
        });

        it("reads the namespaces from the stack's config (metallb:namespace), unless --config names them", () => {
            const cfg = withStackNamespaces({ "helm-chart-pinned": "advisory", "metallb-servicemonitor-https": "advisory" }, { "metallb:namespace": "lb" });
            assert.deepStrictEqual(cfg["metallb-namespace-privileged"], { metallbNamespace: "lb" });
            assert.deepStrictEqual(cfg["metallb-servicemonitor-https"], { enforcementLevel: "advisory", metallbNamespace: "lb" });
            assert.strictEqual(cfg["helm-chart-pinned"], "advisory");
            assert.deepStrictEqual(
                withStackNamespaces({ "metallb-namespace-privileged": { metallbNamespace: "x" } }, { "metallb:namespace": "lb" })[
                    "metallb-namespace-privileged"
                ],
                {
                    metallbNamespace: "x",
                },
            );
            assert.deepStrictEqual(withStackNamespaces({}, {})["metallb-namespace-privileged"], { metallbNamespace: "metallb-system" });
        });

        it("a stack that installs MetalLB in another namespace passes without any --config (the runner reads it from the stack)", async function () {
            this.timeout(60_000);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-ns-"));
            const file = path.join(dir, "Pulumi.lb.yaml");
            fs.writeFileSync(
                file,
                fs.readFileSync(path.join(ROOT, `Pulumi.${STACKS[0]}.yaml`), "utf8").replace(/^config:\n/m, "config:\n  metallb:namespace: lb\n"),
            );
            const r = await policyCheckHere(["--stack", "lb", "--stack-file", file]);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout, /metallb-namespace-privileged \(mandatory\): 1 resource\(s\) checked, pass/);
            // Told another namespace than the stack's, the namespace rule checks nothing: the run fails.
            const cfg = path.join(dir, "config.json");
            fs.writeFileSync(cfg, JSON.stringify({ "metallb-namespace-privileged": { metallbNamespace: "metallb-system" } }));
            const wrong = await policyCheckHere(["--stack", "lb", "--stack-file", file, "--config", cfg]);
            assert.strictEqual(wrong.status, 1);
            assert.match(wrong.stderr, /not a pass: metallb-namespace-privileged.* checked nothing/);
        });

        it("reads --config: one that disables everything checks nothing and is not a pass; an invalid one is refused (that refusal by the command as a process)", async function () {
            this.timeout(60_000);
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "config.json");
            fs.writeFileSync(file, JSON.stringify({ all: "disabled" }));
            const none = await policyCheckHere(["--stack", STACKS[0], "--config", file]);
            assert.strictEqual(none.status, 1);
            assert.match(none.stderr, /nothing checked: every policy is disabled/);
            assert.doesNotMatch(none.stdout, /pass/);
            fs.writeFileSync(file, JSON.stringify({ "no-such-policy": "mandatory" }));
            const bad = policyCheck(["--stack", STACKS[0], "--config", file]);
            assert.strictEqual(bad.status, 2);
            assert.match(bad.stderr, /no-such-policy: no such policy/);
        });
    });

    describe("publishable pack (pulumi policy publish uploads policy/ alone)", () => {
        it("imports nothing outside policy/ and only packages policy/package.json declares", () => {
            const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")).dependencies ?? {});
            const problems: string[] = [];
            for (const f of fs.readdirSync(POLICY_DIR).filter((n) => n.endsWith(".ts"))) {
                const source = fs.readFileSync(path.join(POLICY_DIR, f), "utf8");
                const specs = [...source.matchAll(/^\s*(?:import|export)\b[^;"]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\brequire\("([^"]+)"\)/gm)].map(
                    (m) => m[1] ?? m[2] ?? m[3],
                );
                assert.ok(specs.length > 0 || !/\bimport\b/.test(source), `${f}: no import found`);
                for (const spec of specs) {
                    if (spec.startsWith(".")) {
                        const target = path.resolve(POLICY_DIR, spec);
                        if (!target.startsWith(POLICY_DIR + path.sep)) {
                            problems.push(`${f}: ${spec} is outside policy/`);
                        }
                    } else if (!builtinModules.includes(spec.replace(/^node:/, "")) && !deps.some((d) => spec === d || spec.startsWith(`${d}/`))) {
                        problems.push(`${f}: ${spec} is not a dependency of policy/package.json`);
                    }
                }
            }
            assert.deepStrictEqual(problems, []);
        });

        it("ships the program's own address and URL checks, byte for byte (npm run policy:sync)", () => {
            for (const [from, to] of Object.entries(SHARED)) {
                assert.strictEqual(
                    fs.readFileSync(path.join(ROOT, to), "utf8"),
                    fs.readFileSync(path.join(ROOT, from), "utf8"),
                    `${to} differs from ${from}: run npm run policy:sync`,
                );
            }
        });

        it("keeps the exact-version rule the same as the program's", () => {
            for (const v of ["0.16.1", "v88.5.3", "1.2.3-rc.1", "1.2.3+build.5", "^0.16.1", "~88.5.3", "0.16.x", "*", ">=1.0.0", "0.16", ""]) {
                assert.strictEqual(EXACT_VERSION.test(v), LIB_EXACT_VERSION.test(v), v);
            }
        });
    });
});
