import { z } from "zod";
import { EXACT_VERSION } from "../util/versions";

/**
 * Shapes of the stack configuration. Only structure, types and single-value ranges live here;
 * checks that relate several settings (overlaps, references, backend support) are in checks.ts so
 * that every problem is reported in one pass even when some entries are malformed.
 */

/** DNS-1123 subdomain: what Kubernetes accepts as the name of a custom resource. */
export const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1123 label: namespaces and Helm release names. */
export const K8S_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const k8sName = z
    .string()
    .max(253)
    .regex(K8S_NAME, {
        error: "is not a valid Kubernetes object name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
    });

export const k8sLabelName = z
    .string()
    .max(63)
    .regex(K8S_LABEL, {
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
export const promDuration = z
    .string()
    .min(1)
    .regex(PROM_DURATION, { error: "must be a Prometheus duration such as 30s, 5m, 15d" });

const stringMap = z.record(z.string(), z.string());

export const labelSelector = z.strictObject({
    matchLabels: stringMap.optional(),
    matchExpressions: z
        .array(
            z.strictObject({
                key: z.string().min(1),
                operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
                values: z.array(z.string()).optional(),
            }),
        )
        .optional(),
});
export type LabelSelector = z.infer<typeof labelSelector>;

const asn = z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 0 and 4294967295" })
    .max(4294967295, { error: "must be between 0 and 4294967295" });

export const poolSchema = z.strictObject({
    /** IPAddressPool name (also the `pool` label of MetalLB's allocator metrics). */
    name: k8sName,
    /** CIDRs or start-end ranges. */
    addresses: z.array(z.string()).min(1, { error: "needs at least one CIDR or start-end range" }),
    autoAssign: z.boolean().default(true),
    avoidBuggyIPs: z.boolean().default(false),
    /** Labels on the IPAddressPool object, for advertisements' ipAddressPoolSelectors. */
    labels: stringMap.optional(),
    serviceAllocation: z
        .strictObject({
            priority: z.number().int().optional(),
            namespaces: z.array(z.string()).optional(),
            namespaceSelectors: z.array(labelSelector).optional(),
            serviceSelectors: z.array(labelSelector).optional(),
        })
        .optional(),
});
export type PoolConfig = z.infer<typeof poolSchema>;

export const l2AdvertisementSchema = z.strictObject({
    name: k8sName,
    /** Pools announced; empty or unset with no selectors means every pool. */
    ipAddressPools: z.array(z.string()).optional(),
    ipAddressPoolSelectors: z.array(labelSelector).optional(),
    nodeSelectors: z.array(labelSelector).optional(),
    interfaces: z.array(z.string().min(1)).optional(),
    serviceSelectors: z.array(labelSelector).optional(),
});
export type L2AdvertisementConfig = z.infer<typeof l2AdvertisementSchema>;

export const bgpPeerSchema = z.strictObject({
    name: k8sName,
    myASN: asn.optional(),
    peerASN: asn.optional(),
    dynamicASN: z.enum(["internal", "external"]).optional(),
    peerAddress: z.string().optional(),
    interface: z.string().min(1).optional(),
    peerPort: z.number().int().min(1).max(16384).optional(),
    sourceAddress: z.string().optional(),
    routerID: z.string().optional(),
    holdTime: goDuration.optional(),
    keepaliveTime: goDuration.optional(),
    connectTime: goDuration.optional(),
    ebgpMultiHop: z.boolean().optional(),
    enableGracefulRestart: z.boolean().optional(),
    bfdProfile: z.string().optional(),
    vrf: z.string().optional(),
    nodeSelectors: z.array(labelSelector).optional(),
    /** Never accepted here: see checks.ts. Declared so the check can say what to do instead. */
    password: z.unknown().optional(),
});
export type BgpPeerConfig = Omit<z.infer<typeof bgpPeerSchema>, "password">;

export const bgpAdvertisementSchema = z.strictObject({
    name: k8sName,
    ipAddressPools: z.array(z.string()).optional(),
    ipAddressPoolSelectors: z.array(labelSelector).optional(),
    peers: z.array(z.string()).optional(),
    communities: z.array(z.string()).optional(),
    localPref: z.number().int().min(0).max(4294967295).optional(),
    aggregationLength: z.number().int().min(1).max(32).optional(),
    aggregationLengthV6: z.number().int().min(1).max(128).optional(),
    nodeSelectors: z.array(labelSelector).optional(),
});
export type BgpAdvertisementConfig = z.infer<typeof bgpAdvertisementSchema>;

export const bfdProfileSchema = z.strictObject({
    name: k8sName,
    receiveInterval: z.number().int().min(10).max(60000).optional(),
    transmitInterval: z.number().int().min(10).max(60000).optional(),
    detectMultiplier: z.number().int().min(2).max(255).optional(),
    echoInterval: z.number().int().min(10).max(60000).optional(),
    echoMode: z.boolean().optional(),
    passiveMode: z.boolean().optional(),
    minimumTtl: z.number().int().min(1).max(254).optional(),
});
export type BfdProfileConfig = z.infer<typeof bfdProfileSchema>;

export const communitySchema = z.strictObject({
    name: z.string().min(1),
    value: z.string().min(1),
});
export type CommunityConfig = z.infer<typeof communitySchema>;

export const bgpSchema = z.strictObject({
    peers: z.array(bgpPeerSchema).default([]),
    advertisements: z.array(bgpAdvertisementSchema).default([]),
    bfdProfiles: z.array(bfdProfileSchema).default([]),
    communities: z.array(communitySchema).default([]),
});

/** What the AddressPools component takes: pools and how they are announced. */
export const addressPlanSchema = z.strictObject({
    pools: z.array(poolSchema).min(1, { error: "needs at least one address pool" }),
    l2Advertisements: z.array(l2AdvertisementSchema).default([]),
    bgp: bgpSchema.default({ peers: [], advertisements: [], bfdProfiles: [], communities: [] }),
});
/** Pools as a caller writes them (defaults such as autoAssign may be left out). */
export type PoolInput = z.input<typeof poolSchema>;
export type AddressPlanInput = z.input<typeof addressPlanSchema>;

export const BGP_BACKENDS = ["native", "frr-k8s"] as const;
export type BgpBackend = (typeof BGP_BACKENDS)[number];

export const METALLB_DEFAULTS = {
    chartVersion: "0.16.1",
    chartRepository: "https://metallb.github.io/metallb",
    namespace: "metallb-system",
    releaseName: "metallb",
} as const;

/** The `metallb:` configuration namespace. Keys are the config keys without the namespace. */
export const metallbSchema = z.strictObject({
    chartVersion: exactVersion.default(METALLB_DEFAULTS.chartVersion),
    chartRepository: z.url().default(METALLB_DEFAULTS.chartRepository),
    namespace: k8sLabelName.default(METALLB_DEFAULTS.namespace),
    releaseName: k8sLabelName.default(METALLB_DEFAULTS.releaseName),
    /** Unset: native for L2-only clusters, frr-k8s when BGP peers are configured. */
    bgpBackend: z.enum(BGP_BACKENDS, { error: `must be one of: ${BGP_BACKENDS.join(", ")}` }).optional(),
    pools: z.array(poolSchema).min(1, { error: "needs at least one address pool" }),
    l2Advertisements: z.array(l2AdvertisementSchema).default([]),
    bgp: bgpSchema.default({ peers: [], advertisements: [], bfdProfiles: [], communities: [] }),
    /** Echo Service that proves MetalLB hands out an address (off unless enabled per stack). */
    smokeTest: z
        .strictObject({
            enabled: z.boolean().default(false),
            /** Pool to take the address from; unset lets MetalLB choose. */
            pool: z.string().optional(),
            /** Fixed address, inside one of the pools. */
            address: z.string().optional(),
        })
        .default({ enabled: false }),
    /** BGP session passwords by peer name; must be a Pulumi secret. */
    bgpPasswords: z.record(z.string(), z.string().min(1, { error: "must not be empty" })).default({}),
});
export type MetallbConfigInput = z.input<typeof metallbSchema>;
export type MetallbConfigParsed = z.output<typeof metallbSchema>;
