/**
 * The TypeScript loader of the test run (`.mocharc.json` "require", and `node -r` for the programs the
 * tests start: the offline render, the policy check, index.ts under mocks).
 *
 * `npm test` compiles the whole tree once before mocha starts (scripts/compile.mjs: TypeScript 7's
 * whole-tree check, which emits every file's JavaScript into node_modules/.cache/metallb-observability/tests).
 * A .ts file whose source is byte for byte the one that was compiled (SHA-1 in the cache's
 * manifest.json) runs from that JavaScript; any other one (edited since, not part of the project,
 * or no compile yet: `npx mocha` on its own) is transpiled on the spot by ts-node, as
 * `ts-node/register/transpile-only` would. Transpiling is most of the cost of starting a program
 * (about 2.5 of 4 CPU-seconds for the offline render), and the mocha workers and every program the
 * tests start would otherwise each transpile the same files again.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "metallb-observability", "tests");

/** relative path of a .ts file -> SHA-1 of the source that was compiled. */
let manifest = {};
try {
    manifest = JSON.parse(fs.readFileSync(path.join(CACHE, "manifest.json"), "utf8"));
} catch {
    // no compile yet: every file is transpiled by ts-node
}

let tsNode;
/** ts-node's transpile-only compiler (tsconfig.json), created on the first file the cache cannot serve. */
function transpile(code, filename) {
    tsNode ??= require("ts-node").create({ transpileOnly: true, project: path.join(ROOT, "tsconfig.json") });
    return tsNode.compile(code, filename);
}

// @pulumi/pulumi loads, when it starts, two large dependencies that a program under mocks never uses:
// TypeScript (9 MB of JavaScript, for serializing functions: runtime/closure) and npm's Arborist
// (about 400 modules, for finding the packages a serialized function needs: runtime/closure/codePaths).
// Together about 0.5 of the ~1.7 CPU-seconds of starting a program. The test processes load each on
// first use instead: the module the requiring file gets is a stand-in that loads the real one when
// one of its properties is read.
const Module = require("module");
const load = Module._load;
const LAZY = [
    { request: "typescript", parent: path.join("@pulumi", "pulumi", "typescript-shim.js") },
    // Imported through __importStar, which returns a module marked __esModule as it is.
    { request: "@npmcli/arborist", parent: path.join("@pulumi", "pulumi", "runtime", "closure", "codePaths.js"), esModule: true },
];
const standIns = new Map();
function standIn(lazy, parent) {
    let real;
    const get = () => (real ??= load(lazy.request, parent));
    return new Proxy(
        {},
        {
            get: (_target, key) => (key === "__esModule" && lazy.esModule && real === undefined ? true : get()[key]),
            has: (_target, key) => key in get(),
        },
    );
}
Module._load = function (request, parent, ...rest) {
    const lazy = LAZY.find((l) => l.request === request && parent?.filename?.endsWith(l.parent));
    if (lazy) {
        if (!standIns.has(lazy)) {
            standIns.set(lazy, standIn(lazy, parent));
        }
        return standIns.get(lazy);
    }
    return load.call(this, request, parent, ...rest);
};

const loadJs = require.extensions[".js"];
require.extensions[".ts"] = function (module, filename) {
    if (filename.includes(`${path.sep}node_modules${path.sep}`)) {
        return loadJs(module, filename);
    }
    const source = fs.readFileSync(filename, "utf8");
    const rel = path.relative(ROOT, filename);
    const compiled = manifest[rel] === crypto.createHash("sha1").update(source).digest("hex") ? path.join(CACHE, rel.replace(/\.ts$/, ".js")) : undefined;
    let js;
    try {
        js = compiled && fs.readFileSync(compiled, "utf8");
    } catch {
        js = undefined;
    }
    module._compile(js ?? transpile(source, filename), filename);
};
