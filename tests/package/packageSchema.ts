/**
 * The package schema other Pulumi languages get: what the plugin serves when the CLI starts it
 * (`@pulumi/pulumi/cmd/run-plugin <plugin directory>`, GetSchema over the provider protocol), once
 * per test run (its analysis of the components' declarations is ~5 CPU-seconds), shared by the
 * mocha workers; and an in-process provider for `construct` as the engine calls it.
 */
import { spawn } from "child_process";
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { MetalLbObservabilityProvider } from "../../provider/secrets";
import { PACKAGE_ROOT, providerOptions } from "../../provider/options";
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

let schema: Promise<PackageSpec> | undefined;

/** The schema the plugin serves (credentials marked secret by provider/secrets.ts); needs the build (npm test builds first). */
export function packageSchema(): Promise<PackageSpec> {
    schema ??= oncePerRun("package-schema", () => schemaFromPlugin(PACKAGE_ROOT)).then((s) => JSON.parse(s) as PackageSpec);
    return schema;
}

let provider: Promise<ComponentProvider> | undefined;

/**
 * The component provider the plugin serves, in this process. ComponentProvider.construct reads which
 * outputs to return from its analysis (`componentDefinitions[<component>].outputs`, a private field
 * of @pulumi/pulumi 3.248's provider/experimental/provider.js, by name only), whose output names are
 * the schema's resource properties: the provider starts from those instead of analysing again. If
 * @pulumi/pulumi renames the field, construct analyses on its first call: slower, same result.
 */
export function packageProvider(): Promise<ComponentProvider> {
    provider ??= packageSchema().then((spec) => {
        const componentDefinitions = Object.fromEntries(
            Object.entries(spec.resources).map(([token, r]) => [token.split(":")[2], { name: token.split(":")[2], outputs: r.properties ?? {} }]),
        );
        return Object.assign(new MetalLbObservabilityProvider(providerOptions()), { componentDefinitions });
    });
    return provider;
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

/** Starts the plugin like the CLI does and calls ResourceProvider.GetSchema. */
function schemaFromPlugin(dir: string): Promise<string> {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
    const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
    const provproto = require("@pulumi/pulumi/proto/provider_pb");
    const child = spawn(process.execPath, [path.join(sdk, "cmd/run-plugin"), dir], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => reject(new Error(`plugin exited (${code}) before serving: ${err}`)));
        child.stdout.on("data", (d) => {
            out += d;
            const port = /^(\d+)\n/.exec(out)?.[1];
            if (port === undefined) {
                return;
            }
            child.stdout.removeAllListeners("data");
            const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            client.getSchema(new provproto.GetSchemaRequest(), (e: Error | null, res: { getSchema(): string }) => {
                client.close();
                if (e) {
                    reject(e);
                } else {
                    resolve(res.getSchema());
                }
            });
        });
    }).finally(() => {
        child.removeAllListeners("exit");
        child.kill();
    });
}
