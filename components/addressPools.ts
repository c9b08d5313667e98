import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddressPlanInput, BgpBackend } from "../lib/config/schema";
import { addressPlanManifests, bgpPasswordSecretName } from "../lib/metallb/objects";
import { argumentsError } from "../lib/config/problems";
import { parseAddressPlan } from "../lib/metallb/plan";

/** Kinds whose objects another kind names, and so must outlive it. */
const REFERENCED_KINDS: Record<string, string[]> = {
    L2Advertisement: ["IPAddressPool"],
    BGPPeer: ["BFDProfile"],
    BGPAdvertisement: ["IPAddressPool", "BGPPeer", "Community"],
};

export interface AddressPoolsArgs {
    /** Namespace MetalLB runs in: its webhook rejects MetalLB objects anywhere else. */
    namespace: string;
    /** IPAddressPools: name, addresses (CIDR or start-end), autoAssign, avoidBuggyIPs, labels, serviceAllocation. */
    pools: AddressPlanInput["pools"];
    /** L2Advertisements; none: the pools are not announced over L2. */
    l2Advertisements?: AddressPlanInput["l2Advertisements"];
    /** BGP peers, advertisements, BFD profiles and community aliases. */
    bgp?: AddressPlanInput["bgp"];
    /**
     * MetalLB's BGP backend, to refuse what it does not support (BFD, VRFs... with `native`) before
     * MetalLB's webhook would. Unset: no backend-specific checks.
     */
    bgpBackend?: BgpBackend;
    /**
     * Resources every object waits for: the MetalLB install (`MetalLb.ready`), so that the CRDs
     * and the admission webhook exist first. Leave empty when MetalLB is installed elsewhere.
     */
    waitFor?: pulumi.Resource[];
    /**
     * BGP session passwords by peer name. Stored in `kubernetes.io/basic-auth` Secrets referenced
     * by the peers' `passwordSecret`; always handled as Pulumi secrets.
     */
    bgpPasswords?: Record<string, pulumi.Input<string>>;
}

/**
 * MetalLB's address pools and how they are announced: IPAddressPools, L2Advertisements and, when
 * configured, BFDProfiles, a Community, BGPPeers (metallb.io/v1beta2) and BGPAdvertisements.
 */
export class AddressPools extends pulumi.ComponentResource {
    /** Names of the IPAddressPools (the `pool` label of MetalLB's allocator metrics). */
    public readonly poolNames: pulumi.Output<string[]>;
    /** Every MetalLB object created, by `<kind>/<name>`. */
    public readonly objects: Record<string, k8s.apiextensions.CustomResource>;

    constructor(name: string, args: AddressPoolsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Same checks as the stack config, before anything is registered.
        const parsed = parseAddressPlan(
            { pools: args.pools, l2Advertisements: args.l2Advertisements, bgp: args.bgp },
            { bgpBackend: args.bgpBackend, passwordPeers: Object.keys(args.bgpPasswords ?? {}) },
        );
        if (!parsed.ok) {
            throw new pulumi.RunError(argumentsError(`AddressPools "${name}"`, parsed.problems));
        }
        const plan = parsed.plan;
        super("metallb-observability:metallb:AddressPools", name, {}, opts);

        const waitFor = args.waitFor ?? [];
        const passwords = args.bgpPasswords ?? {};
        const secrets: pulumi.Resource[] = Object.entries(passwords).map(
            ([peer, password]) =>
                new k8s.core.v1.Secret(
                    `${name}-bgp-password-${peer}`,
                    {
                        metadata: { name: bgpPasswordSecretName(peer), namespace: args.namespace },
                        type: "kubernetes.io/basic-auth",
                        stringData: { password: pulumi.secret(password) },
                    },
                    { parent: this, dependsOn: waitFor },
                ),
        );

        // Objects that name others depend on them, so deletes run in the order MetalLB's webhook
        // allows (it refuses to delete a BFDProfile that a BGPPeer still uses).
        this.objects = {};
        const created = new Map<string, k8s.apiextensions.CustomResource[]>();
        const ofKinds = (...kinds: string[]) => kinds.flatMap((k) => created.get(k) ?? []);
        for (const m of addressPlanManifests(args.namespace, plan, new Set(Object.keys(passwords)))) {
            const referenced = REFERENCED_KINDS[m.kind] ?? [];
            const dependsOn = [...waitFor, ...ofKinds(...referenced), ...(m.kind === "BGPPeer" ? secrets : [])];
            const cr = new k8s.apiextensions.CustomResource(
                `${name}-${m.kind.toLowerCase()}-${m.metadata.name}`,
                { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: m.spec },
                { parent: this, dependsOn },
            );
            this.objects[`${m.kind}/${m.metadata.name}`] = cr;
            created.set(m.kind, [...(created.get(m.kind) ?? []), cr]);
        }
        this.poolNames = pulumi.output(plan.pools.map((p) => p.name));

        this.registerOutputs({ poolNames: this.poolNames });
    }
}
