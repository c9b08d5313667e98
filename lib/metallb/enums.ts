/** MetalLB enums of the public API, in a module without zod so the package's declarations never load zod's. */

/** MetalLB's BGP implementation. `native`: the speaker's own BGP (L2-only clusters); `frr-k8s`: FRR. */
export enum BgpBackend {
    Native = "native",
    FrrK8s = "frr-k8s",
}

export enum DynamicAsn {
    Internal = "internal",
    External = "external",
}
