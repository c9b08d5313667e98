import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/** Policy configuration as `pulumi preview --policy-pack` applies it: schema defaults, then overrides. */
export function policyConfig(policy: ResourceValidationPolicy, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const defaults = Object.entries(policy.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default]);
    return { ...Object.fromEntries(defaults), ...overrides };
}

/**
 * Runs one resource policy against one resource outside the Pulumi engine (unit tests, the offline
 * check) and returns its violation messages.
 */
export async function violations(
    policy: ResourceValidationPolicy,
    resource: { type: string; name?: string; props: Record<string, unknown> },
    config: Record<string, unknown> = {},
): Promise<string[]> {
    const messages: string[] = [];
    const name = resource.name ?? "test";
    const args = {
        type: resource.type,
        props: resource.props,
        urn: `urn:pulumi:offline::metallb-observability::${resource.type}::${name}`,
        name,
        opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => policyConfig(policy, config) as T,
        notApplicable: (): never => {
            throw new Error("not applicable");
        },
    } as unknown as ResourceValidationArgs;
    const v = policy.validateResource;
    const validations = v === undefined ? [] : Array.isArray(v) ? v : [v];
    for (const validate of validations) {
        await validate(args, (message: string) => messages.push(message));
    }
    return messages;
}
