/**
 * Runs this Pulumi program under Pulumi's mock runtime with a stack's config: no CLI, no cluster,
 * no secrets passphrase (encrypted values become placeholders). Used by the offline render and the
 * offline policy check, which are commands ({@link runCommand}: `npm run render`, `npm run policy`)
 * and functions the tests call in their own process (the program runs again on each call).
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { mockState } from "./render/mockState";
import { RecordedResource } from "./render/outputs";
import { readStackFile, StackFileError } from "./render/stackFile";
import { useStackFile } from "../lib/config/runtime";

export const ROOT = path.resolve(__dirname, "..");

/** How a command ends early: its message (standard error) and exit status. */
export class CommandExit extends Error {
    constructor(
        message: string,
        readonly code: number,
    ) {
        super(message);
    }
}

/** Ends the command with a message and an exit status (2: bad arguments or config). */
export function fail(message: string, code = 2): never {
    throw new CommandExit(message, code);
}

/** Where a command writes. */
export interface CommandIo {
    out(text: string): void;
    err(text: string): void;
}

/** A command's body: writes through `io`, ends early through {@link fail}. */
export type Command = (argv: string[], io: CommandIo) => Promise<void>;

/**
 * Runs a command and returns its exit status: 0 when it returns; a {@link fail}'s status and
 * message; 2 and the message for a broken stack file (the user's mistake: file, line and problem,
 * no stack trace); 1 and the stack for anything else.
 */
export async function runCommand(command: Command, argv: string[], io: CommandIo): Promise<number> {
    try {
        await command(argv, io);
        return 0;
    } catch (err) {
        const [message, code] =
            err instanceof CommandExit
                ? [err.message, err.code]
                : err instanceof StackFileError
                  ? [err.message, 2]
                  : [err instanceof Error ? (err.stack ?? err.message) : String(err), 1];
        io.err(`${message}\n`);
        return code;
    }
}

/** Runs a command as the process (`node scripts/<command>.ts ...`): its arguments, standard output and error, exit status. */
export function runAsProcess(command: Command): void {
    const io: CommandIo = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };
    void runCommand(command, process.argv.slice(2), io).then((code) => {
        if (code !== 0) {
            process.exit(code);
        }
    });
}

/** `--name value` pairs; every name must be in `known`. */
export function parseFlags(argv: string[], known: string[], usage: string): Record<string, string> {
    const args: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const name = argv[i].replace(/^--/, "");
        if (!argv[i].startsWith("--") || !known.includes(name) || argv[i + 1] === undefined) {
            fail(`unexpected argument "${argv[i]}"\nusage: ${usage}`);
        }
        args[name] = argv[i + 1];
    }
    return args;
}

/** What a run of the program registered, and its module's exports (the stack outputs). */
export interface ProgramRun {
    readonly recorded: RecordedResource[];
    readonly outputs: Record<string, unknown>;
}

/**
 * Runs the program under mocks with config as the Pulumi CLI hands it over (fully-qualified keys,
 * every value a string, the encrypted keys listed in `secretKeys`, their values decrypted), the
 * leaf-level secrets read from `stackFile` ("": none), and returns what it registered; fails with
 * status 1 when the program refuses its config. Each call runs the program afresh (it runs when its
 * module loads), with this call's mocks and config, which stay installed afterwards.
 */
export async function runProgramWith(
    project: string,
    stack: string,
    config: Record<string, string>,
    secretKeys: readonly string[],
    stackFile: string,
): Promise<ProgramRun> {
    const recorded: RecordedResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
            },
            call: (args) => args.inputs,
        },
        project,
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(config, [...secretKeys]);
    // Every leaf of a secret key is checked against the stack file's `secure:` values.
    useStackFile(stackFile);
    let outputs: Record<string, unknown> = {};
    try {
        // A program that ran before in this process runs again: its module is loaded anew.
        delete require.cache[require.resolve("../index")];
        // biome-ignore lint/style/noCommonJs: the program runs when loaded, after the mocks are installed
        outputs = require("../index");
    } catch (err) {
        fail(err instanceof Error ? err.message : String(err), 1);
    }
    // Let every registration reach the mock monitor.
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
    return { recorded, outputs };
}

/** Registers every resource of the program for a stack file's config and returns them (see {@link runProgramWith}). */
export async function runProgram(stack: string, stackFile?: string): Promise<RecordedResource[]> {
    const project = (parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const stackPath = stackFile ? path.resolve(stackFile) : path.join(ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        fail(`no stack file ${path.relative(process.cwd(), stackPath)}`);
    }
    const { config, secretKeys } = readStackFile(fs.readFileSync(stackPath, "utf8"), project, path.relative(process.cwd(), stackPath));
    return (await runProgramWith(project, stack, config, secretKeys, stackPath)).recorded;
}
