import * as assert from "assert";
import { buildMetallbDashboard } from "../../../lib/dashboard/build";
import { DashboardFeatures } from "../../../lib/dashboard/panels";
import { RECORDED } from "../../../lib/metrics";
import { DEFAULT_ALERT_SETTINGS, metallbRules } from "../../../lib/rules";
import { SCENARIOS, Series } from "../../support/cluster";
import { substituteGrafanaMacros } from "../../support/promql";
import { RunningPrometheus, startPrometheus, waitForData } from "../../support/prometheus";
import { requireTool } from "../../support/tools";

/** Every variable set to "All" (allValue ".*"), as a user first opens the dashboard. */
function resolveVariables(expr: string): string {
    return substituteGrafanaMacros(expr).replace(/\$pool|\$\{pool\}/g, ".*").replace(/\$node|\$\{node\}/g, ".*");
}

interface Target {
    expr: string;
    instant?: boolean;
}

const CLUSTERS: [string, () => Series[], DashboardFeatures, string[]][] = [
    ["healthy L2 cluster", SCENARIOS.l2, { l2: true, bgp: false, bgpBackend: "native", bfd: false }, []],
    ["healthy BGP cluster, native backend", SCENARIOS.nativeBgp, { l2: false, bgp: true, bgpBackend: "native", bfd: false }, ["services-bgp"]],
    ["healthy L2 + BGP cluster, frr-k8s backend with BFD", SCENARIOS.frrBgp, { l2: true, bgp: true, bgpBackend: "frr-k8s", bfd: true }, ["services-bgp"]],
];

describe("dashboard queries against a real Prometheus", function () {
    this.timeout(120_000);

    for (const [name, scenario, features, bgpPools] of CLUSTERS) {
        describe(name, () => {
            let prom: RunningPrometheus | undefined;
            before(async function () {
                const promtool = requireTool(this, "promtool", "prometheus");
                const prometheus = requireTool(this, "prometheus", "prometheus");
                const rules = metallbRules(DEFAULT_ALERT_SETTINGS, { namespace: "metallb-system", releaseName: "metallb", bgpBackend: features.bgpBackend, bgpPools });
                prom = await startPrometheus({ promtool, prometheus }, scenario(), rules);
                // Wait for the recording rules, including the one built on other recorded series.
                await waitForData(prom, RECORDED.poolUsageRatio);
                await waitForData(prom, RECORDED.clientUpdates);
                if (features.bgp) {
                    await waitForData(prom, RECORDED.bgpSessionUp);
                }
            });
            after(async () => prom?.stop());

            it("every panel query returns data", async () => {
                const dash = buildMetallbDashboard({ namespace: "metallb-system", features, warningPercent: 80, criticalPercent: 95 }) as any;
                const empty: string[] = [];
                let checked = 0;
                for (const panel of dash.panels.filter((p: any) => p.type !== "row")) {
                    for (const t of panel.targets as Target[]) {
                        const expr = resolveVariables(t.expr);
                        const result = t.instant ? await prom!.query(expr) : await prom!.queryRange(expr, 10);
                        checked++;
                        if (result.length === 0) {
                            empty.push(`${panel.title}: ${t.expr}`);
                        }
                    }
                }
                assert.deepStrictEqual(empty, [], "panels without data");
                assert.ok(checked > 15, `checked ${checked} queries`);
            });

            it("the variable queries find the pools and nodes", async () => {
                const dash = buildMetallbDashboard({ namespace: "metallb-system", features, warningPercent: 80, criticalPercent: 95 }) as any;
                for (const v of dash.templating.list.filter((x: any) => x.type === "query")) {
                    const m = /^label_values\((.*), (\w+)\)$/.exec(v.query);
                    assert.ok(m, v.query);
                    const values = new Set((await prom!.query(m[1])).map((s: any) => s.metric[m[2]]));
                    assert.ok(values.size > 0 && !values.has(undefined), `${v.name}: ${[...values].join(", ")}`);
                }
            });

            it("raises no alert on this healthy cluster", async () => {
                const firing = await prom!.query('ALERTS{alertstate="firing"}');
                assert.deepStrictEqual(firing, []);
            });
        });
    }
});
