import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");
const read = (p: string) => fs.readFileSync(p, "utf8");

describe("GitHub workflows", () => {
    const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yaml"));

    it("are valid workflows and actions (action-validator, the schemas GitHub publishes)", () => {
        assert.ok(files.length >= 3);
        for (const f of files) {
            assert.deepStrictEqual(validateWorkflow(read(path.join(WORKFLOWS, f))).errors, [], f);
        }
        assert.deepStrictEqual(validateAction(read(path.join(ROOT, ".github/actions/setup/action.yaml"))).errors, []);
    });

    it("the validator does reject a malformed workflow", () => {
        assert.notDeepStrictEqual(validateWorkflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n").errors, []);
    });

    it("run the README's test command", () => {
        const readme = read(path.join(ROOT, "README.md"));
        const test = parse(read(path.join(WORKFLOWS, "test.yaml")));
        const runs: string[] = test.jobs.test.steps.map((s: { run?: string }) => s.run).filter(Boolean);
        assert.ok(runs.includes("npm test"));
        assert.match(readme, /```bash\nnpm test\n```/);
        assert.match(read(path.join(ROOT, ".ci/run")), /^npm test$/m);
    });

    it("preview every stack with the policy pack on pull requests, commenting the diff", () => {
        const pr = parse(read(path.join(WORKFLOWS, "pull-request.yaml")));
        const stacks = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(f)).map((f) => f.split(".")[1]).sort();
        assert.deepStrictEqual([...pr.jobs.preview.strategy.matrix.stack].sort(), stacks);
        const step = pr.jobs.preview.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            { command: step.with.command, diff: step.with.diff, comment: step.with["comment-on-pr"], policy: step.with.policyPacks },
            { command: "preview", diff: true, comment: true, policy: "policy" },
        );
    });

    it("deploy dev first, prod behind the production environment, each followed by an expect-no-changes preview", () => {
        const deploy = parse(read(path.join(WORKFLOWS, "deploy.yaml")));
        assert.deepStrictEqual(deploy.on.push.branches, ["main"]);
        assert.strictEqual(deploy.jobs.prod.needs, "dev");
        assert.strictEqual(deploy.jobs.prod.environment, "production");
        for (const job of ["dev", "prod"]) {
            const pulumiSteps = deploy.jobs[job].steps.filter((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
            assert.deepStrictEqual(pulumiSteps.map((s: any) => s.with.command), ["up", "preview"]);
            assert.strictEqual(pulumiSteps[1].with["expect-no-changes"], true);
            assert.strictEqual(pulumiSteps[0].with["stack-name"], job);
        }
    });
});
