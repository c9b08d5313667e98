import * as assert from "assert";
import { ClusterSpec, clusterSeries, Series, SPECS } from "../../support/cluster";
import { metricsCatalog } from "../../support/schemas";

interface CatalogueEntry {
    readonly name: string;
    readonly labels: readonly string[];
    readonly emitted?: boolean;
}
const CATALOGUE = metricsCatalog<{ metrics: CatalogueEntry[] }>().metrics;

/** Series of other components the fixtures may hold (kube-state-metrics, the API server, Prometheus itself). */
const OTHER_COMPONENTS = new Set([
    "up",
    "ALERTS",
    "kube_service_spec_type",
    "kube_service_created",
    "kube_service_status_load_balancer_ingress",
    "kube_service_annotations",
    "kube_endpoint_address",
    "kube_pod_container_status_restarts_total",
    "kube_daemonset_status_number_ready",
    "kube_daemonset_status_desired_number_scheduled",
    "kube_node_status_condition",
    "apiserver_admission_webhook_rejection_count",
]);
/** Labels our ServiceMonitors put on every MetalLB target (lib/monitoring/scrape.ts). */
const TARGET_LABELS = ["job", "namespace", "service", "endpoint", "pod", "container", "instance"];
/** Scraped labels that collide with target labels are renamed by Prometheus (honorLabels false). */
const RENAMED: Record<string, string> = { service: "exported_service", node: "exported_node" };

/** What is wrong with a fixture's series: never-emitted metrics, invented metrics, missing labels. */
function fixtureProblems(series: readonly Series[], catalogue: readonly CatalogueEntry[]): string[] {
    // A name can have several entries (native BGP vs FRR mode: `metallb_bgp_session_up{peer}` and `{peer,vrf}`).
    const byName = new Map<string, CatalogueEntry[]>();
    for (const m of catalogue) {
        byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
    }
    const problems = new Set<string>();
    for (const s of series) {
        const entries = byName.get(s.name);
        if (!entries) {
            if (!OTHER_COMPONENTS.has(s.name)) {
                problems.add(`${s.name}: not a metric any component emits`);
            }
            continue;
        }
        if (entries.some((e) => e.emitted === false)) {
            problems.add(`${s.name}: registered but never emitted`);
        }
        const missing = entries.map((e) => [...TARGET_LABELS, ...e.labels.map((l) => RENAMED[l] ?? l)].filter((label) => !(label in s.labels)));
        if (missing.every((m) => m.length > 0)) {
            for (const label of missing[0]) {
                problems.add(`${s.name}: no ${label} label`);
            }
        }
    }
    return [...problems];
}

describe("test fixtures hold only what the real components emit", () => {
    const specs: [string, ClusterSpec][] = Object.entries(SPECS);

    for (const [name, spec] of specs) {
        it(`${name}: every series is an emitted metric with the labels our scrape config gives it`, () => {
            assert.deepStrictEqual(fixtureProblems(clusterSeries(spec, 10), CATALOGUE), []);
        });
    }

    it('the check fails a fixture with a metric the catalogue marks "emitted": false', () => {
        const catalogue: CatalogueEntry[] = [
            ...CATALOGUE.filter((m) => m.name !== "metallb_allocator_services_allocated_total"),
            { name: "metallb_allocator_services_allocated_total", labels: ["pool"], emitted: false },
        ];
        const labels = clusterSeries(SPECS.l2, 10).find((s) => s.name === "metallb_allocator_addresses_total")!.labels;
        const fiction: Series = { name: "metallb_allocator_services_allocated_total", labels, value: () => 1 };
        assert.deepStrictEqual(fixtureProblems([fiction], catalogue), ["metallb_allocator_services_allocated_total: registered but never emitted"]);
        assert.deepStrictEqual(fixtureProblems([{ ...fiction, name: "metallb_made_up" }], CATALOGUE), ["metallb_made_up: not a metric any component emits"]);
        const { pool: _pool, ...unlabelled } = labels;
        assert.deepStrictEqual(fixtureProblems([{ name: "metallb_allocator_addresses_total", labels: unlabelled, value: () => 1 }], CATALOGUE), [
            "metallb_allocator_addresses_total: no pool label",
        ]);
    });

    it("no fixture holds metallb_allocator_services_allocated_total (never set in v0.16.1, real-cluster.md §1)", () => {
        for (const [name, spec] of specs) {
            assert.ok(!clusterSeries(spec, 10).some((s) => s.name === "metallb_allocator_services_allocated_total"), name);
        }
    });
});
