import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");
const read = (p: string) => fs.readFileSync(p, "utf8");
const PKG = JSON.parse(read(path.join(ROOT, "package.json")));

interface Step {
    id?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    steps?: Step[];
}

/** Runs a workflow step's shell command in a copy of the repository's top level and returns what it wrote to $GITHUB_OUTPUT. */
function runStep(run: string, files: string[]): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    for (const f of files) {
        fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    const output = path.join(dir, "github-output");
    const r = spawnSync("bash", ["-eo", "pipefail", "-c", run], { cwd: dir, encoding: "utf8", env: { ...process.env, GITHUB_OUTPUT: output } });
    assert.strictEqual(r.status, 0, r.stderr);
    return Object.fromEntries(
        read(output)
            .trim()
            .split("\n")
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
}

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

    it("every stack file names a stack of lowercase letters and digits (the name also names a GitHub environment)", () => {
        const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        assert.ok(stackFiles.length > 0);
        assert.deepStrictEqual(
            stackFiles.filter((f) => !/^Pulumi\.[a-z0-9]+\.yaml$/.test(f)),
            [],
            "rename these stack files: the README's add-a-stack rule",
        );
    });

    it("preview every stack with the policy pack on pull requests, commenting the diff", () => {
        const pr = parse(read(path.join(WORKFLOWS, "pull-request.yaml")));
        const stackFiles = fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[a-z0-9-]+\.yaml$/.test(f));
        const stacks = stackFiles.map((f) => f.split(".")[1]).sort();
        // The matrix is whatever the stacks job finds in the checkout: run its step on the stack files
        // (plus one more, as a new stack would be) and compare.
        assert.strictEqual(pr.jobs.preview.strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
        assert.deepStrictEqual(pr.jobs.preview.needs, ["test", "stacks"]);
        const list = pr.jobs.stacks.steps.find((s: Step) => s.id === "list");
        assert.strictEqual(pr.jobs.stacks.outputs.stacks, "${{ steps.list.outputs.stacks }}");
        assert.deepStrictEqual([...JSON.parse(runStep(list.run, [...stackFiles, "Pulumi.yaml", "package.json"]).stacks)].sort(), stacks);
        const step = pr.jobs.preview.steps.find((s: Step) => s.uses?.startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            {
                command: step.with.command,
                stack: step.with["stack-name"],
                diff: step.with.diff,
                comment: step.with["comment-on-pr"],
                policy: step.with.policyPacks,
            },
            { command: "preview", stack: "${{ matrix.stack }}", diff: true, comment: true, policy: "policy" },
        );
    });

    it("a new stack file becomes a new preview", () => {
        const pr = parse(read(path.join(WORKFLOWS, "pull-request.yaml")));
        const list = pr.jobs.stacks.steps.find((s: Step) => s.id === "list");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.staging-eu.yaml"]) {
            fs.writeFileSync(path.join(dir, f), "config: {}\n");
        }
        const r = spawnSync("bash", ["-eo", "pipefail", "-c", list.run], {
            cwd: dir,
            encoding: "utf8",
            env: { ...process.env, GITHUB_OUTPUT: path.join(dir, "out") },
        });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(read(path.join(dir, "out")), 'stacks=["dev","staging-eu"]\n');
    });

    it("install the Pulumi CLI version package.json pins, in every job that runs Pulumi", () => {
        assert.match(PKG.devDependencies.pulumi, /^\d+\.\d+\.\d+$/, "an exact version of the pulumi npm package (the CLI installer)");
        const setup = parse(read(path.join(ROOT, ".github/actions/setup/action.yaml")));
        const versionStep = setup.runs.steps.find((s: Step) => s.id === "pulumi");
        assert.strictEqual(setup.outputs["pulumi-version"].value, "${{ steps.pulumi.outputs.version }}");
        assert.deepStrictEqual(runStep(versionStep.run, ["package.json"]), { version: PKG.devDependencies.pulumi });
        let steps = 0;
        for (const f of files) {
            const wf = parse(read(path.join(WORKFLOWS, f)));
            for (const [name, job] of Object.entries<Job>(wf.jobs)) {
                const jobSteps = job.steps ?? [];
                jobSteps.forEach((s, i) => {
                    if (!s.uses?.startsWith("pulumi/actions@")) {
                        return;
                    }
                    steps++;
                    assert.strictEqual(s.with?.["pulumi-version"], "${{ steps.setup.outputs.pulumi-version }}", `${f} ${name} step ${i}`);
                    const setupIndex = jobSteps.findIndex((x) => x.id === "setup" && x.uses === "./.github/actions/setup");
                    assert.ok(setupIndex >= 0 && setupIndex < i, `${f} ${name}: the setup step runs first`);
                });
            }
        }
        assert.ok(steps >= 5);
    });

    it("deploy dev first, prod behind the production environment, each followed by an expect-no-changes preview", () => {
        const deploy = parse(read(path.join(WORKFLOWS, "deploy.yaml")));
        assert.deepStrictEqual(deploy.on.push.branches, ["main"]);
        assert.strictEqual(deploy.jobs.prod.needs, "dev");
        assert.strictEqual(deploy.jobs.prod.environment, "production");
        for (const job of ["dev", "prod"]) {
            const pulumiSteps = deploy.jobs[job].steps.filter((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
            assert.deepStrictEqual(
                pulumiSteps.map((s: any) => s.with.command),
                ["up", "preview"],
            );
            assert.strictEqual(pulumiSteps[1].with["expect-no-changes"], true);
            assert.strictEqual(pulumiSteps[0].with["stack-name"], job);
        }
    });

    describe("previews without production credentials", () => {
        const workflows = () => files.map((f) => ({ f, wf: parse(read(path.join(WORKFLOWS, f))) }));
        /** The secrets a job reads (`secrets.NAME` and `secrets[...]`), from its YAML text. */
        const secretsOf = (job: unknown) => {
            const text = JSON.stringify(job);
            return [...text.matchAll(/secrets(\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]]*\])/g)].map((m) => m[1].replace(/^\./, ""));
        };

        it("every job that reads a secret names a GitHub environment (no repository-wide credential)", () => {
            let jobs = 0;
            for (const { f, wf } of workflows()) {
                for (const [name, job] of Object.entries<Record<string, unknown>>(wf.jobs)) {
                    const used = secretsOf(job).filter((s) => s !== "GITHUB_TOKEN");
                    if (used.length > 0) {
                        jobs++;
                        assert.ok(
                            typeof job.environment === "string" && job.environment.length > 0,
                            `${f} ${name} reads ${used.join(", ")} without an environment`,
                        );
                    }
                }
            }
            assert.ok(jobs >= 3, "preview, dev and prod read secrets");
        });

        it("previews run in the read-only preview-<stack> environment, never from a fork, never with pull_request_target", () => {
            const pr = parse(read(path.join(WORKFLOWS, "pull-request.yaml")));
            assert.deepStrictEqual(Object.keys(pr.on), ["pull_request"], "pull_request_target would hand a fork's code the secrets");
            const preview = pr.jobs.preview;
            assert.strictEqual(preview.environment, "preview-${{ matrix.stack }}");
            assert.strictEqual(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
            const setup = preview.steps.find((s: Step) => s.id === "setup");
            assert.strictEqual(setup.with.kubeconfig, "${{ secrets.KUBECONFIG_READONLY }}");
            const used = secretsOf(preview);
            assert.ok(!used.some((s) => /KUBECONFIG_(DEV|PROD)|^KUBECONFIG$|\[/.test(s)), `the preview reads no deploy kubeconfig: ${used.join(", ")}`);
        });

        it("deploys keep their approval gate and read their kubeconfig from their own environment", () => {
            const deploy = parse(read(path.join(WORKFLOWS, "deploy.yaml")));
            assert.deepStrictEqual(Object.keys(deploy.on).sort(), ["push", "workflow_dispatch"]);
            assert.deepStrictEqual([deploy.jobs.dev.environment, deploy.jobs.prod.environment], ["dev", "production"]);
            for (const job of ["dev", "prod"]) {
                const setup = deploy.jobs[job].steps.find((s: Step) => s.id === "setup");
                assert.strictEqual(setup.with.kubeconfig, "${{ secrets.KUBECONFIG }}", `${job}: the environment's own secret`);
            }
        });

        it("docs/pipelines.md says what each secret can do and where it lives", () => {
            const doc = read(path.join(ROOT, "docs/pipelines.md"));
            const named = new Set<string>();
            for (const { wf } of workflows()) {
                for (const job of Object.values<unknown>(wf.jobs)) {
                    for (const s of secretsOf(job)) {
                        named.add(s);
                    }
                }
            }
            for (const secret of named) {
                assert.match(doc, new RegExp(`\`${secret}\``), `${secret} is documented`);
            }
            for (const env of ["preview-<stack>", "dev", "production"]) {
                assert.ok(doc.includes(`\`${env}\``), env);
            }
        });
    });
});
