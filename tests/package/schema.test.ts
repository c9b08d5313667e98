import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { packageSchema, PackageSpec, PropertySpec, typeRefs } from "./packageSchema";

const ROOT = path.resolve(__dirname, "../..");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** The public components the README documents (issue 12: every one is usable from any language). */
const COMPONENTS = ["MetalLbObservability", "MetalLb", "AddressPools", "MonitoringStack", "MetalLbMonitoring", "MetalLbDashboard", "SmokeTest"];
const token = (name: string) => `metallb-observability:index:${name}`;

describe("multi-language package (PulumiPlugin.yaml + provider/)", () => {
    let schema: PackageSpec;
    before(async function () {
        this.timeout(60_000);
        schema = await packageSchema();
    });

    it("is a nodejs source plugin whose entry point (package.json main) is the provider", () => {
        const plugin = parse(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8"));
        assert.strictEqual(plugin.runtime, "nodejs");
        assert.strictEqual(PKG.main, "bin/provider/index.js");
        // TypeScript consumers keep importing the components themselves.
        assert.strictEqual(PKG.exports["."].default, "./bin/components/index.js");
    });

    it("carries package.json's name, version and description", () => {
        assert.deepStrictEqual(
            { name: schema.name, version: schema.version, description: schema.description },
            { name: PKG.name, version: PKG.version, description: PKG.description },
        );
    });

    it("exposes exactly the public components, as metallb-observability:index:<Class> components", () => {
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), COMPONENTS.map(token).sort());
        for (const name of COMPONENTS) {
            assert.strictEqual(schema.resources[token(name)].isComponent, true, name);
        }
    });

    it("documents every component, input, output and type property", () => {
        const missing: string[] = [];
        const check = (where: string, p: { description?: string }) => {
            if (!p.description?.trim()) {
                missing.push(where);
            }
        };
        for (const [tok, r] of Object.entries(schema.resources)) {
            check(tok, r);
            for (const [k, p] of Object.entries(r.inputProperties ?? {})) {
                check(`${tok} input ${k}`, p);
            }
            for (const [k, p] of Object.entries(r.properties ?? {})) {
                check(`${tok} output ${k}`, p);
            }
        }
        // Object types themselves have no description (@pulumi/pulumi 3.248's schema generation,
        // provider/experimental/schema.js, writes none for them); each of their properties has one.
        for (const [tok, t] of Object.entries(schema.types ?? {})) {
            for (const [k, p] of Object.entries(t.properties ?? {})) {
                check(`${tok}.${k}`, p);
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    it("types every input and output: each reference resolves, nothing but free-form maps (chart values) is Any", () => {
        const problems: string[] = [];
        const visit = (where: string, p: PropertySpec) => {
            for (const ref of typeRefs(p)) {
                if (!schema.types?.[ref]) {
                    problems.push(`${where} -> missing type ${ref}`);
                }
            }
            // A map of anything (extra Helm values) is deliberate; Any anywhere else means the
            // analyzer could not type the property.
            const freeForm = p.type === "object" && p.additionalProperties?.$ref === "pulumi.json#/Any";
            if (!freeForm && JSON.stringify(p).includes("pulumi.json#/Any")) {
                problems.push(`${where} is untyped (Any)`);
            }
        };
        for (const [tok, r] of Object.entries(schema.resources)) {
            for (const [k, p] of Object.entries({ ...r.inputProperties })) visit(`${tok} input ${k}`, p);
            for (const [k, p] of Object.entries({ ...r.properties })) visit(`${tok} output ${k}`, p);
        }
        for (const [tok, t] of Object.entries(schema.types ?? {})) {
            for (const [k, p] of Object.entries(t.properties ?? {})) visit(`${tok}.${k}`, p);
        }
        assert.deepStrictEqual(problems, []);
    });

    it("gives every component inputs, and every required input exists", () => {
        for (const name of COMPONENTS) {
            const r = schema.resources[token(name)];
            const inputs = Object.keys(r.inputProperties ?? {});
            assert.ok(inputs.length > 0, `${name} has no inputs`);
            for (const req of r.requiredInputs ?? []) {
                assert.ok(inputs.includes(req), `${name} requires unknown input ${req}`);
            }
        }
    });

    it("offers string unions as enums (every member named and valued)", () => {
        const enums = Object.entries(schema.types ?? {}).filter(([, t]) => t.enum);
        assert.ok(enums.length > 0, "no enum in the schema");
        for (const [tok, t] of enums) {
            assert.strictEqual(t.type, "string", tok);
            assert.ok(t.enum!.length >= 2, `${tok} has fewer than two members`);
            for (const m of t.enum!) {
                assert.ok(m.name && typeof m.value === "string", `${tok}: ${JSON.stringify(m)}`);
            }
        }
    });

    it("takes as Inputs what another component's output feeds (a Python, Go or YAML program passes the output itself)", () => {
        // Each one is fed by an output of another component of this package (AddressPools.features,
        // .reservedPools, .bgpPools, MetalLb.bgpBackend), a shared settings object, or a resource
        // elsewhere (a cert-manager Certificate's Secret).
        const wiring: [string, string][] = [
            ["AddressPools", "bgpBackend"],
            ["MetalLbDashboard", "features"],
            ["MetalLbDashboard", "clusterLabel"],
            ["MetalLbDashboard", "runbookBaseUrl"],
            ["MetalLbDashboard", "selectors"],
            ["MetalLbDashboard", "excludePools"],
            ["MetalLbDashboard", "warningPercent"],
            ["MetalLbDashboard", "criticalPercent"],
            ["MetalLbDashboard", "metallbNamespace"],
            ["MetalLbMonitoring", "tls"],
            ["MetalLbMonitoring", "alerts"],
            ["MetalLbMonitoring", "bgpPools"],
            ["MetalLbMonitoring", "reservedPools"],
            ["MetalLbMonitoring", "namespace"],
            ["MetalLbMonitoring", "selectorLabels"],
            ["MetalLbMonitoring", "prometheusServiceAccount"],
            ["MonitoringStack", "clusterLabel"],
        ];
        const plain = wiring.filter(
            ([c, p]) => schema.resources[token(c)].inputProperties?.[p]?.plain !== undefined || !schema.resources[token(c)].inputProperties?.[p],
        );
        assert.deepStrictEqual(plain, [], "plain (or missing) wiring inputs");
    });

    it("marks every credential secret: each input the docs call a secret, and the generated Grafana password", () => {
        // What the documentation promises ("always handled as a secret", "(secret)"), checked on the schema.
        const promised: string[] = [];
        const marked = (where: string, p: PropertySpec & { secret?: boolean }) => {
            // A free-form section (MetalLbObservability's) holds credentials among other keys; the
            // component makes those secrets itself (tests/components/metallbObservability.test.ts).
            if (p.additionalProperties?.$ref === "pulumi.json#/Any") {
                return;
            }
            if (/\b(handled as|as a|as) (Pulumi )?secrets?\b|\(secret\)/.test(p.description ?? "")) {
                promised.push(`${where}${p.secret ? "" : " NOT SECRET"}`);
            }
        };
        for (const [tok, r] of Object.entries(schema.resources)) {
            for (const [k, p] of Object.entries({ ...r.inputProperties })) marked(`${tok.split(":")[2]}.${k}`, p);
            for (const [k, p] of Object.entries({ ...r.properties })) marked(`${tok.split(":")[2]} output ${k}`, p);
        }
        for (const [tok, t] of Object.entries(schema.types ?? {})) {
            for (const [k, p] of Object.entries(t.properties ?? {})) marked(`${tok.split(":")[2]}.${k}`, p);
        }
        assert.deepStrictEqual(
            promised.filter((p) => p.endsWith("NOT SECRET")),
            [],
        );
        // The credentials every user of the package passes, by name.
        for (const expected of [
            "AddressPools.bgpPasswords",
            "GrafanaTargetArgs.auth",
            "GrafanaArgs.adminPassword",
            "PagerDutyReceiverArgs.routingKey",
            "SlackReceiverArgs.webhookUrl",
            "HeartbeatReceiverArgs.url",
            "RemoteWriteArgs.credential",
            "MonitoringStack output grafanaAdminPassword",
            "MetalLbObservability output grafanaAdminPassword",
        ]) {
            assert.ok(promised.includes(expected), `${expected} is documented as a secret and marked (documented: ${promised.join(", ")})`);
        }
    });

    it("MetalLb's BGP backend is an enum of MetalLB 0.16's backends (native, frr-k8s)", () => {
        const input = schema.resources[token("MetalLb")].inputProperties?.bgpBackend;
        assert.ok(input, "MetalLb has no bgpBackend input");
        const [ref] = typeRefs(input);
        const values = (schema.types?.[ref]?.enum ?? []).map((m) => m.value).sort();
        assert.deepStrictEqual(values, ["frr-k8s", "native"]);
    });

    it("is served by the entry point the CLI starts, over the provider protocol, for package.json's name and version", () => {
        // packageSchema() is what `@pulumi/pulumi/cmd/run-plugin <plugin directory>` answers to
        // GetSchema (tests/package/packageSchema.ts).
        assert.strictEqual(schema.name, PKG.name);
        assert.strictEqual(schema.version, PKG.version);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), COMPONENTS.map(token).sort());
    });
});
