import { isBuggyIp, isIpAddress, parseAddressEntry, rangeContains } from "./addresses";
import type { AddressPlan } from "./schema";
import { advertisedPools } from "./selection";

/**
 * Address maths for the fixed LoadBalancer addresses a stack asks for (Grafana's, the smoke
 * test's): MetalLB only hands out and announces an address that lies in a pool some L2 or BGP
 * advertisement announces, skips .0/.255 in `avoidBuggyIPs` pools (internal/allocator), and in an
 * `autoAssign: true` pool any other pending Service may take the address first.
 */

/** Pools at least one L2Advertisement or BGPAdvertisement announces. */
export function announcedPools(plan: Pick<AddressPlan, "pools" | "l2Advertisements" | "bgp">): Set<string> {
    const advertisements = [...plan.l2Advertisements, ...plan.bgp.advertisements];
    return new Set(advertisements.flatMap((a) => advertisedPools(a, plan.pools)));
}

/** Pools no advertisement announces: MetalLB assigns their addresses but nobody can reach them. */
export function unannouncedPools(plan: Pick<AddressPlan, "pools" | "l2Advertisements" | "bgp">): string[] {
    const announced = announcedPools(plan);
    return plan.pools.map((p) => p.name).filter((p) => !announced.has(p));
}

export interface FixedAddressCheck {
    /** Why MetalLB would not hand out or announce the address. */
    readonly errors: string[];
    /** What may go wrong although it is valid. */
    readonly warnings: string[];
}

/** Checks one fixed address, optionally restricted to the pool it must come from. */
export function checkFixedAddress(plan: Pick<AddressPlan, "pools" | "l2Advertisements" | "bgp">, address: string, pool?: string): FixedAddressCheck {
    if (!isIpAddress(address)) {
        return { errors: [`"${address}" is not an IP address`], warnings: [] };
    }
    const candidates = plan.pools.filter((p) => pool === undefined || p.name === pool);
    const owner = candidates.find((p) =>
        p.addresses.some((e) => {
            const r = parseAddressEntry(e);
            return r.ok && rangeContains(r.range, address);
        }),
    );
    if (!owner) {
        return {
            errors: [
                `${address} is not inside ${pool === undefined ? "any pool in pools" : `pool "${pool}"`}; MetalLB can only assign addresses from its pools`,
            ],
            warnings: [],
        };
    }
    const errors: string[] = [];
    const warnings: string[] = [];
    if (!announcedPools(plan).has(owner.name)) {
        errors.push(`${address} lies in pool "${owner.name}", which no L2 or BGP advertisement announces: MetalLB would assign it but nobody could reach it`);
    }
    if (owner.avoidBuggyIPs && isBuggyIp(address)) {
        errors.push(`${address} ends in .0 or .255, which MetalLB never assigns from pool "${owner.name}" (avoidBuggyIPs: true); choose another address`);
    }
    if (owner.autoAssign) {
        warnings.push(
            `${address} lies in pool "${owner.name}" with autoAssign: true, where any other pending LoadBalancer Service may take it first; reserve it in a pool with autoAssign: false`,
        );
    }
    return { errors, warnings };
}
