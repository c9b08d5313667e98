import * as assert from "assert";
import { DASHBOARD_UID, dashboardJson } from "../../../lib/dashboard/build";
import { DashboardFeatures } from "../../../lib/dashboard/panels";
import { KNOWN_METRICS } from "../../../lib/metrics";
import { analyzePromql, substituteGrafanaMacros } from "../../support/promql";
import { jsonSchemaValidator, readJson } from "../../support/schemas";

const ALL: DashboardFeatures = { l2: true, bgp: true, bgpBackend: "frr-k8s", bfd: true };
/** The dashboard as Grafana receives it (the JSON text, not the builder's objects). */
const build = (features: DashboardFeatures = ALL, warningPercent = 80, criticalPercent = 95) =>
    JSON.parse(dashboardJson({ namespace: "metallb-system", features, warningPercent, criticalPercent }));

const panelsOf = (d: any) => d.panels.filter((p: any) => p.type !== "row");
const targetsOf = (d: any) => panelsOf(d).flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, ...t })));

/** Validator for one plugin's `Options` from its upstream JSON schema. */
function optionsValidator(plugin: string) {
    const schema = readJson<{ definitions: object }>(`grafana/${plugin}.jsonschema.json`);
    return jsonSchemaValidator({ $ref: "#/definitions/Options", definitions: schema.definitions });
}
const PLUGIN_SCHEMA: Record<string, string> = { stat: "stat", gauge: "gauge", bargauge: "bargauge", timeseries: "timeseries", "state-timeline": "statetimeline", table: "table" };

describe("MetalLB dashboard model", () => {
    it("validates against Grafana's dashboard JSON schema", () => {
        const validate = jsonSchemaValidator(readJson("grafana/dashboard.jsonschema.json"));
        for (const features of [ALL, { l2: true, bgp: false, bgpBackend: "native", bfd: false } as DashboardFeatures]) {
            assert.ok(validate(build(features)), JSON.stringify(validate.errors?.slice(0, 5)));
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

    it("has a stable uid of at most 40 characters, is read-only, and takes its data source from a variable", () => {
        const d = build();
        assert.strictEqual(d.uid, DASHBOARD_UID);
        assert.match(d.uid, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        assert.ok(d.uid.length <= 40);
        assert.strictEqual(d.editable, false);
        const ds = d.templating.list.find((v: any) => v.type === "datasource");
        assert.deepStrictEqual({ name: ds.name, label: ds.label, query: ds.query }, { name: "datasource", label: "Data source", query: "prometheus" });
    });

    it("offers pool and node variables, multi-select with All, refreshed on time range change", () => {
        for (const name of ["pool", "node"]) {
            const v = build().templating.list.find((x: any) => x.name === name);
            assert.ok(v.multi && v.includeAll, name);
            assert.strictEqual(v.refresh, 2);
            assert.deepStrictEqual(v.datasource, { type: "prometheus", uid: "${datasource}" });
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

    it("every query parses as PromQL once Grafana macros are substituted, and names only known metrics", async () => {
        for (const t of targetsOf(build())) {
            const { errors, metrics } = await analyzePromql(substituteGrafanaMacros(t.expr));
            assert.deepStrictEqual(errors, [], `${t.panel}: ${t.expr}`);
            for (const m of metrics) {
                assert.ok(KNOWN_METRICS.has(m) || m === "kube_service_annotations", `${t.panel}: unknown metric ${m}`);
            }
        }
    });

    it("the PromQL check does catch a broken query", async () => {
        assert.notDeepStrictEqual((await analyzePromql("sum by (pool) (rate(metallb_allocator_addresses_total[5m])")).errors, []);
    });

    it("rates use $__rate_interval, and counters are only read through rate()", () => {
        for (const t of targetsOf(build())) {
            for (const m of t.expr.matchAll(/\brate\([^[]+\[([^\]]+)\]\)/g)) {
                assert.strictEqual(m[1], "$__rate_interval", `${t.panel}: ${t.expr}`);
            }
            for (const counter of t.expr.match(/\b(metallb|frrk8s)_[a-z_0-9]*(_sent|_received|_updates_total|_errors_total)\b/g) ?? []) {
                assert.match(t.expr, new RegExp(`rate\\(${counter}`), `${t.panel}: counter ${counter} not rated`);
            }
        }
    });

    it("colours utilisation at the alert thresholds from config", () => {
        const d = build(ALL, 70, 90);
        const gauge = panelsOf(d).find((p: any) => p.title === "Fullest pool");
        assert.deepStrictEqual(gauge.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value), [null, 0.7, 0.9]);
        assert.strictEqual(gauge.fieldConfig.defaults.unit, "percentunit");
    });

    it("reads the aggregations the alerts use from the recording rules", () => {
        const exprs = targetsOf(build()).map((t: any) => t.expr).join("\n");
        for (const recorded of ["pool:metallb_allocator_addresses_in_use:ratio", "node_peer:metallb_bgp_session_up:max", "node_peer:metallb_bfd_session_up:max", "job_pod:metallb_k8s_client_update_errors:rate5m"]) {
            assert.ok(exprs.includes(recorded), recorded);
        }
        assert.doesNotMatch(exprs, /metallb_bgp_session_up\{|frrk8s_bgp_session_up\{/, "session state comes from the recorded, backend-neutral series");
    });

    it("shows rows only for what is configured", () => {
        const rows = (f: DashboardFeatures) => build(f).panels.filter((p: any) => p.type === "row").map((p: any) => p.title);
        assert.deepStrictEqual(rows({ l2: true, bgp: false, bgpBackend: "native", bfd: false }), ["Overview", "Address allocation", "Announcements", "Layer 2", "Kubernetes client"]);
        assert.deepStrictEqual(rows({ l2: false, bgp: true, bgpBackend: "native", bfd: false }), ["Overview", "Address allocation", "Announcements", "BGP", "Kubernetes client"]);
        const titles = panelsOf(build(ALL)).map((p: any) => p.title);
        assert.ok(titles.includes("BFD session state") && titles.includes("Prefixes announced and received"));
        const native = panelsOf(build({ l2: false, bgp: true, bgpBackend: "native", bfd: false })).map((p: any) => p.title);
        assert.ok(!native.includes("BFD session state") && native.includes("Prefixes announced"));
    });

    it("maps session state 0/1 to Down/Up on the state timelines", () => {
        for (const p of panelsOf(build()).filter((x: any) => x.type === "state-timeline")) {
            const texts = p.fieldConfig.defaults.mappings[0].options;
            assert.deepStrictEqual([texts["0"].text, texts["1"].text], ["Down", "Up"]);
        }
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
        const ids = build().panels.map((p: any) => p.id);
        assert.strictEqual(new Set(ids).size, ids.length, "unique panel ids");
    });
});
