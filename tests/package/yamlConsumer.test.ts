import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { promiseOf, registered } from "../support/pulumi";
import { packageProvider, packageSchema, PackageSpec, PropertySpec } from "./packageSchema";

const ROOT = path.resolve(__dirname, "../..");
/** The whole-stack program, and the one that composes the parts. */
const EXAMPLES = ["examples/yaml-consumer", "examples/yaml-consumer-parts"].map((e) => path.join(ROOT, e));
const EXAMPLE = EXAMPLES[0];
const PACKAGE = "metallb-observability";

interface YamlResource {
    type: string;
    properties?: Record<string, unknown>;
    options?: { dependsOn?: unknown[] };
}
interface YamlProgram {
    name: string;
    runtime: string | { name: string };
    packages?: Record<string, string | { source: string }>;
    config?: Record<string, unknown>;
    variables?: Record<string, unknown>;
    resources?: Record<string, YamlResource>;
    outputs?: Record<string, unknown>;
}

/** Pulumi YAML accepts `pkg:Type` as well as `pkg:index:Type`. */
const fullToken = (type: string) => (type.split(":").length === 2 ? type.replace(":", ":index:") : type);

/** `${name}`, `${name.prop}`, `${name.prop[0].x}` inside a string. */
function references(value: unknown): { name: string; property?: string }[] {
    if (typeof value === "string") {
        return [...value.matchAll(/\$\{([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?[^}]*\}/g)].map((m) => ({ name: m[1], property: m[2] }));
    }
    if (Array.isArray(value)) {
        return value.flatMap(references);
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).flatMap(references);
    }
    return [];
}

/** Problems of a literal value against a schema property (interpolated strings are left to the engine). */
function checkValue(schema: PackageSpec, where: string, value: unknown, spec: PropertySpec, problems: string[], resources: Set<string> = new Set()): void {
    if (typeof value === "string" && value.includes("${")) {
        // A plain (non-Input) property must be known when the program runs, even in a preview: a
        // resource output is not.
        if (spec.plain && references(value).some((r) => resources.has(r.name))) {
            problems.push(`${where}: a plain input cannot take a resource output (${value})`);
        }
        return;
    }
    if (spec.$ref?.startsWith("#/types/")) {
        const t = schema.types?.[spec.$ref.slice("#/types/".length)];
        if (t === undefined) {
            problems.push(`${where}: unknown type ${spec.$ref}`);
        } else if (t.enum) {
            const values = t.enum.map((m) => m.value);
            if (!values.includes(value as string)) {
                problems.push(`${where}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`);
            }
        } else {
            checkObject(schema, where, value, t.properties ?? {}, t.required ?? [], problems, resources);
        }
        return;
    }
    if (spec.$ref) {
        return; // a resource of another package: given by reference
    }
    switch (spec.type) {
        case "string":
        case "boolean":
            if (typeof value !== spec.type) problems.push(`${where}: expected a ${spec.type}`);
            return;
        case "number":
        case "integer":
            if (typeof value !== "number") problems.push(`${where}: expected a number`);
            return;
        case "array":
            if (!Array.isArray(value)) {
                problems.push(`${where}: expected a list`);
            } else {
                value.forEach((v, i) => {
                    checkValue(schema, `${where}[${i}]`, v, spec.items ?? {}, problems, resources);
                });
            }
            return;
        case "object":
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                problems.push(`${where}: expected a map`);
            } else if (spec.additionalProperties) {
                for (const [k, v] of Object.entries(value)) checkValue(schema, `${where}.${k}`, v, spec.additionalProperties, problems, resources);
            }
            return;
    }
}

function checkObject(
    schema: PackageSpec,
    where: string,
    value: unknown,
    properties: Record<string, PropertySpec>,
    required: string[],
    problems: string[],
    resources: Set<string> = new Set(),
): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        problems.push(`${where}: expected an object`);
        return;
    }
    for (const [k, v] of Object.entries(value)) {
        if (!(k in properties)) {
            problems.push(`${where}.${k}: no such property (has ${Object.keys(properties).join(", ")})`);
        } else {
            checkValue(schema, `${where}.${k}`, v, properties[k], problems, resources);
        }
    }
    for (const r of required) {
        if (!(r in value)) {
            problems.push(`${where}: required ${r} is missing`);
        }
    }
}

/** Everything in a Pulumi YAML program that the package schema can refute. */
function checkProgram(schema: PackageSpec, program: YamlProgram): string[] {
    const problems: string[] = [];
    const resources = program.resources ?? {};
    const names = new Set([...Object.keys(resources), ...Object.keys(program.config ?? {}), ...Object.keys(program.variables ?? {})]);
    for (const [name, r] of Object.entries(resources)) {
        const tok = fullToken(r.type);
        if (!tok.startsWith(`${PACKAGE}:`)) {
            continue;
        }
        const spec = schema.resources[tok];
        if (spec === undefined) {
            problems.push(`${name}: no resource ${r.type} in the package`);
            continue;
        }
        checkObject(
            schema,
            `${name}.properties`,
            r.properties ?? {},
            spec.inputProperties ?? {},
            spec.requiredInputs ?? [],
            problems,
            new Set(Object.keys(resources)),
        );
        for (const d of r.options?.dependsOn ?? []) {
            const m = typeof d === "string" ? /^\$\{([A-Za-z0-9_-]+)\}$/.exec(d) : null;
            if (!m || !(m[1] in resources)) {
                problems.push(`${name}.options.dependsOn: ${JSON.stringify(d)} is not a resource of the program`);
            }
        }
    }
    for (const [where, value] of [...Object.entries(resources).map(([n, r]) => [n, r.properties] as const), ["outputs", program.outputs] as const]) {
        for (const ref of references(value)) {
            if (!names.has(ref.name)) {
                problems.push(`${where}: \${${ref.name}} is not declared`);
                continue;
            }
            const target = resources[ref.name];
            const spec = target && schema.resources[fullToken(target.type)];
            if (spec && ref.property !== undefined && !(ref.property in (spec.properties ?? {}))) {
                problems.push(`${where}: ${target.type} has no output ${ref.property}`);
            }
        }
    }
    return problems;
}

const readProgram = (dir: string): YamlProgram => parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));

describe("YAML consumer examples (examples/yaml-consumer, examples/yaml-consumer-parts)", () => {
    let schema: PackageSpec;
    before(async function () {
        this.timeout(60_000);
        schema = await packageSchema();
    });

    it("use every component of the package between them", () => {
        const used = new Set(EXAMPLES.flatMap((e) => Object.values(readProgram(e).resources ?? {}).map((r) => fullToken(r.type))));
        assert.deepStrictEqual(
            Object.keys(schema.resources).filter((t) => !used.has(t)),
            [],
        );
    });

    it("docs/languages.md shows the whole-stack example as it is, and a Python snippet", () => {
        const use = fs.readFileSync(path.join(ROOT, "docs", "languages.md"), "utf8");
        const shown = [...use.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as YamlProgram);
        assert.ok(
            shown.some((p) => JSON.stringify(p.resources) === JSON.stringify(readProgram(EXAMPLE).resources)),
            "the example's resources, as they are in examples/yaml-consumer/Pulumi.yaml",
        );
        assert.match(use, /```python\n[\s\S]*import pulumi_metallb_observability/);
    });

    it("the whole-stack example is one component, with the sections of the stack config", () => {
        const types = Object.values(readProgram(EXAMPLE).resources ?? {}).map((r) => fullToken(r.type));
        assert.deepStrictEqual(types, [`${PACKAGE}:index:MetalLbObservability`]);
    });
});

for (const example of EXAMPLES)
    describe(`YAML consumer example (${path.relative(ROOT, example)})`, () => {
        let schema: PackageSpec;
        let program: YamlProgram;
        before(async function () {
            this.timeout(60_000);
            schema = await packageSchema();
            program = readProgram(example);
        });

        it("is a Pulumi YAML program that adds this repository as a package", () => {
            assert.strictEqual(typeof program.runtime === "string" ? program.runtime : program.runtime.name, "yaml");
            const source = program.packages?.[PACKAGE];
            assert.ok(source, `packages.${PACKAGE}`);
            assert.strictEqual(path.resolve(example, typeof source === "string" ? source : source.source), ROOT);
        });

        it("uses only types, inputs, enum values and outputs the schema has, and gives every required input", () => {
            assert.deepStrictEqual(checkProgram(schema, program), []);
        });

        it("the check does catch an unknown input, a bad enum value, a missing required input and an unknown output", () => {
            const [tok, spec] = Object.entries(schema.resources).find(([, r]) => (r.requiredInputs ?? []).length > 0) ?? [];
            assert.ok(tok && spec, "a component with a required input");
            const enumInput = Object.entries(schema.resources)
                .flatMap(([t, r]) => Object.entries(r.inputProperties ?? {}).map(([k, p]) => [t, k, p] as const))
                .find(([, , p]) => schema.types?.[p.$ref?.slice("#/types/".length) ?? ""]?.enum);
            assert.ok(enumInput, "a component with an enum input");
            const plainInput = Object.entries(schema.resources)
                .flatMap(([t, r]) => Object.entries(r.inputProperties ?? {}).map(([k, p]) => [t, k, p] as const))
                .find(([, , p]) => p.plain);
            assert.ok(plainInput, "a component with a plain input");
            const broken: YamlProgram = {
                name: "broken",
                runtime: "yaml",
                resources: {
                    a: { type: tok, properties: { noSuchInput: 1 } },
                    b: { type: enumInput[0], properties: { [enumInput[1]]: "no-such-value" } },
                    c: { type: plainInput[0], properties: { [plainInput[1]]: "${a.whatever}" } },
                },
                outputs: { x: "${a.noSuchOutput}" },
            };
            const problems = checkProgram(schema, broken).join("\n");
            assert.match(problems, /a\.properties\.noSuchInput: no such property/);
            assert.match(problems, new RegExp(`a\\.properties: required ${spec.requiredInputs![0]} is missing`));
            assert.match(problems, new RegExp(`b\\.properties\\.${enumInput[1]}: "no-such-value" is not one of`));
            assert.match(problems, /has no output noSuchOutput/);
            assert.match(problems, new RegExp(`c\\.properties\\.${plainInput[1]}: a plain input cannot take a resource output`));
        });

        it("runs through the provider (construct, as the engine calls it) under the mock runtime; each component registers under its schema token and sets the outputs the schema promises", async function () {
            this.timeout(60_000);
            // Pulumi YAML hands each resource's properties to the plugin's Construct; here the values
            // of `${resource.output}` are the outputs of the components constructed before, config
            // values stand-ins (secret ones as secrets).
            const provider = await packageProvider();
            const states: Record<string, Record<string, unknown>> = {};
            const config = (name: string) => {
                const c = (program.config?.[name] ?? {}) as { default?: unknown; secret?: boolean };
                const v = c.default ?? `example-${name}`;
                return c.secret ? pulumi.secret(v) : v;
            };
            const resolve = (v: unknown): unknown => {
                if (typeof v === "string") {
                    const m = /^\$\{([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_]+))?\}$/.exec(v);
                    assert.ok(m || !v.includes("${"), `only whole-value references are resolved here: ${v}`);
                    return m ? (m[2] === undefined ? config(m[1]) : states[m[1]][m[2]]) : v;
                }
                if (Array.isArray(v)) return v.map(resolve);
                if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
                return v;
            };
            for (const [name, r] of Object.entries(program.resources ?? {})) {
                const tok = fullToken(r.type);
                const { urn, state } = await provider.construct(`yaml-${name}`, tok, resolve(r.properties ?? {}) as pulumi.Inputs, {});
                assert.match(await promiseOf(pulumi.output(urn)), new RegExp(`::${tok}::yaml-${name}$`));
                states[name] = state as Record<string, unknown>;
                const spec = schema.resources[tok];
                const unset = Object.keys(spec.properties ?? {}).filter((k) => (spec.required ?? []).includes(k) && state[k] === undefined);
                assert.deepStrictEqual(unset, [], `${name}: outputs the schema requires`);
                assert.ok((await registered(`yaml-${name}`)).length > 1, `${name} registered children`);
            }
        });
    });
