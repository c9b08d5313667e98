/**
 * Offline render: runs the program under Pulumi's mock runtime with a stack's config and writes
 * what it declares (see docs/render.md).
 *
 *   npm run render -- --stack dev --out render/dev
 *   npm run render -- --stack dev --stack-file candidate.yaml --out render/candidate
 */
import * as fs from "fs";
import * as path from "path";
import { renderFiles } from "./render/outputs";
import { CommandIo, fail, parseFlags, runAsProcess, runProgram } from "./offline";

const USAGE = "npm run render -- --stack <name> --out <dir> [--stack-file <Pulumi.<name>.yaml>]";

/** The command (`npm run render -- <argv>`), writing through `io`. */
export async function render(argv: string[], io: CommandIo): Promise<void> {
    const args = parseFlags(argv, ["stack", "out", "stack-file"], USAGE);
    if (!args.stack || !args.out) {
        fail(`both --stack and --out are required\nusage: ${USAGE}`);
    }
    const files = renderFiles(await runProgram(args.stack, args["stack-file"]));
    for (const sub of ["manifests.yaml", "secrets.yaml", "grafana.yaml", "helm", "rules", "dashboards"]) {
        fs.rmSync(path.join(args.out, sub), { recursive: true, force: true });
    }
    for (const dir of ["helm", "rules", "dashboards"]) {
        fs.mkdirSync(path.join(args.out, dir), { recursive: true });
    }
    for (const [file, content] of files) {
        fs.writeFileSync(path.join(args.out, file), content);
    }
    io.out(`rendered stack "${args.stack}" into ${args.out}: ${[...files.keys()].join(", ")}\n`);
}

if (require.main === module) {
    runAsProcess(render);
}
