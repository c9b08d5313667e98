/**
 * Runs index.ts under Pulumi mocks with config the way the Pulumi CLI hands it to a program (every
 * value a string, fully-qualified keys, the keys that were encrypted listed as secret, their values
 * already decrypted: what PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS carry), in this process
 * (scripts/offline.ts runProgramWith; tests/support/inProcess.ts puts the test process's runtime
 * back). The result is what the program showed: every registered resource's inputs (secrets keep
 * Pulumi's wire marker) and each stack output with whether it is a secret, as JSON on `stdout`;
 * status 1 and the error message on `stderr` when the program refuses its config.
 *
 * `stackFile` names the stack file the program would find beside Pulumi.yaml (leaf-level secrets).
 */
import * as pulumi from "@pulumi/pulumi";
import { CommandExit, ProgramRun, runProgramWith } from "../../scripts/offline";
import { inThisProcess, Result } from "./inProcess";

async function run(config: Record<string, string>, secretKeys: readonly string[], stackFile: string | undefined): Promise<Result> {
    let program: ProgramRun;
    try {
        program = await runProgramWith("metallb-observability", "probe", config, secretKeys, stackFile ?? "");
    } catch (err) {
        if (err instanceof CommandExit) {
            return { status: err.code, stdout: "", stderr: `${err.message}\n` };
        }
        throw err;
    }
    const outputs: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [name, v] of Object.entries(program.outputs)) {
        if (pulumi.Output.isInstance(v)) {
            const o = v as pulumi.Output<unknown> & { isSecret: Promise<boolean> };
            outputs[name] = { value: await new Promise((resolve) => o.apply(resolve)), secret: await o.isSecret };
        } else {
            outputs[name] = { value: v, secret: false };
        }
    }
    return { status: 0, stdout: JSON.stringify({ resources: program.recorded, outputs }), stderr: "" };
}

/** index.ts under mocks with this config, in this process. */
export async function runIndex(config: Record<string, string>, secretKeys: readonly string[], stackFile?: string): Promise<Result> {
    const r = await inThisProcess(() => run(config, secretKeys, stackFile));
    return { status: r.value.status, stdout: r.value.stdout, stderr: r.stderr + r.value.stderr };
}
