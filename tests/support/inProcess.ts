/**
 * The program (index.ts under mocks) run in the test process instead of a process of its own: the
 * offline commands (`npm run render`, `npm run policy`: scripts/offline.ts) and tests/support/runIndex.ts.
 * Starting a process that loads Pulumi, the Kubernetes and Grafana SDKs and the program costs about
 * 1.2 CPU-seconds; the test process has them loaded. Each run installs its own mocks, config and
 * stack file and loads index.ts anew (it runs when loaded); afterwards the test process gets back
 * what it had: the same mock monitor (tests/support/pulumi.ts's mocks, with whatever a test hooked
 * into it), project, stack and config, no stack-file override and index.ts not loaded. The tests
 * of what a command prints and exits with as a process (a stack trace never shows, exit statuses)
 * still start it (tests/support/render.ts, tests/policy/policies.test.ts), and so do the shared
 * renders of the sample stacks.
 */
import { format } from "util";
import { Command, runCommand } from "../../scripts/offline";
import { useStackFile } from "../../lib/config/runtime";

/** What a command or program run printed and its exit status, as spawnSync reports a process's. */
export interface Result {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

interface RuntimeStore {
    config: Record<string, string>;
    settings: { options: Record<string, unknown> } & Record<string, unknown>;
    [key: string]: unknown;
}

/**
 * What a run changes in Pulumi's runtime state (`setMocks` resets the options, the monitor, the
 * feature flags; `setAllConfig` the config) and a function that puts it back as it was: the same
 * monitor object (tests/support/pulumi.ts's mocks, with whatever a test hooked into it), project,
 * stack, flags and config.
 */
function snapshotRuntime(): () => void {
    const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): RuntimeStore }).getStore();
    const top = { ...store };
    const settings = { ...store.settings };
    const options = { ...store.settings.options };
    const config = { ...store.config };
    return () => {
        Object.assign(store, top);
        Object.assign(store.settings, settings);
        store.settings.options = Object.assign(settings.options, options);
        for (const key of Object.keys(store.config)) {
            delete store.config[key];
        }
        Object.assign(store.config, config);
    };
}

const CONSOLE = ["log", "info", "debug", "warn", "error"] as const;

/**
 * Runs `run` (which installs its own mocks and config), then restores the test process's. What the
 * run logs to the console (Pulumi's `log.warn` under mocks, for one) is what its process would have
 * printed: it goes into the returned stdout (log, info, debug) and stderr (warn, error), not into
 * the test run's output.
 */
export async function inThisProcess<T>(run: () => Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
    const restoreRuntime = snapshotRuntime();
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
        restoreRuntime();
        useStackFile(undefined);
        // Not loaded, as before the run: the next require of index.ts runs the program.
        delete require.cache[require.resolve("../../index")];
    }
}

/** Runs an offline command (scripts/render.ts `render`, scripts/policy-check.ts `policyCheck`) in this process. */
export async function runCommandHere(command: Command, argv: string[]): Promise<Result> {
    let stdout = "";
    let stderr = "";
    const run = await inThisProcess(() => runCommand(command, argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) }));
    // The console's lines and the command's own writes interleave in a process; here the console's come first.
    return { status: run.value, stdout: run.stdout + stdout, stderr: run.stderr + stderr };
}
