/**
 * `tsc -p <tsconfig>` for several tsconfigs of one folder, in one process (tests/support/packConsumer.ts:
 * the consumer compiled with each of Pulumi's template tsconfigs). Each compile is its tsconfig exactly,
 * as tsc runs it (the same program, diagnostics, output text and exit status); what they share is
 * the parsed and bound files, as TypeScript's language service shares them between projects (the
 * ~370 .d.ts files of @pulumi/pulumi, its dependencies and @types/node): since the package's
 * declarations stopped loading all of @pulumi/kubernetes, each compile is about 8 CPU-seconds,
 * mostly checking, and the sharing saves well under one.
 *
 * A file is shared only when parsed with the same settings (language version, module format); and
 * only between tsconfigs that agree on every option that decides how a file parses or binds, but the
 * module settings (which decide a file's format, part of that key): otherwise each compile parses its own.
 *
 *   node -r ./tests/support/register.js tests/support/tscShared.ts <folder> <tsconfig>...
 *
 * prints a JSON list: for each tsconfig, tsc's exit status and output, and how many files of each
 * installed package its program read (what a consumer's compile pays for importing this package).
 */
import * as path from "path";
import ts from "typescript";

interface Internal {
    optionDeclarations: { name: string; affectsSourceFile?: boolean; affectsBindDiagnostics?: boolean }[];
    createDiagnosticReporter(system: ts.System, pretty?: boolean): ts.DiagnosticReporter;
    emitFilesAndReportErrorsAndGetExitStatus(
        program: ts.Program,
        reportDiagnostic: ts.DiagnosticReporter,
        write?: (s: string) => void,
        reportSummary?: (errorCount: number, filesInError: readonly (ts.ReportFileInError | undefined)[]) => void,
    ): ts.ExitStatus;
    getErrorSummaryText(errorCount: number, filesInError: readonly (ts.ReportFileInError | undefined)[], newLine: string, host: ts.System): string;
}
const internal = ts as unknown as Internal;

/** What a file's parse and bind depend on, besides its language version and module format (both in the share key). */
const PARSE_AND_BIND_OPTIONS = [
    ...internal.optionDeclarations.filter((o) => o.affectsSourceFile || o.affectsBindDiagnostics).map((o) => o.name),
    "strict",
    "alwaysStrict",
    "preserveConstEnums",
    "isolatedModules",
    "verbatimModuleSyntax",
    "allowJs",
    "checkJs",
].filter((name) => name !== "module" && name !== "moduleResolution");

export interface CompileResult {
    readonly tsconfig: string;
    readonly code: number;
    readonly output: string;
    /** Source files of the program per installed package (`node_modules/<name>/...`, the innermost). */
    readonly packageFiles: Record<string, number>;
}

function packageFiles(program: ts.Program): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const f of program.getSourceFiles()) {
        const name = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f.fileName)?.[1];
        if (name) {
            counts[name] = (counts[name] ?? 0) + 1;
        }
    }
    return counts;
}

export function compileAll(folder: string, tsconfigs: string[]): CompileResult[] {
    const shared = new Map<string, ts.SourceFile>();
    let sharedSettings: string | undefined;
    return tsconfigs.map((tsconfig) => {
        let output = "";
        // tsc's own system, writing into `output` (tsc -p writes to stdout).
        const system: ts.System = { ...ts.sys, getCurrentDirectory: () => folder, write: (s) => (output += s), writeOutputIsTTY: () => false };
        const parsed = ts.getParsedCommandLineOfConfigFile(path.join(folder, tsconfig), undefined, {
            ...system,
            onUnRecoverableConfigFileDiagnostic: (d) => internal.createDiagnosticReporter(system, true)(d),
        });
        if (!parsed) {
            return { tsconfig, code: ts.ExitStatus.DiagnosticsPresent_OutputsSkipped, output, packageFiles: {} };
        }
        const settings = JSON.stringify(PARSE_AND_BIND_OPTIONS.map((name) => [name, parsed.options[name]]));
        sharedSettings ??= settings;
        const host = ts.createCompilerHost(parsed.options);
        if (settings === sharedSettings) {
            const getSourceFile = host.getSourceFile;
            host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
                const o = typeof languageVersionOrOptions === "object" ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
                const key = [o.languageVersion, o.impliedNodeFormat, o.jsDocParsingMode, fileName].join("|");
                let file = shouldCreateNewSourceFile ? undefined : shared.get(key);
                if (!file) {
                    file = getSourceFile.call(host, fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
                    if (file) {
                        shared.set(key, file);
                    }
                }
                return file;
            };
        }
        const program = ts.createProgram({
            rootNames: parsed.fileNames,
            options: parsed.options,
            projectReferences: parsed.projectReferences,
            host,
            configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
        });
        // As `tsc -p` (executeCommandLine, performCompilation): pretty when the tsconfig says so.
        const pretty = parsed.options.pretty === true;
        const code = internal.emitFilesAndReportErrorsAndGetExitStatus(
            program,
            internal.createDiagnosticReporter(system, pretty),
            (s) => system.write(s + system.newLine),
            pretty ? (errorCount, filesInError) => system.write(internal.getErrorSummaryText(errorCount, filesInError, system.newLine, system)) : undefined,
        );
        return { tsconfig, code, output, packageFiles: packageFiles(program) };
    });
}

if (require.main === module) {
    const [folder, ...tsconfigs] = process.argv.slice(2);
    process.stdout.write(JSON.stringify(compileAll(path.resolve(folder), tsconfigs)));
}
