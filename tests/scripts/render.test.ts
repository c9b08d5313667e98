import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { render } from "../../scripts/render";
import { runCommandHere } from "../support/inProcess";
import { readTree, renderedStack, renderedStackOutput, ROOT, runRender } from "../support/render";

describe("npm run render (offline render)", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"]) {
        it(`renders the ${stack} stack byte-identically twice`, async () => {
            // The first render is the command's own process (renderedStack), the second runs in this one.
            const first = readTree(renderedStack(stack));
            const again = fs.mkdtempSync(path.join(os.tmpdir(), `render-${stack}-again-`));
            const result = await runCommandHere(render, ["--stack", stack, "--out", again]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(readTree(again), first);
        });
    }

    it("writes every declared Kubernetes object in apply order: Namespaces first, then by kind, namespace and name", () => {
        const docs = parseAllDocuments(fs.readFileSync(path.join(renderedStack("prod"), "manifests.yaml"), "utf8")).map((d) => d.toJS());
        const firstOther = docs.findIndex((d) => d.kind !== "Namespace");
        assert.ok(firstOther > 0, "the render starts with the Namespaces");
        assert.ok(
            docs.slice(firstOther).every((d) => d.kind !== "Namespace"),
            "no Namespace after another object",
        );
        const namespaces = new Set(docs.slice(0, firstOther).map((d) => d.metadata.name));
        for (const ns of ["metallb-system", "monitoring"]) {
            assert.ok(namespaces.has(ns), `Namespace ${ns} comes before the objects inside it`);
        }
        const rest = docs.slice(firstOther);
        const keys = rest.map((d) => [d.kind, d.metadata.namespace ?? "", d.metadata.name].join("/"));
        assert.deepStrictEqual(
            keys,
            [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        );
        const kinds = new Set(docs.map((d) => d.kind));
        for (const kind of ["Namespace", "IPAddressPool", "L2Advertisement", "BGPPeer", "BGPAdvertisement", "BFDProfile", "Community"]) {
            assert.ok(kinds.has(kind), `manifests.yaml lists a ${kind}`);
        }
        assert.ok(!kinds.has("Secret"), "no Secret among the applicable manifests (secrets.yaml lists them)");
    });

    it("writes each Helm chart's name, repository, pinned version, namespace and values", () => {
        const metallb = parse(fs.readFileSync(path.join(renderedStack("prod"), "helm/metallb.yaml"), "utf8"));
        assert.strictEqual(metallb.chart, "metallb");
        assert.strictEqual(metallb.repository, "https://metallb.github.io/metallb");
        assert.strictEqual(metallb.version, "0.16.1");
        assert.strictEqual(metallb.namespace, "metallb-system");
        assert.strictEqual(metallb.values.frrk8s.enabled, true);
    });

    it("renders kube-prometheus-stack pinned, sized per stack, and without a plaintext secret", () => {
        const values = (stack: string) => parse(fs.readFileSync(path.join(renderedStack(stack), "helm/kube-prometheus-stack.yaml"), "utf8"));
        const dev = values("dev");
        const prod = values("prod");
        for (const v of [dev, prod]) {
            assert.strictEqual(v.version, "88.5.3");
            assert.strictEqual(v.chart, "kube-prometheus-stack");
            assert.strictEqual(v.values.grafana.admin.existingSecret, "grafana-admin");
        }
        assert.strictEqual(dev.values.prometheus.prometheusSpec.retention, "2d");
        assert.strictEqual(dev.values.prometheus.prometheusSpec.storageSpec, undefined, "dev is ephemeral");
        const ps = prod.values.prometheus.prometheusSpec;
        assert.deepStrictEqual([ps.retention, ps.retentionSize, ps.resources.limits.memory], ["15d", "45GB", "4Gi"]);
        assert.strictEqual(ps.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "50Gi");
        assert.deepStrictEqual(prod.values.grafana.persistence, { enabled: true, size: "10Gi" });
        const text = fs.readFileSync(path.join(renderedStack("prod"), "helm/kube-prometheus-stack.yaml"), "utf8");
        assert.doesNotMatch(text, /adminPassword|routing_key:|api_url:|\[secret\]/, "no credential, not even a placeholder, in the values");
    });

    it("writes each PrometheusRule as a rule file and the dashboard model by uid", () => {
        const files = [...readTree(renderedStack("prod")).keys()].sort();
        assert.ok(files.includes("rules/metallb-system-metallb-observability.yaml"), files.join(", "));
        const dash = JSON.parse(fs.readFileSync(path.join(renderedStack("prod"), "dashboards/metallb-overview.json"), "utf8"));
        assert.strictEqual(dash.uid, "metallb-overview");
        assert.strictEqual(dash.editable, false);
    });

    it("never writes a secret, and nothing that applies as a known password: Secrets are listed apart, with values the API server refuses", () => {
        const prodFile = fs.readFileSync(path.join(__dirname, "../../Pulumi.prod.yaml"), "utf8");
        const ciphertexts = [...prodFile.matchAll(/secure: (\S+)/g)].map((m) => m[1]);
        assert.ok(ciphertexts.length > 0);
        const all = [...readTree(renderedStack("prod")).values()].join("\n");
        const secrets = parseAllDocuments(fs.readFileSync(path.join(renderedStack("prod"), "secrets.yaml"), "utf8"))
            .map((d) => d.toJS())
            .filter((d) => d.kind === "Secret");
        assert.ok(secrets.length > 0);
        for (const secret of secrets) {
            assert.strictEqual(secret.apiVersion, "v1");
            assert.strictEqual(secret.stringData, undefined, `${secret.metadata.name}: no stringData (a placeholder there would become the password)`);
            assert.ok(
                Object.values(secret.data).every((v) => v === "[secret]" && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(v))),
                `${secret.metadata.name}: every value is the placeholder, which is not base64`,
            );
        }
        const byName = (n: string) => secrets.find((x) => x.metadata.name === n);
        assert.deepStrictEqual(Object.keys(byName("grafana-admin").data).sort(), ["admin-password", "admin-user"]);
        assert.deepStrictEqual(Object.keys(byName("alertmanager-receivers").data).sort(), ["pagerduty-routing-key", "slack-webhook-url"]);
        const manifests = parseAllDocuments(fs.readFileSync(path.join(renderedStack("prod"), "manifests.yaml"), "utf8")).map((d) => d.toJS());
        assert.ok(!manifests.some((d) => d.kind === "Secret"));
        for (const c of ciphertexts) {
            assert.ok(!all.includes(c), "not even the ciphertext is copied");
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: no command endpoint, no unrestricted pod of ours, no Grafana on the LAN, a baseline monitoring namespace, NetworkPolicies on`, () => {
            const dir = renderedStack(stack);
            const docs = parseAllDocuments(fs.readFileSync(path.join(dir, "manifests.yaml"), "utf8")).map((d) => d.toJS());
            const all = [...readTree(dir).values()].join("\n");
            assert.doesNotMatch(all, /netexec/, "agnhost netexec (/shell runs any command) is gone");
            for (const d of docs.filter((x) => ["Deployment", "DaemonSet", "StatefulSet", "Job"].includes(x.kind))) {
                const pod = d.spec.template.spec;
                const where = `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`;
                assert.strictEqual(pod.automountServiceAccountToken, false, where);
                assert.strictEqual(pod.securityContext.runAsNonRoot, true, where);
                assert.strictEqual(pod.securityContext.seccompProfile.type, "RuntimeDefault", where);
                for (const c of pod.containers) {
                    assert.deepStrictEqual(
                        [c.securityContext.allowPrivilegeEscalation, c.securityContext.readOnlyRootFilesystem, c.securityContext.capabilities.drop],
                        [false, true, ["ALL"]],
                        `${where} ${c.name}`,
                    );
                }
            }
            const labels = (name: string) => docs.find((d) => d.kind === "Namespace" && d.metadata.name === name)?.metadata.labels ?? {};
            assert.strictEqual(labels("monitoring")["pod-security.kubernetes.io/enforce"], "baseline");
            assert.strictEqual(labels("node-exporter")["pod-security.kubernetes.io/enforce"], "privileged");
            for (const svc of docs.filter((d) => d.kind === "Service" && d.spec?.type === "LoadBalancer")) {
                assert.ok((svc.spec.loadBalancerSourceRanges ?? []).length > 0, `${svc.metadata.name}: a LoadBalancer says who may reach it`);
            }
            const kps = parse(fs.readFileSync(path.join(dir, "helm/kube-prometheus-stack.yaml"), "utf8")).values;
            assert.strictEqual(kps.grafana.service.type, "ClusterIP", "Grafana is reached with kubectl port-forward");
            assert.strictEqual(kps.grafana.ingress, undefined);
            assert.strictEqual(kps["prometheus-node-exporter"].namespaceOverride, "node-exporter");
            for (const key of ["prometheus", "alertmanager", "prometheusOperator", "grafana"]) {
                assert.strictEqual(kps[key].networkPolicy.enabled, true, `${key} NetworkPolicy`);
            }
            assert.ok(!fs.existsSync(path.join(dir, "grafana.yaml")), "nothing is pushed through Grafana's API with an admin login");
            const cm = docs.find((d) => d.kind === "ConfigMap" && d.metadata.labels?.grafana_dashboard === "1");
            assert.ok(cm, "the dashboard is a ConfigMap Grafana's sidecar loads");
        });
    }

    it("the sample stacks no longer warn about Grafana's address in an auto-assign pool", () => {
        for (const stack of ["dev", "prod"]) {
            // What `npm run render -- --stack <stack> --out <dir>` printed when it rendered the stack for these tests.
            const result = renderedStackOutput(stack);
            assert.doesNotMatch(result.stderr + result.stdout, /monitoring:grafana/, stack);
        }
    });

    it("a YAML syntax error in a stack file prints file, line and problem, without a stack trace", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "broken-stack-")), "Pulumi.broken.yaml");
        fs.writeFileSync(file, "config:\n  metallb:pools:\n    - name: a\n      addresses: [10.0.0.1\n  monitoring:install: true\n");
        const result = await runCommandHere(render, ["--stack", "broken", "--stack-file", file, "--out", path.dirname(file)]);
        assert.notStrictEqual(result.status, 0);
        assert.match(result.stderr, /Pulumi\.broken\.yaml:\d+:\d+: \S/);
        assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
        assert.strictEqual(result.stderr.trim().split("\n").length, 1, result.stderr);
    });

    it("a YAML alias bomb in a stack file is refused with a message, without a stack trace", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bomb-stack-")), "Pulumi.bomb.yaml");
        const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
        for (const [prev, name] of [
            ["a", "b"],
            ["b", "c"],
            ["c", "d"],
            ["d", "e"],
            ["e", "f"],
        ]) {
            levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
        }
        fs.writeFileSync(file, `config:\n${levels.map((l) => `  ${l}`).join("\n")}\n  metallb:pools: *f\n`);
        const result = await runCommandHere(render, ["--stack", "bomb", "--stack-file", file, "--out", path.dirname(file)]);
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /Pulumi\.bomb\.yaml: too many YAML aliases/);
        assert.doesNotMatch(result.stderr, /ReferenceError|\n\s+at /, "no stack trace");
    });

    it("an encrypted URL setting renders (as a placeholder URL) and shows nowhere", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-url-"));
        const file = path.join(dir, "Pulumi.secreturl.yaml");
        const dev = parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
        dev.config["monitoring:chartRepository"] = { secure: "v1:AAAA:BBBB" };
        dev.config["alerts:runbookBaseUrl"] = { secure: "v1:AAAA:CCCC" };
        fs.writeFileSync(file, stringify(dev));
        const out = path.join(dir, "out");
        const result = await runCommandHere(render, ["--stack", "secreturl", "--stack-file", file, "--out", out]);
        assert.strictEqual(result.status, 0, result.stderr);
        // The encrypted repository is held as a secret: the Helm file shows neither it nor its placeholder.
        const helm = fs.readFileSync(path.join(out, "helm/kube-prometheus-stack.yaml"), "utf8");
        assert.ok(!helm.includes("secret.invalid") && !helm.includes("prometheus-community.github.io"), helm.slice(0, 300));
        // The rule file (for promtool) holds the placeholder URL; in manifests.yaml the rule's spec is a secret as a whole.
        const rules = parse(fs.readFileSync(path.join(out, "rules/metallb-system-metallb-observability.yaml"), "utf8"));
        const alert = rules.groups[0].rules.find((r: { alert?: string }) => r.alert);
        assert.match(alert.annotations.runbook_url, /^https:\/\/secret\.invalid\/.+\.md$/);
        const rule = parseAllDocuments(fs.readFileSync(path.join(out, "manifests.yaml"), "utf8"))
            .map((d) => d.toJS())
            .find((d) => d.kind === "PrometheusRule");
        assert.strictEqual(rule.spec, "[secret]");
    });

    it("the render tooling is not part of the shipped library (package.json ships bin/lib)", () => {
        assert.ok(!fs.existsSync(path.join(ROOT, "lib/render")));
        const files = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).files as string[];
        assert.ok(!files.some((f) => f.startsWith("scripts") || f.startsWith("bin/scripts")), files.join(", "));
    });

    it("makes the new monitoring settings take effect end to end", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-stack-"));
        const file = path.join(dir, "Pulumi.settings.yaml");
        const prod = parse(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"));
        prod.config["monitoring:metricsTls"] = { secretName: "metallb-metrics-tls", serverName: "metallb-metrics.metallb-system.svc" };
        prod.config["monitoring:controlPlane"] = { kubeEtcd: true };
        prod.config["monitoring:receivers"].heartbeat = {};
        prod.config["monitoring:heartbeatUrl"] = { secure: "v1:AAAA:BBBB" };
        prod.config["monitoring:remoteWrite"] = [{ name: "mimir", url: "https://mimir.example/api/v1/push", auth: "basic", username: "tenant-1" }];
        prod.config["monitoring:remoteWriteCredentials"] = { mimir: { secure: "v1:CCCC:DDDD" } };
        prod.config["monitoring:externalLabels"] = { cluster: "prod-1" };
        delete prod.encryptionsalt;
        fs.writeFileSync(file, stringify(prod));
        const out = path.join(dir, "out");
        const result = await runCommandHere(render, ["--stack", "settings", "--stack-file", file, "--out", out]);
        assert.strictEqual(result.status, 0, result.stderr);

        const metallb = parse(fs.readFileSync(path.join(out, "helm/metallb.yaml"), "utf8")).values;
        assert.strictEqual(metallb.tls.controllerMetricsTLSSecret, "metallb-metrics-tls");
        assert.strictEqual(metallb["frr-k8s"].tls.metricsTLSSecret, "metallb-metrics-tls");
        const kps = parse(fs.readFileSync(path.join(out, "helm/kube-prometheus-stack.yaml"), "utf8")).values;
        assert.deepStrictEqual([kps.kubeEtcd.enabled, kps.kubeScheduler.enabled], [true, false]);
        assert.deepStrictEqual(kps.prometheus.prometheusSpec.externalLabels, { cluster: "prod-1" });
        assert.deepStrictEqual(kps.prometheus.prometheusSpec.remoteWrite[0].basicAuth.password, { name: "prometheus-remote-write", key: "mimir-password" });
        assert.ok(kps.alertmanager.config.receivers.some((r: any) => r.name === "heartbeat"));
        const docs = parseAllDocuments(fs.readFileSync(path.join(out, "manifests.yaml"), "utf8")).map((d) => d.toJS());
        const monitors = docs.filter((d) => d.kind === "ServiceMonitor");
        assert.ok(monitors.length === 3 && monitors.every((m) => m.spec.endpoints.every((e: any) => e.tlsConfig.ca.secret.name === "metallb-metrics-tls")));
        const secretDocs = parseAllDocuments(fs.readFileSync(path.join(out, "secrets.yaml"), "utf8")).map((d) => d.toJS());
        const rw = secretDocs.find((d) => d.kind === "Secret" && d.metadata.name === "prometheus-remote-write");
        assert.deepStrictEqual(Object.keys(rw.data).sort(), ["mimir-password", "mimir-username"]);
        const receivers = secretDocs.find((d) => d.kind === "Secret" && d.metadata.name === "alertmanager-receivers");
        assert.ok("heartbeat-url" in receivers.data);
    });

    it("exits non-zero with the whole list of config problems for an invalid stack (the command as a process)", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-stack-")), "Pulumi.bad.yaml");
        fs.writeFileSync(
            file,
            "config:\n  dashboard:delivery: configmap\n  metallb:chartVersion: ^0.16.1\n  metallb:pools:\n    - name: a\n      addresses: [10.0.0.1]\n",
        );
        const result = runRender(["--stack", "bad", "--stack-file", file, "--out", path.dirname(file)]);
        assert.notStrictEqual(result.status, 0);
        assert.match(result.stderr, /Invalid stack configuration \(2 problems\)/);
        assert.match(result.stderr, /metallb:chartVersion/);
        assert.match(result.stderr, /metallb:pools\[0\]\.addresses\[0\]/);
        assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, "no stack trace");
    });
});
