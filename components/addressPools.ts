import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { addressPlanManifests, bgpPasswordSecretName } from "../lib/metallb/objects";
import { addressPlanArgsShape, BgpBackend, checkAddressPlan, checkBackendSupport, checkPasswordPeers, DynamicAsn, planParsed } from "../lib/metallb/schema";
import { assertType, enumOf, Equals, input, k8sLabelName, SelectorOperator } from "../lib/util/schema";
import { componentType, forwardDependsOn, parseArgs } from "./args";

/** Kinds whose objects another kind names, and so must outlive it. */
const REFERENCED_KINDS: Record<string, string[]> = {
    L2Advertisement: ["IPAddressPool"],
    BGPPeer: ["BFDProfile"],
    BGPAdvertisement: ["IPAddressPool", "BGPPeer", "Community"],
};

/** One expression of a Kubernetes label selector. */
export interface SelectorExpressionArgs {
    key: string;
    operator: SelectorOperator;
    values?: string[];
}

/** A Kubernetes label selector. */
export interface LabelSelectorArgs {
    matchLabels?: { [key: string]: string };
    matchExpressions?: SelectorExpressionArgs[];
}

/** Which Services a pool serves first (IPAddressPool `serviceAllocation`). */
export interface ServiceAllocationArgs {
    priority?: number;
    namespaces?: string[];
    namespaceSelectors?: LabelSelectorArgs[];
    serviceSelectors?: LabelSelectorArgs[];
}

/** An IPAddressPool. */
export interface PoolArgs {
    /** Pool name (also the `pool` label of MetalLB's allocator metrics). */
    name: string;
    /** CIDRs (without host bits) or start-end ranges. */
    addresses: string[];
    /** Hand out addresses to any Service (default true); false reserves them for Services that ask. */
    autoAssign?: boolean;
    /** Skip .0 and .255 addresses (default false). */
    avoidBuggyIPs?: boolean;
    /** Labels on the IPAddressPool object, for advertisements' ipAddressPoolSelectors. */
    labels?: { [key: string]: string };
    serviceAllocation?: ServiceAllocationArgs;
}

/** An L2Advertisement. */
export interface L2AdvertisementArgs {
    name: string;
    /** Pools announced; none and no selectors: every pool. */
    ipAddressPools?: string[];
    ipAddressPoolSelectors?: LabelSelectorArgs[];
    nodeSelectors?: LabelSelectorArgs[];
    interfaces?: string[];
    serviceSelectors?: LabelSelectorArgs[];
}

/** A BGPPeer (metallb.io/v1beta2). Its password goes in `AddressPoolsArgs.bgpPasswords`. */
export interface BgpPeerArgs {
    name: string;
    myASN?: number;
    peerASN?: number;
    dynamicASN?: DynamicAsn;
    peerAddress?: string;
    interface?: string;
    peerPort?: number;
    sourceAddress?: string;
    routerID?: string;
    holdTime?: string;
    keepaliveTime?: string;
    connectTime?: string;
    ebgpMultiHop?: boolean;
    enableGracefulRestart?: boolean;
    bfdProfile?: string;
    vrf?: string;
    nodeSelectors?: LabelSelectorArgs[];
}

/** A BGPAdvertisement. */
export interface BgpAdvertisementArgs {
    name: string;
    ipAddressPools?: string[];
    ipAddressPoolSelectors?: LabelSelectorArgs[];
    peers?: string[];
    communities?: string[];
    localPref?: number;
    aggregationLength?: number;
    aggregationLengthV6?: number;
    nodeSelectors?: LabelSelectorArgs[];
}

/** A BFDProfile (frr-k8s backend only). */
export interface BfdProfileArgs {
    name: string;
    receiveInterval?: number;
    transmitInterval?: number;
    detectMultiplier?: number;
    echoInterval?: number;
    echoMode?: boolean;
    passiveMode?: boolean;
    minimumTtl?: number;
}

/** A community alias (`65000:100` or `large:65000:1:1`). */
export interface CommunityArgs {
    name: string;
    value: string;
}

/** BGP peers, advertisements, BFD profiles and community aliases. */
export interface BgpArgs {
    peers?: BgpPeerArgs[];
    advertisements?: BgpAdvertisementArgs[];
    bfdProfiles?: BfdProfileArgs[];
    communities?: CommunityArgs[];
}

export interface AddressPoolsArgs {
    /** Namespace MetalLB runs in (`MetalLb.namespace`): its webhook rejects MetalLB objects anywhere else. */
    namespace: pulumi.Input<string>;
    /** IPAddressPools. */
    pools: PoolArgs[];
    /** L2Advertisements; none: the pools are not announced over L2. */
    l2Advertisements?: L2AdvertisementArgs[];
    /** BGP peers, advertisements, BFD profiles and community aliases. */
    bgp?: BgpArgs;
    /**
     * MetalLB's BGP backend (`MetalLb.bgpBackend`), to refuse what it does not support (BFD, VRFs...
     * with `native`) before MetalLB's webhook would. Unset: no backend-specific checks at all.
     */
    bgpBackend?: BgpBackend;
    /**
     * BGP session passwords by peer name. Stored in `kubernetes.io/basic-auth` Secrets referenced
     * by the peers' `passwordSecret`; always handled as Pulumi secrets.
     */
    bgpPasswords?: { [peer: string]: pulumi.Input<string> };
}

const PLAN_KEYS = new Set(["pools", "l2Advertisements", "bgp", "bgpBackend", "bgpPasswords"]);

const addressPoolsArgs = z
    .strictObject({
        namespace: input(k8sLabelName),
        ...addressPlanArgsShape,
        bgpBackend: enumOf<BgpBackend>(BgpBackend).optional(),
        bgpPasswords: z.record(z.string(), input(z.string().min(1, { error: "must not be empty" }))).optional(),
    })
    .superRefine(
        (a, ctx) => {
            checkAddressPlan(a, ctx);
            // Without a backend nothing backend-specific is assumed (neither native nor frr-k8s rules).
            if (a.bgpBackend !== undefined) {
                checkBackendSupport(a, a.bgpBackend, ctx);
            }
            checkPasswordPeers(a, Object.keys(a.bgpPasswords ?? {}), ["bgpPasswords"], ctx);
        },
        { when: (payload) => planParsed(payload, PLAN_KEYS) },
    );
assertType<Equals<z.input<typeof addressPoolsArgs>, AddressPoolsArgs>>();

const TYPE = componentType("AddressPools", "metallb-observability:metallb:AddressPools");

/**
 * MetalLB's address pools and how they are announced: IPAddressPools, L2Advertisements and, when
 * configured, BFDProfiles, a Community, BGPPeers (metallb.io/v1beta2) and BGPAdvertisements.
 * Pass `dependsOn: [metallb]` so that MetalLB's CRDs and webhook exist first; every object waits.
 */
export class AddressPools extends pulumi.ComponentResource {
    /** Names of the IPAddressPools (the `pool` label of MetalLB's allocator metrics). */
    public readonly poolNames: pulumi.Output<string[]>;
    /** Every MetalLB object created, as `<Kind>/<name>`. */
    public readonly objectNames: pulumi.Output<string[]>;

    constructor(name: string, args: AddressPoolsArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = parseArgs("AddressPools", name, addressPoolsArgs, args);
        super(TYPE.type, name, {}, TYPE.opts(opts));

        const passwords = plan.bgpPasswords ?? {};
        const secrets: pulumi.Resource[] = Object.entries(passwords).map(
            ([peer, password]) =>
                new k8s.core.v1.Secret(
                    `${name}-bgp-password-${peer}`,
                    {
                        metadata: { name: bgpPasswordSecretName(peer), namespace: plan.namespace },
                        type: "kubernetes.io/basic-auth",
                        stringData: { password: pulumi.secret(password) },
                    },
                    { parent: this, dependsOn: forwardDependsOn(opts) },
                ),
        );

        // Objects that name others depend on them, so deletes run in the order MetalLB's webhook
        // allows (it refuses to delete a BFDProfile that a BGPPeer still uses).
        const created = new Map<string, k8s.apiextensions.CustomResource[]>();
        const objectNames: string[] = [];
        const ofKinds = (...kinds: string[]) => kinds.flatMap((k) => created.get(k) ?? []);
        for (const m of addressPlanManifests(plan.namespace, plan, new Set(Object.keys(passwords)))) {
            const referenced = REFERENCED_KINDS[m.kind] ?? [];
            const cr = new k8s.apiextensions.CustomResource(
                `${name}-${m.kind.toLowerCase()}-${m.metadata.name}`,
                { apiVersion: m.apiVersion, kind: m.kind, metadata: m.metadata, spec: m.spec },
                { parent: this, dependsOn: forwardDependsOn(opts, ...ofKinds(...referenced), ...(m.kind === "BGPPeer" ? secrets : [])) },
            );
            created.set(m.kind, [...(created.get(m.kind) ?? []), cr]);
            objectNames.push(`${m.kind}/${m.metadata.name}`);
        }
        this.poolNames = pulumi.output(plan.pools.map((p) => p.name));
        this.objectNames = pulumi.output(objectNames);

        this.registerOutputs({ poolNames: this.poolNames, objectNames: this.objectNames });
    }
}
