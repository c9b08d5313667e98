import { EnforcementLevel, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/**
 * Runs the pack's resource policies outside the Pulumi engine (unit tests, `npm run policy`), the
 * way `pulumi preview --policy-pack policy [--policy-pack-config <file>]` applies them.
 * Self-contained like the rest of policy/.
 */

/** A policy config file as `--policy-pack-config` takes it: `{ "all": level, "<policy>": level | { enforcementLevel?, ...config } }`. */
export type PolicyPackConfig = Record<string, unknown>;

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface ResolvedPolicy {
    policy: ResourceValidationPolicy;
    enforcementLevel: EnforcementLevel;
    config: Record<string, unknown>;
}

/**
 * Each policy's enforcement level and config: schema defaults, then the file's `all` level, then
 * its entry for the policy. Throws on an unknown policy, level or config property, like the CLI.
 */
export function resolvePolicies(policies: ResourceValidationPolicy[], file: PolicyPackConfig = {}): ResolvedPolicy[] {
    const known = new Set(policies.map((p) => p.name));
    const problems: string[] = [];
    const level = (where: string, v: unknown): EnforcementLevel | undefined => {
        if (v === undefined) {
            return undefined;
        }
        if (!LEVELS.includes(v as EnforcementLevel)) {
            problems.push(`${where}: enforcement level ${JSON.stringify(v)} is not one of ${LEVELS.join(", ")}`);
            return undefined;
        }
        return v as EnforcementLevel;
    };
    const allEntry = file.all;
    const all = level("all", typeof allEntry === "object" && allEntry !== null ? (allEntry as { enforcementLevel?: unknown }).enforcementLevel : allEntry);
    for (const name of Object.keys(file)) {
        if (name !== "all" && !known.has(name)) {
            problems.push(`${name}: no such policy in the pack (${[...known].join(", ")})`);
        }
    }
    const resolved = policies.map((policy) => {
        const entry = file[policy.name];
        const props = (policy.configSchema?.properties ?? {}) as Record<string, { type?: string; default?: unknown }>;
        const config: Record<string, unknown> = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.default]));
        let own: EnforcementLevel | undefined;
        if (typeof entry === "string") {
            own = level(policy.name, entry);
        } else if (typeof entry === "object" && entry !== null) {
            for (const [k, v] of Object.entries(entry)) {
                if (k === "enforcementLevel") {
                    own = level(policy.name, v);
                } else if (!(k in props)) {
                    problems.push(`${policy.name}: unknown config property ${k} (has ${Object.keys(props).join(", ") || "none"})`);
                } else if (props[k].type !== undefined && typeof v !== props[k].type) {
                    problems.push(`${policy.name}: ${k} must be a ${props[k].type}`);
                } else {
                    config[k] = v;
                }
            }
        } else if (entry !== undefined) {
            problems.push(`${policy.name}: expected an enforcement level or an object`);
        }
        return { policy, enforcementLevel: own ?? all ?? policy.enforcementLevel ?? "advisory", config };
    });
    if (problems.length > 0) {
        throw new Error(`invalid policy config:\n${problems.join("\n")}`);
    }
    return resolved;
}

export interface Evaluation {
    /** False when the policy called `notApplicable()` for this resource. */
    applicable: boolean;
    messages: string[];
}

class NotApplicable extends Error {}

/** Runs one resource policy against one resource and says whether it applied and what it reported. */
export async function evaluate(
    policy: ResourceValidationPolicy,
    resource: { type: string; name?: string; props: Record<string, unknown> },
    config: Record<string, unknown> = resolvePolicies([policy])[0].config,
): Promise<Evaluation> {
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
        getConfig: <T extends object>() => config as T,
        notApplicable: (): never => {
            throw new NotApplicable();
        },
    } as unknown as ResourceValidationArgs;
    const v = policy.validateResource;
    const validations = v === undefined ? [] : Array.isArray(v) ? v : [v];
    try {
        for (const validate of validations) {
            await validate(args, (message: string) => messages.push(message));
        }
    } catch (err) {
        if (err instanceof NotApplicable) {
            return { applicable: false, messages: [] };
        }
        throw err;
    }
    return { applicable: true, messages };
}

/** The violation messages of one policy for one resource (none when it does not apply). */
export async function violations(
    policy: ResourceValidationPolicy,
    resource: { type: string; name?: string; props: Record<string, unknown> },
    overrides: Record<string, unknown> = {},
): Promise<string[]> {
    const { config } = resolvePolicies([policy], { [policy.name]: overrides })[0];
    return (await evaluate(policy, resource, config)).messages;
}

export interface StackReport {
    /** One line per policy: how many resources it checked, and its violations. */
    lines: string[];
    /** Violations of mandatory (or remediate) policies: the run fails. */
    mandatory: number;
    /** Resource checks performed by enabled policies; 0 means the run checked nothing. */
    checks: number;
    /** Enabled policies that applied to no resource. */
    unchecked: string[];
}

/** Applies every enabled policy to every resource, as a preview with the pack would. */
export async function checkResources(
    policies: ResolvedPolicy[],
    resources: { type: string; name: string; props: Record<string, unknown> }[],
): Promise<StackReport> {
    const lines: string[] = [];
    let mandatory = 0;
    let checks = 0;
    const unchecked: string[] = [];
    for (const { policy, enforcementLevel, config } of policies) {
        if (enforcementLevel === "disabled") {
            lines.push(`${policy.name}: disabled`);
            continue;
        }
        let checked = 0;
        const found: string[] = [];
        for (const r of resources) {
            const e = await evaluate(policy, r, config);
            checked += e.applicable ? 1 : 0;
            found.push(...e.messages.map((m) => `  [${enforcementLevel}] ${r.type} ${r.name}: ${m}`));
        }
        checks += checked;
        if (checked === 0) {
            unchecked.push(policy.name);
        }
        // A validation policy at "remediate" blocks like "mandatory" (it has nothing to remediate).
        if (enforcementLevel === "mandatory" || enforcementLevel === "remediate") {
            mandatory += found.length;
        }
        const verdict =
            checked === 0
                ? "checked nothing (no resource it applies to)"
                : found.length === 0
                  ? `${checked} resource(s) checked, pass`
                  : `${checked} resource(s) checked, ${found.length} violation(s)`;
        lines.push(`${policy.name} (${enforcementLevel}): ${verdict}`, ...found);
    }
    return { lines, mandatory, checks, unchecked };
}

/**
 * The last line of a run. An enabled policy that checked nothing is no pass (e.g. MetalLB in a
 * namespace the pack was not told about: the namespace rule looked at no namespace): the run fails
 * and names it, so a misconfigured pack cannot report "pass". Disable a policy that cannot apply.
 */
export function verdict(stack: string, report: StackReport, resources: number): { ok: boolean; line: string } {
    if (report.checks === 0) {
        return { ok: false, line: `stack "${stack}": nothing checked: no policy applies to any of its ${resources} resources; this is not a pass` };
    }
    if (report.mandatory > 0) {
        return { ok: false, line: `stack "${stack}": ${report.mandatory} mandatory policy violation(s)` };
    }
    if (report.unchecked.length > 0) {
        return {
            ok: false,
            line: `stack "${stack}": not a pass: ${report.unchecked.join(", ")} checked nothing (is the pack told the right namespaces? disable a policy that cannot apply)`,
        };
    }
    return { ok: true, line: `stack "${stack}": pass` };
}
