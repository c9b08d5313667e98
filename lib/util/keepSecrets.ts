import * as pulumi from "@pulumi/pulumi";

/**
 * Keeps the secrets of SECRET_CAPABLE settings secret wherever they end up. The loader validates
 * those settings in plain text (a URL, a label value) and the components use them as plain values;
 * this marks every resource input, at the deepest value that contains one (a string of Helm values,
 * an annotation, a provider's URL), and every stack output that contains one, as a Pulumi secret.
 * A value an Output resolves to later is looked at when it resolves.
 */
export interface SecretKeeper {
    /** Options for each top-level component: the transformation reaches every child it creates. */
    readonly opts: { transformations: pulumi.ResourceTransformation[] };
    /** A stack output as it is, or as a secret when it contains a secret value. */
    output<T>(value: pulumi.Input<T> | undefined): pulumi.Output<T> | T | undefined;
}

/** True when a value (any depth) contains one of the secrets as a substring of a string or a map key. */
export function containsSecret(v: unknown, secrets: readonly string[]): boolean {
    if (typeof v === "string") {
        return secrets.some((s) => v.includes(s));
    }
    if (Array.isArray(v)) {
        return v.some((x) => containsSecret(x, secrets));
    }
    if (typeof v === "object" && v !== null && !pulumi.Output.isInstance(v) && !pulumi.Resource.isInstance(v)) {
        return Object.entries(v).some(([k, x]) => secrets.some((s) => k.includes(s)) || containsSecret(x, secrets));
    }
    return false;
}

/** The value with each part that contains a secret replaced by a secret Output of it. */
export function markSecrets(v: unknown, secrets: readonly string[]): unknown {
    if (pulumi.Output.isInstance(v)) {
        return (v as pulumi.Output<unknown>).apply((x) => (containsSecret(x, secrets) ? pulumi.secret(x) : x));
    }
    if (v instanceof Promise) {
        return pulumi.output(v).apply((x) => (containsSecret(x, secrets) ? pulumi.secret(x) : x));
    }
    if (typeof v === "string") {
        return containsSecret(v, secrets) ? pulumi.secret(v) : v;
    }
    if (Array.isArray(v)) {
        return v.map((x) => markSecrets(x, secrets));
    }
    if (typeof v === "object" && v !== null && !pulumi.Resource.isInstance(v)) {
        const entries = Object.entries(v);
        // A map key cannot be an Output: a map with a secret among its keys becomes a secret as a whole.
        if (entries.some(([k]) => secrets.some((s) => k.includes(s)))) {
            return pulumi.secret(v);
        }
        return Object.fromEntries(entries.map(([k, x]) => [k, markSecrets(x, secrets)]));
    }
    return v;
}

export function keepSecrets(secrets: readonly string[]): SecretKeeper {
    const active = secrets.filter((s) => s.length > 0);
    return {
        opts: {
            transformations: active.length === 0 ? [] : [(args) => ({ props: markSecrets(args.props, active) as pulumi.Inputs, opts: args.opts })],
        },
        output: <T>(value: pulumi.Input<T> | undefined) =>
            value === undefined || active.length === 0 ? (value as T | undefined) : (markSecrets(value, active) as pulumi.Output<T> | T),
    };
}
