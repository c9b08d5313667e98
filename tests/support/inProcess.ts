/**
 * The program (index.ts under mocks) run in the test process instead of a process of its own: the
 * offline commands (`npm run render`, `npm run policy`: scripts/offline.ts) and tests/support/runIndex.ts.
 * Starting a process that loads Pulumi, the Kubernetes and Grafana SDKs and the program costs about
 * 1.2 CPU-seconds; the test process has them loaded. Each run installs its own mocks, config and
 * stack file and loads index.ts anew (it runs when loaded); afterwards the test process gets back
 * what it had: the mocks of tests/support/pulumi.ts, its config, no stack-file override and
 * index.ts not loaded. The tests of what a command prints and exits with as a process (a stack
 * trace never shows, exit statuses) still start it (tests/support/render.ts,
 * tests/policy/policies.test.ts), and so do the shared renders of the sample stacks.
 */
import { format } from "util";
import { CommandIo, runCommand } from "../../scripts/offline";
import { useStackFile } from "../../lib/config/runtime";
import { installTestMocks } from "./pulumi";

/** What a command or program run printed and its exit status, as spawnSync reports a process's. */
export interface Result {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The runtime's config (PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS, as serialized strings). */
function configStore(): Record<string, string> {
    return (require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string> } }).getStore().config;
}

const CONSOLE = ["log", "info", "debug", "warn", "error"] as const;

/**
 * Runs `run` (which installs its own mocks and config), then restores the test process's. What the
 * run logs to the console (Pulumi's `log.warn` under mocks, for one) is what its process would have
 * printed: it goes into the returned stdout (log, info, debug) and stderr (warn, error), not into
 * the test run's output.
 */
export async function inThisProcess<T>(run: () => Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
    const store = configStore();
    const saved = { ...store };
    const printed = { stdout: "", stderr: "" };
    const original = CONSOLE.map((method) => [method, console[method]] as const);
    for (const method of CONSOLE) {
        const stream = method === "warn" || method === "error" ? "stderr" : "stdout";
        console[method] = (...args: unknown[]) => {
            printed[stream] += `${format(...args)}\n`;
        };
    }
    try {
        const value = await run();
        return { value, ...printed };
    } finally {
        for (const [method, fn] of original) {
            console[method] = fn;
        }
        for (const key of Object.keys(store)) {
            delete store[key];
        }
        Object.assign(store, saved);
        useStackFile(undefined);
        installTestMocks();
        // Not loaded, as before the run: the next require of index.ts runs the program.
        delete require.cache[require.resolve("../../index")];
    }
}

/** Runs an offline command (scripts/render.ts `render`, scripts/policy-check.ts `policyCheck`) in this process. */
export async function runCommandHere(command: (argv: string[], io: CommandIo) => Promise<void>, argv: string[]): Promise<Result> {
    let stdout = "";
    let stderr = "";
    const run = await inThisProcess(() => runCommand(command, argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) }));
    // The console's lines and the command's own writes interleave in a process; here the console's come first.
    return { status: run.value, stdout: run.stdout + stdout, stderr: run.stderr + stderr };
}
