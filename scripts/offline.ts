/**
 * Runs this Pulumi program under Pulumi's mock runtime with a stack's config: no CLI, no cluster,
 * no secrets passphrase (encrypted values become placeholders). Used by the offline render and the
 * offline policy check.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { mockState } from "./render/mockState";
import { RecordedResource } from "./render/outputs";
import { readStackFile } from "./render/stackFile";
import { useStackFile } from "../lib/config/runtime";

export const ROOT = path.resolve(__dirname, "..");

export function fail(message: string, code = 2): never {
    process.stderr.write(`${message}\n`);
    process.exit(code);
}

/** `--name value` pairs; every name must be in `known`. */
export function parseFlags(argv: string[], known: string[], usage: string): Record<string, string> {
    const args: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const name = argv[i].replace(/^--/, "");
        if (!argv[i].startsWith("--") || !known.includes(name) || argv[i + 1] === undefined) {
            fail(`unexpected argument "${argv[i]}"\nusage: ${usage}`);
        }
        args[name] = argv[i + 1];
    }
    return args;
}

/** Registers every resource of the program for the stack and returns them; exits 1 on invalid config. */
export async function runProgram(stack: string, stackFile?: string): Promise<RecordedResource[]> {
    const project = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackPath = stackFile ? path.resolve(stackFile) : path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        fail(`no stack file ${path.relative(process.cwd(), stackPath)}`);
    }
    const { config, secretKeys } = readStackFile(fs.readFileSync(stackPath, "utf8"), project, path.relative(process.cwd(), stackPath));

    const recorded: RecordedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
            },
            call: (args) => args.inputs,
        },
        project,
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(config, secretKeys);
    // Every leaf of a secret key is checked against the stack file's `secure:` values.
    useStackFile(stackPath);
    try {
        // biome-ignore lint/style/noCommonJs: the program runs when loaded, after the mocks are installed
        require("../index");
    } catch (err) {
        fail(err instanceof Error ? err.message : String(err), 1);
    }
    // Let every registration reach the mock monitor.
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
    return recorded;
}
