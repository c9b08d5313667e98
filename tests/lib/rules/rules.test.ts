import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ALERT_NAMES, DEFAULT_ALERT_SETTINGS, metallbRules, RuleTarget } from "../../../lib/rules";
import { AlertingRule, RecordingRule } from "../../../lib/rules/types";
import { KNOWN_METRICS } from "../../../lib/metrics";
import { analyzePromql } from "../../support/promql";
import { crdErrors } from "../../support/schemas";

const ROOT = path.resolve(__dirname, "../../..");
const FRR: RuleTarget = { namespace: "metallb-system", releaseName: "metallb", bgpBackend: "frr-k8s", bgpPools: ["bgp"] };
const NATIVE: RuleTarget = { namespace: "metallb-system", releaseName: "metallb", bgpBackend: "native", bgpPools: [] };

const rulesOf = (t: RuleTarget) => metallbRules(DEFAULT_ALERT_SETTINGS, t).groups.flatMap((g) => g.rules);
const alertsOf = (t: RuleTarget) => rulesOf(t).filter((r): r is AlertingRule => "alert" in r);
const recordsOf = (t: RuleTarget) => rulesOf(t).filter((r): r is RecordingRule => "record" in r);

describe("MetalLB rule definitions", () => {
    it("every alert has a severity, a summary, a description and a runbook that exists here", () => {
        for (const a of alertsOf(FRR)) {
            assert.ok(["critical", "warning", "info"].includes(a.labels.severity), a.alert);
            assert.match(a.annotations.summary, /^[A-Z].*\.$/, `${a.alert}: summary is a sentence`);
            assert.doesNotMatch(a.annotations.summary, /\{\{/, `${a.alert}: summary is static`);
            assert.match(a.annotations.description, /\{\{ \$labels\.(pool|node|peer|namespace|pod) \}\}/, `${a.alert}: description names what is concerned`);
            const runbook = path.join(ROOT, "runbooks", `${a.alert}.md`);
            assert.ok(a.annotations.runbook_url.endsWith(`/runbooks/${a.alert}.md`));
            assert.ok(fs.existsSync(runbook), `runbook for ${a.alert}`);
            const text = fs.readFileSync(runbook, "utf8");
            for (const section of ["## Meaning", "## Impact", "## Confirm", "## Fix"]) {
                assert.ok(text.includes(section), `${a.alert} runbook has ${section}`);
            }
        }
    });

    it("defines exactly the alerts listed in ALERT_NAMES for frr-k8s, without frr-k8s/BFD ones for native", () => {
        assert.deepStrictEqual(alertsOf(FRR).map((a) => a.alert).sort(), [...ALERT_NAMES].sort());
        const native = alertsOf(NATIVE).map((a) => a.alert);
        for (const frrOnly of ["MetalLBBFDSessionDown", "MetalLBFRRK8sDown", "MetalLBFRRK8sNotReady", "MetalLBBGPNoPrefixesAnnounced"]) {
            assert.ok(!native.includes(frrOnly), `${frrOnly} not defined for native without BGP pools`);
        }
        assert.ok(native.includes("MetalLBBGPSessionDown"), "native BGP sessions are still alerted on");
    });

    it("every alert has a promtool test where it fires, with labels and annotations asserted", () => {
        const suites = fs.readdirSync(path.join(__dirname, "suites")).map((f) => parse(fs.readFileSync(path.join(__dirname, "suites", f), "utf8")));
        const fired = new Set<string>();
        for (const suite of suites) {
            for (const test of suite.tests) {
                for (const t of test.alert_rule_test ?? []) {
                    if ((t.exp_alerts ?? []).some((e: any) => e.exp_labels?.severity && e.exp_annotations?.description && e.exp_annotations?.runbook_url)) {
                        fired.add(t.alertname);
                    }
                }
            }
        }
        assert.deepStrictEqual([...ALERT_NAMES].filter((a) => !fired.has(a)), []);
    });

    it("recording rules are named level:metric:operations", () => {
        for (const r of recordsOf(FRR)) {
            assert.match(r.record, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, r.record);
        }
    });

    it("every expression parses and uses only metrics MetalLB, frr-k8s or kube-state-metrics export, or that we record", async () => {
        for (const r of rulesOf(FRR)) {
            const what = "alert" in r ? r.alert : r.record;
            const { errors, metrics } = await analyzePromql(r.expr);
            assert.deepStrictEqual(errors, [], `${what} parses`);
            assert.ok(metrics.length > 0, `${what} selects something`);
            for (const name of metrics) {
                assert.ok(KNOWN_METRICS.has(name), `${what}: unknown metric ${name}`);
            }
        }
    });

    it("scopes every raw selector to MetalLB's namespace", () => {
        for (const r of rulesOf({ ...FRR, namespace: "lb" })) {
            for (const sel of r.expr.match(/\{[^}]*job=[^}]*\}/g) ?? []) {
                assert.match(sel, /namespace="lb"/, `${sel} in ${"alert" in r ? r.alert : r.record}`);
            }
        }
    });

    it("applies thresholds and excluded pools from the settings", () => {
        const rules = metallbRules({ ...DEFAULT_ALERT_SETTINGS, poolUsageWarningPercent: 70, excludePools: ["lab", "ci.test"] }, FRR);
        const high = rules.groups.flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === "MetalLBAddressPoolUsageHigh")!;
        assert.match(high.expr, />= 0\.7$/);
        assert.match(high.expr, /pool!~"lab\|ci\\\.test"/);
    });

    it("is a valid PrometheusRule spec for the Prometheus Operator CRD", () => {
        const cr = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "x" }, spec: metallbRules(DEFAULT_ALERT_SETTINGS, FRR) };
        assert.deepStrictEqual(crdErrors(cr), []);
    });
});
