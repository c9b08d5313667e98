import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseAllDocuments } from "yaml";
import { readTree, renderedStack, runRender } from "../support/render";

describe("npm run render (offline render)", function () {
    this.timeout(120_000);

    for (const stack of ["dev", "prod"]) {
        it(`renders the ${stack} stack byte-identically twice`, () => {
            const first = readTree(renderedStack(stack));
            const again = fs.mkdtempSync(path.join(os.tmpdir(), `render-${stack}-again-`));
            const result = runRender(["--stack", stack, "--out", again]);
            assert.strictEqual(result.status, 0, result.stderr);
            assert.deepStrictEqual(readTree(again), first);
        });
    }

    it("writes every declared Kubernetes object, ordered by kind, namespace and name", () => {
        const docs = parseAllDocuments(fs.readFileSync(path.join(renderedStack("prod"), "manifests.yaml"), "utf8")).map((d) => d.toJS());
        const keys = docs.map((d) => [d.kind, d.metadata.namespace ?? "", d.metadata.name].join("/"));
        assert.deepStrictEqual(keys, [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        const kinds = new Set(docs.map((d) => d.kind));
        for (const kind of ["Namespace", "IPAddressPool", "L2Advertisement", "BGPPeer", "BGPAdvertisement", "BFDProfile", "Community", "Secret"]) {
            assert.ok(kinds.has(kind), `manifests.yaml lists a ${kind}`);
        }
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

    it("never writes a secret: encrypted stack values and Secret data are placeholders", () => {
        const prodFile = fs.readFileSync(path.join(__dirname, "../../Pulumi.prod.yaml"), "utf8");
        const ciphertexts = [...prodFile.matchAll(/secure: (\S+)/g)].map((m) => m[1]);
        assert.ok(ciphertexts.length > 0);
        const all = [...readTree(renderedStack("prod")).values()].join("\n");
        const secrets = parseAllDocuments(fs.readFileSync(path.join(renderedStack("prod"), "manifests.yaml"), "utf8"))
            .map((d) => d.toJS())
            .filter((d) => d.kind === "Secret");
        assert.ok(secrets.length > 0 && secrets.every((s) => s.stringData === "[secret]"));
        for (const c of ciphertexts) {
            assert.ok(!all.includes(c), "not even the ciphertext is copied");
        }
    });

    it("exits non-zero with the whole list of config problems for an invalid stack", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-stack-")), "Pulumi.bad.yaml");
        fs.writeFileSync(file, "config:\n  dashboard:delivery: configmap\n  metallb:chartVersion: ^0.16.1\n  metallb:pools:\n    - name: a\n      addresses: [10.0.0.1]\n");
        const result = runRender(["--stack", "bad", "--stack-file", file, "--out", path.dirname(file)]);
        assert.notStrictEqual(result.status, 0);
        assert.match(result.stderr, /Invalid stack configuration \(2 problems\)/);
        assert.match(result.stderr, /metallb:chartVersion/);
        assert.match(result.stderr, /metallb:pools\[0\]\.addresses\[0\]/);
        assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, "no stack trace");
    });
});
