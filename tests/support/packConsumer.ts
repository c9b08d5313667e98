/**
 * The packed package in a fresh consumer (tests/examples/pack.test.ts): `npm pack`, `npm install`
 * of the tarball next to @pulumi/pulumi and @pulumi/kubernetes with `--strict-peer-deps` (npm cache,
 * no network), and `tsc -p` with each of Pulumi's TypeScript template tsconfigs. Needs bin/.
 *
 * `npm test` (scripts/test.sh) starts it first, since it is the longest chain of the run (about 24
 * CPU-seconds, one step after the other): it waits for `<folder>/built`, which the compile writes as
 * soon as bin/ is written (scripts/compile.mjs `--built`, after its build), and packs and installs
 * while the compile checks the rest of the tree.
 *
 *   node -r ./tests/support/register.js tests/support/packConsumer.ts <folder>
 *
 * writes `<folder>/result.json` ({@link PackResult}) when done, and the test reads it
 * ({@link packResult}, with METALLB_PACK_CONSUMER=<folder>). Without that variable the test runs it
 * itself.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CompileResult } from "./tscShared";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The tsconfig.json of Pulumi's TypeScript template (github.com/pulumi/templates, `typescript/tsconfig.json`),
 * byte for byte: today's (commit 81e6522593dedb07f0addfc763f5be3375607db7, 2026-03-25, "Use
 * moduleResolution: nodenext") and the one before it (commit a3029400caaa160d1c45b8e6d5caba594d369735,
 * 2024-04-12), which most existing stacks were created with: `module: commonjs`, `moduleResolution:
 * node` (no `exports` map: subpaths need `typesVersions`), no `esModuleInterop`, no `skipLibCheck`.
 */
export const TEMPLATE_TSCONFIGS: Record<string, string> = {
    "tsconfig.json": `{
    "compilerOptions": {
        "strict": true,
        "outDir": "bin",
        "target": "es2020",
        "module": "nodenext",
        "moduleResolution": "nodenext",
        "sourceMap": true,
        "experimentalDecorators": true,
        "pretty": true,
        "noFallthroughCasesInSwitch": true,
        "noImplicitReturns": true,
        "forceConsistentCasingInFileNames": true
    },
    "files": [
        "index.ts"
    ]
}
`,
    "tsconfig.pre-2026.json": `{
    "compilerOptions": {
        "strict": true,
        "outDir": "bin",
        "target": "es2020",
        "module": "commonjs",
        "moduleResolution": "node",
        "sourceMap": true,
        "experimentalDecorators": true,
        "pretty": true,
        "noFallthroughCasesInSwitch": true,
        "noImplicitReturns": true,
        "forceConsistentCasingInFileNames": true
    },
    "files": [
        "index.ts"
    ]
}
`,
};
export const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");

export interface Step {
    readonly command: string;
    readonly code: number;
    readonly output: string;
    /** A compile's: source files its program read, per installed package (tests/support/tscShared.ts). */
    readonly packageFiles?: Record<string, number>;
}

/** `npm pack --json`'s entry for the package. */
interface PackJson {
    readonly filename: string;
    readonly files: { readonly path: string }[];
}

function writeAtomically(file: string, text: string): void {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
}

/** Runs a command: its step (for the result) and its standard output alone (for what it prints as JSON). */
function run(command: string, args: string[], cwd: string): Promise<{ step: Step; stdout: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            resolve({ step: { command: `${command} ${args.join(" ")}`, code, output: `${stdout}${stderr}` }, stdout });
        });
    });
}

export interface PackResult {
    readonly steps: Step[];
    readonly consumer: string;
}

function examples(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? (e.name === "node_modules" ? [] : examples(p)) : e.name.endsWith(".ts") ? [p] : [];
    });
}

/**
 * Where the consumer goes: a memory file system (/dev/shm) when it has room for it, else the temporary
 * folder. Writing its ~150 MB node_modules is most of the install's cost on disk (about 8 of 17
 * CPU-seconds are the kernel's), half of that in memory; a container's /dev/shm is often 64 MB.
 */
function workBase(): string {
    const shm = "/dev/shm";
    try {
        fs.accessSync(shm, fs.constants.W_OK);
        const { bavail, bsize } = fs.statfsSync(shm);
        if (bavail * bsize > 1024 * 1024 * 1024) {
            return shm;
        }
    } catch {
        // no /dev/shm (macOS, Windows) or not writable
    }
    return os.tmpdir();
}

/** Where a run started by `npm test` tells what it has done so far (files in its folder). */
interface Announce {
    /** The consumer's folder, for a cleanup. */
    readonly work: string;
    /** The packed files (npm pack's list), as soon as packed: tests/package/publish.test.ts reads them. */
    readonly packed: string;
}

/** Packs and installs into a new folder, once `built()` resolves (bin/ is built). */
export async function packAndInstall(announce?: Announce, built: () => Promise<void> = async () => undefined): Promise<PackResult> {
    const work = fs.mkdtempSync(path.join(workBase(), "metallb-observability-pack-"));
    if (announce) {
        fs.writeFileSync(announce.work, work);
    }
    await built();
    const consumer = path.join(work, "consumer");
    const steps: Step[] = [];
    const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
    steps.push(pack.step);
    if (pack.step.code !== 0) {
        return { steps, consumer };
    }
    const [packed] = JSON.parse(pack.stdout) as PackJson[];
    if (announce) {
        writeAtomically(announce.packed, JSON.stringify(packed.files.map((f) => f.path).sort()));
    }
    const tarball = path.join(work, packed.filename);
    fs.mkdirSync(path.join(consumer, "src"), { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
    fs.writeFileSync(
        path.join(consumer, "package.json"),
        JSON.stringify({
            name: "consumer",
            version: "1.0.0",
            private: true,
            dependencies: {
                "@pulumi/pulumi": pkg.devDependencies["@pulumi/pulumi"],
                "@pulumi/kubernetes": pkg.devDependencies["@pulumi/kubernetes"],
                "@types/node": pkg.devDependencies["@types/node"],
                "metallb-observability": `file:${tarball}`,
            },
        }),
    );
    // Each example, as a consumer program of its own, imports the package by name.
    for (const file of examples(path.join(ROOT, "examples"))) {
        const rel = path.relative(path.join(ROOT, "examples"), file);
        fs.mkdirSync(path.dirname(path.join(consumer, "src", rel)), { recursive: true });
        fs.copyFileSync(file, path.join(consumer, "src", rel));
    }
    // The program `pulumi new typescript` creates (its tsconfig compiles index.ts only): the examples and the smoke-test entry.
    fs.writeFileSync(
        path.join(consumer, "index.ts"),
        [
            ...examples(path.join(consumer, "src")).map((f) => `import "./${path.relative(consumer, f).replace(/\.ts$/, "").split(path.sep).join("/")}";`),
            'import { SmokeTest } from "metallb-observability/smoke-test";',
            "export const smokeTest: typeof SmokeTest = SmokeTest;",
            "",
        ].join("\n"),
    );
    for (const [file, tsconfig] of Object.entries(TEMPLATE_TSCONFIGS)) {
        fs.writeFileSync(path.join(consumer, file), tsconfig);
    }
    steps.push((await run("npm", ["install", "--strict-peer-deps", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"], consumer)).step);
    if (steps[steps.length - 1].code === 0) {
        // `tsc -p <file>` for each template, in one process that parses the shared .d.ts files once
        // (tests/support/tscShared.ts: each compile's output and exit status are tsc's).
        const files = Object.keys(TEMPLATE_TSCONFIGS);
        const shared = await run(
            process.execPath,
            ["-r", path.join(ROOT, "tests/support/register.js"), path.join(ROOT, "tests/support/tscShared.ts"), consumer, ...files],
            consumer,
        );
        if (shared.step.code !== 0) {
            steps.push(shared.step);
        } else {
            for (const r of JSON.parse(shared.stdout) as CompileResult[]) {
                steps.push({ command: `${TSC} -p ${r.tsconfig}`, code: r.code, output: r.output, packageFiles: r.packageFiles });
            }
        }
    }
    return { steps, consumer };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The result of the run `npm test` started (METALLB_PACK_CONSUMER names its folder), once it is
 * done; without it, a run of its own.
 */
export async function packResult(): Promise<PackResult> {
    const folder = process.env.METALLB_PACK_CONSUMER;
    if (!folder) {
        return packAndInstall();
    }
    const result = path.join(folder, "result.json");
    for (;;) {
        if (fs.existsSync(result)) {
            return JSON.parse(fs.readFileSync(result, "utf8")) as PackResult;
        }
        checkAlive(folder);
        await sleep(250);
    }
}

/**
 * The files `npm pack` / `npm publish` ship (sorted paths): from the run `npm test` started, as soon
 * as it has packed; without it, `npm pack --dry-run`.
 */
export async function packedFiles(): Promise<string[]> {
    const folder = process.env.METALLB_PACK_CONSUMER;
    if (!folder) {
        const r = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT);
        if (r.step.code !== 0) {
            throw new Error(`npm pack --dry-run failed:\n${r.step.output}`);
        }
        return (JSON.parse(r.stdout) as PackJson[])[0].files.map((f) => f.path).sort();
    }
    const packed = path.join(folder, "packed.json");
    while (!fs.existsSync(packed)) {
        if (fs.existsSync(path.join(folder, "result.json"))) {
            const { steps } = JSON.parse(fs.readFileSync(path.join(folder, "result.json"), "utf8")) as PackResult;
            throw new Error(`npm pack failed:\n${steps[0]?.output}`);
        }
        checkAlive(folder);
        await sleep(100);
    }
    return JSON.parse(fs.readFileSync(packed, "utf8")) as string[];
}

/** Throws if the run `npm test` started for `folder` has ended without its result. */
function checkAlive(folder: string): void {
    const pid = Number(fs.readFileSync(path.join(folder, "pid"), "utf8"));
    try {
        process.kill(pid, 0);
    } catch {
        if (!fs.existsSync(path.join(folder, "result.json"))) {
            const log = path.join(folder, "log");
            throw new Error(`the pack run (pid ${pid}) ended without a result:\n${fs.existsSync(log) ? fs.readFileSync(log, "utf8") : ""}`);
        }
    }
}

if (require.main === module) {
    const folder = path.resolve(process.argv[2]);
    fs.writeFileSync(path.join(folder, "pid"), String(process.pid));
    // scripts/test.sh removes the consumer named in `work` when the run ends (pack.test.ts once checked).
    // The compile writes `built` once bin/ is written (scripts/test.sh stops this run if the compile fails).
    const built = async () => {
        while (!fs.existsSync(path.join(folder, "built"))) {
            await sleep(100);
        }
    };
    packAndInstall({ work: path.join(folder, "work"), packed: path.join(folder, "packed.json") }, built).then(
        (r) => writeAtomically(path.join(folder, "result.json"), JSON.stringify(r)),
        (err) => {
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
