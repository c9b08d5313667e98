/**
 * A value computed once per test run and shared by the parallel mocha workers of that run
 * (METALLB_TEST_RUN, tests/support/setup.ts), as JSON: the first worker to ask computes it, the others
 * wait for its file. Without a run name (one file run on its own) each process computes its own.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function oncePerRun<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const run = process.env.METALLB_TEST_RUN;
    if (!run) {
        return compute();
    }
    const dir = path.join(os.tmpdir(), `metallb-shared-${run}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${key}.json`);
    const failed = `${file}.failed`;
    let owner = true;
    try {
        fs.mkdirSync(`${file}.lock`);
    } catch {
        owner = false;
    }
    if (owner) {
        try {
            const value = await compute();
            fs.writeFileSync(`${file}.tmp`, JSON.stringify(value));
            fs.renameSync(`${file}.tmp`, file);
            return value;
        } catch (e) {
            fs.writeFileSync(failed, e instanceof Error ? (e.stack ?? e.message) : String(e));
            throw e;
        }
    }
    const deadline = Date.now() + 300_000;
    while (!fs.existsSync(file)) {
        if (fs.existsSync(failed)) {
            throw new Error(`${key}, computed by another mocha worker, failed:\n${fs.readFileSync(failed, "utf8")}`);
        }
        if (Date.now() > deadline) {
            throw new Error(`${key}, computed by another mocha worker, was not ready in 5 minutes (${file})`);
        }
        await sleep(100);
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}
