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

    function write(name: string, config: object): string {
        const file = path.join(dir, name);
        fs.writeFileSync(file, stringify(config));
        return file;
    }

    function routeOf(file: string, labels: string[]): string {
        return run(amtool, ["config", "routes", "test", `--config.file=${file}`, ...labels]).split("\n").filter((l) => l && !l.startsWith("Warning"))[0];
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

    it("the chart's Watchdog heartbeat notifies nobody", () => {
        const file = write("watchdog.yaml", buildAlertmanagerConfig({ pagerduty: true, slackChannel: "#x" }));
        assert.strictEqual(routeOf(file, ["alertname=Watchdog", "severity=none"]), "null");
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
        assert.deepStrictEqual(config.route.group_by, ["alertname", "namespace", "pool", "node", "peer"]);
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
