import * as assert from "assert";
import { benchCluster } from "../../scripts/bench-dashboard";
import { parseArgs, scrapeTargets } from "../../scripts/bench-rules";
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
    it("gives the default run time for every node count (about 18 minutes each, most of it the warm-up)", () => {
        const o = parseArgs([]);
        assert.deepStrictEqual(o.nodes, [100, 500, 1000]);
        assert.ok(o.timeoutMs >= 3 * 18 * 60_000, `the default run stops after ${o.timeoutMs / 60_000} minutes`);
    });

    it("takes a shorter warm-up and an explicit timeout as given", () => {
        assert.ok(parseArgs(["--nodes", "20", "--warmup", "1"]).timeoutMs < 18 * 60_000);
        assert.strictEqual(parseArgs(["--timeout", "5"]).timeoutMs, 5 * 60_000);
    });
});
