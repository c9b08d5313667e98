import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ARG_HINTS } from "../lib/metallb/plan";
import { formatProblems, parseWith, Problem } from "../lib/util/problems";

/**
 * The one argument convention of every component: a zod schema per component (its `z.input` is
 * asserted identical to the exported `…Args` interface, which Pulumi's schema analyzer reads), parsed
 * once before `super()`. Every problem is listed as `args.<path>` in one RunError (no stack trace),
 * and nothing is registered.
 */
export function parseArgs<S extends z.ZodType>(
    component: string,
    name: string,
    schema: S,
    args: unknown,
    extra: (parsed: z.output<S>) => Problem[] = () => [],
): z.output<S> {
    const problems: Problem[] = [];
    const parsed = parseWith(schema, args ?? {}, { root: "args.", hints: ARG_HINTS }, problems);
    if (parsed !== undefined) {
        problems.push(...extra(parsed));
    }
    if (problems.length > 0 || parsed === undefined) {
        throw new pulumi.RunError(formatProblems(problems, `arguments of ${component} "${name}"`));
    }
    return parsed;
}

/** The package's type token for a component, and the alias that keeps stacks built with the old token. */
export function componentType(
    className: string,
    oldToken: string,
): { type: string; opts: (opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResourceOptions } {
    return {
        type: `metallb-observability:index:${className}`,
        opts: (opts) => ({ ...opts, aliases: [...(opts?.aliases ?? []), { type: oldToken }] }),
    };
}

/**
 * The `dependsOn` of a component's options, forwarded to the children that must wait (Pulumi
 * applies a component's `dependsOn` to the component only), plus the child's own dependencies.
 */
export function forwardDependsOn(
    opts: pulumi.ComponentResourceOptions | undefined,
    ...extra: pulumi.Resource[]
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    const given = opts?.dependsOn;
    if (given === undefined) {
        return extra;
    }
    if (Array.isArray(given)) {
        return [...given, ...extra];
    }
    if (pulumi.Resource.isInstance(given)) {
        return [given, ...extra];
    }
    return pulumi
        .output(given as pulumi.Input<pulumi.Input<pulumi.Resource>[] | pulumi.Resource>)
        .apply((d) => [...(Array.isArray(d) ? d : [d]), ...extra]) as pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}
