import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { packResult, TEMPLATE_TSCONFIGS } from "../support/packConsumer";

/**
 * Reuse without conflicts: the packed package installs into a fresh consumer next to
 * @pulumi/pulumi 3.248 and @pulumi/kubernetes 4.x with `--strict-peer-deps`, leaves exactly one
 * @pulumi/kubernetes and no @pulumi/kubernetesx (the smoke test's optional peer), and examples/
 * compile against it, with each of Pulumi's template tsconfigs, exactly (tests/support/packConsumer.ts
 * does it). `npm test` starts them as soon as the compile has written bin/, beside the rest of the
 * compile and mocha, so they overlap the other suites instead of adding to the run time; run alone,
 * this file starts them when loaded.
 */
const ROOT = path.resolve(__dirname, "../..");

/** The `file:line:col - error TSnnnn: message` lines of tsc's output (colours stripped). */
function compileErrors(output: string): string[] {
    return output
        .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")
        .split("\n")
        .filter((l) => / - error TS\d+:/.test(l));
}

const started = fs.existsSync(path.join(ROOT, "bin", "components", "index.js")) ? packResult() : undefined;
started?.catch(() => undefined); // reported by the test that awaits it

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
            for (const p of scoped) {
                walk(path.join(p, "node_modules"));
            }
        }
    };
    walk(path.join(dir, "node_modules"));
    return out;
}

const packSuite = describe("the packed package in a fresh consumer (--strict-peer-deps)", function () {
    this.timeout(300_000);

    // The consumer (its node_modules is ~150 MB) goes once checked.
    after(async () => {
        const consumer = await started?.then((r) => r.consumer).catch(() => undefined);
        const work = consumer && path.dirname(consumer);
        if (work && path.basename(work).startsWith("metallb-observability-pack-")) {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });

    it("installs next to @pulumi/kubernetes 4 with one copy of it and no @pulumi/kubernetesx, and examples/ and the smoke-test entry compile with both Pulumi template tsconfigs", async () => {
        assert.ok(started, "bin/ is built (npm test runs the build first)");
        const { steps, consumer } = await started;
        for (const s of steps) {
            // Every compile is clean: the package's declarations never load zod's (whose `.d.cts` files
            // need esModuleInterop, which the pre-2026 template does not set).
            assert.strictEqual(s.code, 0, `${s.command} failed:\n${compileErrors(s.output).join("\n") || s.output}`);
        }
        assert.strictEqual(steps.length, 2 + Object.keys(TEMPLATE_TSCONFIGS).length, "pack, install and both compiles ran");
        const kubernetes = installed(consumer, "@pulumi/kubernetes");
        assert.strictEqual(kubernetes.length, 1, `one @pulumi/kubernetes, found ${kubernetes.join(", ")}`);
        assert.match(kubernetes[0], /^4\./);
        assert.deepStrictEqual(installed(consumer, "@pulumi/kubernetesx"), [], "the smoke test's optional peer is not pulled");
        assert.strictEqual(installed(consumer, "@pulumi/pulumi").length, 1, "one @pulumi/pulumi");
    });

    it("a consumer's compile reads the few @pulumi/kubernetes classes the package's declarations name, not the whole package", async () => {
        assert.ok(started, "bin/ is built (npm test runs the build first)");
        const { steps, consumer } = await started;
        const compiles = steps.filter((s) => s.packageFiles !== undefined);
        assert.strictEqual(compiles.length, Object.keys(TEMPLATE_TSCONFIGS).length);
        // @pulumi/kubernetes 4.34 has 666 declaration files behind its index (every API group's
        // classes, about half of a template compile's time); Chart, Release and Service with the
        // input and output types they name are 8.
        const everyClass = fs.readdirSync(path.join(consumer, "node_modules/@pulumi/kubernetes/core/v1")).filter((f) => f.endsWith(".d.ts")).length;
        for (const s of compiles) {
            const read = s.packageFiles?.["@pulumi/kubernetes"] ?? 0;
            assert.ok(read > 0 && read < everyClass, `${s.command}: ${read} files of @pulumi/kubernetes (core/v1 alone has ${everyClass})`);
        }
    });
});

// Run this suite last, so the install started at load time overlaps every other suite instead of
// being waited for (mocha reads the root suite's list live when it starts the next suite).
before(() => {
    const root = packSuite.parent;
    if (root) {
        root.suites.splice(root.suites.indexOf(packSuite), 1);
        root.suites.push(packSuite);
    }
});
