import * as assert from "assert";
import { DASHBOARD_UID, dashboardJson, MetallbDashboardOptions } from "../../../lib/dashboard/build";
import { DashboardFeatures } from "../../../lib/dashboard/panels";
import { SYMPTOM_METRICS } from "../../../lib/dashboard/queries";
import { KSM, RECORDED } from "../../../lib/metrics";
import { analyzePromql, substituteGrafanaMacros } from "../../support/promql";
import { jsonSchemaValidator, metricsCatalog, readJson } from "../../support/schemas";

const ALL: DashboardFeatures = { l2: true, bgp: true, bgpBackend: "frr-k8s", bfd: true };
const L2_NATIVE: DashboardFeatures = { l2: true, bgp: false, bgpBackend: "native", bfd: false };
const BGP_NATIVE: DashboardFeatures = { l2: false, bgp: true, bgpBackend: "native", bfd: false };
type Extra = Partial<Omit<MetallbDashboardOptions, "features">>;
/** The dashboard as Grafana receives it (the JSON text, not the builder's objects). */
const build = (features: DashboardFeatures = ALL, extra: Extra = {}) =>
    JSON.parse(dashboardJson({ namespace: "metallb-system", features, warningPercent: 80, criticalPercent: 95, ...extra }));

/** Every panel but rows, collapsed rows' panels included. */
const panelsOf = (d: any): any[] => d.panels.flatMap((p: any) => (p.type === "row" ? (p.panels ?? []) : [p]));
const rowsOf = (d: any): any[] => d.panels.filter((p: any) => p.type === "row");
const targetsOf = (d: any) => panelsOf(d).flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, ...t })));

/** Catalogue of MetalLB's metrics (tests/fixtures/metrics-catalog.json; `"emitted": false` = registered but never set). */
const CATALOGUE = metricsCatalog<{ metrics: { name: string; emitted?: boolean }[] }>().metrics;
/** Never emitted in v0.16.1 (../shared/research/real-cluster.md §1), whether or not the catalogue copy marks it yet. */
const NEVER_EMITTED = new Set(["metallb_allocator_services_allocated_total", ...CATALOGUE.filter((m) => m.emitted === false).map((m) => m.name)]);
/** What a dashboard query may read: emitted MetalLB/frr-k8s metrics, recorded series, kube-state-metrics and API server symptoms. */
const READABLE = new Set<string>([
    ...CATALOGUE.filter((m) => !NEVER_EMITTED.has(m.name)).map((m) => m.name),
    ...Object.values(RECORDED),
    ...Object.values(SYMPTOM_METRICS),
    KSM.daemonsetReady,
    KSM.daemonsetDesired,
    "up",
    "ALERTS",
]);

/** Validator for one plugin's `Options` from its upstream JSON schema. */
function optionsValidator(plugin: string) {
    const schema = readJson<{ definitions: object }>(`grafana/${plugin}.jsonschema.json`);
    return jsonSchemaValidator({ $ref: "#/definitions/Options", definitions: schema.definitions });
}
const PLUGIN_SCHEMA: Record<string, string> = {
    stat: "stat",
    gauge: "gauge",
    bargauge: "bargauge",
    timeseries: "timeseries",
    "state-timeline": "statetimeline",
    table: "table",
};

describe("MetalLB dashboard model", () => {
    it("validates against Grafana's dashboard JSON schema", () => {
        const validate = jsonSchemaValidator(readJson("grafana/dashboard.jsonschema.json"));
        for (const d of [build(ALL), build(L2_NATIVE), build(BGP_NATIVE, { clusterLabel: "cluster", uid: "metallb-prod-eu" })]) {
            assert.ok(validate(d), JSON.stringify(validate.errors?.slice(0, 5)));
        }
    });

    it("each panel's options validate against its plugin schema, each query against the Prometheus query schema", () => {
        const query = jsonSchemaValidator(readJson("grafana/prometheus.jsonschema.json"));
        for (const p of panelsOf(build())) {
            const validate = optionsValidator(PLUGIN_SCHEMA[p.type]);
            assert.ok(validate(p.options), `${p.title}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
            for (const t of p.targets) {
                assert.ok(query(t), `${p.title}: ${JSON.stringify(query.errors?.slice(0, 3))}`);
            }
        }
    });

    it("has a uid per instance (default metallb-overview), is read-only, and takes its data source from a variable", () => {
        const d = build();
        assert.strictEqual(d.uid, DASHBOARD_UID);
        assert.strictEqual(d.uid, "metallb-overview");
        assert.strictEqual(build(ALL, { uid: "metallb-prod-eu" }).uid, "metallb-prod-eu");
        assert.strictEqual(d.editable, false);
        const ds = d.templating.list.find((v: any) => v.type === "datasource");
        assert.deepStrictEqual({ name: ds.name, label: ds.label, query: ds.query }, { name: "datasource", label: "Data source", query: "prometheus" });
    });

    it("opens on the last hour", () => {
        assert.deepStrictEqual(build().time, { from: "now-1h", to: "now" });
    });

    it("offers pool and node variables, multi-select with All, refreshed on time range change", () => {
        for (const name of ["pool", "node"]) {
            const v = build().templating.list.find((x: any) => x.name === name);
            assert.ok(v.multi && v.includeAll, name);
            assert.strictEqual(v.refresh, 2);
            assert.deepStrictEqual(v.datasource, { type: "prometheus", uid: "${datasource}" });
        }
    });

    it("has a cluster variable only when the rules' cluster label is set, and then filters every selector and keeps it in every aggregation", async () => {
        assert.ok(!build().templating.list.some((v: any) => v.name === "cluster"), "no cluster variable without a cluster label");
        assert.doesNotMatch(JSON.stringify(build()), /\$cluster/);
        const d = build(ALL, { clusterLabel: "k8s_cluster" });
        const v = d.templating.list.find((x: any) => x.name === "cluster");
        assert.strictEqual(v.query, 'label_values(up{job="kube-state-metrics"}, k8s_cluster)');
        assert.ok(d.templating.list.indexOf(v) < d.templating.list.findIndex((x: any) => x.name === "pool"), "cluster before the variables that depend on it");
        for (const t of targetsOf(d)) {
            // Every vector selector (metric name followed by its matchers) carries the cluster matcher ...
            for (const m of t.expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
                assert.match(m[2], /k8s_cluster=~"\$cluster"/, `${t.panel}: ${m[0]}`);
            }
            for (const name of READABLE) {
                const bare = new RegExp(`(?<![\\w:])${name}(?![\\w:{])`);
                assert.doesNotMatch(t.expr, bare, `${t.panel}: ${name} without the cluster matcher`);
            }
            // ... and every aggregation and join keeps the label.
            for (const m of t.expr.matchAll(/\b(by|on) \(([^)]*)\)/g)) {
                assert.match(m[2], /\bk8s_cluster\b/, `${t.panel}: ${m[0]}`);
            }
        }
        for (const v2 of d.templating.list.filter((x: any) => x.type === "query" && x.name !== "cluster")) {
            assert.match(v2.query, /k8s_cluster=~"\$cluster"/, v2.name);
        }
    });

    it("every panel has a unit, a description and targets on the datasource variable", () => {
        for (const p of panelsOf(build())) {
            assert.ok(p.fieldConfig.defaults.unit, `${p.title} unit`);
            assert.ok(p.description && p.description.length > 20, `${p.title} description`);
            assert.deepStrictEqual(p.datasource, { type: "prometheus", uid: "${datasource}" });
            assert.ok(p.targets.length > 0, `${p.title} has queries`);
            for (const t of p.targets) {
                assert.deepStrictEqual(t.datasource, { type: "prometheus", uid: "${datasource}" }, p.title);
            }
        }
    });

    it("every query parses as PromQL once Grafana macros are substituted, and reads only series that exist", async () => {
        for (const d of [build(ALL), build(BGP_NATIVE, { clusterLabel: "cluster" })]) {
            for (const t of targetsOf(d)) {
                const { errors, metrics } = await analyzePromql(substituteGrafanaMacros(t.expr).replace(/\$(node|pool|cluster)/g, ".*"));
                assert.deepStrictEqual(errors, [], `${t.panel}: ${t.expr}`);
                for (const m of metrics) {
                    assert.ok(READABLE.has(m), `${t.panel}: ${m} is neither emitted nor recorded`);
                }
            }
        }
    });

    it("the PromQL check does catch a broken query", async () => {
        assert.notDeepStrictEqual((await analyzePromql("sum by (pool) (rate(metallb_allocator_addresses_total[5m])")).errors, []);
    });

    it("reads no metric MetalLB never sets and no MaxInt64 pool total", () => {
        const exprs = targetsOf(build())
            .map((t: any) => t.expr)
            .join("\n");
        for (const m of NEVER_EMITTED) {
            assert.ok(!exprs.includes(m), m);
        }
        assert.doesNotMatch(
            exprs,
            /metallb_allocator_addresses_(total|in_use_total)\b|pool:metallb_allocator_addresses_in_use:ratio/,
            "pool figures come per address family",
        );
        assert.doesNotMatch(exprs, /gratuitous/, "gratuitous ARP is sent on every resync: not a failover count");
    });

    it("rates use $__rate_interval, other range selectors the time range, and counters are only read through rate() or increase()", () => {
        for (const t of targetsOf(build())) {
            for (const m of t.expr.matchAll(/\b(\w+)\((?:[^()[]|\([^()]*\))+\[([^\]]+)\]\)/g)) {
                assert.strictEqual(m[2], m[1] === "rate" ? "$__rate_interval" : "$__range", `${t.panel}: ${m[0]}`);
            }
            for (const counter of t.expr.match(
                /\b(metallb|frrk8s|kube|apiserver)_[a-z_0-9]*(_sent|_received|_updates_total|_errors_total|_events|_restarts_total|_count)\b/g,
            ) ?? []) {
                assert.match(t.expr, new RegExp(`(rate|increase)\\(${counter}`), `${t.panel}: counter ${counter} read raw`);
            }
        }
    });

    it("reads the wide aggregations from recording rules: per-IP announcers, per-peer sessions and messages, per-family pools", () => {
        const exprs = targetsOf(build())
            .map((t: any) => t.expr)
            .join("\n");
        for (const recorded of [
            RECORDED.ipAnnouncers,
            RECORDED.peerSessions,
            RECORDED.peerSessionsUp,
            RECORDED.peerMessages,
            RECORDED.poolFamilyFree,
            RECORDED.poolFamilyRatio,
            RECORDED.poolServices,
        ]) {
            assert.ok(exprs.includes(recorded), recorded);
        }
        assert.doesNotMatch(exprs, /metallb_bgp_session_up\{|frrk8s_bgp_session_up\{/, "session state comes from the recorded, backend-neutral series");
        for (const t of targetsOf(build())) {
            if (/metallb_speaker_announced\{/.test(t.expr)) {
                assert.match(t.expr, /protocol="layer2"/, `${t.panel}: raw announcements only for Layer 2 (BGP is one series per node and address)`);
            }
        }
    });

    it("opens with health counts of what is wrong, green at 0 and red from 1", () => {
        const d = build();
        const first = rowsOf(d)[0];
        assert.strictEqual(first.title, "Health");
        const stats = d.panels.filter((p: any) => p.type === "stat" && p.gridPos.y === first.gridPos.y + 1);
        assert.ok(stats.length >= 7, `${stats.length} health stats`);
        for (const p of stats) {
            assert.deepStrictEqual(
                p.fieldConfig.defaults.thresholds.steps,
                [
                    { value: null, color: "green" },
                    { value: 1, color: "red" },
                ],
                p.title,
            );
            assert.ok(
                p.targets.every((t: any) => t.instant),
                p.title,
            );
        }
    });

    it("puts the symptom tables right after the health counts, with readable column names", () => {
        const d = build();
        assert.strictEqual(rowsOf(d)[1].title, "Symptoms");
        const titles = panelsOf(d).map((p: any) => p.title);
        for (const t of [
            "Pending LoadBalancer Services",
            "Addresses with no announcing node",
            "L2 addresses with more than one announcer",
            "Free addresses per pool and family",
            "Services per pool",
            "Webhook rejections",
            "Firing MetalLB alerts",
        ]) {
            assert.ok(titles.includes(t), t);
        }
        for (const p of panelsOf(d).filter((x: any) => x.type === "table")) {
            const organize = p.transformations.find((x: any) => x.id === "organize");
            assert.ok(organize, `${p.title} organizes its columns`);
            for (const title of Object.values(organize.options.renameByName) as string[]) {
                assert.match(title, /^[A-Z]/, `${p.title}: column ${title}`);
                assert.doesNotMatch(title, /_|Value/, `${p.title}: column ${title}`);
            }
            assert.ok(
                p.targets.every((t: any) => t.instant && t.format === "table"),
                p.title,
            );
        }
        const pending = panelsOf(d).find((p: any) => p.title === "Pending LoadBalancer Services" && p.type === "table");
        assert.deepStrictEqual(Object.values(pending.transformations.find((x: any) => x.id === "organize").options.renameByName), [
            "Namespace",
            "Service",
            "Age",
        ]);
        const free = panelsOf(d).find((p: any) => p.title === "Free addresses per pool and family");
        assert.deepStrictEqual(
            [free.options.footer.show, free.options.footer.reducer, free.options.footer.fields],
            [true, ["min"], ["Free"]],
            "the table shows the minimum, not a sum",
        );
    });

    it("links each firing alert to its runbook (in any namespace)", () => {
        const p = panelsOf(build(ALL, { runbookBaseUrl: "https://runbooks.example.com/metallb/" })).find(
            (x: any) => x.title === "Firing MetalLB alerts" && x.type === "table",
        );
        assert.doesNotMatch(p.targets[0].expr, /namespace=/);
        const [link] = p.fieldConfig.defaults.links;
        assert.strictEqual(link.url, "https://runbooks.example.com/metallb/${__data.fields.Alert}.md");
        assert.ok(
            Object.values(p.transformations.find((x: any) => x.id === "organize").options.renameByName).includes("Alert"),
            "the link reads the renamed column",
        );
    });

    it("collapses the heavy per-IP and per-session rows", () => {
        const rows = rowsOf(build());
        const collapsed = rows.filter((r: any) => r.collapsed).map((r: any) => r.title);
        assert.deepStrictEqual(collapsed, ["BGP sessions (per node)", "Layer 2 (per IP and node)"]);
        for (const r of rows) {
            assert.ok(r.collapsed ? r.panels.length > 0 : r.panels.length === 0, `${r.title}: a collapsed row holds its panels`);
        }
    });

    it("legends and tables tell VRFs apart", () => {
        for (const p of panelsOf(build()).filter((x: any) => x.targets.some((t: any) => /\bpeer\b/.test(t.expr)))) {
            for (const t of p.targets) {
                if (p.type === "timeseries") {
                    assert.match(t.legendFormat, /\{\{vrf\}\}/, `${p.title}: ${t.legendFormat}`);
                }
            }
            if (p.type === "table") {
                assert.ok(Object.values(p.transformations.find((x: any) => x.id === "organize").options.renameByName).includes("VRF"), p.title);
            }
        }
    });

    it("$node filters every query that reads per-node series", () => {
        const perNode =
            /\b(metallb_speaker_announced|metallb_layer2_[a-z_]+|frrk8s_[a-z_]+|metallb_bgp_[a-z_]+|metallb_k8s_client_[a-z_]+|node_peer:[a-z_:]+|job_pod:[a-z_:]+)\{([^}]*)\}/g;
        let checked = 0;
        for (const t of targetsOf(build())) {
            for (const m of t.expr.matchAll(perNode)) {
                assert.match(m[2], /node=~"\$node"/, `${t.panel}: ${m[0]}`);
                checked++;
            }
        }
        assert.ok(checked >= 8, `${checked} per-node selectors`);
    });

    it("colours pool usage at the alert thresholds from config", () => {
        const p = panelsOf(build(ALL, { warningPercent: 70, criticalPercent: 90 })).find((x: any) => x.title === "Pool usage per family");
        assert.deepStrictEqual(
            p.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value),
            [null, 0.7, 0.9],
        );
        assert.strictEqual(p.fieldConfig.defaults.unit, "percentunit");
    });

    it("shows rows only for what is configured", () => {
        const rows = (f: DashboardFeatures) => rowsOf(build(f)).map((p: any) => p.title);
        assert.deepStrictEqual(rows(L2_NATIVE), ["Health", "Symptoms", "Address pools", "Layer 2 (per IP and node)", "Components"]);
        assert.deepStrictEqual(rows(BGP_NATIVE), ["Health", "Symptoms", "Address pools", "BGP peers", "BGP sessions (per node)", "Components"]);
        const titles = panelsOf(build(ALL)).map((p: any) => p.title);
        assert.ok(titles.includes("BFD sessions down") && titles.includes("Prefixes announced and received per peer"));
        const native = panelsOf(build(BGP_NATIVE)).map((p: any) => p.title);
        assert.ok(
            !native.includes("BFD sessions down") &&
                native.includes("Prefixes announced per peer") &&
                !native.includes("L2 addresses with more than one announcer"),
        );
    });

    it("lays panels out on the 24-column grid without overlaps", () => {
        const cells = new Set<string>();
        for (const p of build().panels) {
            const g = p.gridPos;
            assert.ok(g.x + g.w <= 24, `${p.title} fits the width`);
            for (let x = g.x; x < g.x + g.w; x++) {
                for (let y = g.y; y < g.y + g.h; y++) {
                    assert.ok(!cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`);
                    cells.add(`${x},${y}`);
                }
            }
        }
        const d = build();
        const ids = [...rowsOf(d), ...panelsOf(d)].map((p: any) => p.id);
        assert.strictEqual(new Set(ids).size, ids.length, "unique panel ids");
    });
});
