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
    if (isValidated(args)) {
        if (recheck) {
            const problems: Problem[] = [];
            const parsed = parseWith(schema, args, { root: "args." }, problems);
            problems.push(...(parsed === undefined ? [] : extra(parsed)));
            if (problems.length > 0) {
                throw new Error(
                    `${component} "${name}" refuses arguments the whole-stack component validated: the stack settings' checks miss what the part's schema checks.\n${formatProblems(problems, `arguments of ${component} "${name}"`)}`,
                );
            }
        }
        return args as z.output<S>;
    }
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

/**
 * Argument objects MetalLbObservability built for its parts from settings it validated: the stack
 * config sections are checked once, with the schemas the parts' own are built from (lib/), and the
 * parts take what they get as it is. The tests turn `recheck` on (METALLB_OBSERVABILITY_RECHECK_ARGS=1,
 * tests/support/setup.ts, inherited by the programs they start): every part then also parses what it
 * got and fails loudly if its own schema would refuse it.
 */
const VALIDATED = new WeakSet<object>();
let recheck = process.env.METALLB_OBSERVABILITY_RECHECK_ARGS === "1";

/**
 * Marks arguments built from validated settings; typed with what the part's schema outputs, so the
 * part can use them as it uses what it parses itself.
 */
export function validatedArgs<S extends z.ZodType>(_schema: S, args: z.output<S>): z.input<S> {
    VALIDATED.add(args as object);
    return args as z.input<S>;
}

/** True for arguments built by `validatedArgs`. */
function isValidated(args: unknown): boolean {
    return typeof args === "object" && args !== null && VALIDATED.has(args);
}

/** Whether a part checks what it gets when it resolves: unless the whole-stack component validated it (tests recheck). */
export function checksOnResolve(args: unknown): boolean {
    return !isValidated(args) || recheck;
}

/** Tests only: parse validated arguments again and throw when a part's schema refuses them. */
export function recheckValidatedArgs(on: boolean): void {
    recheck = on;
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
