import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parseArgs, recheckValidatedArgs, validatedArgs } from "../../components/args";
import { registered, urnOf } from "../support/pulumi";
import {
    AddressPools,
    BgpBackend,
    DashboardDelivery,
    GrafanaServiceType,
    MetalLb,
    MetalLbDashboard,
    MetalLbMonitoring,
    MonitoringStack,
} from "../../components";
import { SmokeTest } from "../../components/smoke-test";

/**
 * Components used from another program refuse the stack config's mistakes, each as `args.<path>`,
 * all in one RunError, before anything is registered.
 */
function refuses(make: () => unknown, prefix: string, expected: [string, RegExp][]): Promise<void> {
    assert.throws(make, (err: Error) => {
        assert.ok(err instanceof pulumi.RunError, String(err));
        for (const [path, message] of expected) {
            const line = err.message.split("\n").find((l) => l.startsWith(`  - ${path}: `));
            assert.ok(line && message.test(line), `${path} ${message} in\n${err.message}`);
        }
        assert.doesNotMatch(err.message, /metallb:|monitoring:/, "paths name the arguments, not stack config");
        return true;
    });
    return registered(prefix).then((regs) => assert.deepStrictEqual(regs, [], "nothing registered"));
}

const SA = { namespace: "monitoring", name: "prometheus" };

describe("component arguments (one convention, every problem as args.<path>)", () => {
    it("AddressPools: host bits, a misspelt key, a string for a list", async () => {
        await refuses(
            () =>
                new AddressPools("args-pools", {
                    namespace: "metallb-system",
                    pools: [{ name: "a", addresses: ["10.30.3.5/28"] }, { name: "b", addresses: "10.0.0.0/24" as never, autoassign: false } as never],
                }),
            "args-pools",
            [
                ["args.pools[0].addresses[0]", /the network is 10\.30\.3\.0\/28/],
                ["args.pools[1].addresses", /must be a list, not the string "10\.0\.0\.0\/24"/],
                ["args.pools[1].autoassign", /did you mean "autoAssign"/],
            ],
        );
    });

    it("AddressPools and MetalLb refuse special-purpose pools and plain-http chart repositories", async () => {
        await refuses(
            () => new AddressPools("args-special", { namespace: "metallb-system", pools: [{ name: "a", addresses: ["169.254.169.254/32", "0.0.0.0/0"] }] }),
            "args-special",
            [
                ["args.pools[0].addresses[0]", /link-local 169\.254\.0\.0\/16 \(holds the cloud metadata address/],
                ["args.pools[0].addresses[1]", /unspecified/],
            ],
        );
        await refuses(() => new MetalLb("args-http", { chartRepository: "http://charts.example.org" }), "args-http", [
            ["args.chartRepository", /must be an https:\/\/ or oci:\/\/ chart repository/],
        ]);
    });

    it("AddressPools without a backend applies no backend rules; with native it refuses frr-k8s-only features", () => {
        const bgp = { peers: [{ name: "tor", myASN: 64512, peerASN: 64500, peerAddress: "10.0.0.1" }], bfdProfiles: [{ name: "fast" }] };
        const pools = [{ name: "p", addresses: ["10.1.0.0/28"] }];
        assert.doesNotThrow(() => new AddressPools("args-nobackend", { namespace: "metallb-system", pools, bgp }));
        assert.throws(
            () => new AddressPools("args-native", { namespace: "metallb-system", pools, bgp, bgpBackend: BgpBackend.Native }),
            /args\.bgp\.bfdProfiles: BFD is not supported by the native BGP backend/,
        );
    });

    it("MetalLb: a chart range, 0.16.0, a bad namespace and an unknown backend", async () => {
        await refuses(() => new MetalLb("args-lb", { chartVersion: "^0.16", namespace: "Metallb_System", bgpBackend: "bird" as BgpBackend }), "args-lb", [
            ["args.chartVersion", /exact chart version/],
            ["args.namespace", /not a valid name/],
            ["args.bgpBackend", /one of: native, frr-k8s/],
        ]);
        assert.throws(() => new MetalLb("args-lb2", { chartVersion: "0.16.0" }), /args\.chartVersion: 0\.16\.0 crash-loops/);
    });

    it("MetalLbMonitoring: empty selector labels, a service account without a name, thresholds out of order, '80%', frr-k8s selector on native", async () => {
        await refuses(
            () =>
                new MetalLbMonitoring("args-mon", {
                    namespace: "metallb-system",
                    bgpBackend: BgpBackend.Native,
                    frrK8sSelector: { app: "frr-k8s" },
                    selectorLabels: {},
                    prometheusServiceAccount: { namespace: "monitoring" } as never,
                    scrapeInterval: "half a minute",
                    alerts: { poolUsageWarningPercent: "80%" as never, for: { poolUsage: "ten minutes" } },
                }),
            "args-mon",
            [
                ["args.selectorLabels", /at least one label/],
                ["args.prometheusServiceAccount.name", /required/],
                ["args.scrapeInterval", /Prometheus duration/],
                ["args.alerts.poolUsageWarningPercent", /must be a number, not the string "80%"/],
                ["args.alerts.for.poolUsage", /Prometheus duration/],
            ],
        );
        assert.throws(
            () =>
                new MetalLbMonitoring("args-mon2", {
                    namespace: "metallb-system",
                    bgpBackend: BgpBackend.Native,
                    frrK8sSelector: { app: "frr-k8s" },
                    selectorLabels: { release: "kps" },
                    prometheusServiceAccount: SA,
                }),
            /args\.frrK8sSelector: has no effect with the native BGP backend/,
        );
        assert.throws(
            () =>
                new MetalLbMonitoring("args-mon3", {
                    namespace: "metallb-system",
                    bgpBackend: BgpBackend.Native,
                    selectorLabels: { release: "kps" },
                    prometheusServiceAccount: SA,
                    alerts: { poolUsageWarningPercent: 96 },
                }),
            /args\.alerts\.poolUsageWarningPercent: \(96\) must be below poolUsageCriticalPercent \(95\)/,
        );
    });

    it("accepts deep-partial alert settings and Outputs for what is only known at deployment", () => {
        assert.doesNotThrow(
            () =>
                new MetalLbMonitoring("args-mon-ok", {
                    namespace: pulumi.output("metallb-system"),
                    bgpBackend: BgpBackend.FrrK8s,
                    selectorLabels: pulumi.output({ release: "kps" }),
                    prometheusServiceAccount: pulumi.output(SA),
                    alerts: { for: { bgpSessionDown: "5m" } },
                }),
        );
    });

    it("MonitoringStack: ClusterIP with an address, a bad quantity, a chart range", async () => {
        await refuses(
            () =>
                new MonitoringStack("args-kps", {
                    chartVersion: "88.x",
                    grafana: { serviceType: GrafanaServiceType.ClusterIP, address: "10.0.0.5" },
                    prometheus: { resources: { requests: { memory: "lots" } } },
                }),
            "args-kps",
            [
                ["args.chartVersion", /exact chart version/],
                ["args.grafana.address", /no effect with a ClusterIP Service/],
                ["args.prometheus.resources.requests.memory", /Kubernetes quantity/],
            ],
        );
    });

    it("MetalLbDashboard: missing Grafana, thresholds out of order, BFD on native", async () => {
        await refuses(
            () =>
                new MetalLbDashboard("args-dash", {
                    metallbNamespace: "metallb-system",
                    features: { l2: true, bgp: true, bgpBackend: BgpBackend.Native, bfd: true },
                    warningPercent: 90,
                    criticalPercent: 80,
                    delivery: DashboardDelivery.GrafanaApi,
                }),
            "args-dash",
            [
                ["args.grafana", /needs grafana\.url and grafana\.auth/],
                ["args.warningPercent", /must be below criticalPercent/],
                ["args.features.bfd", /frr-k8s/],
            ],
        );
    });

    it("MetalLbDashboard: an invalid uid, and a folder uid with ConfigMap delivery", async () => {
        const features = { l2: true, bgp: false, bgpBackend: BgpBackend.Native, bfd: false };
        await refuses(
            () =>
                new MetalLbDashboard("args-dash-uid", {
                    metallbNamespace: "metallb-system",
                    features,
                    uid: "MetalLB_Prod",
                    delivery: DashboardDelivery.ConfigMap,
                }),
            "args-dash-uid",
            [["args.uid", /lower-case/]],
        );
        await refuses(
            () =>
                new MetalLbDashboard("args-dash-fuid", {
                    metallbNamespace: "metallb-system",
                    features,
                    folderUid: "net",
                    delivery: DashboardDelivery.ConfigMap,
                }),
            "args-dash-fuid",
            [["args.folderUid", /no effect with delivery "configmap"/]],
        );
    });

    it("SmokeTest: an address that is not an IP", async () => {
        await refuses(() => new SmokeTest("args-smoke", { address: "grafana.lab", loadBalancerSourceRanges: ["10.0.0.0/8"] }), "args-smoke", [
            ["args.address", /not an IP address/],
        ]);
    });

    it("uses the package's type tokens (metallb-observability:index:<Class>) with an alias for the old one", async () => {
        const lb = new MetalLb("args-token");
        assert.match(await urnOf(lb), /::metallb-observability:index:MetalLb::args-token$/);
        // The alias makes an existing stack's resource (old token) this one: no replacement.
        const aliases = await Promise.all(
            ((lb as unknown as { __aliases: pulumi.Input<string>[] }).__aliases ?? []).map((a) => new Promise((resolve) => pulumi.output(a).apply(resolve))),
        );
        assert.ok(
            aliases.some((u) => /::metallb-observability:metallb:MetalLb::args-token$/.test(String(u))),
            `aliases: ${aliases.join(", ")}`,
        );
    });
});

describe("arguments validated once (components/args.ts)", () => {
    const schema = z.strictObject({ replicas: z.number().min(5) });

    it("a part takes what the whole-stack component built from validated settings as it is; anything else is parsed", () => {
        recheckValidatedArgs(false);
        try {
            const given = validatedArgs(schema, { replicas: 1 });
            assert.strictEqual(parseArgs("Part", "p", schema, given), given, "not parsed again");
            assert.throws(
                () => parseArgs("Part", "p", schema, { replicas: 1 }),
                (err: Error) => err instanceof pulumi.RunError && /args\.replicas/.test(err.message),
            );
        } finally {
            recheckValidatedArgs(true);
        }
    });

    it("the tests recheck: a part whose own schema refuses what the whole-stack component validated fails loudly", () => {
        assert.strictEqual(process.env.METALLB_OBSERVABILITY_RECHECK_ARGS, "1", "tests/support/setup.ts turns the recheck on");
        assert.throws(
            () => parseArgs("Part", "p", schema, validatedArgs(schema, { replicas: 1 })),
            /Part "p" refuses arguments the whole-stack component validated/,
        );
    });
});
