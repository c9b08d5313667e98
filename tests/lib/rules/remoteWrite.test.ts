import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { remoteWriteRules } from "../../../lib/rules";
import { kpsFullname } from "../../../lib/monitoring/kps";
import { requireTool, run } from "../../support/tools";

describe("remote-write rules under promtool", function () {
    this.timeout(60_000);

    it("record per queue how far behind and how much fails, for the stack's Prometheus only", function () {
        const promtool = requireTool(this, "promtool", "prometheus");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "remote-write-rules-"));
        const rules = remoteWriteRules({ job: `${kpsFullname("kube-prometheus-stack")}-prometheus`, namespace: "monitoring" });
        fs.writeFileSync(path.join(dir, "remote-write-rules.yaml"), stringify(rules, { lineWidth: 0 }));
        fs.copyFileSync(path.join(__dirname, "remote-write", "suite.yaml"), path.join(dir, "suite.yaml"));
        assert.match(run(promtool, ["check", "rules", path.join(dir, "remote-write-rules.yaml")]), /SUCCESS/);
        assert.match(run(promtool, ["test", "rules", "suite.yaml"], dir), /SUCCESS/);
    });
});
