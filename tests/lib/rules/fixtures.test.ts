import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { JOBS, KSM, OTHER_METRICS, RECORDED } from "../../../lib/metrics";
import { metricsCatalog } from "../../support/schemas";

/**
 * The promtool suites may only feed series the real components emit, labelled as Prometheus
 * Operator (through our ServiceMonitors) and kube-prometheus-stack scrape them: every name is in
 * the upstream MetalLB/frr-k8s catalogue (and not marked `"emitted": false`) or in OTHER_METRICS
 * (kube-state-metrics, API server, `up`, `ALERTS`, each with its upstream source).
 */
interface CatalogEntry {
    name: string;
    labels: string[];
    emitted?: boolean;
}
const catalog = metricsCatalog<{ metrics: CatalogEntry[] }>().metrics;
const SUITES = path.join(__dirname, "suites");

interface FixtureSeries {
    suite: string;
    name: string;
    labels: Record<string, string>;
}

function parseSeries(suite: string, text: string): FixtureSeries {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}$/.exec(text.trim());
    assert.ok(m, `${suite}: ${text} is name{labels}`);
    const labels: Record<string, string> = {};
    for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[l[1]] = l[2];
    }
    return { suite, name: m[1], labels };
}

function fixtureSeries(): FixtureSeries[] {
    return fs
        .readdirSync(SUITES)
        .filter((f) => f.endsWith(".yaml"))
        .flatMap((f) =>
            (parse(fs.readFileSync(path.join(SUITES, f), "utf8")).tests as { input_series: { series: string }[] }[]).flatMap((t) =>
                t.input_series.map((s) => parseSeries(f, s.series)),
            ),
        );
}

/** Prometheus Operator renames scraped labels that collide with target labels (honorLabels false). */
const RENAMED: Record<string, string> = { service: "exported_service", node: "exported_node", namespace: "exported_namespace", pod: "exported_pod" };
const METALLB_JOBS: string[] = Object.values(JOBS);

describe("promtool fixtures are real series", () => {
    const series = fixtureSeries();

    it("reads the suites", () => {
        assert.ok(series.length > 100, `${series.length} series`);
    });

    it("use only metrics a component really emits: in the MetalLB/frr-k8s catalogue and not `emitted: false`, or a cited kube-state-metrics/API server/Prometheus series", () => {
        const emitted = new Set(catalog.filter((m) => m.emitted !== false).map((m) => m.name));
        const never = new Set(catalog.filter((m) => m.emitted === false).map((m) => m.name));
        const recorded = new Set<string>(Object.values(RECORDED));
        const bad = series
            .filter((s) => never.has(s.name) || recorded.has(s.name) || !(emitted.has(s.name) || s.name in OTHER_METRICS))
            .map((s) => `${s.suite}: ${s.name}`);
        assert.deepStrictEqual([...new Set(bad)], []);
    });

    it("the catalogue marks the never-set services gauge as not emitted (the fixture check relies on it)", () => {
        assert.strictEqual(catalog.find((m) => m.name === "metallb_allocator_services_allocated_total")?.emitted, false);
    });

    it("label MetalLB and frr-k8s series as our ServiceMonitors do: one of our jobs, MetalLB's namespace, the target labels, the metric's own labels (renamed where they collide)", () => {
        for (const s of series.filter((x) => catalog.some((m) => m.name === x.name))) {
            const where = `${s.suite}: ${s.name}${JSON.stringify(s.labels)}`;
            assert.ok(METALLB_JOBS.includes(s.labels.job), where);
            for (const target of ["namespace", "service", "endpoint", "pod", "container", "instance"]) {
                assert.ok(s.labels[target], `${where} has target label ${target}`);
            }
            // Native and frr-k8s variants of a name differ in labels (the catalogue has both): one must match.
            const variants = catalog.filter((m) => m.name === s.name).map((m) => m.labels.map((l) => RENAMED[l] ?? l));
            assert.ok(
                variants.some((labels) => labels.every((l) => l in s.labels)),
                `${where} carries its own labels (${variants.map((v) => v.join(", ")).join(" or ")})`,
            );
            if (s.labels.job !== JOBS.controller) {
                assert.match(s.labels.node ?? "", /^node-/, `${where}: per-node targets carry the node label`);
            }
        }
    });

    it("label kube-state-metrics and API server series as kube-prometheus-stack scrapes them", () => {
        for (const s of series) {
            const where = `${s.suite}: ${s.name}${JSON.stringify(s.labels)}`;
            if (s.name.startsWith("kube_")) {
                assert.strictEqual(s.labels.job, KSM.job, where);
                assert.ok(s.labels.instance && s.labels.pod && s.labels.container === "kube-state-metrics", where);
            }
            if (s.name.startsWith("apiserver_")) {
                assert.deepStrictEqual([s.labels.job, s.labels.service, s.labels.namespace], ["apiserver", "kubernetes", "default"], where);
            }
            if (s.name === "metallb_speaker_announced") {
                assert.ok(s.labels.exported_service?.includes("/") && s.labels.exported_node, `${where}: service/node arrive as exported_*`);
            }
        }
    });
});
