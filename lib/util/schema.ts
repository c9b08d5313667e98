import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { chartRepositoryProblem } from "./credentials";
import { EXACT_VERSION } from "./versions";
export { SelectorOperator } from "./enums";
import { SelectorOperator } from "./enums";

/*
 * What the generated argument interfaces (components/argTypes.ts, `npm run gen:args`) are printed
 * from besides the schemas' structure: which schema is a `pulumi.Input` of which, and which object
 * is a named argument type. Keyed by the schema's definition, which the clones `.describe()` makes
 * share (`.optional()` and `.default()` wrap the schema), so the marks hold wherever it is reused.
 */
const INPUT_OF = new WeakMap<object, z.ZodType>();
const ARGS_TYPE = new WeakMap<object, { name: string; doc?: string }>();

/** The schema a `pulumi.Input` argument (`input(inner)`) validates plain values with; undefined for any other schema. */
export function inputInner(schema: z.core.$ZodType): z.core.$ZodType | undefined {
    return INPUT_OF.get(schema._zod.def);
}

/**
 * Names an object schema as a component argument type: the generated interface `name` with `doc`
 * as its JSDoc, and the package schema's type of that name (Pulumi writes no description for a
 * type; the fields' `.describe()` texts become its properties' descriptions).
 */
export function argsType<S extends z.ZodType>(name: string, doc: string | undefined, schema: S): S {
    ARGS_TYPE.set(schema._zod.def, { name, doc });
    return schema;
}

/** The argument type an object schema is named as (`argsType`), if any. */
export function argsTypeOf(schema: z.core.$ZodType): { name: string; doc?: string } | undefined {
    return ARGS_TYPE.get(schema._zod.def);
}

/**
 * Schema building blocks every domain shares (Kubernetes names, versions, durations, quantities,
 * label selectors, secrets and `pulumi.Input` values). The domains (lib/metallb, lib/monitoring,
 * lib/rules, lib/dashboard) build their own schemas from them; lib/config only composes those.
 */

/** DNS-1123 subdomain: what Kubernetes accepts as the name of a custom resource. */
export const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: namespaces and Helm release names. */
export const K8S_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const k8sName = z.string().max(253).regex(K8S_NAME, {
    error: "is not a valid Kubernetes object name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
});

export const k8sLabelName = z.string().max(63).regex(K8S_LABEL, {
    error: "is not a valid name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
});

/** Exact chart version. Ranges are refused: Helm would silently upgrade under a range. */
export const exactVersion = z.string().regex(EXACT_VERSION, {
    error: "must be an exact chart version such as 0.16.1, not a range (^, ~, x, *, >=): a range upgrades the chart under you",
});

/** Go duration as MetalLB's CRDs take them: "90s", "1m30s", "500ms". */
export const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
export const goDuration = z.string().regex(GO_DURATION, { error: "must be a duration such as 90s, 1m30s or 500ms" });

/** Prometheus duration: "5m", "1h30m", "15d". */
export const PROM_DURATION = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;
export const promDuration = z.string().min(1).regex(PROM_DURATION, { error: "must be a Prometheus duration such as 30s, 5m, 15d" });

/** Kubernetes quantity: "512Mi", "2Gi", "500m", "1"; a YAML number (`cpu: 0.5`) is one too. */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** A quantity as a component argument takes it (a string). */
export const quantityString = z.string().regex(QUANTITY, { error: "must be a Kubernetes quantity such as 512Mi, 2Gi, 500m or 0.5" });
export const quantity = z
    .union([z.string(), z.number().nonnegative()], { error: "must be a Kubernetes quantity such as 512Mi, 2Gi, 500m or 0.5" })
    .transform((v) => String(v))
    .pipe(z.string().regex(QUANTITY, { error: "must be a Kubernetes quantity such as 512Mi, 2Gi, 500m or 0.5" }));

export const stringMap = z.record(z.string(), z.string());

/** A Helm chart repository: https:// or oci:// only (a chart fetched without TLS can be swapped on the way). */
export const chartRepositoryUrl = z.url().superRefine((url, ctx) => {
    const problem = chartRepositoryProblem(url);
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem, input: undefined });
    }
});

/**
 * A Kubernetes label key (apimachinery validation.IsQualifiedName): an optional DNS-subdomain prefix
 * (at most 253 characters) and "/", then a name of at most 63 alphanumerics, '-', '_' and '.'
 * beginning and ending with an alphanumeric.
 */
const LABEL_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export function isK8sLabelKey(key: string): boolean {
    const parts = key.split("/");
    if (parts.length > 2) {
        return false;
    }
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    return LABEL_NAME_PART.test(name) && (prefix === undefined || (prefix.length <= 253 && K8S_NAME.test(prefix)));
}
/** A Kubernetes label value (validation.IsValidLabelValue): empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending with an alphanumeric. */
export const K8S_LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Labels of a Kubernetes object, keys and values as the API server accepts them. */
export const k8sLabels = z.record(
    z.string().refine(isK8sLabelKey, {
        error: "is not a valid Kubernetes label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    }),
    z.string().regex(K8S_LABEL_VALUE, {
        error: "is not a valid Kubernetes label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    }),
);

/** Labels a selector must match: at least one, or the selector would match everything (or nothing). */
export const selectorLabels = k8sLabels.refine((m) => Object.keys(m).length > 0, {
    error: "needs at least one label (an empty selector matches nothing Prometheus would pick)",
});

/**
 * A schema for a TypeScript string enum whose type is the enum itself (z.enum's is the union of
 * its members, which the type-equality assertions of the component Args would not accept).
 */
export function enumOf<E extends string>(e: Record<string, E>, params?: { error?: string }): z.ZodType<E, E> {
    return z.enum(e as unknown as Record<string, string>, params) as unknown as z.ZodType<E, E>;
}

export const labelSelector = argsType(
    "LabelSelectorArgs",
    "A Kubernetes label selector.",
    z.strictObject({
        matchLabels: stringMap.optional().describe("Labels that must all match exactly."),
        matchExpressions: z
            .array(
                argsType(
                    "SelectorExpressionArgs",
                    "One expression of a Kubernetes label selector.",
                    z.strictObject({
                        key: z.string().min(1).describe("Label key the expression applies to."),
                        operator: enumOf<SelectorOperator>(SelectorOperator).describe(
                            "How the label's value relates to `values`: In, NotIn, Exists or DoesNotExist.",
                        ),
                        values: z.array(z.string()).optional().describe("Values for In and NotIn; empty for Exists and DoesNotExist."),
                    }),
                ),
            )
            .optional()
            .describe("Expressions that must all hold."),
    }),
);
export type LabelSelector = z.infer<typeof labelSelector>;

/** A credential as a component argument takes it: a non-empty string, or an Output (e.g. a generated password). */
export const credentialInput = input(z.string().min(1, { error: "must not be empty" }));

/**
 * A secret string from the stack config: validated as plain text, handed out only as a secret
 * Output, so a secret can never reach a resource unwrapped (the type says so).
 */
export const secretString = z.union([
    // An Output (a component argument fed by another resource, e.g. a generated password) is taken as it is.
    z.custom<pulumi.Output<string>>((v) => pulumi.Output.isInstance(v)).transform((v): pulumi.Output<string> => pulumi.secret(v)),
    z
        // A number can only come from a structured value (`--path` with digits); top-level secret strings are never decoded as numbers.
        .union([z.string(), z.number()], { error: "must be a string" })
        .transform((v) => String(v))
        .pipe(z.string().min(1, { error: "must not be empty" }))
        .transform((v): pulumi.Output<string> => pulumi.secret(v)),
]);

/** True for values only known at deployment (Outputs, promises): a component validates what it can see. */
export function isEventual(v: unknown): boolean {
    return pulumi.Output.isInstance(v) || v instanceof Promise;
}

/**
 * A `pulumi.Input<T>` argument: a plain value is validated with `inner` (its problems keep their
 * paths), an Output or promise is accepted as it is and checked by Kubernetes later.
 */
export function input<S extends z.ZodType>(inner: S): z.ZodType<pulumi.Input<z.output<S>>, pulumi.Input<z.input<S>>> {
    const schema = z.any().superRefine((v, ctx) => {
        if (isEventual(v)) {
            return;
        }
        const r = inner.safeParse(v, { reportInput: true });
        for (const issue of r.error?.issues ?? []) {
            ctx.addIssue({ ...issue } as z.core.$ZodRawIssue);
        }
    });
    INPUT_OF.set(schema._zod.def, inner);
    return schema as unknown as z.ZodType<pulumi.Input<z.output<S>>, pulumi.Input<z.input<S>>>;
}

/** A type-level assertion that two types are identical (used to tie each component's Args interface to its schema). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export function assertType<T extends true>(): T | undefined {
    return undefined;
}
