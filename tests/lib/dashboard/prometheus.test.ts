import * as assert from "assert";
import { buildMetallbDashboard } from "../../../lib/dashboard/build";
import { DashboardFeatures, dashboardRows } from "../../../lib/dashboard/panels";
import { dashboardQueries } from "../../../lib/dashboard/queries";
import { RECORDED } from "../../../lib/metrics";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../../lib/rules/types";
import { ClusterSpec, clusterSeries, FIXTURE_MINUTES, Series, SPECS } from "../../support/cluster";
import { substituteGrafanaMacros } from "../../support/promql";
import { ourRules, RunningPrometheus, startPrometheus, waitForData } from "../../support/prometheus";
import { requireTool } from "../../support/tools";

const NS = "metallb-system";

/** Pool and node set to "All" (allValue ".*"), as a user first opens the dashboard; the cluster to the fixture's. */
function resolveVariables(expr: string, cluster = ""): string {
    return substituteGrafanaMacros(expr)
        .replace(/\$pool|\$\{pool\}/g, ".*")
        .replace(/\$node|\$\{node\}/g, ".*")
        .replace(/\$cluster|\$\{cluster\}/g, cluster);
}

interface Target {
    expr: string;
    instant?: boolean;
}
interface Panel {
    title: string;
    type: string;
    targets: Target[];
}

/** The dashboard's panels (collapsed rows' included), each with the row it is in. */
function panelsOf(features: DashboardFeatures, clusterLabel?: string): { row: string; panel: Panel }[] {
    const dash = buildMetallbDashboard({ namespace: NS, features, warningPercent: 80, criticalPercent: 95, clusterLabel }) as unknown as {
        panels: (Panel & { panels?: Panel[] })[];
    };
    const out: { row: string; panel: Panel }[] = [];
    let row = "";
    for (const p of dash.panels) {
        if (p.type === "row") {
            row = p.title;
            out.push(...(p.panels ?? []).map((panel) => ({ row, panel })));
        } else {
            out.push({ row, panel: p });
        }
    }
    return out;
}

/** Titles of the panels that list only faults (declared on the specs). */
function symptomTitles(features: DashboardFeatures): Set<string> {
    const rows = dashboardRows(dashboardQueries({ namespace: NS }), {
        features,
        warningPercent: 80,
        criticalPercent: 95,
        runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
    });
    return new Set(rows.flatMap((r) => r.panels.filter((p) => p.symptom).map((p) => `${r.title}/${p.title}`)));
}

async function run(
    prom: RunningPrometheus,
    t: Target,
    cluster?: string,
): Promise<{ metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[]> {
    const expr = resolveVariables(t.expr, cluster);
    return (t.instant ? await prom.query(expr) : await prom.queryRange(expr, 10)) as { metric: Record<string, string>; value?: [number, string] }[];
}

/**
 * A second MetalLB (same release name, so the same jobs) in another namespace of the same cluster,
 * with every fault of SPECS.faulty: its MetalLB targets and its DaemonSets as Prometheus Operator and
 * kube-state-metrics label them, namespace aside. Cluster-wide series (nodes, Services, the API
 * server, the scrape targets of kube-state-metrics) are ours already and left out, as are the
 * fixture's ALERTS. A dashboard query without its namespace selector shows these faults.
 */
export const NEIGHBOUR_NS = "metallb-tenant";
function neighbourSeries(minutes: number, externalLabels?: Record<string, string>): Series[] {
    return clusterSeries({ ...SPECS.faulty, externalLabels }, minutes)
        .filter((s) => s.name !== "ALERTS" && s.labels.namespace === NS)
        .map((s) => ({ ...s, labels: { ...s.labels, namespace: NEIGHBOUR_NS } }));
}

async function start(ctx: Mocha.Context, spec: ClusterSpec, minutes = FIXTURE_MINUTES): Promise<RunningPrometheus> {
    const promtool = requireTool(ctx, "promtool", "prometheus");
    const prometheus = requireTool(ctx, "prometheus", "prometheus");
    const bgpPools = spec.pools.filter((p) => p.protocol === "bgp").map((p) => p.name);
    const clusterLabel = spec.externalLabels?.cluster !== undefined ? "cluster" : undefined;
    const series = [...clusterSeries(spec, minutes), ...neighbourSeries(minutes, spec.externalLabels)];
    const prom = await startPrometheus({ promtool, prometheus }, series, ourRules(NS, spec.backend, bgpPools, clusterLabel), minutes);
    // Wait for the recording rules, including those built on other recorded series.
    await waitForData(prom, RECORDED.poolFamilyFree);
    await waitForData(prom, RECORDED.clientUpdates);
    await waitForData(prom, RECORDED.poolServices);
    if (spec.peers.length > 0) {
        await waitForData(prom, RECORDED.peerSessions);
        await waitForData(prom, RECORDED.peerMessages);
    }
    return prom;
}

const featuresOf = (spec: ClusterSpec): DashboardFeatures => ({
    l2: spec.pools.some((p) => p.protocol === "layer2"),
    bgp: spec.peers.length > 0,
    bgpBackend: spec.backend,
    bfd: spec.bfd === true,
});

const HEALTHY: [string, ClusterSpec][] = [
    ["healthy L2 cluster", SPECS.l2],
    ["healthy BGP cluster, native backend", SPECS.nativeBgp],
    ["healthy L2 + BGP cluster, frr-k8s backend with BFD", SPECS.frrBgp],
];

describe("dashboard queries against a real Prometheus", function () {
    this.timeout(120_000);

    for (const [name, spec] of HEALTHY) {
        describe(name, () => {
            let prom: RunningPrometheus | undefined;
            const features = featuresOf(spec);
            before(async function () {
                prom = await start(this, spec);
            });
            after(async () => prom?.stop());

            it("every panel shows data, except the fault lists, which are empty; every health count is 0", async () => {
                const symptoms = symptomTitles(features);
                const empty: string[] = [];
                const falseAlarms: string[] = [];
                let checked = 0;
                for (const { row, panel } of panelsOf(features)) {
                    const results = await Promise.all(panel.targets.map((t) => run(prom!, t)));
                    checked += panel.targets.length;
                    const rows = results.reduce((n, r) => n + r.length, 0);
                    if (symptoms.has(`${row}/${panel.title}`)) {
                        if (rows > 0) {
                            falseAlarms.push(`${panel.title}: ${JSON.stringify(results.flat().slice(0, 2))}`);
                        }
                    } else if (results.some((r) => r.length === 0)) {
                        empty.push(`${panel.title}: ${panel.targets.map((t) => t.expr).join(" | ")}`);
                    }
                    if (row === "Health") {
                        assert.strictEqual(Number(results[0][0].value![1]), 0, `${panel.title} on a healthy cluster`);
                    }
                }
                assert.deepStrictEqual(empty, [], "panels without data");
                assert.deepStrictEqual(falseAlarms, [], "fault lists showing something on a healthy cluster");
                assert.ok(checked > 15, `checked ${checked} queries`);
            });

            it("the variable queries find the pools and nodes", async () => {
                const dash = buildMetallbDashboard({ namespace: NS, features, warningPercent: 80, criticalPercent: 95 }) as any;
                for (const v of dash.templating.list.filter((x: any) => x.type === "query")) {
                    const m = /^label_values\((.*), (\w+)\)$/.exec(v.query);
                    assert.ok(m, v.query);
                    const values = new Set((await prom!.query(m[1])).map((s: any) => s.metric[m[2]]));
                    assert.ok(values.size > 0 && !values.has(undefined), `${v.name}: ${[...values].join(", ")}`);
                }
            });

            if (spec === SPECS.l2) {
                it("ARP requests per node count our speakers only, not the other namespace's MetalLB on the same nodes", async () => {
                    // The fixture: each L2 address's owner answers 12 requests a minute (0.2/s); node-001 owns
                    // services-l2-svc-0, node-002 services-l2-svc-1 and services-dual-svc-0.
                    const q = dashboardQueries({ namespace: NS });
                    const got = (await run(prom!, { expr: q.arpRequestsByNode, instant: true })).map((r) => [
                        r.metric.node,
                        Number(Number(r.value![1]).toFixed(3)),
                    ]);
                    assert.deepStrictEqual(got.sort(), [
                        ["node-001", 0.2],
                        ["node-002", 0.4],
                    ]);
                });
            }

            it("raises no alert on this healthy cluster", async () => {
                const firing = await prom!.query('ALERTS{alertstate="firing"}');
                assert.deepStrictEqual(firing, []);
            });
        });
    }

    describe("a cluster with one of every fault, in a fleet store (cluster label set, rules and dashboard keep it)", () => {
        let prom: RunningPrometheus | undefined;
        const features = featuresOf(SPECS.faulty);
        const cluster = SPECS.faulty.externalLabels!.cluster;
        before(async function () {
            prom = await start(this, SPECS.faulty);
        });
        after(async () => prom?.stop());

        it("every fault list shows the fault, and every health count is at least 1", async () => {
            const symptoms = symptomTitles(features);
            const missed: string[] = [];
            let checkedSymptoms = 0;
            let checkedCounts = 0;
            let empty: string[] = [];
            for (const { row, panel } of panelsOf(features, "cluster")) {
                const results = await Promise.all(panel.targets.map((t) => run(prom!, t, cluster)));
                if (results.some((r) => r.length === 0) && !symptoms.has(`${row}/${panel.title}`)) {
                    empty = [...empty, panel.title];
                }
                if (symptoms.has(`${row}/${panel.title}`)) {
                    checkedSymptoms++;
                    if (results[0].length === 0) {
                        missed.push(panel.title);
                    }
                }
                if (row === "Health") {
                    checkedCounts++;
                    if (!(Number(results[0][0]?.value?.[1]) >= 1)) {
                        missed.push(`${panel.title} = ${results[0][0]?.value?.[1]}`);
                    }
                }
            }
            assert.deepStrictEqual(missed, [], "faults the dashboard does not show");
            assert.deepStrictEqual(empty, [], "panels without data for the selected cluster");
            assert.strictEqual(checkedSymptoms, symptoms.size);
            assert.ok(checkedSymptoms >= 9 && checkedCounts >= 8, `${checkedSymptoms} fault lists, ${checkedCounts} counts`);
        });

        it("names the faulty objects: the pending Service, the unannounced and doubly announced IPs, the down session", async () => {
            const q = dashboardQueries({ namespace: NS, clusterLabel: "cluster" });
            const labels = async (expr: string, label: string) => (await run(prom!, { expr, instant: true }, cluster)).map((s) => s.metric[label]).sort();
            assert.deepStrictEqual(await labels(q.pendingTable, "service"), ["pending-0"]);
            assert.deepStrictEqual(await labels(q.unannouncedTable, "ip"), ["192.168.10.10"]);
            assert.deepStrictEqual(await labels(q.duplicatesTable, "ip"), ["192.168.10.11"]);
            assert.deepStrictEqual(await labels(q.ownerChanges, "ip"), ["192.168.10.11", "192.168.10.12"]);
            assert.deepStrictEqual(await labels(q.sessionsDownTable, "node"), ["node-001"]);
            assert.deepStrictEqual(await labels(q.peerDown, "vrf"), ["red", "red"], "the VRF reaches the per-peer series");
            assert.deepStrictEqual(await labels(q.pendingTable, "cluster"), [cluster], "the cluster label survives every aggregation");
            assert.deepStrictEqual(
                await run(prom!, { expr: q.pendingCount, instant: true }, "another-cluster").then((r) => r.map((x) => x.value![1])),
                ["0"],
                "another cluster's view does not count this one's faults",
            );
        });
    });

    describe("cardinality budget", () => {
        // 25 nodes × 44 BGP addresses: one raw series per node and address would be 1,100 series.
        const spec: ClusterSpec = {
            ...SPECS.frrBgp,
            nodes: 25,
            servicesPerPool: [20, 44],
            pools: [{ ...SPECS.frrBgp.pools[0] }, { ...SPECS.frrBgp.pools[1], v4Size: 64 }],
        };
        let prom: RunningPrometheus | undefined;
        before(async function () {
            prom = await start(this, spec, 20);
        });
        after(async () => prom?.stop());

        it("no panel returns more than 1,000 series, though the raw announcements have more", async () => {
            const raw = await prom!.query('count(metallb_speaker_announced{protocol="bgp"})');
            assert.ok(Number((raw[0] as any).value[1]) > 1000, "the fixture fans out");
            const over: string[] = [];
            for (const { panel } of panelsOf(featuresOf(spec))) {
                const series = (await Promise.all(panel.targets.map((t) => run(prom!, t)))).reduce((n, r) => n + r.length, 0);
                if (series > 1000) {
                    over.push(`${panel.title}: ${series}`);
                }
            }
            assert.deepStrictEqual(over, []);
        });
    });
});
