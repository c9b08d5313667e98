import * as assert from "assert";
import { alertSettingsSchema, DEFAULT_ALERT_SETTINGS, withAlertDefaults } from "../../../lib/rules/settings";
import { JOBS } from "../../../lib/metrics";

describe("alert settings schema (lib/rules/settings.ts)", () => {
    it("completes an empty input with every default", () => {
        const s = alertSettingsSchema.parse({});
        assert.deepStrictEqual(s, DEFAULT_ALERT_SETTINGS);
        assert.strictEqual(s.clusterLabel, undefined, "single cluster by default");
        assert.deepStrictEqual([s.poolUsageWarningPercent, s.poolUsageCriticalPercent], [80, 95]);
        assert.deepStrictEqual(
            { ...s.selectors },
            {
                controllerJob: JOBS.controller,
                speakerJob: JOBS.speaker,
                frrK8sJob: JOBS.frrK8s,
                kubeStateMetricsJob: "kube-state-metrics",
                apiserverJob: "apiserver",
            },
        );
    });

    it("completes a deep-partial input: nested objects keep the defaults of every field not given", () => {
        const s = withAlertDefaults({ clusterLabel: "cluster", for: { poolUsage: "20m" }, selectors: { namespace: "lb" } });
        assert.strictEqual(s.for.poolUsage, "20m");
        assert.strictEqual(s.for.controllerDown, DEFAULT_ALERT_SETTINGS.for.controllerDown);
        assert.strictEqual(s.selectors.namespace, "lb");
        assert.strictEqual(s.selectors.speakerJob, JOBS.speaker);
        assert.strictEqual(s.clusterLabel, "cluster");
    });

    it("refuses a warning threshold at or above the critical one, naming the field", () => {
        const r = alertSettingsSchema.safeParse({ poolUsageWarningPercent: 96 });
        assert.ok(!r.success);
        assert.deepStrictEqual(
            r.error.issues.map((i) => i.path.join(".")),
            ["poolUsageWarningPercent"],
        );
        assert.match(r.error.issues[0].message, /below poolUsageCriticalPercent \(95\)/);
    });

    it("refuses durations, label names and unknown keys that Prometheus or the rules could not use", () => {
        for (const bad of [
            { for: { poolUsage: "ten minutes" } },
            { for: { poolUsag: "5m" } },
            { clusterLabel: "my-cluster" },
            { clusterLabel: "__name__" },
            { selectors: { controllerJob: "" } },
            { typo: 1 },
        ]) {
            assert.ok(!alertSettingsSchema.safeParse(bad).success, JSON.stringify(bad));
        }
    });

    it("keeps every critical alert's default `for` at 2 minutes or less (3 minutes with scrape and evaluation)", () => {
        const f = DEFAULT_ALERT_SETTINGS.for;
        for (const key of ["poolExhausted", "servicePendingControllerDown", "addressNotAnnounced", "l2SplitBrain", "bgpPeerDown", "controllerDown"] as const) {
            assert.match(f[key], /^(1m|2m|[0-9]{1,3}s)$/, key);
        }
    });
});
