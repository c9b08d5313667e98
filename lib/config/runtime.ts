import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValue, NAMESPACES, parseStackConfig, RawConfig, StackConfig } from "./load";
import { ConfigError } from "./problems";

/**
 * Reads every key of this program's config namespaces from the Pulumi runtime, noting which are
 * secrets. Values are read in plain text only to validate them; index.ts wraps the secret ones
 * with pulumi.secret before they reach any resource.
 */
export function readRawConfig(): RawConfig {
    const all = pulumi.runtime.allConfig();
    const values: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    // isConfigSecret is exported by the SDK's runtime module but not declared in its typings.
    const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    for (const [key, text] of Object.entries(all)) {
        if (!NAMESPACES.some((ns) => key.startsWith(`${ns}:`))) {
            continue;
        }
        values[key] = decodeConfigValue(text);
        if (isSecret?.(key)) {
            secretKeys.add(key);
        }
    }
    return { values, secretKeys };
}

/** Validated stack config, or a RunError (message without a stack trace) listing every problem. */
export function loadStackConfig(): StackConfig {
    try {
        return parseStackConfig(readRawConfig());
    } catch (err) {
        if (err instanceof ConfigError) {
            throw new pulumi.RunError(err.message);
        }
        throw err;
    }
}
