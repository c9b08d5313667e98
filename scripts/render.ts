/**
 * Offline render: runs the Pulumi program under Pulumi's mock runtime with a stack's config (no
 * CLI, no cluster, no passphrase) and writes what it declares.
 *
 *   npm run render -- --stack dev --out render/dev
 *   npm run render -- --stack dev --stack-file candidate.yaml --out render/candidate
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { RecordedResource, renderFiles } from "../lib/render/outputs";
import { readStackFile } from "../lib/render/stackFile";
import { mockState } from "../lib/render/mockState";

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run render -- --stack <name> --out <dir> [--stack-file <Pulumi.<name>.yaml>]\n`);
    process.exit(2);
}

function parseArgs(argv: string[]): { stack: string; out: string; stackFile?: string } {
    const args: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const flag = argv[i];
        if (!flag.startsWith("--") || argv[i + 1] === undefined) {
            usage(`unexpected argument "${flag}"`);
        }
        args[flag.slice(2)] = argv[i + 1];
    }
    if (!args.stack || !args.out) {
        usage("both --stack and --out are required");
    }
    return { stack: args.stack, out: args.out, stackFile: args["stack-file"] };
}

async function main(): Promise<void> {
    const { stack, out, stackFile } = parseArgs(process.argv.slice(2));
    const root = path.resolve(__dirname, "..");
    const project = (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackPath = stackFile ? path.resolve(stackFile) : path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        usage(`no stack file ${path.relative(process.cwd(), stackPath)}`);
    }
    const { config, secretKeys } = readStackFile(fs.readFileSync(stackPath, "utf8"), project);

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

    try {
        require("../index");
    } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    }
    // Let every registration reach the mock monitor.
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();

    const files = renderFiles(recorded);
    for (const sub of ["manifests.yaml", "helm", "rules", "dashboards"]) {
        fs.rmSync(path.join(out, sub), { recursive: true, force: true });
    }
    for (const dir of ["helm", "rules", "dashboards"]) {
        fs.mkdirSync(path.join(out, dir), { recursive: true });
    }
    for (const [file, content] of files) {
        fs.writeFileSync(path.join(out, file), content);
    }
    process.stdout.write(`rendered stack "${stack}" into ${out}: ${[...files.keys()].join(", ")}\n`);
}

main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
});
