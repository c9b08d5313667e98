import { z } from "zod";
import { goDurationMs } from "../util/duration";
import {
    argsType,
    chartRepositoryUrl,
    enumOf,
    exactVersion,
    goDuration,
    input,
    k8sLabelName,
    k8sLabels,
    k8sName,
    labelSelector,
    secretString,
} from "../util/schema";
import {
    AddressRange,
    DEFAULT_POOL_PREFIX_LIMIT,
    hasZoneIndex,
    isIpAddress,
    oversizeProblem,
    parseAddressEntry,
    rangesOverlap,
    specialPurposeProblem,
} from "./addresses";
import { checkFixedAddress } from "./fixedAddresses";
import { bgpPasswordSecretName } from "./objects";
export { BgpBackend, DynamicAsn } from "./enums";
import { BgpBackend, DynamicAsn } from "./enums";

/**
 * The MetalLB domain's settings: pools, advertisements, BGP, chart and backend. Structure and
 * semantics are checked here on typed data (each refinement runs on a sub-tree that parsed, so one
 * broken list gives its own problems, never follow-ups about it). The stack config (`metallb:`)
 * and the components' arguments are both built from these schemas.
 */

/** Defaults of the `metallb:` settings, in one place. */
export const METALLB_DEFAULTS = {
    chartVersion: "0.16.1",
    chartRepository: "https://metallb.github.io/metallb",
    namespace: "metallb-system",
    releaseName: "metallb",
} as const;

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = (string | number)[];

function problem(ctx: Ctx, path: Path, message: string): void {
    ctx.addIssue({ code: "custom", path, message, input: undefined });
}

/** "names pool "x", which is not defined in pools (defined: a, b)". */
export function notDefined(what: string, name: string, where: string, defined: Iterable<string>): string {
    return `names ${what} "${name}", which is not defined in ${where} (defined: ${[...defined].join(", ") || "none"})`;
}

function duplicateNames(ctx: Ctx, list: readonly { name: string }[], at: Path, what: string): void {
    const seen = new Map<string, number>();
    list.forEach((e, i) => {
        const first = seen.get(e.name);
        if (first !== undefined) {
            problem(ctx, [...at, i, "name"], `duplicate ${what} name "${e.name}" (also used by [${first}]); names must be unique`);
        } else {
            seen.set(e.name, i);
        }
    });
}

/** A client network as a CIDR (`192.168.1.0/24`, `fd00::/64`): what `loadBalancerSourceRanges` takes. */
export const sourceRange = z.string().superRefine((text, ctx) => {
    if (!text.includes("/") || !parseAddressEntry(text).ok) {
        problem(ctx, [], `"${text}" is not a CIDR: give the client network, e.g. 192.168.1.0/24 (0.0.0.0/0 is everyone)`);
    }
});
/**
 * `spec.loadBalancerSourceRanges` of a LoadBalancer Service: the only clients kube-proxy lets through
 * (kubernetes.io/docs/concepts/services-networking/service: "loadBalancerSourceRanges"). At least
 * one: an exposed Service says who may reach it.
 */
export const sourceRanges = z
    .array(sourceRange)
    .min(1, { error: "needs at least one client network (CIDR), e.g. [192.168.1.0/24]: the LoadBalancer is reachable from these only" });

const asn = z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 0 and 4294967295" })
    .max(4294967295, { error: "must be between 0 and 4294967295" });

/** One entry of a pool's `addresses`, as MetalLB parses it (CIDR without host bits, or a start-end range). */
export const addressEntry = z.string().superRefine((text, ctx) => {
    const r = parseAddressEntry(text);
    if (!r.ok) {
        problem(ctx, [], r.error);
        return;
    }
    const special = specialPurposeProblem(r.range);
    if (special) {
        problem(ctx, [], special);
    }
});

export const poolSchema = argsType(
    "PoolArgs",
    "An IPAddressPool.",
    z.strictObject({
        name: k8sName.describe("Pool name (also the `pool` label of MetalLB's allocator metrics)."),
        addresses: z
            .array(addressEntry)
            .min(1, { error: "needs at least one CIDR or start-end range" })
            .describe("CIDRs (without host bits) or start-end ranges."),
        autoAssign: z.boolean().default(true).describe("Hand out addresses to any Service (default true); false reserves them for Services that ask."),
        avoidBuggyIPs: z.boolean().default(false).describe("Skip .0 and .255 addresses (default false)."),
        labels: k8sLabels.optional().describe("Labels on the IPAddressPool object, for advertisements' ipAddressPoolSelectors."),
        serviceAllocation: argsType(
            "ServiceAllocationArgs",
            "Which Services a pool serves first (IPAddressPool `serviceAllocation`).",
            z.strictObject({
                priority: z
                    .number()
                    .int()
                    .optional()
                    .describe(
                        "Priority of the pool when several match a Service: the lowest value wins; a pool without one is used only after those with one.",
                    ),
                namespaces: z.array(z.string()).optional().describe("Namespaces whose Services the pool serves."),
                namespaceSelectors: z
                    .array(labelSelector)
                    .optional()
                    .describe("Label selectors of the namespaces whose Services the pool serves (instead of `namespaces`)."),
                serviceSelectors: z.array(labelSelector).optional().describe("Label selectors of the Services the pool serves."),
            }),
        )
            .optional()
            .describe("Reserve the pool for some namespaces or Services, with a priority (IPAddressPool `serviceAllocation`)."),
    }),
);
export type PoolConfig = z.output<typeof poolSchema>;
/** Pool names as a component argument takes them (e.g. `AddressPools.reservedPools`, an Output). */
export const poolNamesInput = input(z.array(input(k8sName)));
/** Pools as a caller writes them (defaults such as autoAssign may be left out). */
export type PoolInput = z.input<typeof poolSchema>;

export const l2AdvertisementSchema = argsType(
    "L2AdvertisementArgs",
    "An L2Advertisement.",
    z.strictObject({
        name: k8sName.describe("Name of the L2Advertisement object."),
        ipAddressPools: z.array(z.string()).optional().describe("Pools announced; none and no selectors: every pool."),
        ipAddressPoolSelectors: z
            .array(labelSelector)
            .optional()
            .describe("Label selectors of the pools announced (with `ipAddressPools`; neither: every pool)."),
        nodeSelectors: z.array(labelSelector).optional().describe("Nodes that may announce the addresses; none: every node running a speaker."),
        interfaces: z.array(z.string().min(1)).optional().describe("Node interfaces to announce from; none: every interface."),
        serviceSelectors: z.array(labelSelector).optional().describe("Services announced; none: every Service of the selected pools."),
    }),
);
export type L2AdvertisementConfig = z.output<typeof l2AdvertisementSchema>;

/** Default BGP hold time of MetalLB and FRR when none is configured. */
const DEFAULT_HOLD_MS = 90_000;
/** Peer settings only frr-k8s implements (MetalLB's native speaker rejects the peer). */
const FRR_ONLY_PEER_FIELDS = ["bfdProfile", "keepaliveTime", "vrf", "connectTime", "enableGracefulRestart", "dynamicASN", "interface"] as const;

const bgpPeerFields = {
    name: k8sName.describe("Name of the BGPPeer object; `bgpPasswords` and advertisements' `peers` refer to it."),
    myASN: asn.optional().describe("AS number of the local end of the session."),
    peerASN: asn.optional().describe("AS number expected from the router (or `dynamicASN`)."),
    dynamicASN: enumOf<DynamicAsn>(DynamicAsn)
        .optional()
        .describe("Detect the router's AS number instead of `peerASN`: `internal` (must equal myASN) or `external` (must differ)."),
    peerAddress: z.string().optional().describe("Address of the router to dial (or `interface` for unnumbered BGP)."),
    interface: z.string().min(1).optional().describe("Node interface for unnumbered BGP peering, instead of `peerAddress`."),
    peerPort: z.number().int().min(1).max(16384).optional().describe("TCP port to dial (default 179)."),
    sourceAddress: z.string().optional().describe("Source address of the session."),
    routerID: z.string().optional().describe("BGP router ID to advertise to the router."),
    holdTime: goDuration.optional().describe("Requested BGP hold time (RFC 4271), a duration such as `90s`."),
    keepaliveTime: goDuration.optional().describe("Requested BGP keepalive time (RFC 4271), a duration such as `30s`."),
    connectTime: goDuration.optional().describe("How long BGP waits between connection attempts, a duration such as `10s`."),
    ebgpMultiHop: z.boolean().optional().describe("The router is more than one hop away (frr-k8s only)."),
    enableGracefulRestart: z
        .boolean()
        .optional()
        .describe("Keep forwarding along known routes while the session restarts (frr-k8s only; cannot be changed after creation)."),
    bfdProfile: z.string().optional().describe("BFDProfile (by name) for a BFD session alongside this BGP session (frr-k8s only); unset: no BFD."),
    vrf: z.string().optional().describe("Host VRF whose interface the session uses (frr-k8s only)."),
    nodeSelectors: z.array(labelSelector).optional().describe("Nodes that peer with this router; none: every node running a speaker."),
};

function checkPeer(peer: z.output<z.ZodObject<typeof bgpPeerFields>>, ctx: Ctx): void {
    const name = peer.name;
    if (peer.myASN === undefined) {
        problem(ctx, ["myASN"], `peer "${name}" needs myASN, the cluster's own AS number (0-4294967295)`);
    }
    const exactlyOne = (a: "peerASN" | "peerAddress", b: "dynamicASN" | "interface", what: string) => {
        const hasA = peer[a] !== undefined;
        if (hasA === (peer[b] !== undefined)) {
            problem(ctx, [a], hasA ? `peer "${name}" sets both ${a} and ${b}; set exactly one` : `peer "${name}" needs exactly one of ${what}`);
        }
    };
    exactlyOne("peerASN", "dynamicASN", "peerASN (the router's AS number) or dynamicASN (internal|external)");
    exactlyOne("peerAddress", "interface", "peerAddress (the router's IP) or interface (unnumbered BGP)");
    for (const field of ["peerAddress", "sourceAddress"] as const) {
        const v = peer[field];
        if (v !== undefined && hasZoneIndex(v)) {
            problem(ctx, [field], `"${v}" has an IPv6 zone index (%...); MetalLB takes the address without one (for a link-local peer use interface instead)`);
        } else if (v !== undefined && !isIpAddress(v)) {
            problem(ctx, [field], `"${v}" is not an IP address`);
        }
    }
    const hold = peer.holdTime === undefined ? undefined : goDurationMs(peer.holdTime);
    if (hold !== undefined && hold !== 0 && hold < 3000) {
        problem(ctx, ["holdTime"], `hold time "${peer.holdTime}" is invalid: it must be 0 (no keepalives) or at least 3s (e.g. 90s)`);
    }
    const keepalive = peer.keepaliveTime === undefined ? undefined : goDurationMs(peer.keepaliveTime);
    if (keepalive !== undefined && keepalive > (hold ?? DEFAULT_HOLD_MS)) {
        problem(
            ctx,
            ["keepaliveTime"],
            `keepalive "${peer.keepaliveTime}" is above the hold time (${hold === undefined ? "default 90s" : peer.holdTime}); it must not exceed it (commonly a third of it)`,
        );
    }
}

/** A BGP peer as a component takes it (passwords come separately, as secrets). */
export const bgpPeerArgsSchema = argsType(
    "BgpPeerArgs",
    "A BGPPeer (metallb.io/v1beta2). Its password goes in `AddressPoolsArgs.bgpPasswords`.",
    z.strictObject(bgpPeerFields).superRefine(checkPeer),
);

/** A BGP peer in the stack config; a `password` here is refused with where it goes instead. */
export const bgpPeerSchema = z
    .strictObject({ ...bgpPeerFields, password: z.unknown().optional() })
    .superRefine((peer, ctx) => {
        checkPeer(peer, ctx);
        if (peer.password !== undefined) {
            problem(
                ctx,
                ["password"],
                `BGP passwords must not be given in the peer; remove it and give it as a secret in bgpPasswords (stack config: pulumi config set --secret --path 'metallb:bgpPasswords.${peer.name}' <password>)`,
            );
        }
    })
    .transform(({ password: _password, ...peer }) => peer);
export type BgpPeerConfig = z.output<typeof bgpPeerArgsSchema>;

export const bgpAdvertisementSchema = argsType(
    "BgpAdvertisementArgs",
    "A BGPAdvertisement.",
    z.strictObject({
        name: k8sName.describe("Name of the BGPAdvertisement object."),
        ipAddressPools: z.array(z.string()).optional().describe("Pools advertised, by name (with `ipAddressPoolSelectors`; neither: every pool)."),
        ipAddressPoolSelectors: z.array(labelSelector).optional().describe("Label selectors of the pools advertised."),
        peers: z.array(z.string()).optional().describe("BGPPeers (by name) the routes go to; none: every peer."),
        communities: z.array(z.string()).optional().describe("BGP communities attached: `65000:100`, `large:65000:1:1` or the name of a community alias."),
        localPref: z.number().int().min(0).max(4294967295).optional().describe("BGP LOCAL_PREF attribute (iBGP): a higher value is preferred."),
        aggregationLength: z
            .number()
            .int()
            .min(1)
            .max(32)
            .optional()
            .describe("Prefix length to aggregate IPv4 addresses to (default 32: one route per address)."),
        aggregationLengthV6: z
            .number()
            .int()
            .min(1)
            .max(128)
            .optional()
            .describe("Prefix length to aggregate IPv6 addresses to (default 128: one route per address)."),
        nodeSelectors: z.array(labelSelector).optional().describe("Nodes announced as next hops; none: every node running a speaker."),
    }),
);
export type BgpAdvertisementConfig = z.output<typeof bgpAdvertisementSchema>;

const interval = z.number().int().min(10).max(60000);
export const bfdProfileSchema = argsType(
    "BfdProfileArgs",
    "A BFDProfile (frr-k8s backend only).",
    z.strictObject({
        name: k8sName.describe("Name of the BFDProfile object; peers' `bfdProfile` refers to it."),
        receiveInterval: interval.optional().describe("Minimum interval (milliseconds) at which this system can receive control packets (default 300)."),
        transmitInterval: interval.optional().describe("Minimum interval (milliseconds) at which this system wants to send control packets (default 300)."),
        detectMultiplier: z
            .number()
            .int()
            .min(2)
            .max(255)
            .optional()
            .describe("Missed packets (times the remote transmit interval) before the session is declared down."),
        echoInterval: interval.optional().describe("Minimum echo receive interval in milliseconds (default 50)."),
        echoMode: z.boolean().optional().describe("Enable echo mode (default false; not for multi-hop sessions)."),
        passiveMode: z.boolean().optional().describe("Wait for the router's control packets instead of starting the session."),
        minimumTtl: z.number().int().min(1).max(254).optional().describe("Multi-hop sessions only: minimum TTL expected on incoming control packets."),
    }),
);
export type BfdProfileConfig = z.output<typeof bfdProfileSchema>;

const STANDARD_COMMUNITY = /^\d{1,5}:\d{1,5}$/;
const LARGE_COMMUNITY = /^large:\d+:\d+:\d+$/;

export const communitySchema = argsType(
    "CommunityArgs",
    "A community alias (`65000:100` or `large:65000:1:1`).",
    z.strictObject({
        name: z.string().min(1).describe("Alias that advertisements' `communities` can use instead of the value."),
        value: z
            .string()
            .refine((v) => STANDARD_COMMUNITY.test(v) || LARGE_COMMUNITY.test(v), { error: "is not a community: use 65000:100 or large:65000:1:1" })
            .describe("The community: `65000:100` (standard) or `large:65000:1:1` (large)."),
    }),
);
export type CommunityConfig = z.output<typeof communitySchema>;

function bgpSchemaOf<P extends z.ZodType<BgpPeerConfig, unknown>>(peer: P) {
    return z
        .strictObject({
            peers: z.array(peer).default([]).describe("BGPPeers: the routers each node peers with."),
            advertisements: z.array(bgpAdvertisementSchema).default([]).describe("BGPAdvertisements: which pools are announced to which peers, and how."),
            bfdProfiles: z.array(bfdProfileSchema).default([]).describe("BFDProfiles the peers can refer to (frr-k8s only)."),
            communities: z.array(communitySchema).default([]).describe("Community aliases the advertisements can refer to."),
        })
        .superRefine((bgp, ctx) => {
            duplicateNames(ctx, bgp.peers, ["peers"], "BGP peer");
            duplicateNames(ctx, bgp.advertisements, ["advertisements"], "BGP advertisement");
            duplicateNames(ctx, bgp.bfdProfiles, ["bfdProfiles"], "BFD profile");
            duplicateNames(ctx, bgp.communities, ["communities"], "community alias");
            const bfd = new Set(bgp.bfdProfiles.map((b) => b.name));
            bgp.peers.forEach((peer, i) => {
                if (peer.bfdProfile !== undefined && !bfd.has(peer.bfdProfile)) {
                    problem(ctx, ["peers", i, "bfdProfile"], notDefined("BFD profile", peer.bfdProfile, "bgp.bfdProfiles", bfd));
                }
            });
            const peers = new Set(bgp.peers.map((p) => p.name));
            const aliases = new Set(bgp.communities.map((c) => c.name));
            bgp.advertisements.forEach((adv, i) => {
                (adv.peers ?? []).forEach((ref, j) => {
                    if (!peers.has(ref)) {
                        problem(ctx, ["advertisements", i, "peers", j], notDefined("peer", ref, "bgp.peers", peers));
                    }
                });
                (adv.communities ?? []).forEach((c, j) => {
                    if (!STANDARD_COMMUNITY.test(c) && !LARGE_COMMUNITY.test(c) && !aliases.has(c)) {
                        problem(
                            ctx,
                            ["advertisements", i, "communities", j],
                            `"${c}" is neither a community (65000:100), a large community (large:65000:1:1) nor an alias from bgp.communities`,
                        );
                    }
                });
            });
            if (bgp.advertisements.length > 0 && bgp.peers.length === 0) {
                problem(ctx, ["advertisements"], "BGP advertisements are configured but bgp.peers is empty");
            }
        });
}

/** BGP in the stack config. */
export const bgpSchema = bgpSchemaOf(bgpPeerSchema);
/** BGP as a component takes it. */
export const bgpArgsSchema = argsType("BgpArgs", "BGP peers, advertisements, BFD profiles and community aliases.", bgpSchemaOf(bgpPeerArgsSchema));
export type BgpConfig = z.output<typeof bgpSchema>;

/** Pools and how they are announced: what the AddressPools component creates. */
export const addressPlanShape = {
    pools: z.array(poolSchema).min(1, { error: "needs at least one address pool" }).describe("IPAddressPools (as `metallb:pools` in the stack config)."),
    l2Advertisements: z.array(l2AdvertisementSchema).default([]).describe("L2Advertisements; none: the pools are not announced over L2."),
    bgp: bgpSchema.prefault({}),
};
/** The same, as the AddressPools component takes it. */
export const addressPlanArgsShape = {
    ...addressPlanShape,
    bgp: bgpArgsSchema.prefault({}).describe("BGP peers, advertisements, BFD profiles and community aliases."),
};

export interface AddressPlan {
    readonly pools: readonly PoolConfig[];
    readonly l2Advertisements: readonly L2AdvertisementConfig[];
    readonly bgp: BgpConfig;
}

/** Checks across pools and advertisements: unique names, no overlapping addresses, pools that exist. */
export function checkAddressPlan(plan: AddressPlan, ctx: Ctx): void {
    duplicateNames(ctx, plan.pools, ["pools"], "pool");
    duplicateNames(ctx, plan.l2Advertisements, ["l2Advertisements"], "L2 advertisement");
    const ranges: { path: Path; pool: string; range: AddressRange }[] = [];
    plan.pools.forEach((pool, i) => {
        pool.addresses.forEach((entry, j) => {
            const parsed = parseAddressEntry(entry);
            if (!parsed.ok) {
                return;
            }
            const path = ["pools", i, "addresses", j];
            for (const other of ranges) {
                if (rangesOverlap(other.range, parsed.range)) {
                    const where = other.pool === pool.name ? `another entry of pool "${pool.name}"` : `pool "${other.pool}"`;
                    problem(
                        ctx,
                        path,
                        `"${entry}" overlaps "${other.range.text}" of ${where} (${other.path.join(".")}); every address may belong to one pool entry only`,
                    );
                }
            }
            ranges.push({ path, pool: pool.name, range: parsed.range });
        });
    });
    const pools = new Set(plan.pools.map((p) => p.name));
    const refs = (list: readonly { ipAddressPools?: readonly string[] }[], at: Path) =>
        list.forEach((adv, i) => {
            (adv.ipAddressPools ?? []).forEach((ref, j) => {
                if (!pools.has(ref)) {
                    problem(ctx, [...at, i, "ipAddressPools", j], notDefined("pool", ref, "pools", pools));
                }
            });
        });
    refs(plan.l2Advertisements, ["l2Advertisements"]);
    refs(plan.bgp.advertisements, ["bgp", "advertisements"]);
}

/** What the chosen backend cannot do (MetalLB's webhook would reject it): checked before anything is created. */
export function checkBackendSupport(plan: AddressPlan, backend: BgpBackend, ctx: Ctx): void {
    if (backend !== BgpBackend.Native) {
        return;
    }
    plan.bgp.peers.forEach((peer, i) => {
        const frrOnly = FRR_ONLY_PEER_FIELDS.filter((f) => peer[f] !== undefined);
        if (frrOnly.length > 0) {
            problem(
                ctx,
                ["bgp", "peers", i],
                `${frrOnly.join(", ")} ${frrOnly.length === 1 ? "is" : "are"} not supported by the native BGP backend (MetalLB rejects the peer); use the frr-k8s backend or remove ${frrOnly.length === 1 ? "it" : "them"}`,
            );
        }
    });
    plan.bgp.advertisements.forEach((adv, i) => {
        (adv.communities ?? []).forEach((c, j) => {
            if (LARGE_COMMUNITY.test(c)) {
                problem(ctx, ["bgp", "advertisements", i, "communities", j], "large communities are not supported by the native BGP backend; use frr-k8s");
            }
        });
    });
    if (plan.bgp.bfdProfiles.length > 0) {
        problem(ctx, ["bgp", "bfdProfiles"], "BFD is not supported by the native BGP backend (MetalLB rejects any BFDProfile); use the frr-k8s backend");
    }
}

/** Passwords must belong to defined peers. */
export function checkPasswordPeers(plan: AddressPlan, passwordPeers: readonly string[], at: Path, ctx: Ctx): void {
    const peers = new Set(plan.bgp.peers.map((p) => p.name));
    for (const peer of passwordPeers) {
        if (!peers.has(peer)) {
            problem(ctx, [...at, peer], `is a password for peer "${peer}", which is not defined in bgp.peers`);
        }
        const secretName = bgpPasswordSecretName(peer);
        if (secretName.length > 253) {
            problem(
                ctx,
                [...at, peer],
                `makes the Secret name "${secretName.slice(0, 40)}…" ${secretName.length} characters long (Kubernetes allows 253); use a shorter peer name`,
            );
        }
    }
}

/** The backend in effect: the chosen one, else native without BGP peers and frr-k8s with. */
export function effectiveBackend(chosen: BgpBackend | undefined, bgp: { readonly peers: readonly unknown[] }): BgpBackend {
    return chosen ?? (bgp.peers.length > 0 ? BgpBackend.FrrK8s : BgpBackend.Native);
}

/** Chart versions this project cannot monitor or that are known broken. */
export function chartVersionProblem(version: string): string | undefined {
    if (/^v?0\.16\.0$/.test(version)) {
        return "0.16.0 crash-loops the controller on nodes without a speaker (metallb/metallb#3061); use 0.16.1 or later";
    }
    if (/^v?0\.(\d|1[0-5])\.\d+$/.test(version)) {
        return `${version} is older than 0.16.1; this project monitors MetalLB's HTTPS metrics endpoints introduced in 0.16 (use 0.16.1 or later)`;
    }
    return undefined;
}

/** An exact MetalLB chart version this project supports (0.16.1 or later). */
export const metallbChartVersion = exactVersion.superRefine((v, ctx) => {
    const p = chartVersionProblem(v);
    if (p) {
        problem(ctx, [], p);
    }
});

const backendEnum = enumOf<BgpBackend>(BgpBackend, { error: `must be one of: ${Object.values(BgpBackend).join(", ")}` });

/**
 * MetalLB's chart settings, one definition each: the `metallb:` section fills in METALLB_DEFAULTS,
 * the MetalLb component takes each as optional (the chart version and repository as Inputs) and
 * applies the same defaults. The backend shares its validation only: its default, and so its doc,
 * differ (the section's follows the BGP peers, the component's is native).
 */
export const metallbChartFields = {
    namespace: k8sLabelName.describe(
        "Namespace to install into; created with the privileged Pod Security labels unless\n`createNamespace` is false. Default `metallb-system`.",
    ),
    releaseName: k8sLabelName.describe("Helm release name; part of the pods' `app.kubernetes.io/instance` label. Default `metallb`."),
    chartVersion: metallbChartVersion.describe("Exact chart version, 0.16.1 or later (default 0.16.1; never 0.16.0)."),
    chartRepository: chartRepositoryUrl.describe("Chart repository (default https://metallb.github.io/metallb)."),
    bgpBackend: backendEnum,
};

const PLAN_KEYS = new Set(["pools", "l2Advertisements", "bgp", "bgpPasswords", "smokeTest", "poolPrefixLimit"]);

/**
 * Cross-checks run when the lists they read parsed structurally: a semantic problem inside them
 * (a bad address entry, an undefined reference) does not hide the others, a broken list does.
 */
export function planParsed(payload: { issues?: readonly { code?: string; path?: readonly PropertyKey[] }[] }, keys: ReadonlySet<string> = PLAN_KEYS): boolean {
    return (payload.issues ?? []).every((i) => i.code === "custom" || !keys.has(String(i.path?.[0])));
}

/** The `metallb:` configuration namespace. Keys are the config keys without the namespace. */
export const metallbSchema = z
    .strictObject({
        chartVersion: metallbChartFields.chartVersion.default(METALLB_DEFAULTS.chartVersion),
        chartRepository: metallbChartFields.chartRepository.default(METALLB_DEFAULTS.chartRepository),
        namespace: metallbChartFields.namespace.default(METALLB_DEFAULTS.namespace),
        releaseName: metallbChartFields.releaseName.default(METALLB_DEFAULTS.releaseName),
        /** Unset: native for L2-only clusters, frr-k8s when BGP peers are configured. */
        bgpBackend: metallbChartFields.bgpBackend.optional(),
        ...addressPlanShape,
        /** Echo Service that proves MetalLB hands out an address (off unless enabled per stack). */
        smokeTest: z
            .strictObject({
                enabled: z.boolean().default(false),
                /** Pool to take the address from; unset lets MetalLB choose. */
                pool: z.string().optional(),
                /** Fixed address, inside one of the pools. */
                address: z.string().optional(),
                /** Client networks allowed to reach the echo Service (required when enabled). */
                loadBalancerSourceRanges: sourceRanges.optional(),
            })
            .prefault({}),
        /** BGP session passwords by peer name; each one a Pulumi secret. */
        bgpPasswords: z.record(z.string(), secretString).default({}),
        /**
         * The broadest pool entry allowed, as a prefix length per family (default /16 IPv4, /56 IPv6):
         * a broader entry is refused as a probable typo. Lower it (e.g. ipv4: 12) to allow a broader pool.
         */
        poolPrefixLimit: z
            .strictObject({
                ipv4: z.number().int().min(1).max(32).default(DEFAULT_POOL_PREFIX_LIMIT.ipv4),
                ipv6: z.number().int().min(1).max(128).default(DEFAULT_POOL_PREFIX_LIMIT.ipv6),
            })
            .prefault({}),
    })
    .superRefine(
        (m, ctx) => {
            checkAddressPlan(m, ctx);
            m.pools.forEach((pool, i) => {
                pool.addresses.forEach((entry, j) => {
                    const r = parseAddressEntry(entry);
                    const big = r.ok ? oversizeProblem(r.range, m.poolPrefixLimit, "lower metallb:poolPrefixLimit to allow it") : undefined;
                    if (big) {
                        problem(ctx, ["pools", i, "addresses", j], big);
                    }
                });
            });
            checkBackendSupport(m, effectiveBackend(m.bgpBackend, m.bgp), ctx);
            checkPasswordPeers(m, Object.keys(m.bgpPasswords), ["bgpPasswords"], ctx);
            const s = m.smokeTest;
            if (s.enabled && s.loadBalancerSourceRanges === undefined) {
                problem(
                    ctx,
                    ["smokeTest", "loadBalancerSourceRanges"],
                    "is required with smokeTest.enabled: the client networks (CIDRs) allowed to reach the echo Service, e.g. [192.168.1.0/24] (docs/security.md)",
                );
            }
            if (s.pool !== undefined && !m.pools.some((p) => p.name === s.pool)) {
                problem(
                    ctx,
                    ["smokeTest", "pool"],
                    notDefined(
                        "pool",
                        s.pool,
                        "pools",
                        m.pools.map((p) => p.name),
                    ),
                );
            } else if (s.address !== undefined) {
                for (const message of checkFixedAddress(m, s.address, s.pool).errors) {
                    problem(ctx, ["smokeTest", "address"], message);
                }
            }
        },
        // Cross-checks need the pools and advertisements parsed; a bad chart version does not block them.
        { when: (payload) => planParsed(payload) },
    )
    .transform((m) => ({ ...m, bgpBackend: effectiveBackend(m.bgpBackend, m.bgp) }));
export type MetallbSettingsInput = z.input<typeof metallbSchema>;
export type MetallbSettings = z.output<typeof metallbSchema>;
