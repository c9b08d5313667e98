/**
 * The package schema other Pulumi languages get, built in-process the way the plugin builds it
 * (`ComponentProvider.getSchema()` from @pulumi/pulumi/provider/experimental, no CLI), once per
 * test run: Pulumi's component analysis (a TypeScript program over the components, ~6 CPU-seconds)
 * runs in the first mocha worker that needs it, and the others start their provider from its result.
 */
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { MetalLbObservabilityProvider } from "../../provider/secrets";
import { providerOptions } from "../../provider/options";
import { oncePerRun } from "../support/oncePerRun";

export interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    description?: string;
    plain?: boolean;
}

export interface ObjectTypeSpec {
    type: string;
    description?: string;
    properties?: Record<string, PropertySpec>;
    required?: string[];
    enum?: { name?: string; value: string | number; description?: string }[];
}

export interface ResourceSpec extends ObjectTypeSpec {
    isComponent?: boolean;
    inputProperties?: Record<string, PropertySpec>;
    requiredInputs?: string[];
}

export interface PackageSpec {
    name: string;
    version?: string;
    description?: string;
    resources: Record<string, ResourceSpec>;
    types?: Record<string, ObjectTypeSpec>;
    dependencies?: { name: string; version: string }[];
}

/**
 * What ComponentProvider keeps of its analysis (@pulumi/pulumi 3.248 provider/experimental/provider.js,
 * private fields): the schema as the analyzer built it (before the provider marks the credentials
 * secret) and the component definitions `construct` reads the outputs by.
 */
interface Analysis {
    cachedSchema?: string;
    componentDefinitions?: unknown;
}

let provider: Promise<ComponentProvider> | undefined;

/**
 * The component provider the plugin serves (one per test process), holding the run's analysis. If
 * @pulumi/pulumi renames the fields, the provider analyses again on its first call: slower, same result.
 */
export function packageProvider(): Promise<ComponentProvider> {
    provider ??= oncePerRun("package-analysis", async () => {
        const p = new MetalLbObservabilityProvider(providerOptions());
        await p.getSchema();
        const { cachedSchema, componentDefinitions } = p as unknown as Analysis;
        return { cachedSchema, componentDefinitions };
    }).then((analysis: Analysis) => Object.assign(new MetalLbObservabilityProvider(providerOptions()), analysis));
    return provider;
}

/** The schema the provider serves (credentials marked secret by provider/secrets.ts). */
export async function packageSchema(): Promise<PackageSpec> {
    return JSON.parse(await (await packageProvider()).getSchema()) as PackageSpec;
}

/** `#/types/<token>` references inside a property, its items and its map values. */
export function typeRefs(p: PropertySpec | undefined): string[] {
    if (p === undefined) {
        return [];
    }
    const own = p.$ref?.startsWith("#/types/") ? [p.$ref.slice("#/types/".length)] : [];
    return [...own, ...typeRefs(p.items), ...typeRefs(p.additionalProperties)];
}

/** The components a Python program builds (`x = <alias>.<Component>(...)`), and what in it the schema refutes. */
export function pythonProblems(schema: PackageSpec, py: string): { components: string[]; problems: string[] } {
    const pkg = schema.name;
    const alias = /^import pulumi_metallb_observability as (\w+)$/m.exec(py)?.[1];
    if (!alias) {
        return { components: [], problems: ["no `import pulumi_metallb_observability as <alias>`"] };
    }
    // The Python SDK's names: snake_case properties, UPPER_SNAKE enum members
    // (pulumi/pulumi v3.259.0 pkg/codegen/python: PyName, makeSafeEnumName). Keys inside a free-form
    // map (MetalLbObservability's sections) are passed as they are: the stack config's camelCase.
    const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const upperSnake = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
    const problems: string[] = [];
    const variables: Record<string, string> = {};
    for (const [, variable, cls, body] of py.matchAll(new RegExp(`^(\\w+) = ${alias}\\.(\\w+)\\(\\n([\\s\\S]*?)^\\)`, "gm"))) {
        const spec = schema.resources[`${pkg}:index:${cls}`];
        if (!spec) {
            problems.push(`no component ${cls}`);
            continue;
        }
        variables[variable] = `${pkg}:index:${cls}`;
        for (const [, kw] of body.matchAll(/^ {4}(\w+)=/gm)) {
            if (kw !== "opts" && !(camel(kw) in (spec.inputProperties ?? {}))) {
                problems.push(`${cls}: no input ${kw}`);
            }
        }
        for (const req of spec.requiredInputs ?? []) {
            if (!new RegExp(`^ {4}${req.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}=`, "m").test(body)) {
                problems.push(`${cls}: required ${req} missing`);
            }
        }
    }
    for (const [, type, member] of py.matchAll(new RegExp(`${alias}\\.(\\w+)\\.([A-Z0-9_]+)\\b`, "g"))) {
        const t = schema.types?.[`${pkg}:index:${type}`];
        if (!t?.enum?.some((m) => upperSnake(m.name ?? String(m.value)) === member)) {
            problems.push(`no enum member ${type}.${member}`);
        }
    }
    for (const [, variable, attr] of py.matchAll(/\b(\w+)\.([a-z][a-z0-9_]*)\b(?!\()/g)) {
        const tok = variables[variable];
        if (tok && !(camel(attr) in (schema.resources[tok].properties ?? {}))) {
            problems.push(`${variable}: no output ${attr}`);
        }
    }
    return { components: Object.values(variables), problems };
}
