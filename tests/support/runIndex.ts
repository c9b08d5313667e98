/**
 * Runs index.ts under Pulumi mocks with config the way the Pulumi CLI hands it to a program (every
 * value a string, fully-qualified keys, the keys that were encrypted listed as secret, their values
 * already decrypted: what PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS carry), in this process
 * ({@link runIndex}; tests/support/inProcess.ts puts the test mocks back). The result is what the
 * program showed: every registered resource's inputs (secrets keep Pulumi's wire marker) and each
 * stack output with whether it is a secret, as JSON on `stdout`; status 1 and the error message on
 * `stderr` when the program refuses its config.
 *
 * `stackFile` names the stack file the program would find beside Pulumi.yaml (leaf-level secrets).
 *
 * As a command, from the environment:
 *   PULUMI_CONFIG='{...}' PULUMI_CONFIG_SECRET_KEYS='[...]' PROBE_STACK_FILE=<file> node -r ./tests/support/register.js tests/support/runIndex.ts
 */
import * as pulumi from "@pulumi/pulumi";
import { mockState } from "../../scripts/render/mockState";
import { useStackFile } from "../../lib/config/runtime";
import { inThisProcess, Result } from "./inProcess";

async function run(config: Record<string, string>, secretKeys: readonly string[], stackFile: string | undefined): Promise<Result> {
    const resources: { type: string; name: string; inputs: unknown }[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
            },
            call: (args) => args.inputs,
        },
        "metallb-observability",
        "probe",
        false,
    );
    pulumi.runtime.setAllConfig(config, [...secretKeys]);
    // The stack file beside the config, for the leaf-level view of `pulumi up` in a project ("": none).
    useStackFile(stackFile ?? "");
    let program: Record<string, unknown>;
    try {
        // The program runs when loaded: loaded anew for each run.
        delete require.cache[require.resolve("../../index")];
        program = require("../../index");
    } catch (err) {
        return { status: 1, stdout: "", stderr: `${err instanceof Error ? err.message : String(err)}\n` };
    }
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
    const outputs: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [name, v] of Object.entries(program)) {
        if (pulumi.Output.isInstance(v)) {
            const o = v as pulumi.Output<unknown> & { isSecret: Promise<boolean> };
            outputs[name] = { value: await new Promise((resolve) => o.apply(resolve)), secret: await o.isSecret };
        } else {
            outputs[name] = { value: v, secret: false };
        }
    }
    return { status: 0, stdout: JSON.stringify({ resources, outputs }), stderr: "" };
}

/** index.ts under mocks with this config, in this process. */
export async function runIndex(config: Record<string, string>, secretKeys: readonly string[], stackFile?: string): Promise<Result> {
    const r = await inThisProcess(() => run(config, secretKeys, stackFile));
    return { status: r.value.status, stdout: r.value.stdout, stderr: r.stderr + r.value.stderr };
}

if (require.main === module) {
    const config = JSON.parse(process.env.PULUMI_CONFIG || "{}") as Record<string, string>;
    const secretKeys = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]") as string[];
    run(config, secretKeys, process.env.PROBE_STACK_FILE).then(
        (r) => {
            process.stdout.write(r.stdout);
            process.stderr.write(r.stderr);
            process.exitCode = r.status;
        },
        (err) => {
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(2);
        },
    );
}
