// The compiler part of `npm test`, in one process: what `tsc --noEmit -p tsconfig.json` (the type
// check of the whole tree) and `npm run build` (`tsc -p tsconfig.build.json` into a fresh bin/) do,
// with the same diagnostics and the same bin/, plus the JavaScript of every file for the test run
// (tests/support/register.js runs the tests and the programs they start from it).
//
// The two programs share their parsed source files (the .d.ts files of @pulumi/* are most of the
// parsing), so each file is read and parsed once. Each program is still checked on its own, with
// its own options: the build without mocha's types, as `tsc -p tsconfig.build.json` checks it.
//
//   node scripts/compile.mjs        exit 0: no diagnostic; 1: diagnostics printed (as tsc prints them)
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import process from "process";
import { fileURLToPath } from "url";
import ts from "typescript";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where tests/support/register.js looks for the compiled tree. */
const CACHE = path.join(ROOT, "node_modules", ".cache", "metallb-observability", "tests");

const pretty = !!ts.sys.writeOutputIsTTY?.();
const formatHost = { getCurrentDirectory: () => ROOT, getCanonicalFileName: (f) => f, getNewLine: () => ts.sys.newLine };
let failed = false;

function report(diagnostics) {
    if (diagnostics.length > 0) {
        failed = true;
        const text = pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost) : ts.formatDiagnostics(diagnostics, formatHost);
        process.stdout.write(text);
    }
}

function parse(configFile, optionsToExtend) {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, configFile), optionsToExtend, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            report([d]);
            process.exit(1);
        },
    });
    return parsed;
}

/** Parsed source files, shared by both programs (same target and module settings, so the same parse). */
const sourceFiles = new Map();
function host(options) {
    const h = ts.createCompilerHost(options);
    const getSourceFile = h.getSourceFile;
    h.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        const o = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
        const key = `${o.languageVersion}|${o.impliedNodeFormat}|${fileName}`;
        let file = shouldCreateNewSourceFile ? undefined : sourceFiles.get(key);
        if (!file) {
            file = getSourceFile.call(h, fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
            if (file) {
                sourceFiles.set(key, file);
            }
        }
        return file;
    };
    return h;
}

/** A program's diagnostics and emit, in the order and with the rules of `tsc` (emitFilesAndReportErrors). */
function compile(config, writeFile) {
    const program = ts.createProgram({
        rootNames: config.fileNames,
        options: config.options,
        projectReferences: config.projectReferences,
        host: host(config.options),
        configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    });
    const diagnostics = [...program.getConfigFileParsingDiagnostics()];
    const configDiagnostics = diagnostics.length;
    diagnostics.push(...program.getSyntacticDiagnostics());
    if (diagnostics.length === configDiagnostics) {
        diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
        if (diagnostics.length === configDiagnostics) {
            diagnostics.push(...program.getSemanticDiagnostics());
        }
    }
    const emitted = program.emit(undefined, writeFile);
    diagnostics.push(...emitted.diagnostics);
    report(ts.sortAndDeduplicateDiagnostics(diagnostics));
    return program;
}

// 1. The whole tree, as `tsc --noEmit -p tsconfig.json` checks it (its declaration diagnostics included:
//    tsconfig.json asks for declarations), emitting each file's JavaScript into the cache instead of nowhere.
fs.rmSync(CACHE, { recursive: true, force: true });
const manifest = {};
const whole = parse("tsconfig.json", { noEmit: false, outDir: CACHE, inlineSourceMap: true });
compile(whole, (fileName, text, _bom, _onError, sources) => {
    if (!fileName.endsWith(".js")) {
        return; // the declarations are checked, not kept
    }
    fs.mkdirSync(path.dirname(fileName), { recursive: true });
    fs.writeFileSync(fileName, text);
    for (const source of sources ?? []) {
        manifest[path.relative(ROOT, source.fileName)] = createHash("sha1").update(source.text).digest("hex");
    }
});
fs.writeFileSync(path.join(CACHE, "manifest.json"), JSON.stringify(manifest));

// 2. The package's compiled entry points, as `npm run build` writes them: a fresh bin/.
fs.rmSync(path.join(ROOT, "bin"), { recursive: true, force: true });
compile(parse("tsconfig.build.json"));

process.exit(failed ? 1 : 0);
