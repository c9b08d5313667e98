import * as assert from "assert";
import { parseStackConfig } from "../../../lib/config/load";
import { AddressPlan, addressPlanManifests, bgpPasswordSecretName } from "../../../lib/metallb/objects";
import { crdErrors } from "../../support/schemas";

const NS = "metallb-system";

/** A plan using every field the config schema exposes. */
const FULL: AddressPlan = parseStackConfig({
    secretKeys: new Set(["metallb:bgpPasswords"]),
    values: {
        "metallb:bgpBackend": "frr-k8s",
        "metallb:pools": [
            {
                name: "public",
                addresses: ["198.51.100.0/28", "2001:db8::/124"],
                autoAssign: false,
                avoidBuggyIPs: true,
                labels: { tier: "public" },
                serviceAllocation: {
                    priority: 10,
                    namespaces: ["web"],
                    namespaceSelectors: [{ matchLabels: { team: "a" } }],
                    serviceSelectors: [{ matchExpressions: [{ key: "app", operator: "In", values: ["x"] }] }],
                },
            },
            { name: "internal", addresses: ["10.0.0.10-10.0.0.20"] },
        ],
        "metallb:l2Advertisements": [
            {
                name: "internal",
                ipAddressPools: ["internal"],
                nodeSelectors: [{ matchLabels: { "kubernetes.io/os": "linux" } }],
                interfaces: ["eth0"],
                serviceSelectors: [{ matchLabels: { l2: "yes" } }],
            },
        ],
        "metallb:bgp": {
            bfdProfiles: [
                {
                    name: "fast",
                    receiveInterval: 300,
                    transmitInterval: 300,
                    detectMultiplier: 3,
                    echoInterval: 50,
                    echoMode: false,
                    passiveMode: false,
                    minimumTtl: 254,
                },
            ],
            communities: [{ name: "local", value: "65000:100" }],
            peers: [
                {
                    name: "tor-a",
                    myASN: 64512,
                    peerASN: 64500,
                    peerAddress: "10.0.0.1",
                    peerPort: 179,
                    holdTime: "90s",
                    keepaliveTime: "30s",
                    connectTime: "10s",
                    bfdProfile: "fast",
                    ebgpMultiHop: true,
                    sourceAddress: "10.0.0.5",
                    routerID: "10.0.0.5",
                    vrf: "red",
                    nodeSelectors: [{ matchLabels: { rack: "a" } }],
                },
                { name: "tor-b", myASN: 64512, dynamicASN: "external", interface: "eth1" },
            ],
            advertisements: [
                {
                    name: "public",
                    ipAddressPools: ["public"],
                    ipAddressPoolSelectors: [{ matchLabels: { tier: "public" } }],
                    peers: ["tor-a"],
                    communities: ["local", "65000:200"],
                    localPref: 100,
                    aggregationLength: 32,
                    aggregationLengthV6: 128,
                    nodeSelectors: [{ matchLabels: { rack: "a" } }],
                },
            ],
        },
        "metallb:bgpPasswords": { "tor-a": "x" },
        "dashboard:delivery": "configmap",
    },
}).metallb;

describe("addressPlanManifests", () => {
    const manifests = addressPlanManifests(NS, FULL, new Set(["tor-a"]));

    it("every object validates against MetalLB 0.16.1's CRD schema", () => {
        for (const m of manifests) {
            assert.deepStrictEqual(crdErrors(m), [], `${m.kind}/${m.metadata.name}`);
        }
    });

    it("the CRD check does catch a malformed object", () => {
        const bad = { ...manifests[0], spec: { addresses: "10.0.0.0/24", autoAssign: "yes" } };
        assert.notDeepStrictEqual(crdErrors(bad), []);
    });

    it("creates one object per pool, advertisement, profile and peer, plus one Community, all in MetalLB's namespace", () => {
        const kinds = manifests.map((m) => m.kind);
        assert.deepStrictEqual(kinds, [
            "IPAddressPool",
            "IPAddressPool",
            "L2Advertisement",
            "BFDProfile",
            "Community",
            "BGPPeer",
            "BGPPeer",
            "BGPAdvertisement",
        ]);
        assert.ok(manifests.every((m) => m.metadata.namespace === NS));
    });

    it("uses the stored API versions: v1beta2 for BGPPeer, v1beta1 for the rest", () => {
        for (const m of manifests) {
            assert.strictEqual(m.apiVersion, m.kind === "BGPPeer" ? "metallb.io/v1beta2" : "metallb.io/v1beta1");
        }
    });

    it("references a peer's password through passwordSecret, never inline", () => {
        const [a, b] = manifests.filter((m) => m.kind === "BGPPeer");
        assert.deepStrictEqual(a.spec.passwordSecret, { name: bgpPasswordSecretName("tor-a"), namespace: NS });
        assert.strictEqual(a.spec.password, undefined);
        assert.strictEqual(b.spec.passwordSecret, undefined);
    });

    it("names each pool object exactly as configured (the `pool` label of the metrics)", () => {
        assert.deepStrictEqual(
            manifests.filter((m) => m.kind === "IPAddressPool").map((m) => m.metadata.name),
            ["public", "internal"],
        );
        assert.deepStrictEqual(manifests[0].metadata.labels, { tier: "public" });
    });
});
