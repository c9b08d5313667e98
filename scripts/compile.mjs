// The compiler part of `npm test`: the whole-tree type check (what `npm run typecheck` reports), the
// build (what `npm run build` writes into a fresh bin/) and the JavaScript of every file for the test
// run (tests/support/register.js runs the tests and the programs they start from it), by TypeScript 7's
// native compiler (the `typescript-native` devDependency), in two runs:
//
//   - `tsc -p tsconfig.build.json`: the build, into bin/; its diagnostics include what only the build
//     sees (its `types: ["node"]`: a build file that uses one of mocha's globals does not compile);
//   - `tsc -p tsconfig.json` with `--outDir` the cache and no declarations: the whole-tree check, and
//     every file's JavaScript with the SHA-1 of the source it came from (the cache's manifest.json).
//
// TypeScript 5 (the `typescript` devDependency) stays for what needs its JavaScript API: Pulumi's
// Node.js runtime and ts-node (@pulumi/pulumi accepts typescript < 7), and the consumer compiles of
// the pack test, which check the package with Pulumi's templates as they are.
//
//   node scripts/compile.mjs [--built <file>]   exit 0: no diagnostic; 1: diagnostics printed (as tsc prints them)
//
// The build runs first (examples/ import the package by name, from bin/), and `--built <file>` is
// touched once it has written bin/: `npm test` packs the package from bin/ while the whole-tree check
// goes on (tsc writes its output whatever the diagnostics).
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import process from "process";
import { fileURLToPath } from "url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin");
/** Where tests/support/register.js looks for the compiled tree. */
const CACHE = path.join(ROOT, "node_modules", ".cache", "metallb-observability", "tests");
/** TypeScript 7's command, by path: node_modules/.bin/tsc may be either version's. */
const TSC7 = path.join(path.dirname(createRequire(import.meta.url).resolve("typescript-native/package.json")), "bin", "tsc");

/** Runs TypeScript 7's tsc with `args` in the root; resolves to its exit status and output. */
function tsc(args) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [TSC7, ...args, "--pretty", "false"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("error", (e) => resolve({ code: 1, out: `${out}${e.message}\n` }));
        child.on("close", (code) => resolve({ code: code ?? 1, out }));
    });
}

/** tsc's diagnostics, one string each (a diagnostic's further lines are indented). */
function diagnostics(out) {
    return out
        .split(/\n(?=\S)/)
        .map((d) => d.trimEnd())
        .filter((d) => d !== "");
}

/** Every .ts file under `dir` (root-relative), but node_modules and bin. */
function tsFiles(dir) {
    const found = [];
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== "bin" && !entry.name.startsWith(".")) {
            found.push(...tsFiles(rel));
        } else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
            found.push(rel);
        }
    }
    return found;
}

fs.rmSync(BIN, { recursive: true, force: true });
fs.rmSync(CACHE, { recursive: true, force: true });
// The sources as they are now: a file edited while tsc runs gets the hash of the older text, so the
// test run transpiles it afresh rather than run JavaScript of another text.
const sha1 = (rel) =>
    createHash("sha1")
        .update(fs.readFileSync(path.join(ROOT, rel)))
        .digest("hex");
const hashes = new Map(tsFiles(".").map((rel) => [rel, sha1(rel)]));

const built = await tsc(["-p", "tsconfig.build.json"]);
const builtFlag = process.argv.indexOf("--built");
if (builtFlag >= 0 && process.argv[builtFlag + 1]) {
    fs.writeFileSync(process.argv[builtFlag + 1], "");
}
const checked = await tsc(["-p", "tsconfig.json", "--outDir", CACHE, "--declaration", "false", "--sourceMap"]);

const manifest = {};
for (const [rel, hash] of hashes) {
    if (fs.existsSync(path.join(CACHE, rel.replace(/\.ts$/, ".js")))) {
        manifest[rel] = hash;
    }
}
fs.writeFileSync(path.join(CACHE, "manifest.json"), JSON.stringify(manifest));

// The whole tree's diagnostics, then those only the build reports.
const seen = new Set(diagnostics(checked.out));
const all = [...seen, ...diagnostics(built.out).filter((d) => !seen.has(d))];
if (all.length > 0) {
    process.stdout.write(`${all.join("\n")}\n`);
}
process.exit(all.length > 0 || built.code !== 0 || checked.code !== 0 ? 1 : 0);
