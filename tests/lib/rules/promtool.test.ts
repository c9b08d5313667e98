import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { DEFAULT_ALERT_SETTINGS, metallbRules, RuleTarget, withAlertDefaults } from "../../../lib/rules";
import { renderedStack } from "../../support/render";
import { requireTool, run } from "../../support/tools";

/**
 * The rule set under test: frr-k8s backend (the superset: it adds the frr-k8s and BFD alerts), one
 * BGP pool, Grafana's one-address pool reserved (autoAssign false), default thresholds. The suites
 * feed both native (`metallb_bgp_*`) and frr-k8s (`frrk8s_bgp_*`) series into it. fleet.yaml reads
 * the same rules built with `clusterLabel: cluster` (metallb-rules-cluster.yaml).
 */
export const TEST_TARGET: RuleTarget = { namespace: "metallb-system", releaseName: "metallb", bgpBackend: "frr-k8s", bgpPools: ["services-bgp"], reservedPools: ["grafana"] };
export const FLEET_SETTINGS = withAlertDefaults({ clusterLabel: "cluster" });

const SUITES = path.join(__dirname, "suites");

describe("MetalLB rules under promtool", function () {
    this.timeout(60_000);
    let promtool = "";
    let dir = "";

    before(function () {
        promtool = requireTool(this, "promtool", "prometheus");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-rules-"));
        fs.writeFileSync(path.join(dir, "metallb-rules.yaml"), stringify(metallbRules(DEFAULT_ALERT_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
        fs.writeFileSync(path.join(dir, "metallb-rules-cluster.yaml"), stringify(metallbRules(FLEET_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
    });

    it("promtool check rules accepts the rule files, single-cluster and fleet", () => {
        assert.match(run(promtool, ["check", "rules", path.join(dir, "metallb-rules.yaml"), path.join(dir, "metallb-rules-cluster.yaml")]), /SUCCESS/);
    });

    for (const stack of ["dev", "prod"]) {
        it(`promtool check rules accepts every rule file the ${stack} render writes`, () => {
            const rulesDir = path.join(renderedStack(stack), "rules");
            const files = fs.readdirSync(rulesDir).map((f) => path.join(rulesDir, f));
            assert.ok(files.length > 0, "the render wrote rule files");
            assert.match(run(promtool, ["check", "rules", ...files]), /SUCCESS/);
        });
    }

    it("promtool test rules healthy.yaml against the native-backend rule set (no alert either)", () => {
        const native = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-rules-native-"));
        const target: RuleTarget = { ...TEST_TARGET, bgpBackend: "native" };
        fs.writeFileSync(path.join(native, "metallb-rules.yaml"), stringify(metallbRules(DEFAULT_ALERT_SETTINGS, target), { lineWidth: 0 }));
        fs.copyFileSync(path.join(SUITES, "healthy.yaml"), path.join(native, "healthy.yaml"));
        assert.match(run(promtool, ["test", "rules", "healthy.yaml"], native), /SUCCESS/);
    });

    for (const suite of fs.readdirSync(SUITES).filter((f) => f.endsWith(".yaml")).sort()) {
        it(`promtool test rules ${suite}`, () => {
            fs.copyFileSync(path.join(SUITES, suite), path.join(dir, suite));
            assert.match(run(promtool, ["test", "rules", suite], dir), /SUCCESS/);
        });
    }
});
