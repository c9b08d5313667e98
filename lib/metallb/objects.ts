import type * as pulumi from "@pulumi/pulumi";
import type { AddressPlan, BfdProfileConfig, BgpAdvertisementConfig, BgpPeerConfig, CommunityConfig, L2AdvertisementConfig, PoolConfig } from "./schema";

/**
 * Pure builders for MetalLB's custom resources (metallb.io, chart 0.16.x). Each returns a whole
 * manifest so tests can validate it against the CRD schema; the AddressPools component only turns
 * them into Pulumi resources.
 */
export interface Manifest {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace: pulumi.Input<string>; readonly labels?: Record<string, string> };
    readonly spec: Record<string, unknown>;
}

/** What the AddressPools component creates: MetalLB's address pools and how they are announced. */
export type { AddressPlan };

export const V1BETA1 = "metallb.io/v1beta1";
/** BGPPeer v1beta1 is deprecated (storage: false); v1beta2 is the stored version. */
export const V1BETA2 = "metallb.io/v1beta2";
/** Name of the single Community object holding every alias. */
export const COMMUNITY_OBJECT_NAME = "communities";

/** Drops undefined fields so manifests (and previews) show only what was configured. */
function compact<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function manifest(
    apiVersion: string,
    kind: string,
    namespace: pulumi.Input<string>,
    name: string,
    spec: Record<string, unknown>,
    labels?: Record<string, string>,
): Manifest {
    return { apiVersion, kind, metadata: compact({ name, namespace, labels }) as Manifest["metadata"], spec };
}

export function ipAddressPool(namespace: pulumi.Input<string>, pool: PoolConfig): Manifest {
    return manifest(
        V1BETA1,
        "IPAddressPool",
        namespace,
        pool.name,
        compact({
            addresses: [...pool.addresses],
            autoAssign: pool.autoAssign,
            avoidBuggyIPs: pool.avoidBuggyIPs,
            serviceAllocation: pool.serviceAllocation,
        }),
        pool.labels,
    );
}

export function l2Advertisement(namespace: pulumi.Input<string>, adv: L2AdvertisementConfig): Manifest {
    return manifest(
        V1BETA1,
        "L2Advertisement",
        namespace,
        adv.name,
        compact({
            ipAddressPools: adv.ipAddressPools,
            ipAddressPoolSelectors: adv.ipAddressPoolSelectors,
            nodeSelectors: adv.nodeSelectors,
            interfaces: adv.interfaces,
            serviceSelectors: adv.serviceSelectors,
        }),
    );
}

/** Secret name holding a peer's password (type kubernetes.io/basic-auth, key `password`). */
export function bgpPasswordSecretName(peer: string): string {
    return `bgp-password-${peer}`;
}

export function bgpPeer(namespace: pulumi.Input<string>, peer: BgpPeerConfig, hasPassword: boolean): Manifest {
    const { name, ...fields } = peer;
    return manifest(
        V1BETA2,
        "BGPPeer",
        namespace,
        name,
        compact({
            ...fields,
            passwordSecret: hasPassword ? { name: bgpPasswordSecretName(name), namespace } : undefined,
        }),
    );
}

export function bgpAdvertisement(namespace: pulumi.Input<string>, adv: BgpAdvertisementConfig): Manifest {
    const { name, ...fields } = adv;
    return manifest(V1BETA1, "BGPAdvertisement", namespace, name, compact(fields));
}

export function bfdProfile(namespace: pulumi.Input<string>, profile: BfdProfileConfig): Manifest {
    const { name, ...fields } = profile;
    return manifest(V1BETA1, "BFDProfile", namespace, name, compact(fields));
}

export function community(namespace: pulumi.Input<string>, communities: readonly CommunityConfig[]): Manifest {
    return manifest(V1BETA1, "Community", namespace, COMMUNITY_OBJECT_NAME, {
        communities: communities.map((c) => ({ name: c.name, value: c.value })),
    });
}

/**
 * Every MetalLB object of a plan, in creation order: profiles and communities before the peers and
 * advertisements that name them. `passwordPeers` are the peers that have a password Secret.
 */
export function addressPlanManifests(namespace: pulumi.Input<string>, plan: AddressPlan, passwordPeers: ReadonlySet<string>): Manifest[] {
    const bgp = plan.bgp ?? {};
    return [
        ...plan.pools.map((p) => ipAddressPool(namespace, p)),
        ...(plan.l2Advertisements ?? []).map((a) => l2Advertisement(namespace, a)),
        ...(bgp.bfdProfiles ?? []).map((b) => bfdProfile(namespace, b)),
        ...((bgp.communities ?? []).length > 0 ? [community(namespace, bgp.communities ?? [])] : []),
        ...(bgp.peers ?? []).map((p) => bgpPeer(namespace, p, passwordPeers.has(p.name))),
        ...(bgp.advertisements ?? []).map((a) => bgpAdvertisement(namespace, a)),
    ];
}
