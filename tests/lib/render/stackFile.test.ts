import * as assert from "assert";
import { readStackFile } from "../../../lib/render/stackFile";
import { redactSecrets, renderFiles } from "../../../lib/render/outputs";

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
            { type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule", name: "r", inputs: { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "metallb", namespace: "mon" }, spec: { groups: [{ name: "g", rules: [] }] } } },
            { type: "grafana:oss/dashboard:Dashboard", name: "d", inputs: { configJson: JSON.stringify({ uid: "metallb-overview", title: "x" }) } },
            { type: "kubernetes:core/v1:Secret", name: "s", inputs: { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: secret } },
        ]);
        assert.deepStrictEqual([...files.keys()].sort(), ["dashboards/metallb-overview.json", "manifests.yaml", "rules/mon-metallb.yaml"]);
        assert.match(files.get("rules/mon-metallb.yaml")!, /^groups:/);
        assert.ok(!files.get("manifests.yaml")!.includes("hunter2"));
    });
});
