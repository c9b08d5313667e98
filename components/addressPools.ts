import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { addressPlanManifests, bgpPasswordSecretName } from "../lib/metallb/objects";
import { BgpBackend, DynamicAsn } from "../lib/metallb/enums";
import { addressPlanArgsShape, checkAddressPlan, checkBackendSupport, checkPasswordPeers, planParsed } from "../lib/metallb/schema";
import { SelectorOperator } from "../lib/util/enums";
import { assertType, enumOf, Equals, input, isEventual, k8sLabelName } from "../lib/util/schema";
import { dashboardFeatures } from "../lib/dashboard/panels";
import { bgpAdvertisedPools } from "../lib/metallb/selection";
import { formatProblems, parseWith, Problem } from "../lib/util/problems";
import type { DashboardFeaturesArgs } from "./dashboard";
import { componentType, forwardDependsOn, parseArgs } from "./args";

/** Kinds whose objects another kind names, and so must outlive it. */
const REFERENCED_KINDS: Record<string, string[]> = {
    L2Advertisement: ["IPAddressPool"],
    BGPPeer: ["BFDProfile"],
    BGPAdvertisement: ["IPAddressPool", "BGPPeer", "Community"],
};

/** One expression of a Kubernetes label selector. */
export interface SelectorExpressionArgs {
    /** Label key the expression applies to. */
    key: string;
    /** How the label's value relates to `values`: In, NotIn, Exists or DoesNotExist. */
    operator: SelectorOperator;
    /** Values for In and NotIn; empty for Exists and DoesNotExist. */
    values?: string[];
}

/** A Kubernetes label selector. */
export interface LabelSelectorArgs {
    /** Labels that must all match exactly. */
    matchLabels?: { [key: string]: string };
    /** Expressions that must all hold. */
    matchExpressions?: SelectorExpressionArgs[];
}

/** Which Services a pool serves first (IPAddressPool `serviceAllocation`). */
export interface ServiceAllocationArgs {
    /** Priority of the pool when several match a Service: the lowest value wins; a pool without one is used only after those with one. */
    priority?: number;
    /** Namespaces whose Services the pool serves. */
    namespaces?: string[];
    /** Label selectors of the namespaces whose Services the pool serves (instead of `namespaces`). */
    namespaceSelectors?: LabelSelectorArgs[];
    /** Label selectors of the Services the pool serves. */
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
    /** Reserve the pool for some namespaces or Services, with a priority (IPAddressPool `serviceAllocation`). */
    serviceAllocation?: ServiceAllocationArgs;
}

/** An L2Advertisement. */
export interface L2AdvertisementArgs {
    /** Name of the L2Advertisement object. */
    name: string;
    /** Pools announced; none and no selectors: every pool. */
    ipAddressPools?: string[];
    /** Label selectors of the pools announced (with `ipAddressPools`; neither: every pool). */
    ipAddressPoolSelectors?: LabelSelectorArgs[];
    /** Nodes that may announce the addresses; none: every node running a speaker. */
    nodeSelectors?: LabelSelectorArgs[];
    /** Node interfaces to announce from; none: every interface. */
    interfaces?: string[];
    /** Services announced; none: every Service of the selected pools. */
    serviceSelectors?: LabelSelectorArgs[];
}

/** A BGPPeer (metallb.io/v1beta2). Its password goes in `AddressPoolsArgs.bgpPasswords`. */
export interface BgpPeerArgs {
    /** Name of the BGPPeer object; `bgpPasswords` and advertisements' `peers` refer to it. */
    name: string;
    /** AS number of the local end of the session. */
    myASN?: number;
    /** AS number expected from the router (or `dynamicASN`). */
    peerASN?: number;
    /** Detect the router's AS number instead of `peerASN`: `internal` (must equal myASN) or `external` (must differ). */
    dynamicASN?: DynamicAsn;
    /** Address of the router to dial (or `interface` for unnumbered BGP). */
    peerAddress?: string;
    /** Node interface for unnumbered BGP peering, instead of `peerAddress`. */
    interface?: string;
    /** TCP port to dial (default 179). */
    peerPort?: number;
    /** Source address of the session. */
    sourceAddress?: string;
    /** BGP router ID to advertise to the router. */
    routerID?: string;
    /** Requested BGP hold time (RFC 4271), a duration such as `90s`. */
    holdTime?: string;
    /** Requested BGP keepalive time (RFC 4271), a duration such as `30s`. */
    keepaliveTime?: string;
    /** How long BGP waits between connection attempts, a duration such as `10s`. */
    connectTime?: string;
    /** The router is more than one hop away (frr-k8s only). */
    ebgpMultiHop?: boolean;
    /** Keep forwarding along known routes while the session restarts (frr-k8s only; cannot be changed after creation). */
    enableGracefulRestart?: boolean;
    /** BFDProfile (by name) for a BFD session alongside this BGP session (frr-k8s only); unset: no BFD. */
    bfdProfile?: string;
    /** Host VRF whose interface the session uses (frr-k8s only). */
    vrf?: string;
    /** Nodes that peer with this router; none: every node running a speaker. */
    nodeSelectors?: LabelSelectorArgs[];
}

/** A BGPAdvertisement. */
export interface BgpAdvertisementArgs {
    /** Name of the BGPAdvertisement object. */
    name: string;
    /** Pools advertised, by name (with `ipAddressPoolSelectors`; neither: every pool). */
    ipAddressPools?: string[];
    /** Label selectors of the pools advertised. */
    ipAddressPoolSelectors?: LabelSelectorArgs[];
    /** BGPPeers (by name) the routes go to; none: every peer. */
    peers?: string[];
    /** BGP communities attached: `65000:100`, `large:65000:1:1` or the name of a community alias. */
    communities?: string[];
    /** BGP LOCAL_PREF attribute (iBGP): a higher value is preferred. */
    localPref?: number;
    /** Prefix length to aggregate IPv4 addresses to (default 32: one route per address). */
    aggregationLength?: number;
    /** Prefix length to aggregate IPv6 addresses to (default 128: one route per address). */
    aggregationLengthV6?: number;
    /** Nodes announced as next hops; none: every node running a speaker. */
    nodeSelectors?: LabelSelectorArgs[];
}

/** A BFDProfile (frr-k8s backend only). */
export interface BfdProfileArgs {
    /** Name of the BFDProfile object; peers' `bfdProfile` refers to it. */
    name: string;
    /** Minimum interval (milliseconds) at which this system can receive control packets (default 300). */
    receiveInterval?: number;
    /** Minimum interval (milliseconds) at which this system wants to send control packets (default 300). */
    transmitInterval?: number;
    /** Missed packets (times the remote transmit interval) before the session is declared down. */
    detectMultiplier?: number;
    /** Minimum echo receive interval in milliseconds (default 50). */
    echoInterval?: number;
    /** Enable echo mode (default false; not for multi-hop sessions). */
    echoMode?: boolean;
    /** Wait for the router's control packets instead of starting the session. */
    passiveMode?: boolean;
    /** Multi-hop sessions only: minimum TTL expected on incoming control packets. */
    minimumTtl?: number;
}

/** A community alias (`65000:100` or `large:65000:1:1`). */
export interface CommunityArgs {
    /** Alias that advertisements' `communities` can use instead of the value. */
    name: string;
    /** The community: `65000:100` (standard) or `large:65000:1:1` (large). */
    value: string;
}

/** BGP peers, advertisements, BFD profiles and community aliases. */
export interface BgpArgs {
    /** BGPPeers: the routers each node peers with. */
    peers?: BgpPeerArgs[];
    /** BGPAdvertisements: which pools are announced to which peers, and how. */
    advertisements?: BgpAdvertisementArgs[];
    /** BFDProfiles the peers can refer to (frr-k8s only). */
    bfdProfiles?: BfdProfileArgs[];
    /** Community aliases the advertisements can refer to. */
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
     * with `native`) before MetalLB's webhook would (when it is an Output: when it resolves), and
     * for `features`. Unset: no backend-specific checks at all.
     */
    bgpBackend?: pulumi.Input<BgpBackend>;
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
        bgpBackend: input(enumOf<BgpBackend>(BgpBackend)).optional(),
        bgpPasswords: z.record(z.string(), input(z.string().min(1, { error: "must not be empty" }))).optional(),
    })
    .superRefine(
        (a, ctx) => {
            checkAddressPlan(a, ctx);
            // Without a backend nothing backend-specific is assumed (neither native nor frr-k8s rules);
            // one known only at deployment is checked when it resolves (below).
            if (a.bgpBackend !== undefined && !isEventual(a.bgpBackend)) {
                checkBackendSupport(a, a.bgpBackend as BgpBackend, ctx);
            }
            checkPasswordPeers(a, Object.keys(a.bgpPasswords ?? {}), ["bgpPasswords"], ctx);
        },
        { when: (payload) => planParsed(payload, PLAN_KEYS) },
    );
assertType<Equals<z.input<typeof addressPoolsArgs>, AddressPoolsArgs>>();

/** What the backend does not support in the plan (the construction-time check, for a backend known only later). */
function backendProblems(plan: unknown, backend: BgpBackend): Problem[] {
    const problems: Problem[] = [];
    parseWith(
        z.any().superRefine((p, ctx) => checkBackendSupport(p, backend, ctx)),
        plan,
        { root: "args." },
        problems,
    );
    return problems;
}

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
    /** Pools reserved by design (`autoAssign: false`): pass to MetalLbMonitoring's `reservedPools` and MetalLbDashboard's `excludePools`. */
    public readonly reservedPools: pulumi.Output<string[]>;
    /** Pools some BGPAdvertisement announces: pass to MetalLbMonitoring's `bgpPools`. */
    public readonly bgpPools: pulumi.Output<string[]>;
    /** What the address plan uses (L2, BGP, the backend, BFD): pass to MetalLbDashboard's `features`. */
    public readonly features: pulumi.Output<DashboardFeaturesArgs>;

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
        this.reservedPools = pulumi.output(plan.pools.filter((p) => p.autoAssign === false).map((p) => p.name));
        this.bgpPools = pulumi.output(bgpAdvertisedPools(plan.bgp?.advertisements ?? [], plan.pools));
        this.features = pulumi.output(plan.bgpBackend ?? BgpBackend.Native).apply((backend) => {
            // A backend known only now: what the constructor could not check yet.
            const problems = backendProblems(plan, backend);
            if (problems.length > 0) {
                throw new pulumi.RunError(formatProblems(problems, `arguments of AddressPools "${name}"`));
            }
            const features = dashboardFeatures({
                l2Advertisements: plan.l2Advertisements ?? [],
                bgp: { peers: plan.bgp?.peers ?? [], bfdProfiles: plan.bgp?.bfdProfiles ?? [] },
                bgpBackend: backend,
            });
            return { ...features, bgpBackend: backend };
        });

        this.registerOutputs({
            poolNames: this.poolNames,
            objectNames: this.objectNames,
            reservedPools: this.reservedPools,
            bgpPools: this.bgpPools,
            features: this.features,
        });
    }
}
