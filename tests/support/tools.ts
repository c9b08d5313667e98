import { spawnSync } from "child_process";

/**
 * Finds a Prometheus tool (promtool, prometheus, amtool). Missing locally: the calling suite is
 * skipped with a loud message saying how to install it. Missing in CI (CI=true): a failure.
 */
export function requireTool(ctx: Mocha.Context, tool: string, debianPackage: string): string {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    const path = found.stdout.trim();
    if (found.status === 0 && path) {
        return path;
    }
    const message = `${tool} not found: install it with \`apt-get install ${debianPackage}\` (Debian) to run these tests`;
    if (process.env.CI === "true") {
        throw new Error(`${message}; CI must install it (.ci/run does)`);
    }
    process.stderr.write(`\n  !!! SKIPPING: ${message}\n\n`);
    ctx.skip();
    return "";
}

/** Runs a tool; returns its combined output, throwing with it when the exit code is not 0. */
export function run(tool: string, args: string[], cwd?: string): string {
    const r = spawnSync(tool, args, { cwd, encoding: "utf8" });
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status !== 0) {
        throw new Error(`${tool} ${args.join(" ")} exited ${r.status}:\n${out}`);
    }
    return out;
}
