import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { buildMetallbValues } from "../../../lib/metallb/values";
import { deepMerge } from "../../../lib/util/merge";
import { jsonSchemaValidator, readJson, UPSTREAM } from "../../support/schemas";

const chartDefaults = parse(fs.readFileSync(path.join(UPSTREAM, "metallb-0.16.1/values.yaml"), "utf8")) as Record<string, unknown>;
const validate = jsonSchemaValidator(readJson("metallb-0.16.1/values.schema.json"));

/** Helm validates the chart defaults merged with the user's values against values.schema.json. */
function schemaErrors(values: Record<string, unknown>): string[] {
    return validate(deepMerge(chartDefaults, values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("buildMetallbValues", () => {
    for (const bgpBackend of ["native", "frr-k8s"] as const) {
        it(`validates against the 0.16.1 chart's values.schema.json (${bgpBackend})`, () => {
            assert.deepStrictEqual(schemaErrors(buildMetallbValues({ bgpBackend })), []);
        });
    }

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
