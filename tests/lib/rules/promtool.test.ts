import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
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

/**
 * One `promtool test rules` over every suite, in `cwd` (suites elsewhere by path), its output split per
 * suite. promtool tests the files in the order given and ends each with a line of its own: "  SUCCESS"
 * on stdout, or "  FAILED:" on stderr followed by that suite's failures (both streams go to one file,
 * in the order written), so the i-th such line and what follows it, up to the next, belong to the i-th
 * suite. promtool 2.x also heads each suite with "Unit Testing:  <suite>", 3.x does not
 * (cmd/promtool/unittest.go, RulesUnitTest at v2.42.0 and RulesUnitTestResult at v3.5.0 and v3.14.0);
 * those lines are dropped, so the split is the same for both.
 * One process instead of one per suite, and Go's collector at GOGC=400 (promtool keeps every
 * test's samples in memory; at the default 100 it spends about half its CPU time collecting): about 5
 * instead of 11 CPU-seconds.
 */
function testRules(promtool: string, suites: string[], cwd: string): Promise<{ code: number; out: string; sections: Map<string, string> }> {
    const log = path.join(cwd, "promtool-test-rules.log");
    const fd = fs.openSync(log, "w");
    const child = spawn(promtool, ["test", "rules", ...suites], { cwd, env: { ...process.env, GOGC: "400" }, stdio: ["ignore", fd, fd] });
    fs.closeSync(fd);
    return new Promise((resolve) => {
        child.on("close", (code) => {
            const out = fs.readFileSync(log, "utf8");
            // Where each suite's result line starts; a suite's section runs to the next one.
            const results = [...out.matchAll(/^ {2}(SUCCESS|FAILED:)$/gm)].map((m) => m.index ?? 0);
            const sections = new Map<string, string>();
            results.slice(0, suites.length).forEach((start, i) => {
                sections.set(
                    suites[i],
                    out
                        .slice(start, results[i + 1])
                        .replace(/^Unit Testing: .*$/gm, "")
                        .trimEnd(),
                );
            });
            resolve({ code: code ?? 1, out, sections });
        });
    });
}

describe("MetalLB rules under promtool", function () {
    this.timeout(60_000);
    let promtool = "";
    let dir = "";
    let promtoolRun: Promise<{ code: number; out: string; sections: Map<string, string> }> | undefined;
    const NATIVE_HEALTHY = "native:healthy.yaml";
    /** Each suite as the tests name it -> its path as promtool is given it (relative to `dir`). */
    const given = new Map<string, string>();

    before(function () {
        promtool = requireTool(this, "promtool", "prometheus");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-rules-"));
        fs.writeFileSync(path.join(dir, "metallb-rules.yaml"), stringify(metallbRules(DEFAULT_ALERT_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
        fs.writeFileSync(path.join(dir, "metallb-rules-cluster.yaml"), stringify(metallbRules(FLEET_SETTINGS, TEST_TARGET), { lineWidth: 0 }));
        for (const suite of SUITE_FILES) {
            fs.writeFileSync(path.join(dir, suite), withWholeAlertSet(fs.readFileSync(path.join(SUITES, suite), "utf8")));
            given.set(suite, suite);
        }
        // The native-backend rule set beside it, in a folder of its own (promtool reads a suite's rule_files from the suite's folder).
        const native = path.join(dir, "native");
        fs.mkdirSync(native);
        fs.writeFileSync(
            path.join(native, "metallb-rules.yaml"),
            stringify(metallbRules(DEFAULT_ALERT_SETTINGS, { ...TEST_TARGET, bgpBackend: "native" }), { lineWidth: 0 }),
        );
        fs.writeFileSync(path.join(native, "healthy.yaml"), withWholeAlertSet(fs.readFileSync(path.join(SUITES, "healthy.yaml"), "utf8")));
        given.set(NATIVE_HEALTHY, path.join("native", "healthy.yaml"));
        // Start now; each test below awaits its own suite's part of the output.
        promtoolRun = testRules(promtool, [...given.values()], dir);
    });

    async function expectSuccess(key: string): Promise<void> {
        const r = await promtoolRun!;
        const section = r.sections.get(given.get(key)!);
        assert.ok(
            section !== undefined && /^ *SUCCESS$/m.test(section) && !/FAILED/.test(section),
            `promtool test rules ${key} (one run of every suite, exit ${r.code}):\n${section ?? r.out}`,
        );
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

    it("promtool test rules healthy.yaml against the native-backend rule set (no alert either)", () => expectSuccess(NATIVE_HEALTHY));

    for (const suite of SUITE_FILES) {
        it(`promtool test rules ${suite}`, () => expectSuccess(suite));
    }
});
