import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { dashboardQueries } from "../../../lib/dashboard/queries";
import { JOBS, SPEAKER } from "../../../lib/metrics";
import { requireTool, run } from "../../support/tools";

/**
 * "L2 owner changes per IP" counts the nodes that announced an address over the range: a speaker
 * pod replaced on the same node (a new series: other `pod` and `instance`) is not a new owner, a
 * move to another node is. Checked with promtool on series labelled as our speaker ServiceMonitor
 * labels them (`service`/`node` of metallb_speaker_announced become exported_service/exported_node).
 */
describe("dashboard: L2 owner changes per IP", function () {
    this.timeout(20000);

    const announced = (ip: string, svc: string, node: string, pod: string, host: number, values: string) => ({
        series: `${SPEAKER.announced}{job="${JOBS.speaker}",namespace="metallb-system",service="metallb-speaker-metrics",endpoint="metricshttps",container="speaker",pod="${pod}",instance="192.168.1.${host}:9120",node="${node}",exported_node="${node}",exported_service="${svc}",protocol="layer2",ip="${ip}"}`,
        values,
    });

    it("counts a move to another node, not a speaker pod replaced on the same node", function () {
        const promtool = requireTool(this, "promtool", "prometheus");
        const expr = dashboardQueries({ namespace: "metallb-system" })
            .ownerChanges.replace(/\$__range/g, "1h")
            .replace(/\$node/g, ".*");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "owner-changes-"));
        const suite = {
            rule_files: [],
            evaluation_interval: "1m",
            tests: [
                {
                    interval: "1m",
                    input_series: [
                        // default/restarted: node-a's speaker pod is replaced at minute 30, the IP stays on node-a.
                        announced("192.168.10.1", "default/restarted", "node-a", "metallb-speaker-aaaaa", 11, "1x29 _x30"),
                        announced("192.168.10.1", "default/restarted", "node-a", "metallb-speaker-ccccc", 11, "_x29 1x30"),
                        // default/moved: node-a goes away at minute 30 and node-b takes the IP over.
                        announced("192.168.10.2", "default/moved", "node-a", "metallb-speaker-aaaaa", 11, "1x29 _x30"),
                        announced("192.168.10.2", "default/moved", "node-b", "metallb-speaker-bbbbb", 12, "_x29 1x30"),
                    ],
                    promql_expr_test: [
                        { expr, eval_time: "59m", exp_samples: [{ labels: '{exported_service="default/moved", ip="192.168.10.2"}', value: 1 }] },
                    ],
                },
            ],
        };
        fs.writeFileSync(path.join(dir, "suite.yaml"), stringify(suite));
        assert.match(run(promtool, ["test", "rules", "suite.yaml"], dir), /SUCCESS/);
    });
});

describe("dashboard: the rules' selectors and reserved pools", () => {
    it("reads the jobs and namespace the alert settings' selectors name, like the rules", () => {
        const q = dashboardQueries({
            namespace: "metallb-system",
            selectors: {
                namespace: "lb",
                controllerJob: "lb-ctl",
                speakerJob: "lb-spk",
                frrK8sJob: "lb-frr",
                kubeStateMetricsJob: "ksm",
                apiserverJob: "kube-apiserver",
            },
        });
        const text = Object.values(q).join("\n");
        for (const job of Object.values(JOBS)) {
            assert.ok(!text.includes(`"${job}"`) && !text.includes(`${job}|`) && !text.includes(`|${job}`), `default job ${job} is not read`);
        }
        assert.ok(
            !/job="kube-state-metrics"|job="apiserver"|namespace="metallb-system"/.test(text),
            "default kube-state-metrics/apiserver jobs and namespace are not read",
        );
        for (const expected of ['job="lb-spk"', 'job="lb-frr"', 'job="ksm"', 'job="kube-apiserver"', "lb-ctl|lb-spk", 'namespace="lb"']) {
            assert.ok(text.includes(expected), `${expected} is read`);
        }
    });

    it("leaves reserved and excluded pools out of the pool panels, as the alerts do", () => {
        const q = dashboardQueries({ namespace: "metallb-system", excludePools: ["grafana", "lab.1"] });
        for (const panel of [q.poolFree, q.poolRatio, q.fullestPool]) {
            assert.ok(panel.includes('pool!~"grafana|lab\\\\.1"'), panel);
        }
        assert.ok(!dashboardQueries({ namespace: "metallb-system" }).poolFree.includes("pool!~"));
    });
});
