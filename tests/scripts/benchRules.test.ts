import * as assert from "assert";
import { benchCluster } from "../../scripts/bench-dashboard";
import { parseArgs, scrapeTargets, turnCycles } from "../../scripts/bench-rules";
import { cycleOf, fileCost, RulesResponse, rulesOf } from "../../scripts/bench/rule-cost";
import { clusterSeries } from "../support/cluster";

/** How the rule benchmark (scripts/bench-rules.ts) hands the synthetic cluster to Prometheus. */
describe("benchmark: the rule benchmark's scrape targets", () => {
    const series = clusterSeries(benchCluster({ nodes: 4, services: 8, backend: "frr-k8s" }), 75);
    const targets = scrapeTargets(series);

    it("scrapes the cluster as Prometheus scrapes a real one: one target per job and instance", () => {
        // 4 speakers, 4 frr-k8s pods with 2 endpoints each (metricshttps, frrmetricshttps), the controller,
        // kube-state-metrics and the API server.
        assert.strictEqual(targets.length, 4 + 4 * 2 + 3);
        for (const t of targets) {
            const jobs = new Set(t.series.map((s) => `${s.labels.job}/${s.labels.instance}`));
            assert.deepStrictEqual([...jobs], [t.instance], `target ${t.path} mixes series of ${[...jobs].join(", ")}`);
        }
        assert.strictEqual(new Set(targets.map((t) => t.instance)).size, targets.length, "Prometheus' own up series of two targets would collide");
        assert.strictEqual(new Set(targets.map((t) => t.path)).size, targets.length);
    });

    it("serves every series once", () => {
        assert.strictEqual(
            targets.reduce((n, t) => n + t.series.length, 0),
            series.length,
        );
        assert.strictEqual(new Set(targets.flatMap((t) => t.series)).size, series.length);
    });
});

describe("benchmark: the rule benchmark's options", () => {
    it("gives the default run time for every node count (about 22 minutes each with two rule files, most of it the warm-up)", () => {
        const o = parseArgs(["--rules", "before=before.yaml", "ours"]);
        assert.deepStrictEqual(o.nodes, [100, 500, 1000]);
        assert.ok(o.timeoutMs >= 3 * 21 * 60_000, `the default run stops after ${o.timeoutMs / 60_000} minutes`);
    });

    it("splits each server's cycles among the rounds its turns alternate over, and refuses a round without a cycle", () => {
        assert.deepStrictEqual(turnCycles(6, 3), [2, 2, 2]);
        assert.deepStrictEqual(turnCycles(5, 2), [3, 2]);
        assert.deepStrictEqual(turnCycles(4, 1), [4]);
        assert.deepStrictEqual(parseArgs([]).rounds, 2);
        for (const argv of [
            ["--cycles", "2", "--rounds", "3"],
            ["--rounds", "0"],
            ["--rounds", "1.5"],
        ]) {
            assert.throws(() => parseArgs(argv), /--rounds must be a whole number from 1 to --cycles/, argv.join(" "));
        }
        assert.throws(() => parseArgs(["--cycles", "0"]), /--cycles must be a whole number of at least 1/);
        // Each further round adds a turn (its settling cycles) per rule file to the default run time.
        const two = parseArgs(["--rules", "a=a.yaml", "b=b.yaml", "--rounds", "2"]).timeoutMs;
        assert.ok(parseArgs(["--rules", "a=a.yaml", "b=b.yaml", "--rounds", "3"]).timeoutMs > two);
    });

    it("takes a shorter warm-up and an explicit timeout as given", () => {
        assert.ok(parseArgs(["--nodes", "20", "--warmup", "1"]).timeoutMs < 18 * 60_000);
        assert.strictEqual(parseArgs(["--timeout", "5"]).timeoutMs, 5 * 60_000);
    });
});

describe("benchmark: the rule benchmark's cost per cycle", () => {
    // Two groups as Prometheus 2.42 reports them: one evaluated every 15 s, one with its own 1m interval.
    const group = (name: string, interval: number, lastEvaluation: string, rules: [string, number][]) => ({
        name,
        file: "/rules.yaml",
        interval,
        evaluationTime: rules.reduce((a, [, s]) => a + s, 0),
        lastEvaluation,
        rules: rules.map(([n, s]) => ({ name: n, query: `${n}_query`, type: "recording" as const, evaluationTime: s, health: "ok" })),
    });
    const body = (alertsAt: string, dashboardAt: string): RulesResponse => ({
        status: "success",
        data: {
            groups: [
                group("metallb", 15, alertsAt, [
                    ["a", 0.1],
                    ["b", 0.3],
                ]),
                group("metallb-dashboard", 60, dashboardAt, [["c", 0.8]]),
            ],
        },
    });

    it("counts a group evaluated once a minute a quarter in each 15 s cycle: seconds and samples", () => {
        const c = cycleOf(body("2026-12-06T10:00:15Z", "2026-12-06T10:00:50Z"), 15);
        assert.strictEqual(c.seconds, 0.1 + 0.3 + 0.8 / 4);
        const refs = rulesOf(body("2026-12-06T10:00:15Z", "2026-12-06T10:00:50Z"), 15);
        const replays = new Map(refs.map((r) => [r.key, { samples: 1000, seconds: [0.2, 0.4, 0.3] }]));
        const cost = fileCost(refs, [c], replays);
        assert.strictEqual(cost.samples, 1000 + 1000 + 250);
        assert.ok(Math.abs(cost.querySeconds - (0.3 + 0.3 + 0.075)) < 1e-9, String(cost.querySeconds));
        assert.deepStrictEqual(
            new Map(cost.byRule.map((r) => [r.name, r.seconds])),
            new Map([
                ["a", 0.1],
                ["b", 0.3],
                ["c", 0.2],
            ]),
        );
    });

    it("starts a new cycle when the group evaluated every cycle runs again, not when the minute group does", () => {
        assert.strictEqual(cycleOf(body("2026-12-06T10:00:15Z", "2026-12-06T10:00:50Z"), 15).at, "2026-12-06T10:00:15Z");
    });
});
