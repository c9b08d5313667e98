import * as assert from "assert";
import { parseAddressPlan } from "../../../lib/metallb/plan";
import { BgpBackend } from "../../../lib/metallb/schema";

describe("parseAddressPlan (AddressPools arguments)", () => {
    it("fills the schema defaults", () => {
        const r = parseAddressPlan({ pools: [{ name: "p", addresses: ["10.0.0.0/28"] }] });
        assert.ok(r.ok);
        assert.deepStrictEqual(r.plan.pools[0], { name: "p", addresses: ["10.0.0.0/28"], autoAssign: true, avoidBuggyIPs: false });
        assert.deepStrictEqual(r.plan.l2Advertisements, []);
        assert.deepStrictEqual(r.plan.bgp?.peers, []);
    });

    it("points an inline BGP password at args.bgpPasswords, not at stack config", () => {
        const r = parseAddressPlan({
            pools: [{ name: "p", addresses: ["10.0.0.0/28"] }],
            bgp: { peers: [{ name: "tor", myASN: 1, peerASN: 2, peerAddress: "10.0.0.1", password: "x" } as never] },
        });
        assert.ok(!r.ok);
        assert.deepStrictEqual(
            r.problems.map((p) => p.path),
            ["args.bgp.peers[0].password"],
        );
        assert.match(r.problems[0].message, /pass them in args\.bgpPasswords/);
        assert.doesNotMatch(r.problems[0].message, /pulumi config/);
    });

    it("applies backend checks only when the backend is given", () => {
        const plan = {
            pools: [{ name: "p", addresses: ["10.0.0.0/28"] }],
            bgp: { peers: [{ name: "tor", myASN: 1, peerASN: 2, peerAddress: "10.0.0.1", vrf: "red" }] },
        };
        assert.ok(parseAddressPlan(plan).ok);
        assert.ok(parseAddressPlan(plan, { bgpBackend: BgpBackend.FrrK8s }).ok);
        assert.ok(!parseAddressPlan(plan, { bgpBackend: BgpBackend.Native }).ok);
    });
});
