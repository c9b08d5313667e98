/** Shared enums of the public API, in a module without zod so the package's declarations never load zod's. */

/** Operators of a Kubernetes label selector expression. */
export enum SelectorOperator {
    In = "In",
    NotIn = "NotIn",
    Exists = "Exists",
    DoesNotExist = "DoesNotExist",
}
