import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValue, NAMESPACES, parseStackConfig, RawConfig, StackArgs, StackConfig, stackArgs } from "./load";
import { ConfigError } from "../util/problems";
import { secureLeafPaths, stackFileKeys } from "./secrets";
import { parseYamlFile, StackFileError } from "./yamlFile";

/** Stack file the leaf-level secret check reads; set by the offline scripts, else found beside Pulumi.yaml. */
let stackFileOverride: string | undefined;

/** Makes the runtime read leaf-level secrecy from this stack file (the offline render and policy check). */
export function useStackFile(file: string | undefined): void {
    stackFileOverride = file;
}

/**
 * `Pulumi.<stack>.yaml` of the running stack: beside the project's Pulumi.yaml (the program's working
 * directory), under its `stackConfigDir` when set. Undefined when there is none (config from
 * Pulumi ESC or the Automation API): then only the runtime's top-level secret flags are checked.
 */
export function findStackFile(start: string, stack: string): string | undefined {
    // The program runs in the project directory; look upwards too, for a `main` in a subdirectory.
    let dir = path.resolve(start);
    let projectFile: string | undefined;
    for (;;) {
        projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
        if (projectFile || path.dirname(dir) === dir) {
            break;
        }
        dir = path.dirname(dir);
    }
    if (!projectFile) {
        return undefined;
    }
    const project = parseYamlFile(fs.readFileSync(projectFile, "utf8"), projectFile) as { stackConfigDir?: string };
    const configDir = path.resolve(dir, project.stackConfigDir ?? ".");
    return ["yaml", "yml"].map((ext) => path.join(configDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
}

/**
 * Reads every key of this program's config namespaces from the Pulumi runtime, noting which are
 * secrets and, from the stack file, which leaves are `secure:` values. Values are read in plain
 * text only to validate them; the loader hands secret ones out as secret Outputs only.
 */
export function readRawConfig(): RawConfig {
    const all = pulumi.runtime.allConfig();
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    // isConfigSecret is exported by the SDK's runtime module but not declared in its typings.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    for (const [key, text] of Object.entries(all)) {
        if (!NAMESPACES.some((ns) => key.startsWith(`${ns}:`))) {
            // Other namespaces (providers, or a misspelling of ours) matter only by their key.
            values[key] = null;
            continue;
        }
        values[key] = decodeConfigValue(text, key);
        if (isSecret?.(key)) {
            secretKeys.add(key);
        }
    }
    const stackFile = stackFileOverride ?? findStackFile(process.cwd(), pulumi.getStack());
    const text = stackFile ? fs.readFileSync(stackFile, "utf8") : undefined;
    const secureLeaves = text === undefined ? undefined : secureLeafPaths(text, pulumi.getProject(), stackFile);
    const fileKeys = text === undefined ? undefined : stackFileKeys(text, pulumi.getProject(), stackFile);
    return { values, secretKeys, secureLeaves, stackFileKeys: fileKeys };
}

/** Validated stack config, or a RunError (message without a stack trace) listing every problem. */
export function loadStackConfig(): StackConfig {
    try {
        return parseStackConfig(readRawConfig());
    } catch (err) {
        if (err instanceof ConfigError || err instanceof StackFileError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
}

/**
 * The stack config as the whole-stack component's arguments (index.ts). A broken stack file is
 * reported here (file, line, problem); everything else, together, by the component's validation.
 */
export function loadStackArgs(): StackArgs {
    try {
        return stackArgs(readRawConfig());
    } catch (err) {
        if (err instanceof StackFileError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
}
