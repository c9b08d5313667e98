import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { addressPlanManifests, bgpPasswordSecretName } from "../lib/metallb/objects";
import { BgpBackend } from "../lib/metallb/enums";
import { checkBackendSupport } from "../lib/metallb/schema";
import { dashboardFeatures } from "../lib/dashboard/panels";
import { bgpAdvertisedPools } from "../lib/metallb/selection";
import { formatProblems, parseWith, Problem } from "../lib/util/problems";
import type { AddressPoolsArgs, DashboardFeaturesArgs } from "./argTypes";
import { componentType, forwardDependsOn, parseArgs } from "./args";
import { addressPoolsArgs } from "./schemas/addressPools";

/** Kinds whose objects another kind names, and so must outlive it. */
const REFERENCED_KINDS: Record<string, string[]> = {
    L2Advertisement: ["IPAddressPool"],
    BGPPeer: ["BFDProfile"],
    BGPAdvertisement: ["IPAddressPool", "BGPPeer", "Community"],
};

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
