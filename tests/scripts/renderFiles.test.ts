import * as assert from "assert";
import { parse } from "yaml";
import { readStackFile, StackFileError } from "../../scripts/render/stackFile";
import { redactSecrets, renderFiles } from "../../scripts/render/outputs";

describe("readStackFile", () => {
    it("qualifies bare keys with the project, JSON-encodes structured values and hides secure ones", () => {
        const { config, secretKeys } = readStackFile(
            [
                "config:",
                "  region: here",
                "  metallb:pools:",
                "    - name: a",
                "  monitoring:grafanaAdminPassword:",
                "    secure: v1:abc:def",
                "  metallb:bgpPasswords:",
                "    tor-a:",
                "      secure: v1:ghi:jkl",
            ].join("\n"),
            "proj",
        );
        assert.strictEqual(config["proj:region"], "here");
        assert.deepStrictEqual(JSON.parse(config["metallb:pools"]), [{ name: "a" }]);
        assert.strictEqual(config["monitoring:grafanaAdminPassword"], "[secret]");
        assert.deepStrictEqual(JSON.parse(config["metallb:bgpPasswords"]), { "tor-a": "[secret]" });
        assert.deepStrictEqual(secretKeys.sort(), ["metallb:bgpPasswords", "monitoring:grafanaAdminPassword"]);
    });
});

describe("renderFiles", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };

    it("replaces Pulumi secret values with a placeholder", () => {
        assert.deepStrictEqual(redactSecrets({ a: [secret], b: { c: secret } }), { a: ["[secret]"], b: { c: "[secret]" } });
    });

    it("writes PrometheusRule specs as rule files and dashboards by uid", () => {
        const files = renderFiles([
            {
                type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                name: "r",
                inputs: {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "PrometheusRule",
                    metadata: { name: "metallb", namespace: "mon" },
                    spec: { groups: [{ name: "g", rules: [] }] },
                },
            },
            { type: "grafana:oss/dashboard:Dashboard", name: "d", inputs: { configJson: JSON.stringify({ uid: "metallb-overview", title: "x" }) } },
            { type: "kubernetes:core/v1:Secret", name: "s", inputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: secret } },
        ]);
        assert.deepStrictEqual([...files.keys()].sort(), ["dashboards/metallb-overview.json", "manifests.yaml", "rules/mon-metallb.yaml", "secrets.yaml"]);
        assert.match(files.get("rules/mon-metallb.yaml")!, /^groups:/);
        assert.ok(!files.get("manifests.yaml")!.includes("hunter2"));
        assert.ok(!files.get("secrets.yaml")!.includes("hunter2"));
    });
});

describe("render as a GitOps artefact", () => {
    const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

    it("lists each Secret outside manifests.yaml, its keys under data with a placeholder that is not base64 (kubectl apply refuses it)", () => {
        const files = renderFiles([
            {
                type: "kubernetes:core/v1:Secret",
                name: "s",
                inputs: {
                    apiVersion: "v1",
                    kind: "Secret",
                    metadata: { name: "s", namespace: "n" },
                    stringData: secret({ user: "admin", password: "hunter2" }),
                },
            },
            {
                type: "kubernetes:core/v1:Secret",
                name: "t",
                inputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "t", namespace: "n" }, stringData: { token: secret("abc123") } },
            },
        ]);
        assert.strictEqual(files.get("manifests.yaml"), "", "no Secret among the applicable manifests");
        const text = files.get("secrets.yaml")!;
        assert.ok(!text.includes("hunter2") && !text.includes("abc123") && !text.includes("admin"));
        const docs = text.split("---\n").map((d) => parse(d));
        assert.deepStrictEqual(docs[0].data, { password: "[secret]", user: "[secret]" });
        assert.deepStrictEqual(docs[1].data, { token: "[secret]" });
        assert.ok(
            docs.every((d) => d.stringData === undefined),
            "no stringData: a placeholder there would become the value",
        );
        // What the API server does with `data` (map[string][]byte): base64-decode it; the placeholder is not base64.
        assert.throws(() => Buffer.from("[secret]", "base64").toString("base64") === "[secret]" || assert.fail("decodes"), /decodes/);
    });

    it("puts Namespaces before everything else", () => {
        const files = renderFiles([
            { type: "kubernetes:core/v1:ConfigMap", name: "c", inputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "zz" } } },
            { type: "kubernetes:core/v1:Namespace", name: "n", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "zz" } } },
        ]);
        assert.deepStrictEqual(
            files
                .get("manifests.yaml")!
                .split("---\n")
                .map((d) => parse(d).kind),
            ["Namespace", "ConfigMap"],
        );
    });

    it("reports a YAML syntax error with file, line and column", () => {
        assert.throws(
            () => readStackFile("config:\n  a: [1\n  b: 2\n", "proj", "Pulumi.x.yaml"),
            (err: Error) => err instanceof StackFileError && /^Pulumi\.x\.yaml:\d+:\d+: \S/.test(err.message),
        );
    });
});
