/**
 * The packed package in a fresh consumer (tests/examples/pack.test.ts): `npm pack`, `npm install`
 * of the tarball next to @pulumi/pulumi and @pulumi/kubernetes with `--strict-peer-deps` (npm cache,
 * no network), and `tsc -p` with each of Pulumi's TypeScript template tsconfigs. Needs bin/.
 *
 * `npm test` (scripts/test.sh) starts it as soon as bin/ is built, beside mocha, since it is the
 * longest chain of the run (about 35 CPU-seconds, one step after the other):
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
}

function run(command: string, args: string[], cwd: string): Promise<Step> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } }, (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            resolve({ command: `${command} ${args.join(" ")}`, code, output: `${stdout}${stderr}` });
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

export async function packAndInstall(): Promise<PackResult> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "metallb-observability-pack-"));
    const consumer = path.join(work, "consumer");
    const steps: Step[] = [];
    const pack = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], ROOT);
    steps.push(pack);
    if (pack.code !== 0) {
        return { steps, consumer };
    }
    const tarball = path.join(work, pack.output.trim().split("\n").pop() ?? "");
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
    steps.push(await run("npm", ["install", "--strict-peer-deps", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund"], consumer));
    if (steps[steps.length - 1].code === 0) {
        // `tsc -p <file>` for each template, in one process that parses the shared .d.ts files once
        // (tests/support/tscShared.ts: each compile's output and exit status are tsc's).
        const files = Object.keys(TEMPLATE_TSCONFIGS);
        const shared = await run(
            process.execPath,
            ["-r", path.join(ROOT, "tests/support/register.js"), path.join(ROOT, "tests/support/tscShared.ts"), consumer, ...files],
            consumer,
        );
        if (shared.code !== 0) {
            steps.push(shared);
        } else {
            for (const r of JSON.parse(shared.output) as { tsconfig: string; code: number; output: string }[]) {
                steps.push({ command: `${TSC} -p ${r.tsconfig}`, code: r.code, output: r.output });
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
        const log = path.join(folder, "log");
        const pid = Number(fs.readFileSync(path.join(folder, "pid"), "utf8"));
        try {
            process.kill(pid, 0);
        } catch {
            if (!fs.existsSync(result)) {
                throw new Error(`the pack run (pid ${pid}) ended without a result:\n${fs.existsSync(log) ? fs.readFileSync(log, "utf8") : ""}`);
            }
        }
        await sleep(250);
    }
}

if (require.main === module) {
    const folder = path.resolve(process.argv[2]);
    fs.writeFileSync(path.join(folder, "pid"), String(process.pid));
    packAndInstall().then(
        (r) => {
            fs.writeFileSync(path.join(folder, "result.json.tmp"), JSON.stringify(r));
            fs.renameSync(path.join(folder, "result.json.tmp"), path.join(folder, "result.json"));
        },
        (err) => {
            process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            process.exit(1);
        },
    );
}
