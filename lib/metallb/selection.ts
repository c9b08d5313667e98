import { LabelSelector, SelectorOperator } from "../util/schema";
import type { BgpAdvertisementConfig, PoolConfig } from "./schema";

/** Whether a Kubernetes label selector matches a set of labels (matchLabels AND matchExpressions). */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
    const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpressions = (selector.matchExpressions ?? []).every((e) => {
        const has = Object.hasOwn(labels, e.key);
        switch (e.operator) {
            case SelectorOperator.In:
                return has && (e.values ?? []).includes(labels[e.key]);
            case SelectorOperator.NotIn:
                return !has || !(e.values ?? []).includes(labels[e.key]);
            case SelectorOperator.Exists:
                return has;
            case SelectorOperator.DoesNotExist:
                return !has;
        }
        return false;
    });
    return byLabels && byExpressions;
}

/**
 * Pools an advertisement announces, as MetalLB resolves it: the named pools plus those matched by
 * any pool selector; neither given means every pool.
 */
export function advertisedPools(
    adv: { ipAddressPools?: readonly string[]; ipAddressPoolSelectors?: readonly LabelSelector[] },
    pools: readonly PoolConfig[],
): string[] {
    const named = adv.ipAddressPools ?? [];
    const selectors = adv.ipAddressPoolSelectors ?? [];
    if (named.length === 0 && selectors.length === 0) {
        return pools.map((p) => p.name);
    }
    return pools.filter((p) => named.includes(p.name) || selectors.some((s) => selectorMatches(s, p.labels ?? {}))).map((p) => p.name);
}

/** Pools announced over BGP by any of the advertisements, each once. */
export function bgpAdvertisedPools(advertisements: readonly BgpAdvertisementConfig[], pools: readonly PoolConfig[]): string[] {
    return [...new Set(advertisements.flatMap((a) => advertisedPools(a, pools)))];
}
