import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");

/** Runs the offline render CLI as a user would (`npm run render -- ...`), in a child process. */
export function runRender(args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/render.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "" },
    });
}

const cache = new Map<string, string>();

/** Renders a stack once per test run into a temporary folder and returns that folder. */
export function renderedStack(stack: string): string {
    const hit = cache.get(stack);
    if (hit) {
        return hit;
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), `render-${stack}-`));
    const result = runRender(["--stack", stack, "--out", out]);
    if (result.status !== 0) {
        throw new Error(`render of ${stack} failed (${result.status}):\n${result.stderr}`);
    }
    cache.set(stack, out);
    return out;
}

/** Every file below a folder, relative path -> content. */
export function readTree(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                walk(p);
            } else {
                out.set(path.relative(dir, p), fs.readFileSync(p, "utf8"));
            }
        }
    };
    walk(dir);
    return out;
}
