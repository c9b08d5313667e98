import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { captureOptions, FakeInstall, isSecretInput, registered } from "../support/pulumi";
import { AddressPools } from "../../components/addressPools";
import { BgpBackend } from "../../lib/metallb/schema";

const NS = "metallb-system";

describe("AddressPools component", () => {
    it("creates an IPAddressPool and an L2Advertisement in MetalLB's namespace, each waiting for the install", async () => {
        const install = new FakeInstall("install-a");
        const { opts, seen } = captureOptions();
        const c = new AddressPools(
            "pools-a",
            {
                namespace: NS,
                pools: [{ name: "default", addresses: ["192.168.1.240-192.168.1.250"], autoAssign: true, avoidBuggyIPs: false }],
                l2Advertisements: [{ name: "default", ipAddressPools: ["default"] }],
            },
            { ...opts, dependsOn: [install] },
        );
        const regs = await registered("pools-a");
        const crs = regs.filter((r) => r.type.startsWith("kubernetes:metallb.io"));
        assert.deepStrictEqual(
            crs.map((r) => r.type),
            ["kubernetes:metallb.io/v1beta1:IPAddressPool", "kubernetes:metallb.io/v1beta1:L2Advertisement"],
        );
        assert.ok(crs.every((r) => r.inputs.metadata.namespace === NS));
        assert.deepStrictEqual(crs[0].inputs.spec.addresses, ["192.168.1.240-192.168.1.250"]);
        for (const s of seen.filter((x) => x.type.startsWith("kubernetes:metallb.io"))) {
            assert.strictEqual(s.opts.parent, c);
            assert.ok((s.opts.dependsOn as pulumi.Resource[]).includes(install), `${s.name} depends on the install`);
        }
        const l2 = seen.find((s) => s.type.endsWith(":L2Advertisement"))!;
        const pool = seen.find((s) => s.type.endsWith(":IPAddressPool"))!;
        assert.ok((l2.opts.dependsOn as pulumi.Resource[]).includes(pool.resource), "the pool outlives the advertisement that names it");
    });

    it("creates BGP objects and keeps passwords in basic-auth Secrets marked secret", async () => {
        const { opts, seen } = captureOptions();
        new AddressPools(
            "pools-b",
            {
                namespace: NS,
                pools: [{ name: "bgp", addresses: ["198.51.100.0/28"], autoAssign: true, avoidBuggyIPs: true }],
                bgp: {
                    bfdProfiles: [{ name: "fast", detectMultiplier: 3 }],
                    communities: [{ name: "local", value: "65000:100" }],
                    peers: [
                        { name: "tor-a", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1", bfdProfile: "fast" },
                        { name: "tor-b", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.2" },
                    ],
                    advertisements: [{ name: "bgp", ipAddressPools: ["bgp"], peers: ["tor-a", "tor-b"], communities: ["local"] }],
                },
                bgpPasswords: { "tor-a": "not-in-the-clear" },
            },
            opts,
        );
        const regs = await registered("pools-b");
        const count = (suffix: string) => regs.filter((r) => r.type.endsWith(suffix)).length;
        assert.strictEqual(count(":BGPPeer"), 2);
        assert.strictEqual(count(":BGPAdvertisement"), 1);
        assert.strictEqual(count(":BFDProfile"), 1);
        assert.strictEqual(count(":Community"), 1);
        assert.ok(regs.filter((r) => r.type.endsWith(":BGPPeer")).every((r) => r.type === "kubernetes:metallb.io/v1beta2:BGPPeer"));

        const secret = regs.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        assert.strictEqual(secret.inputs.type, "kubernetes.io/basic-auth");
        assert.strictEqual(secret.inputs.metadata.namespace, NS);
        assert.ok(isSecretInput(secret.inputs.stringData), "the password reaches the provider as a secret");
        assert.ok(!JSON.stringify(regs.filter((r) => r.type !== "kubernetes:core/v1:Secret")).includes("not-in-the-clear"));

        const peerA = regs.find((r) => r.name === "pools-b-bgppeer-tor-a")!;
        assert.deepStrictEqual(peerA.inputs.spec.passwordSecret, { name: secret.inputs.metadata.name, namespace: NS });
        const peerOpts = seen.find((s) => s.name === "pools-b-bgppeer-tor-a")!;
        const deps = peerOpts.opts.dependsOn as pulumi.Resource[];
        assert.ok(deps.includes(seen.find((s) => s.type === "kubernetes:core/v1:Secret")!.resource), "peer waits for its Secret");
        assert.ok(deps.includes(seen.find((s) => s.type.endsWith(":BFDProfile"))!.resource), "peer keeps its BFD profile alive");
    });

    it("refuses invalid arguments before registering anything, listing every problem as args.*", async () => {
        assert.throws(
            () =>
                new AddressPools("pools-bad", {
                    namespace: NS,
                    pools: [
                        { name: "a", addresses: ["10.0.0.0/24"] },
                        { name: "b", addresses: ["10.0.0.128/25", "10.0.9.1"] },
                    ],
                    l2Advertisements: [{ name: "l2", ipAddressPools: ["c"] }],
                    bgp: { peers: [{ name: "tor", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1", keepaliveTime: "30s" }] },
                    bgpBackend: BgpBackend.Native,
                    bgpPasswords: { ghost: "x" },
                }),
            (err: Error) => {
                assert.match(err.message, /^Invalid arguments of AddressPools "pools-bad" \(5 problems\):/);
                for (const path of [
                    "args.pools[1].addresses[0]",
                    "args.pools[1].addresses[1]",
                    "args.l2Advertisements[0].ipAddressPools[0]",
                    "args.bgp.peers[0]",
                    "args.bgpPasswords.ghost",
                ]) {
                    assert.ok(err.message.includes(`- ${path}:`), `${path} in\n${err.message}`);
                }
                assert.doesNotMatch(err.message, /metallb:/, "paths and hints name the arguments, not stack config");
                return true;
            },
        );
        assert.deepStrictEqual(await registered("pools-bad"), []);
    });

    it("fills in the CRD defaults the caller left out", async () => {
        new AddressPools("pools-c", { namespace: NS, pools: [{ name: "short", addresses: ["10.1.0.0/28"] }] });
        const pool = (await registered("pools-c")).find((r) => r.type.endsWith(":IPAddressPool"))!;
        assert.deepStrictEqual(pool.inputs.spec, { addresses: ["10.1.0.0/28"], autoAssign: true, avoidBuggyIPs: false });
    });
});
