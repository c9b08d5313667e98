import * as assert from "assert";
import type { PoolConfig } from "../../../lib/metallb/schema";
import { SelectorOperator } from "../../../lib/util/schema";
import { advertisedPools, bgpAdvertisedPools, selectorMatches } from "../../../lib/metallb/selection";

const POOLS: PoolConfig[] = [
    { name: "public", addresses: ["198.51.100.0/28"], autoAssign: true, avoidBuggyIPs: false, labels: { tier: "public", zone: "a" } },
    { name: "internal", addresses: ["10.0.0.0/28"], autoAssign: true, avoidBuggyIPs: false, labels: { tier: "internal" } },
    { name: "lab", addresses: ["10.1.0.0/28"], autoAssign: false, avoidBuggyIPs: false },
];

describe("advertisement pool selection (as MetalLB resolves it)", () => {
    it("an advertisement without pools or selectors announces every pool", () => {
        assert.deepStrictEqual(advertisedPools({}, POOLS), ["public", "internal", "lab"]);
    });

    it("combines named pools and pool selectors", () => {
        assert.deepStrictEqual(advertisedPools({ ipAddressPools: ["lab"], ipAddressPoolSelectors: [{ matchLabels: { tier: "public" } }] }, POOLS), [
            "public",
            "lab",
        ]);
    });

    it("evaluates matchExpressions like Kubernetes", () => {
        assert.ok(selectorMatches({ matchExpressions: [{ key: "tier", operator: SelectorOperator.In, values: ["public", "dmz"] }] }, { tier: "public" }));
        assert.ok(!selectorMatches({ matchExpressions: [{ key: "tier", operator: SelectorOperator.NotIn, values: ["public"] }] }, { tier: "public" }));
        assert.ok(selectorMatches({ matchExpressions: [{ key: "zone", operator: SelectorOperator.DoesNotExist }] }, { tier: "internal" }));
        assert.ok(
            !selectorMatches({ matchLabels: { tier: "public" }, matchExpressions: [{ key: "zone", operator: SelectorOperator.Exists }] }, { tier: "public" }),
        );
    });

    it("lists each BGP-advertised pool once", () => {
        assert.deepStrictEqual(
            bgpAdvertisedPools(
                [
                    { name: "a", ipAddressPools: ["public"] },
                    { name: "b", ipAddressPools: ["public", "internal"] },
                ],
                POOLS,
            ),
            ["public", "internal"],
        );
        assert.deepStrictEqual(bgpAdvertisedPools([], POOLS), []);
    });
});
