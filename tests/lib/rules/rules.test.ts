import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import {
    ALERT_NAMES,
    DASHBOARD_RULE_GROUP,
    DEFAULT_ALERT_SETTINGS,
    REMOTE_WRITE_CHART_ALERTS,
    metallbRules,
    RULE_GROUP,
    RuleTarget,
    withAlertDefaults,
} from "../../../lib/rules";
import { groupBy, inhibitions } from "../../../lib/rules/inhibitions";
import { buildAlertmanagerConfig } from "../../../lib/monitoring/alertmanager";
import { AlertSettings } from "../../../lib/rules/settings";
import { AlertingRule, RecordingRule } from "../../../lib/rules/types";
import { KNOWN_METRICS, RECORDED } from "../../../lib/metrics";
import { analyzePromql } from "../../support/promql";
import { crdErrors } from "../../support/schemas";

const ROOT = path.resolve(__dirname, "../../..");
const FRR: RuleTarget = { namespace: "metallb-system", releaseName: "metallb", bgpBackend: "frr-k8s", bgpPools: ["bgp"] };
const NATIVE: RuleTarget = { namespace: "metallb-system", releaseName: "metallb", bgpBackend: "native", bgpPools: [] };

const rulesOf = (t: RuleTarget, s: AlertSettings = DEFAULT_ALERT_SETTINGS) => metallbRules(s, t).groups.flatMap((g) => g.rules);
const alertsOf = (t: RuleTarget, s?: AlertSettings) => rulesOf(t, s).filter((r): r is AlertingRule => "alert" in r);
const recordsOf = (t: RuleTarget, s?: AlertSettings) => rulesOf(t, s).filter((r): r is RecordingRule => "record" in r);
const nameOf = (r: AlertingRule | RecordingRule) => ("alert" in r ? r.alert : r.record);

/** Seconds in a Prometheus duration such as "2m" or "1h30m". */
function seconds(d: string): number {
    const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    return [...d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)].reduce((sum, m) => sum + Number(m[1]) * units[m[2]], 0);
}

describe("MetalLB rule definitions", () => {
    it("every alert has a severity, a summary, a description naming what is concerned, and a runbook that exists here", () => {
        for (const a of alertsOf(FRR)) {
            assert.ok(["critical", "warning", "info"].includes(a.labels.severity), a.alert);
            assert.match(a.annotations.summary, /^[A-Z].*\.$/, `${a.alert}: summary is a sentence`);
            assert.doesNotMatch(a.annotations.summary, /\{\{/, `${a.alert}: summary is static`);
            assert.match(
                a.annotations.description,
                /\{\{ \$labels\.(pool|node|peer|namespace|pod|service|exported_service|ip|name|daemonset) \}\}|namespace metallb-system/,
                `${a.alert}: description names what is concerned`,
            );
            const runbook = path.join(ROOT, "runbooks", `${a.alert}.md`);
            assert.ok(a.annotations.runbook_url.endsWith(`/runbooks/${a.alert}.md`));
            assert.ok(fs.existsSync(runbook), `runbook for ${a.alert}`);
            const text = fs.readFileSync(runbook, "utf8");
            for (const section of ["## Meaning", "## Impact", "## Confirm", "## Fix"]) {
                assert.ok(text.includes(section), `${a.alert} runbook has ${section}`);
            }
        }
    });

    it("has no runbook for an alert that does not exist", () => {
        const runbooks = fs.readdirSync(path.join(ROOT, "runbooks")).filter((f) => f.endsWith(".md") && f !== "README.md");
        assert.deepStrictEqual(
            runbooks.map((f) => f.replace(/\.md$/, "")).filter((n) => !([...ALERT_NAMES, ...REMOTE_WRITE_CHART_ALERTS] as string[]).includes(n)),
            [],
        );
    });

    it("defines every alert of ALERT_NAMES for frr-k8s with a BGP pool, and no frr-k8s/BFD/BGP-pool ones for native without", () => {
        assert.deepStrictEqual([...new Set(alertsOf(FRR).map((a) => a.alert))].sort(), [...ALERT_NAMES].sort());
        const native = alertsOf(NATIVE).map((a) => a.alert);
        for (const frrOnly of [
            "MetalLBBFDSessionDown",
            "MetalLBBFDSessionFlapping",
            "MetalLBFRRK8sDown",
            "MetalLBFRRK8sNotReady",
            "MetalLBBGPSessionVanished",
            "MetalLBBGPNoPrefixesAnnounced",
        ]) {
            assert.ok(!native.includes(frrOnly), `${frrOnly} not defined for native without BGP pools`);
        }
        assert.ok(native.includes("MetalLBBGPSessionDown") && native.includes("MetalLBBGPPeerDown"), "native BGP sessions are still alerted on");
    });

    it("every alert (and each severity of it) has a promtool test where it fires, with labels and annotations asserted", () => {
        const suites = fs.readdirSync(path.join(__dirname, "suites")).map((f) => parse(fs.readFileSync(path.join(__dirname, "suites", f), "utf8")));
        const fired = new Set<string>();
        for (const suite of suites) {
            for (const test of suite.tests) {
                for (const t of test.alert_rule_test ?? []) {
                    for (const e of t.exp_alerts ?? []) {
                        if (e.exp_labels?.severity && e.exp_annotations?.description && e.exp_annotations?.runbook_url) {
                            fired.add(`${t.alertname}/${e.exp_labels.severity}`);
                        }
                    }
                }
            }
        }
        const defined = alertsOf(FRR).map((a) => `${a.alert}/${a.labels.severity}`);
        assert.deepStrictEqual(
            defined.filter((a) => !fired.has(a)),
            [],
        );
    });

    it("keeps every critical alert at 3 minutes or less from fault to firing (30s scrape + 30s evaluation + for)", () => {
        for (const a of alertsOf(FRR).filter((x) => x.labels.severity === "critical")) {
            assert.ok(30 + 30 + seconds(a.for ?? "0s") <= 180, `${a.alert}: for ${a.for}`);
        }
    });

    it("recording rules are named level:metric:operations, and every RECORDED name is recorded", () => {
        const records = recordsOf(FRR).map((r) => r.record);
        for (const r of records) {
            assert.match(r, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, r);
        }
        assert.deepStrictEqual(
            [...new Set(Object.values(RECORDED))].filter((n) => !records.includes(n)),
            [],
        );
    });

    it("every expression parses and uses only metrics MetalLB, frr-k8s, kube-state-metrics or the API server export, or that we record", async () => {
        for (const r of [...rulesOf(FRR), ...rulesOf(FRR, withAlertDefaults({ clusterLabel: "cluster" }))]) {
            const { errors, metrics } = await analyzePromql(r.expr);
            assert.deepStrictEqual(errors, [], `${nameOf(r)} parses`);
            assert.ok(metrics.length > 0, `${nameOf(r)} selects something`);
            for (const name of metrics) {
                assert.ok(KNOWN_METRICS.has(name), `${nameOf(r)}: unknown metric ${name}`);
            }
        }
    });

    it("never reads a metric MetalLB does not emit, nor a pool size without excluding the MaxInt64 of /64 ranges", () => {
        for (const r of rulesOf(FRR)) {
            assert.doesNotMatch(r.expr, /metallb_allocator_services_allocated_total/, nameOf(r));
        }
        const sizes = recordsOf(FRR).filter((r) => r.record === RECORDED.poolFamilyAddressesTotal || r.record === RECORDED.poolUsageRatio);
        assert.strictEqual(sizes.length, 2);
        for (const r of sizes) {
            const totals = [...r.expr.matchAll(/metallb_allocator_(ipv[46]_)?addresses_total\{[^}]*\}\) > 0( < 2\^62)?/g)];
            assert.ok(totals.length > 0, r.record);
            for (const m of totals) {
                assert.ok(m[2], `${r.record} bounds ${m[0]}`);
            }
        }
    });

    it("scopes every MetalLB selector to MetalLB's namespace, and selectors come from the settings", () => {
        for (const r of rulesOf({ ...FRR, namespace: "lb" })) {
            for (const sel of r.expr.match(/\{[^}]*job=~?"(metallb-controller|metallb-speaker|frr-k8s)[^}]*\}/g) ?? []) {
                assert.match(sel, /namespace="lb"/, `${sel} in ${nameOf(r)}`);
            }
        }
        const custom = withAlertDefaults({
            selectors: { namespace: "elsewhere", controllerJob: "lb-ctrl", kubeStateMetricsJob: "ksm", apiserverJob: "kube-apiserver" },
        });
        const exprs = rulesOf(FRR, custom)
            .map((r) => r.expr)
            .join("\n");
        assert.match(exprs, /up\{job="lb-ctrl",namespace="elsewhere"\}/);
        assert.match(exprs, /\{job="ksm"/);
        assert.match(exprs, /\{job="kube-apiserver"/);
        assert.doesNotMatch(exprs, /namespace="metallb-system"|job="(metallb-controller|kube-state-metrics|apiserver)"/);
    });

    it("with clusterLabel set, keeps the cluster in every by/on, has no global absent(), and names the cluster in descriptions", () => {
        const fleet = withAlertDefaults({ clusterLabel: "k8s_cluster" });
        for (const r of rulesOf(FRR, fleet)) {
            for (const clause of r.expr.match(/\b(by|on)\s*\([^)]*\)/g) ?? []) {
                assert.match(clause, /\(k8s_cluster\b/, `${nameOf(r)}: ${clause}`);
            }
            // Every aggregation groups (so it can keep the cluster), absent() is not used.
            assert.doesNotMatch(r.expr, /\b(sum|min|max|avg|count|group)\s*\(/, `${nameOf(r)} aggregates without by`);
            assert.doesNotMatch(r.expr, /\babsent\(/, nameOf(r));
            if ("alert" in r) {
                assert.match(r.annotations.description, /in cluster \{\{ \$labels\.k8s_cluster \}\}/, r.alert);
            }
        }
        assert.match(
            rulesOf(FRR)
                .map((r) => r.expr)
                .join("\n"),
            /absent\(up\{job="metallb-controller"/,
            "a single cluster keeps absent()",
        );
    });

    it("groups notifications and inhibits by the cluster too when clusterLabel is set", () => {
        assert.deepStrictEqual(groupBy(DEFAULT_ALERT_SETTINGS), ["alertname", "namespace", "pool", "node", "peer", "vrf"]);
        const fleet = withAlertDefaults({ clusterLabel: "cluster" });
        assert.deepStrictEqual(groupBy(fleet)[0], "cluster");
        for (const rule of inhibitions(fleet)) {
            assert.ok(rule.equal.includes("cluster"), JSON.stringify(rule));
        }
        for (const rule of inhibitions(DEFAULT_ALERT_SETTINGS)) {
            assert.ok(!rule.equal.includes("cluster"), JSON.stringify(rule));
        }
        // The Alertmanager config takes them from the settings it is given.
        const am = buildAlertmanagerConfig({ pagerduty: true, alerts: fleet }) as { route: { group_by: string[] }; inhibit_rules: { equal: string[] }[] };
        assert.deepStrictEqual(am.route.group_by, groupBy(fleet));
        assert.deepStrictEqual(am.inhibit_rules, inhibitions(fleet));
        // Every inhibition names alerts that exist.
        for (const rule of inhibitions(fleet)) {
            for (const m of [...rule.source_matchers, ...rule.target_matchers].join(" ").matchAll(/alertname = "(MetalLB\w+)"/g)) {
                assert.ok((ALERT_NAMES as string[]).includes(m[1]), m[1]);
            }
        }
    });

    it("applies thresholds and excluded and reserved pools from the settings and the target", () => {
        const rules = metallbRules(withAlertDefaults({ poolUsageWarningPercent: 70, excludePools: ["lab", "ci.test"] }), {
            ...FRR,
            reservedPools: ["grafana"],
        });
        const high = rules.groups.flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === "MetalLBAddressPoolUsageHigh")!;
        assert.match(high.expr, />= 0\.7$/);
        // The regex escape is itself escaped for the PromQL string: "ci\\.test".
        assert.ok(high.expr.includes('pool!~"lab|ci\\\\.test|grafana"'), high.expr);
    });

    it("evaluates the alerts and every record they read in one group, each record before the rules that read it; the records no alert reads once a minute in a group of their own", async () => {
        // Rules that read what the previous evaluation recorded, on purpose: their own result (a memory).
        const deliberate = [`${RECORDED.bgpSessionLastSeen} reads ${RECORDED.bgpSessionLastSeen}`];
        for (const [target, settings] of [
            [FRR, DEFAULT_ALERT_SETTINGS],
            [NATIVE, DEFAULT_ALERT_SETTINGS],
            [FRR, withAlertDefaults({ clusterLabel: "cluster" })],
        ] as const) {
            const what = `${target.bgpBackend}${settings.clusterLabel ? " with clusterLabel" : ""}`;
            const [main, ...others] = metallbRules(settings, target).groups;
            const metricsOf = async (r: AlertingRule | RecordingRule) => new Set((await analyzePromql(r.expr)).metrics);
            const mainReads = await Promise.all(main.rules.map(metricsOf));
            // Prometheus evaluates a group's rules in order; other groups run independently.
            assert.deepStrictEqual([main.name, main.interval], [RULE_GROUP, undefined], what);
            assert.strictEqual(main.rules.filter((r) => "alert" in r).length, alertsOf(target, settings).length, `${what}: every alert in the first group`);
            const recordedAt = new Map(main.rules.flatMap((r, i) => ("record" in r ? [[r.record, i] as const] : [])));
            const early: string[] = [];
            for (const [i, r] of main.rules.entries()) {
                for (const name of mainReads[i]) {
                    if ((recordedAt.get(name) ?? -1) >= i) {
                        early.push(`${nameOf(r)} reads ${name}`);
                    }
                }
            }
            assert.deepStrictEqual(early.sort(), [...deliberate].sort(), what);

            assert.deepStrictEqual(
                others.map((g) => [g.name, g.interval]),
                [[DASHBOARD_RULE_GROUP, "1m"]],
                what,
            );
            const dashboard = others[0].rules;
            assert.ok(
                dashboard.every((r) => "record" in r),
                `${what}: only records`,
            );
            const dashboardRecords = new Set(dashboard.map(nameOf));
            // The costliest record no alert reads (a rate over every node's message counters) is among them.
            assert.ok(dashboardRecords.has(RECORDED.peerMessages), what);
            const late: string[] = [];
            for (const [i, r] of main.rules.entries()) {
                for (const name of mainReads[i]) {
                    if (dashboardRecords.has(name)) {
                        late.push(`${nameOf(r)} reads ${name}`);
                    }
                }
            }
            assert.deepStrictEqual(late, [], `${what}: a rule of the alert group would read a record up to a minute old`);
            // A record that reads the previous evaluation (offset) reads records of its own group: in
            // another group, the record's previous and current values are those of one evaluation.
            for (const r of dashboard.filter((x) => /\boffset\b/.test(x.expr))) {
                for (const name of await metricsOf(r)) {
                    assert.ok(!recordedAt.has(name), `${what}: ${nameOf(r)} reads ${name} of the alert group at an offset`);
                }
            }
        }
    });

    it("is a valid PrometheusRule spec for the Prometheus Operator CRD", () => {
        const cr = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "x" }, spec: metallbRules(DEFAULT_ALERT_SETTINGS, FRR) };
        assert.deepStrictEqual(crdErrors(cr), []);
    });
});
