/**
 * Runs index.ts under Pulumi mocks with the config the environment carries, the way the Pulumi CLI
 * hands it to a program (PULUMI_CONFIG: fully-qualified key -> string, PULUMI_CONFIG_SECRET_KEYS: the
 * keys that were encrypted, their values already decrypted), and prints JSON on stdout: every
 * registered resource's inputs (secrets keep Pulumi's wire marker) and each stack output with
 * whether it is a secret. Exits 1 with the error message when the program refuses its config.
 *
 * PROBE_STACK_FILE names the stack file the program would find beside Pulumi.yaml (leaf-level secrets).
 *
 *   PULUMI_CONFIG='{...}' PULUMI_CONFIG_SECRET_KEYS='[...]' node -r ./tests/support/register.js tests/support/runIndex.ts
 */
import * as pulumi from "@pulumi/pulumi";
import { mockState } from "../../scripts/render/mockState";
import { useStackFile } from "../../lib/config/runtime";

async function main(): Promise<void> {
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
    // PROBE_STACK_FILE: the stack file beside the config, for the leaf-level view of `pulumi up` in a project.
    useStackFile(process.env.PROBE_STACK_FILE);
    let program: Record<string, unknown>;
    try {
        program = require("../../index");
    } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
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
    process.stdout.write(JSON.stringify({ resources, outputs }));
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
});
