import * as assert from "assert";
import { ALLOCATOR, FRRK8S_BGP, FRRK8S_CLIENT, K8S_CLIENT, KNOWN_METRICS, metallbFullname, NATIVE_BGP, PORTS, SPEAKER } from "../../lib/metrics";
import { metricsCatalog } from "../support/schemas";

interface Catalog {
    metrics: { name: string; labels: string[]; served_by: string[]; emitted?: boolean }[];
    endpoints: Record<string, Record<string, { port: number; container_port_name: string }>>;
}
const catalog = metricsCatalog<Catalog>();
const byName = new Map(catalog.metrics.map((m) => [m.name, m]));

describe("metric catalogue (lib/metrics.ts)", () => {
    it("names only metrics MetalLB 0.16.1 and frr-k8s 0.0.25 really export", () => {
        for (const group of [ALLOCATOR, K8S_CLIENT, FRRK8S_CLIENT, SPEAKER, NATIVE_BGP, FRRK8S_BGP]) {
            for (const name of Object.values(group)) {
                assert.ok(byName.has(name), `${name} is in the upstream catalogue`);
            }
        }
    });

    it("names no metric the catalogue marks as never emitted, and KNOWN_METRICS has none either", () => {
        const never = catalog.metrics.filter((m) => m.emitted === false).map((m) => m.name);
        assert.ok(never.includes("metallb_allocator_services_allocated_total"));
        for (const group of [ALLOCATOR, K8S_CLIENT, FRRK8S_CLIENT, SPEAKER, NATIVE_BGP, FRRK8S_BGP]) {
            for (const name of Object.values(group)) {
                assert.ok(!never.includes(name), name);
            }
        }
        assert.deepStrictEqual(
            never.filter((n) => KNOWN_METRICS.has(n)),
            [],
        );
    });

    it("knows that layer2 counters carry only `ip`, and the announced gauge carries `node`", () => {
        assert.deepStrictEqual(byName.get(SPEAKER.l2Requests)!.labels, ["ip"]);
        assert.ok(byName.get(SPEAKER.announced)!.labels.includes("node"));
    });

    it("uses the 0.16 HTTPS metrics ports and their container port names", () => {
        const e = catalog.endpoints["v0.16.x"];
        assert.deepStrictEqual(PORTS.metallb, { name: e.controller.container_port_name, port: e.controller.port });
        assert.deepStrictEqual(PORTS.frrK8sController, { name: e.frr_k8s_controller.container_port_name, port: e.frr_k8s_controller.port });
        assert.deepStrictEqual(PORTS.frrK8sFrr, { name: e.frr_k8s_frr_metrics.container_port_name, port: e.frr_k8s_frr_metrics.port });
    });

    it("derives the chart's fullname like metallb.fullname", () => {
        assert.strictEqual(metallbFullname("metallb"), "metallb");
        assert.strictEqual(metallbFullname("lb"), "lb-metallb");
    });
});
