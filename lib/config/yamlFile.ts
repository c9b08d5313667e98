import { parse, YAMLError } from "yaml";

/** A stack or project file that is not valid YAML (or is hostile): the message names file, line, column and the problem. */
export class StackFileError extends Error {}

/**
 * Most aliases one document may expand (the library's own default, stated): a "billion laughs"
 * document of nested aliases is refused instead of exhausting memory.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a Pulumi YAML file (stack or project). Any failure of the parser, including its
 * resource-exhaustion guard (which it raises as a ReferenceError), becomes a StackFileError with
 * the file and the problem, never a stack trace.
 */
export function parseYamlFile(text: string, file: string): unknown {
    try {
        return parse(text, { maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch (err) {
        if (err instanceof YAMLError) {
            const pos = err.linePos?.[0];
            const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
            // The library's message ends with a code excerpt after the first line; keep the problem only.
            const problem = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            throw new StackFileError(`${where}: ${problem}`);
        }
        if (err instanceof ReferenceError && /alias/i.test(err.message)) {
            throw new StackFileError(
                `${file}: too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions, a "billion laughs" document); write the values out instead of nesting aliases`,
            );
        }
        throw new StackFileError(`${file}: not a readable YAML file (${err instanceof Error ? err.message.split("\n")[0] : String(err)})`);
    }
}
