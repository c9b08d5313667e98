import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { buildAlertmanagerConfig, ReceiverOptions } from "../../../lib/monitoring/alertmanager";
import { renderedStack } from "../../support/render";
import { requireTool, run } from "../../support/tools";

/** Labels of real MetalLB alerts as our rules produce them. */
const BGP_DOWN = ["alertname=MetalLBBGPSessionDown", "severity=critical", "namespace=metallb-system", "node=node-a", "peer=10.0.0.1"];
const POOL_HIGH = ["alertname=MetalLBAddressPoolUsageHigh", "severity=warning", "namespace=metallb-system", "pool=services-l2"];

describe("Alertmanager configuration (amtool)", function () {
    this.timeout(60_000);
    let amtool = "";
    let dir = "";

    before(function () {
        amtool = requireTool(this, "amtool", "prometheus-alertmanager");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "alertmanager-"));
    });

    /**
     * webhook_configs' `url_file` exists since Alertmanager v0.26.0 (prometheus/alertmanager
     * config/notifiers.go at v0.26.0; notify/webhook/config.go L40 at v0.34.0, the version
     * kube-prometheus-stack 88.5.3 runs). An older amtool (Debian ships 0.25) refuses the field, so
     * for it the copy checked here names an equivalent inline URL; routing is unaffected.
     */
    function forAmtool(config: object): object {
        const m = /version (\d+)\.(\d+)/.exec(run(amtool, ["--version"]));
        const supportsUrlFile = m !== null && (Number(m[1]) > 0 || Number(m[2]) >= 26);
        return supportsUrlFile ? config : JSON.parse(JSON.stringify(config).replace(/"url_file":"[^"]*"/g, '"url":"http://heartbeat.invalid/"'));
    }

    function write(name: string, config: object): string {
        const file = path.join(dir, name);
        fs.writeFileSync(file, stringify(forAmtool(config)));
        return file;
    }

    function routeOf(file: string, labels: string[]): string {
        return run(amtool, ["config", "routes", "test", `--config.file=${file}`, ...labels])
            .split("\n")
            .filter((l) => l && !l.startsWith("Warning"))[0];
    }

    it("the prod stack's rendered config is valid and pages critical MetalLB alerts, sends warnings to chat", () => {
        const helm = parse(fs.readFileSync(path.join(renderedStack("prod"), "helm/kube-prometheus-stack.yaml"), "utf8"));
        const file = write("prod.yaml", helm.values.alertmanager.config);
        assert.match(run(amtool, ["check-config", file]), /SUCCESS/);
        assert.strictEqual(routeOf(file, BGP_DOWN), "pager");
        assert.strictEqual(routeOf(file, POOL_HIGH), "chat");
        run(amtool, ["config", "routes", "test", `--config.file=${file}`, "--verify.receivers=pager", ...BGP_DOWN]);
        run(amtool, ["config", "routes", "test", `--config.file=${file}`, "--verify.receivers=chat", ...POOL_HIGH]);
    });

    it("the prod stack pages nobody on day one for kube-prometheus-stack's control-plane alerts", () => {
        const helm = parse(fs.readFileSync(path.join(renderedStack("prod"), "helm/kube-prometheus-stack.yaml"), "utf8"));
        const file = write("prod-day-one.yaml", helm.values.alertmanager.config);
        const KCM_DOWN = ["alertname=KubeControllerManagerDown", "severity=critical", "namespace=kube-system"];
        assert.notStrictEqual(routeOf(file, KCM_DOWN), "pager");
        assert.strictEqual(routeOf(file, KCM_DOWN), "chat");
        assert.strictEqual(routeOf(file, ["alertname=KubeSchedulerDown", "severity=critical"]), "chat");
        assert.strictEqual(routeOf(file, ["alertname=InfoInhibitor", "severity=none"]), "null");
    });

    it("without a dead man's switch, the chart's Watchdog heartbeat notifies nobody", () => {
        const file = write("watchdog.yaml", buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#x" }));
        assert.strictEqual(routeOf(file, ["alertname=Watchdog", "severity=none"]), "null");
    });

    it("with a dead man's switch, Watchdog goes to it, its URL read from the mounted Secret", () => {
        const config = buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#x", heartbeat: true }) as any;
        const file = write("heartbeat.yaml", config);
        assert.match(run(amtool, ["check-config", file]), /SUCCESS/);
        assert.strictEqual(routeOf(file, ["alertname=Watchdog", "severity=none"]), "heartbeat");
        assert.strictEqual(routeOf(file, ["alertname=InfoInhibitor", "severity=none"]), "null");
        const receiver = config.receivers.find((r: any) => r.name === "heartbeat");
        assert.deepStrictEqual(receiver.webhook_configs, [
            { url_file: "/etc/alertmanager/secrets/alertmanager-receivers/heartbeat-url", send_resolved: false },
        ]);
    });

    it("MetalLB criticals page; other criticals page only with pageAllCritical", () => {
        const KCM_DOWN = ["alertname=KubeControllerManagerDown", "severity=critical"];
        const NODE_WARN = ["alertname=NodeFilesystemSpaceFillingUp", "severity=warning"];
        const dayOne = write("day-one.yaml", buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#lb" }));
        assert.deepStrictEqual(
            [routeOf(dayOne, BGP_DOWN), routeOf(dayOne, POOL_HIGH), routeOf(dayOne, KCM_DOWN), routeOf(dayOne, NODE_WARN)],
            ["pager", "chat", "chat", "chat"],
        );
        const all = write("page-all.yaml", buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#lb", pageAllCritical: true }));
        assert.match(run(amtool, ["check-config", all]), /SUCCESS/);
        assert.deepStrictEqual(
            [routeOf(all, BGP_DOWN), routeOf(all, POOL_HIGH), routeOf(all, KCM_DOWN), routeOf(all, NODE_WARN)],
            ["pager", "chat", "pager", "chat"],
        );
        const pagerOnly = write("pager-only.yaml", buildAlertmanagerConfig({ pagerduty: true }));
        assert.deepStrictEqual([routeOf(pagerOnly, BGP_DOWN), routeOf(pagerOnly, KCM_DOWN)], ["pager", "null"]);
    });

    const cases: [string, ReceiverOptions, string, string][] = [
        ["Slack only: critical goes to chat too", { pagerduty: false, slackChannel: "#lb" }, "chat", "chat"],
        ["PagerDuty only: warnings reach nobody", { pagerduty: true }, "pager", "null"],
        ["no receiver: valid, nobody notified", { pagerduty: false }, "null", "null"],
    ];
    for (const [name, opts, critical, warning] of cases) {
        it(name, () => {
            const file = write(`${critical}-${warning}.yaml`, buildAlertmanagerConfig(opts));
            assert.match(run(amtool, ["check-config", file]), /SUCCESS/);
            assert.strictEqual(routeOf(file, BGP_DOWN), critical);
            assert.strictEqual(routeOf(file, POOL_HIGH), warning);
        });
    }
});

describe("buildAlertmanagerConfig", () => {
    const config = buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#lb" }) as any;

    it("groups by the labels that locate a MetalLB fault", () => {
        assert.deepStrictEqual(config.route.group_by, ["alertname", "namespace", "pool", "node", "peer", "vrf"]);
    });

    it("reads receiver credentials from mounted files, never inline", () => {
        const text = JSON.stringify(config.receivers);
        assert.match(text, /routing_key_file/);
        assert.match(text, /api_url_file/);
        assert.doesNotMatch(text, /"routing_key"|"api_url"/);
    });

    it("lets a critical alert inhibit the warning for the same thing", () => {
        const rule = config.inhibit_rules.find((r: any) => r.source_matchers.includes('alertname = "MetalLBAddressPoolExhausted"'));
        assert.deepStrictEqual(rule.target_matchers, ['alertname = "MetalLBAddressPoolUsageHigh"']);
        assert.deepStrictEqual(rule.equal, ["namespace", "pool"]);
        const generic = config.inhibit_rules[0];
        assert.deepStrictEqual(generic.source_matchers, ['severity = "critical"']);
        assert.ok(generic.equal.includes("alertname") && generic.equal.includes("pool") && generic.equal.includes("peer"));
    });
});
