import * as assert from "assert";
import { parse } from "yaml";
import { buildMetallbValues } from "../../../lib/metallb/values";
import { deepMerge } from "../../../lib/util/merge";
import { readReference, readReferenceJson } from "../../support/reference";
import { jsonSchemaValidator } from "../../support/schemas";

const chartDefaults = parse(readReference("metallb/values.yaml")) as Record<string, unknown>;
const validate = jsonSchemaValidator(readReferenceJson("metallb/values.schema.json"));

/** Helm validates the chart defaults merged with the user's values against values.schema.json. */
function schemaErrors(values: Record<string, unknown>): string[] {
    return validate(deepMerge(chartDefaults, values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const frrDefaults = parse(readReference("metallb/frr-k8s-v0.0.25/values.yaml")) as Record<string, unknown>;
const validateFrr = jsonSchemaValidator(readReferenceJson("metallb/frr-k8s-v0.0.25/values.schema.json"));

/** Helm validates a subchart's values (the parent's `frr-k8s:` key) against the subchart's own schema. */
function frrSchemaErrors(values: Record<string, unknown>): string[] {
    const sub = deepMerge(frrDefaults, (values["frr-k8s"] ?? {}) as Record<string, unknown>);
    return validateFrr(sub) ? [] : (validateFrr.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("buildMetallbValues", () => {
    for (const bgpBackend of ["native", "frr-k8s"] as const) {
        it(`validates against the 0.16.1 chart's values.schema.json (${bgpBackend})`, () => {
            assert.deepStrictEqual(schemaErrors(buildMetallbValues({ bgpBackend })), []);
        });
    }

    for (const bgpBackend of ["native", "frr-k8s"] as const) {
        it(`with metrics TLS, validates against the chart's and the frr-k8s subchart's schemas (${bgpBackend})`, () => {
            const v = buildMetallbValues({ bgpBackend, metricsTlsSecret: "metallb-metrics-tls" });
            assert.deepStrictEqual(schemaErrors(v), []);
            assert.deepStrictEqual(frrSchemaErrors(v), []);
        });
    }

    it("metrics TLS: the chart mounts the one Secret for controller, speakers and (with frr-k8s) frr-k8s", () => {
        // Keys of metallb chart 0.16.1 values.yaml L24-27 and frr-k8s 0.0.25 values.yaml L17-18 (subchart key `frr-k8s`).
        const frr = buildMetallbValues({ bgpBackend: "frr-k8s", metricsTlsSecret: "metallb-metrics-tls" }) as any;
        assert.deepStrictEqual(frr.tls, { controllerMetricsTLSSecret: "metallb-metrics-tls", speakerMetricsTLSSecret: "metallb-metrics-tls" });
        assert.deepStrictEqual(frr["frr-k8s"], { tls: { metricsTLSSecret: "metallb-metrics-tls" } });
        assert.ok("controllerMetricsTLSSecret" in (chartDefaults.tls as object) && "speakerMetricsTLSSecret" in (chartDefaults.tls as object));
        assert.ok("metricsTLSSecret" in (frrDefaults.tls as object));
        const native = buildMetallbValues({ bgpBackend: "native", metricsTlsSecret: "metallb-metrics-tls" }) as any;
        assert.strictEqual(native.tls.speakerMetricsTLSSecret, "metallb-metrics-tls");
        assert.strictEqual(native["frr-k8s"], undefined);
        const plain = buildMetallbValues({ bgpBackend: "frr-k8s" }) as any;
        assert.strictEqual(plain.tls, undefined, "self-signed (the chart default) without the setting");
    });

    it("native backend turns both frr-k8s and the deprecated FRR mode off", () => {
        const v = buildMetallbValues({ bgpBackend: "native" }) as any;
        assert.strictEqual(v.frrk8s.enabled, false);
        assert.strictEqual(v.speaker.frr.enabled, false);
        assert.strictEqual(v["frr-k8s"], undefined, "the subchart key (with a hyphen) does not switch the backend");
    });

    it("frr-k8s backend enables the frrk8s switch and keeps the deprecated FRR mode off", () => {
        const v = buildMetallbValues({ bgpBackend: "frr-k8s" }) as any;
        assert.strictEqual(v.frrk8s.enabled, true);
        assert.strictEqual(v.speaker.frr.enabled, false);
    });

    it("keeps the chart's own monitors and rules off (we create correct ones)", () => {
        const v = buildMetallbValues({ bgpBackend: "native" }) as any;
        assert.strictEqual(v.prometheus.podMonitor.enabled, false);
        assert.strictEqual(v.prometheus.serviceMonitor.enabled, false);
        assert.strictEqual(v.prometheus.prometheusRule.enabled, false);
    });

    it("deep-merges overrides without touching the rest", () => {
        const v = buildMetallbValues({ bgpBackend: "native", overrides: { controller: { logLevel: "debug" }, frrk8s: { enabled: false } } }) as any;
        assert.strictEqual(v.controller.logLevel, "debug");
        assert.strictEqual(v.prometheus.serviceMonitor.enabled, false);
        assert.deepStrictEqual(schemaErrors(v), []);
    });

    it("an override the chart schema forbids is caught by the same check", () => {
        // Guards the check above: a duration string for the monitor interval is a known schema trap (#1857).
        const v = buildMetallbValues({ bgpBackend: "native", overrides: { prometheus: { serviceMonitor: { interval: "30s" } } } });
        assert.notDeepStrictEqual(schemaErrors(v), []);
    });
});
