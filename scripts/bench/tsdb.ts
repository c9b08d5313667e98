/** Helpers both benchmarks share: running promtool with a time limit, moving the blocks it wrote. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Runs a tool (no shell), failing with its last output if it exits non-zero; killed after `timeoutMs`. */
export function runTool(tool: string, args: string[], timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const p = spawn(tool, args, { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        p.stdout.on("data", (b) => (out = (out + String(b)).slice(-4000)));
        p.stderr.on("data", (b) => (out = (out + String(b)).slice(-4000)));
        const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
        p.on("exit", (code) => {
            clearTimeout(timer);
            if (code === 0) {
                resolve(out);
            } else {
                reject(new Error(`${tool} ${args.slice(0, 4).join(" ")} exited ${code}:\n${out}`));
            }
        });
    });
}

/** Moves the blocks promtool wrote into a Prometheus data directory; returns how many. */
export function moveBlocks(from: string, dataDir: string): number {
    let n = 0;
    for (const entry of fs.existsSync(from) ? fs.readdirSync(from) : []) {
        if (fs.existsSync(path.join(from, entry, "meta.json"))) {
            fs.renameSync(path.join(from, entry), path.join(dataDir, entry));
            n++;
        }
    }
    fs.rmSync(from, { recursive: true, force: true });
    return n;
}
