import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFile } from "child_process";
import { stringify } from "yaml";
import { DEFAULT_ALERT_SETTINGS, metallbRules, RuleTarget, withAlertDefaults } from "../../../lib/rules";
import { renderedStack } from "../../support/render";
import { withWholeAlertSet } from "../../support/promtool";
import { requireTool, run } from "../../support/tools";

/**
 * The rule set under test: frr-k8s backend (the superset: it adds the frr-k8s and BFD alerts), one
 * BGP pool, Grafana's one-address pool reserved (autoAssign false), default thresholds. The suites
 * feed both native (`metallb_bgp_*`) and frr-k8s (`frrk8s_bgp_*`) series into it. fleet.yaml reads
 * the same rules built with `clusterLabel: cluster` (metallb-rules-cluster.yaml).
 */
export const TEST_TARGET: RuleTarget = {
    namespace: "metallb-system",
    releaseName: "metallb",
    bgpBackend: "frr-k8s",
    bgpPools: ["services-bgp"],
    reservedPools: ["grafana"],
};
export const FLEET_SETTINGS = withAlertDefaults({ clusterLabel: "cluster" });

const SUITES = path.join(__dirname, "suites");
const SUITE_FILES = fs
    .readdirSync(SUITES)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

/** `promtool test rules <suite>` in `cwd`, as a promise of its exit code and output (suites run side by side). */
function testRules(promtool: string, suite: string, cwd: string): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
        execFile(promtool, ["test", "rules", suite], { cwd }, (err, stdout, stderr) =>
            resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
        );
    });
}

describe("MetalLB rules under promtool", function () {
    this.timeout(60_000);
    let promtool = "";
    let dir = "";
    const results = new Map<string, Promise<{ code: number; out: string }>>();

    before(function () {
        promtool = requireTool(this, "promtool", "prometheus");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-rules-"));
        fs.writeFileSync(path.join(dir, "metallb-rules.yaml"), stringify(metallbRules(DEFAULT_ALERT_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
        fs.writeFileSync(path.join(dir, "metallb-rules-cluster.yaml"), stringify(metallbRules(FLEET_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
        // Start every suite now, side by side; each test below awaits its own.
        for (const suite of SUITE_FILES) {
            fs.writeFileSync(path.join(dir, suite), withWholeAlertSet(fs.readFileSync(path.join(SUITES, suite), "utf8")));
            results.set(suite, testRules(promtool, suite, dir));
        }
        const native = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-rules-native-"));
        fs.writeFileSync(
            path.join(native, "metallb-rules.yaml"),
            stringify(metallbRules(DEFAULT_ALERT_SETTINGS, { ...TEST_TARGET, bgpBackend: "native" }), { lineWidth: 0 }),
        );
        fs.writeFileSync(path.join(native, "healthy.yaml"), withWholeAlertSet(fs.readFileSync(path.join(SUITES, "healthy.yaml"), "utf8")));
        results.set("native:healthy.yaml", testRules(promtool, "healthy.yaml", native));
    });

    async function expectSuccess(key: string): Promise<void> {
        const r = await results.get(key)!;
        assert.ok(r.code === 0 && /SUCCESS/.test(r.out), `promtool test rules ${key} exited ${r.code}:\n${r.out}`);
    }

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

    it("promtool test rules healthy.yaml against the native-backend rule set (no alert either)", () => expectSuccess("native:healthy.yaml"));

    for (const suite of SUITE_FILES) {
        it(`promtool test rules ${suite}`, () => expectSuccess(suite));
    }
});
