import * as assert from "assert";
import { dashboardJson } from "../../../lib/dashboard/build";
import {
    dashboardPanels,
    defaultRangeMs,
    queryTiming,
    roundInterval,
    substituteMacros,
    substituteVariables,
    variableValues,
} from "../../../scripts/bench/grafana";
import { alertSeries, stages } from "../../../scripts/bench/rules";

/** The benchmark's model of how Grafana runs a dashboard's queries (scripts/bench/grafana.ts). */
describe("benchmark: Grafana's query model", () => {
    const HOUR = 3_600_000;
    const target = { refId: "A", expr: "x", instant: false, range: true, intervalFactor: 1 };

    it("steps a 1,000-pixel panel at the scrape interval for an hour and at range/1000 rounded for a day", () => {
        assert.deepStrictEqual(queryTiming(target, HOUR, 30_000, 1000), { stepMs: 30_000, intervalMs: 30_000, rateIntervalMs: 120_000 });
        // 24h / 1000 = 86.4 s, rounded by Grafana to 1m; $__rate_interval = max(1m + 30s, 4 × 30s).
        assert.deepStrictEqual(queryTiming(target, 24 * HOUR, 30_000, 1000), { stepMs: 60_000, intervalMs: 60_000, rateIntervalMs: 120_000 });
        assert.strictEqual(queryTiming({ ...target, minInterval: "5m" }, HOUR, 30_000, 1000).stepMs, 300_000, "a panel's min interval wins");
        assert.strictEqual(queryTiming({ ...target, maxDataPoints: 100 }, 6 * HOUR, 30_000, 1000).stepMs, 300_000, "maxDataPoints replaces the width");
        assert.strictEqual(roundInterval(3600), 5000);
    });

    it("substitutes macros and variables as Grafana sends them", () => {
        const t = queryTiming(target, HOUR, 30_000, 1000);
        assert.strictEqual(
            substituteMacros("rate(x[$__rate_interval]) + increase(y[${__range}]) + $__interval_ms", t, HOUR),
            "rate(x[120s]) + increase(y[3600s]) + 30000",
        );
        const values = new Map([
            ["node", ".*"],
            ["pool", "(a|b)"],
        ]);
        assert.strictEqual(
            substituteVariables('x{node=~"$node",pool=~"${pool}",p="[[pool]]"}[$__range]', values),
            'x{node=~".*",pool=~"(a|b)",p="(a|b)"}[$__range]',
        );
    });

    it("takes each variable's default: its current value, All as allValue, or the alternation of its values", async () => {
        const dashboard = {
            templating: {
                list: [
                    { name: "datasource", type: "datasource" },
                    { name: "node", type: "query", includeAll: true, allValue: ".*", current: { value: ["$__all"] } },
                    { name: "pool", type: "query", includeAll: true, query: 'label_values(p{node=~"$node"}, pool)' },
                    { name: "job", type: "custom", current: { value: "speaker" } },
                ],
            },
        };
        const asked: string[] = [];
        const values = await variableValues(dashboard, async (q) => {
            asked.push(q);
            return ["a.b", "c"];
        });
        assert.deepStrictEqual(asked, ['label_values(p{node=~".*"}, pool)'], "a chained variable sees the earlier ones' values");
        assert.deepStrictEqual(Object.fromEntries(values), { node: ".*", pool: "(a\\.b|c)", job: "speaker" });
    });

    it("finds every panel with Prometheus targets, collapsed rows included, and runs instant targets as instant queries", () => {
        const d = JSON.parse(
            dashboardJson({
                namespace: "metallb-system",
                features: { l2: true, bgp: true, bgpBackend: "frr-k8s", bfd: true },
                warningPercent: 80,
                criticalPercent: 95,
            }),
        );
        const panels = dashboardPanels(d);
        const nested = d.panels.filter((p: any) => p.type === "row").reduce((n: number, r: any) => n + r.panels.length, 0);
        assert.strictEqual(panels.length, d.panels.filter((p: any) => p.type !== "row").length + nested);
        assert.ok(
            panels.some((p) => p.title === "Sessions down"),
            "a collapsed row's panel",
        );
        const stat = panels.find((p) => p.type === "stat")!;
        assert.deepStrictEqual([stat.targets[0].instant, stat.targets[0].range], [true, false]);
        const ts = panels.find((p) => p.type === "timeseries")!;
        assert.deepStrictEqual([ts.targets[0].instant, ts.targets[0].range], [false, true]);
        assert.strictEqual(defaultRangeMs(d), HOUR);
        const blogStyle = dashboardPanels({
            panels: [{ type: "stat", title: "s", targets: [{ expr: "a" }, { expr: "b", hide: true }, { expr: "c", datasource: { type: "__expr__" } }] }],
        });
        assert.deepStrictEqual(
            blogStyle[0].targets.map((t) => [t.expr, t.instant, t.range]),
            [["a", false, true]],
            "no instant flag: a range query; hidden and expression targets do not run",
        );
    });

    it("backfills recording rules in stages, a rule reading another recorded series after it", () => {
        const s = stages([
            { record: "b:x:sum", expr: "sum(a:x:max)" },
            { record: "a:x:max", expr: "max(x)" },
            { record: "c:x:count", expr: "count(b:x:sum) + count(a:x:max)" },
        ]);
        assert.deepStrictEqual(
            s.map((g) => g.map((r) => r.record)),
            [["a:x:max"], ["b:x:sum"], ["c:x:count"]],
        );
    });

    it("records ALERTS only once an alert's expression has held for its `for`", () => {
        const values: [number, string][] = [0, 30, 60, 90, 120, 150].map((t) => [1000 + t, "1"]);
        const [alert] = alertSeries(
            { alert: "A", expr: "x", labels: { severity: "warning" } },
            [{ metric: { __name__: "x", pool: "p" }, values }],
            30,
            1000,
            60,
        );
        assert.deepStrictEqual(alert.labels, { pool: "p", severity: "warning", alertname: "A", alertstate: "firing" });
        assert.deepStrictEqual([alert.from, alert.until], [1, 3]);
    });
});
