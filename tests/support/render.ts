import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");

/** Loads the programs the tests start: TypeScript as `npm test` compiled it, or ts-node's transpile (tests/support/register.js). */
export const TS_LOADER = path.join(ROOT, "tests/support/register.js");

/** Runs the offline render CLI as a user would (`npm run render -- ...`), in a child process. */
export function runRender(args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, ["-r", TS_LOADER, path.join(ROOT, "scripts/render.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "" },
    });
}

const cache = new Map<string, string>();

/** Blocks this process for `ms` (renderedStack is synchronous). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** What the render printed, kept beside its folder (`<folder>.stdout`, `<folder>.stderr`). */
function render(stack: string, out: string): void {
    const result = runRender(["--stack", stack, "--out", out]);
    fs.writeFileSync(`${out}.stdout`, result.stdout);
    fs.writeFileSync(`${out}.stderr`, result.stderr);
    if (result.status !== 0) {
        throw new Error(`render of ${stack} failed (${result.status}):\n${result.stderr}`);
    }
}

/**
 * Renders a stack once per test run into a temporary folder and returns that folder. Under
 * parallel mocha the workers of one run (METALLB_TEST_RUN, tests/support/setup.ts) share it: the
 * first to ask renders, the others wait for its `<folder>.done` (or `.failed`) marker beside it.
 */
export function renderedStack(stack: string): string {
    const hit = cache.get(stack);
    if (hit) {
        return hit;
    }
    const run = process.env.METALLB_TEST_RUN;
    if (!run) {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), `render-${stack}-`));
        render(stack, out);
        cache.set(stack, out);
        return out;
    }
    const out = path.join(os.tmpdir(), `metallb-render-${run}`, stack);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    let owner = true;
    try {
        fs.mkdirSync(out);
    } catch {
        owner = false;
    }
    if (owner) {
        try {
            render(stack, out);
        } catch (e) {
            fs.writeFileSync(`${out}.failed`, String(e));
            throw e;
        }
        fs.writeFileSync(`${out}.done`, "");
    } else {
        const deadline = Date.now() + 300_000;
        while (!fs.existsSync(`${out}.done`)) {
            if (fs.existsSync(`${out}.failed`)) {
                throw new Error(fs.readFileSync(`${out}.failed`, "utf8"));
            }
            if (Date.now() > deadline) {
                throw new Error(`render of ${stack} by another mocha worker did not finish in 5 minutes (${out})`);
            }
            sleep(200);
        }
    }
    cache.set(stack, out);
    return out;
}

/** What the render of {@link renderedStack} printed (it exited 0, or renderedStack threw). */
export function renderedStackOutput(stack: string): { stdout: string; stderr: string } {
    const out = renderedStack(stack);
    return { stdout: fs.readFileSync(`${out}.stdout`, "utf8"), stderr: fs.readFileSync(`${out}.stderr`, "utf8") };
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
