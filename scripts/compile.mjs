// The compiler part of `npm test`, one TypeScript program: the whole-tree type check (what
// `tsc --noEmit -p tsconfig.json` reports) and the build (what `npm run build`, i.e. `tsc -p
// tsconfig.build.json`, writes into a fresh bin/, byte for byte), plus the JavaScript of every file
// for the test run (tests/support/register.js runs the tests and the programs they start from it).
//
// tsconfig.build.json is tsconfig.json with `types: ["node"]` (no mocha) and emit options, over
// components/, lib/ (not lib/config) and provider/. The program here has tsconfig.json's files and
// options plus the build's emit options (the same output for the same file), and writes bin/ for
// the build's files only. What the build's own check adds, that its files do not use mocha's
// globals, is checked here from the same program's symbols.
//
//   node scripts/compile.mjs [--built <file>]   exit 0: no diagnostic; 1: diagnostics printed (as tsc prints them)
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import process from "process";
import { fileURLToPath } from "url";
import { createRequire } from "module";

// TypeScript is CommonJS: required, not imported, so that Node does not scan its 9 MB for named
// exports first (cjs-module-lexer, about half a CPU-second).
const ts = createRequire(import.meta.url)("typescript");

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin");
/** Where tests/support/register.js looks for the compiled tree. */
const CACHE = path.join(ROOT, "node_modules", ".cache", "metallb-observability", "tests");

const pretty = !!ts.sys.writeOutputIsTTY?.();
const formatHost = { getCurrentDirectory: () => ROOT, getCanonicalFileName: (f) => f, getNewLine: () => ts.sys.newLine };

function report(diagnostics) {
    const text = pretty ? ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost) : ts.formatDiagnostics(diagnostics, formatHost);
    process.stdout.write(text);
}

function parse(configFile, optionsToExtend) {
    return ts.getParsedCommandLineOfConfigFile(path.join(ROOT, configFile), optionsToExtend, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
            report([d]);
            process.exit(1);
        },
    });
}

const whole = parse("tsconfig.json");
const build = parse("tsconfig.build.json");
// The build's options, but tsconfig.json's types: the options that decide the output are the build's.
const options = { ...build.options, types: whole.options.types };
for (const [key, value] of Object.entries(build.options)) {
    if (key !== "types" && key !== "configFilePath" && JSON.stringify(whole.options[key]) !== JSON.stringify(value)) {
        const known = { noEmit: false, declaration: true, sourceMap: true, outDir: BIN, rootDir: ROOT };
        if (!(key in known) || JSON.stringify(known[key]) !== JSON.stringify(value)) {
            // A new option in tsconfig.build.json: this script must learn whether it changes the check.
            process.stdout.write(`scripts/compile.mjs: tsconfig.build.json sets ${key}, which this script does not know\n`);
            process.exit(1);
        }
    }
}

/** Parsed source files, shared by the two programs below (same target and module settings, so the same parse). */
const sourceFiles = new Map();
function host(compilerOptions) {
    const h = ts.createCompilerHost(compilerOptions);
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

const program = ts.createProgram({
    // tsconfig.json's files, and the build's (provider/index.ts is in the build only).
    rootNames: [...new Set([...whole.fileNames, ...build.fileNames])],
    options,
    projectReferences: whole.projectReferences,
    host: host(options),
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(whole),
});
// The build's files: those its own program holds (its roots and every project file they import or
// reference), found without checking it.
const buildProgram = ts.createProgram({ rootNames: build.fileNames, options: build.options, host: host(build.options) });
const buildFiles = new Set(
    buildProgram
        .getSourceFiles()
        .filter((f) => !f.isDeclarationFile && !buildProgram.isSourceFileFromExternalLibrary(f))
        .map((f) => path.resolve(f.fileName)),
);

// Emit: bin/ gets the build's files (as `tsc -p tsconfig.build.json` writes them); the cache gets
// every file's JavaScript, with the SHA-1 of the source it came from. The build's files go first, and
// `--built <file>` is touched once they are written: `npm test` packs the package from bin/ while
// this program checks the rest (tsc, too, writes its output whatever the diagnostics).
fs.rmSync(BIN, { recursive: true, force: true });
fs.rmSync(CACHE, { recursive: true, force: true });
const manifest = {};
const emitDiagnostics = [];
function write(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
}
function emit(files) {
    for (const file of files) {
        if (file.isDeclarationFile || program.isSourceFileFromExternalLibrary(file)) {
            continue;
        }
        const emitted = program.emit(file, (fileName, text, _bom, _onError, sources) => {
            const source = sources?.[0]?.fileName;
            if (source && buildFiles.has(path.resolve(source))) {
                write(fileName, text);
            }
            if (source && (fileName.endsWith(".js") || fileName.endsWith(".js.map"))) {
                write(path.join(CACHE, path.relative(BIN, fileName)), text);
                if (fileName.endsWith(".js")) {
                    manifest[path.relative(ROOT, source)] = createHash("sha1").update(sources[0].text).digest("hex");
                }
            }
        });
        emitDiagnostics.push(...emitted.diagnostics);
    }
}
emit([...buildFiles].map((f) => program.getSourceFile(f)).filter((f) => f !== undefined));
const builtFlag = process.argv.indexOf("--built");
if (builtFlag >= 0 && process.argv[builtFlag + 1]) {
    fs.writeFileSync(process.argv[builtFlag + 1], "");
}

// Diagnostics in the order and with the rules of `tsc` (emitFilesAndReportErrors).
const diagnostics = [...program.getConfigFileParsingDiagnostics()];
const configDiagnostics = diagnostics.length;
diagnostics.push(...program.getSyntacticDiagnostics());
if (diagnostics.length === configDiagnostics) {
    diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    if (diagnostics.length === configDiagnostics) {
        diagnostics.push(...program.getSemanticDiagnostics());
    }
}

// The build has no mocha types: a build file that uses one of mocha's globals would not compile there.
const checker = program.getTypeChecker();
const mochaTypes = path.join(ROOT, "node_modules", "@types", "mocha") + path.sep;
const fromMocha = (symbol) => (symbol?.declarations ?? []).length > 0 && symbol.declarations.every((d) => d.getSourceFile().fileName.startsWith(mochaTypes));
for (const file of buildFiles) {
    const sourceFile = program.getSourceFile(file);
    const visit = (node) => {
        if (ts.isIdentifier(node) && fromMocha(checker.getSymbolAtLocation(node))) {
            diagnostics.push({
                category: ts.DiagnosticCategory.Error,
                code: 2304,
                file: sourceFile,
                start: node.getStart(sourceFile),
                length: node.getWidth(sourceFile),
                messageText: `Cannot find name '${node.text}' (tsconfig.build.json: types ["node"], no mocha).`,
            });
        }
        ts.forEachChild(node, visit);
    };
    if (sourceFile) {
        visit(sourceFile);
    }
}

// The other files' JavaScript, for the test run.
emit(program.getSourceFiles().filter((f) => !buildFiles.has(path.resolve(f.fileName))));
write(path.join(CACHE, "manifest.json"), JSON.stringify(manifest));

const all = ts.sortAndDeduplicateDiagnostics([...diagnostics, ...emitDiagnostics]);
if (all.length > 0) {
    report(all);
}
process.exit(all.length > 0 ? 1 : 0);
