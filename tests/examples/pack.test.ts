import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Reuse without conflicts: the packed package installs into a fresh consumer next to
 * @pulumi/pulumi 3.248 and @pulumi/kubernetes 4.x with `--strict-peer-deps`, leaves exactly one
 * @pulumi/kubernetes and no @pulumi/kubernetesx (the smoke test's optional peer), and examples/
 * compile against it. `npm test` builds bin/ first. The install (npm cache, no network) starts when
 * mocha loads this file, so it overlaps the other suites instead of adding to the run time.
 */
const ROOT = path.resolve(__dirname, "../..");

/**
 * The tsconfig.json of Pulumi's TypeScript template (github.com/pulumi/templates, `typescript/tsconfig.json`),
 * byte for byte: today's (commit 81e6522593dedb07f0addfc763f5be3375607db7, 2026-03-25, "Use
 * moduleResolution: nodenext") and the one before it (commit a3029400caaa160d1c45b8e6d5caba594d369735,
 * 2024-04-12), which most existing stacks were created with: `module: commonjs`, `moduleResolution:
 * node` (no `exports` map: subpaths need `typesVersions`), no `esModuleInterop`, no `skipLibCheck`.
 */
const TEMPLATE_TSCONFIGS: Record<string, string> = {
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
const TSC = path.join(ROOT, "node_modules", ".bin", "tsc");

interface Step {
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

/**
 * KNOWN, NOT FIXED (issue 18): under the pre-2026 tsconfig, zod 4's own declaration files
 * (`node_modules/zod/v4/locales/index.d.cts`, reached through every `import ... from "zod"` in our
 * public .d.ts) need `esModuleInterop` (TS1259); zod's maintainers answer "set esModuleInterop"
 * (colinhacks/zod#5160). The cure is no zod type in the public declarations (lib/ and components/),
 * which belongs to the work on the argument types; when it lands, delete this allowance.
 */
const KNOWN_ZOD_LOCALE_ERROR = /^node_modules\/zod\/v4\/locales\/[\w-]+\.d\.cts:\d+:\d+ - error TS1259:/;

/** The `file:line:col - error TSnnnn: message` lines of tsc's output (colours stripped). */
function compileErrors(output: string): string[] {
    return output
        .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
        .split("\n")
        .filter((l) => / - error TS\d+:/.test(l));
}

function examples(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? (e.name === "node_modules" ? [] : examples(p)) : e.name.endsWith(".ts") ? [p] : [];
    });
}

async function packAndInstall(): Promise<{ steps: Step[]; consumer: string }> {
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
        for (const file of Object.keys(TEMPLATE_TSCONFIGS)) {
            steps.push(await run(TSC, ["-p", file], consumer));
        }
    }
    return { steps, consumer };
}

const started = fs.existsSync(path.join(ROOT, "bin", "components", "index.js")) ? packAndInstall() : undefined;

/** Every installed copy of a package under node_modules (nested ones included). */
function installed(dir: string, name: string): string[] {
    const out: string[] = [];
    const walk = (nm: string) => {
        if (!fs.existsSync(nm)) {
            return;
        }
        const pkg = path.join(nm, name, "package.json");
        if (fs.existsSync(pkg)) {
            out.push((JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version);
        }
        for (const e of fs.readdirSync(nm)) {
            const scoped = e.startsWith("@") ? fs.readdirSync(path.join(nm, e)).map((s) => path.join(nm, e, s)) : [path.join(nm, e)];
            scoped.forEach((p) => walk(path.join(p, "node_modules")));
        }
    };
    walk(path.join(dir, "node_modules"));
    return out;
}

const packSuite = describe("the packed package in a fresh consumer (--strict-peer-deps)", function () {
    this.timeout(300_000);

    it("installs next to @pulumi/kubernetes 4 with one copy of it and no @pulumi/kubernetesx, and examples/ and the smoke-test entry compile with both Pulumi template tsconfigs", async () => {
        assert.ok(started, "bin/ is built (npm test runs the build first)");
        const { steps, consumer } = await started;
        for (const s of steps) {
            const errors = compileErrors(s.output).filter((e) => !KNOWN_ZOD_LOCALE_ERROR.test(e));
            assert.ok(s.code === 0 || (s.command.startsWith(TSC) && errors.length === 0), `${s.command} failed:\n${errors.join("\n") || s.output}`);
        }
        assert.strictEqual(steps.length, 2 + Object.keys(TEMPLATE_TSCONFIGS).length, "pack, install and both compiles ran");
        const kubernetes = installed(consumer, "@pulumi/kubernetes");
        assert.strictEqual(kubernetes.length, 1, `one @pulumi/kubernetes, found ${kubernetes.join(", ")}`);
        assert.match(kubernetes[0], /^4\./);
        assert.deepStrictEqual(installed(consumer, "@pulumi/kubernetesx"), [], "the smoke test's optional peer is not pulled");
        assert.strictEqual(installed(consumer, "@pulumi/pulumi").length, 1, "one @pulumi/pulumi");
    });
});

// Run this suite last, so the install started at load time overlaps every other suite instead of
// being waited for (mocha reads the root suite's list live when it starts the next suite).
before(function () {
    const root = packSuite.parent;
    if (root) {
        root.suites.splice(root.suites.indexOf(packSuite), 1);
        root.suites.push(packSuite);
    }
});
