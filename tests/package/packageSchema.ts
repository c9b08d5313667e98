/**
 * The package schema other Pulumi languages get, built in-process the way the plugin builds it
 * (`ComponentProvider.getSchema()` from @pulumi/pulumi/provider/experimental, no CLI), once per
 * test process.
 */
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { providerOptions } from "../../provider/options";

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

let provider: ComponentProvider | undefined;
let schema: Promise<PackageSpec> | undefined;

/** The component provider the plugin serves (one per test process). */
export function packageProvider(): ComponentProvider {
    provider ??= new ComponentProvider(providerOptions());
    return provider;
}

export function packageSchema(): Promise<PackageSpec> {
    schema ??= packageProvider()
        .getSchema()
        .then((s) => JSON.parse(s) as PackageSpec);
    return schema;
}

/** `#/types/<token>` references inside a property, its items and its map values. */
export function typeRefs(p: PropertySpec | undefined): string[] {
    if (p === undefined) {
        return [];
    }
    const own = p.$ref?.startsWith("#/types/") ? [p.$ref.slice("#/types/".length)] : [];
    return [...own, ...typeRefs(p.items), ...typeRefs(p.additionalProperties)];
}
