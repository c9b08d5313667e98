import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, promiseOf } from "../support/pulumi";
import { packageProvider, packageSchema, PackageSpec, pythonProblems } from "./packageSchema";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples/python-consumer/__main__.py");
const PACKAGE = "metallb-observability";

/** `mo.MetalLbObservability(...)`'s section arguments, read as Python literals (dicts, lists, strings, booleans, numbers). */
function sectionsOf(py: string): Record<string, unknown> {
    const call = /^stack = mo\.MetalLbObservability\(\n\s+"[^"]+",\n([\s\S]*?)^\)/m.exec(py)?.[1] ?? "";
    const out: Record<string, unknown> = {};
    for (const [, kw, literal] of call.matchAll(/^ {4}(\w+)=(\{[\s\S]*?^ {4}\}|\{[^\n]*\}),?$/gm)) {
        const json = literal
            .replace(/#.*$/gm, "")
            .replace(/\bFalse\b/g, "false")
            .replace(/\bTrue\b/g, "true")
            .replace(/config\.require_secret\("(\w+)"\)/g, '"<secret:$1>"')
            .replace(/,(\s*[}\]])/g, "$1");
        out[kw] = JSON.parse(json);
    }
    return out;
}

describe("Python consumer example (examples/python-consumer)", () => {
    let schema: PackageSpec;
    const py = fs.readFileSync(EXAMPLE, "utf8");
    before(async function () {
        this.timeout(60_000);
        schema = await packageSchema();
    });

    it("uses the whole-stack component with inputs and outputs named as the Python SDK names them", () => {
        const { components, problems } = pythonProblems(schema, py);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(components, [`${PACKAGE}:index:MetalLbObservability`]);
    });

    it("the check refutes a wrong argument, a wrong output and a camelCase argument", () => {
        const broken = py
            .replace("    alerts=", "    alert_settings=")
            .replace("stack.prometheus_url", "stack.prometheus_address")
            .replace("    metallb=", "    metalLb=");
        const { problems } = pythonProblems(schema, broken);
        assert.ok(problems.includes("MetalLbObservability: no input alert_settings"), problems.join("\n"));
        assert.ok(problems.includes("MetalLbObservability: no input metalLb"), problems.join("\n"));
        assert.ok(problems.includes("stack: no output prometheus_address"), problems.join("\n"));
    });

    it("its sections construct through the provider as the engine calls it, the config secret staying a secret", async function () {
        this.timeout(60_000);
        const sections = sectionsOf(py);
        assert.deepStrictEqual(Object.keys(sections).sort(), ["alerts", "metallb", "monitoring"]);
        const secret = pulumi.secret("from-python-config");
        const withSecret = JSON.parse(JSON.stringify(sections), (_, v) => (v === "<secret:grafanaAdminPassword>" ? "__SECRET__" : v));
        (withSecret.monitoring as Record<string, unknown>).grafanaAdminPassword = secret;
        const { state } = await (await packageProvider()).construct("py-stack", `${PACKAGE}:index:MetalLbObservability`, withSecret as pulumi.Inputs, {});
        const out = state as Record<string, pulumi.Output<unknown>>;
        assert.deepStrictEqual(await promiseOf(pulumi.output(out.reservedPools)), ["grafana"]);
        assert.strictEqual(await isSecret(pulumi.output(out.grafanaAdminPassword)), true);
    });

    it("docs/languages.md's Python snippet passes the same check", () => {
        const snippet = /```python\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(ROOT, "docs", "languages.md"), "utf8"))?.[1] ?? "";
        const { components, problems } = pythonProblems(schema, snippet);
        assert.ok(components.length > 0, "the snippet builds a component");
        assert.deepStrictEqual(problems, []);
    });
});
