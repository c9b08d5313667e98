import { Problem, tidyProblems } from "../util/problems";
import { asArgumentProblems, parseStackSettings, Section, SECTIONS, StackSettings } from "./settings";
import { closest } from "../util/problems";

/**
 * Where the whole-stack component's arguments came from. A stack program's config loader (this
 * repository's lib/config) tags the sections it hands over, so that the component's one validation
 * names config keys (`metallb:pools[0]`), adds the loader's own findings about the stack file (all
 * problems in one message), never shows a value the stack file holds as a secret, and keeps secret
 * any resource input that contains one. Arguments without a tag are named `args.metallb.pools[0]`.
 */
export interface ConfigSource {
    /** Problems with the stack file itself (unknown namespaces, plaintext secrets), reported together with the sections' own. */
    readonly problems: readonly Problem[];
    /** Config paths (`ns:key.sub`) whose value is a secret and must not appear in a message. */
    readonly hidden: (path: string) => boolean;
    /** Replaces every secret value and credential in a message. */
    readonly redact: (p: Problem) => Problem;
    /** Plain text of secrets in settings that take one outside the credential keys: whatever contains one stays secret. */
    readonly secretValues: readonly string[];
}

const CONFIG_SOURCE = Symbol.for("metallb-observability/config-source");

/** The arguments, tagged (non-enumerably: the sections stay the only keys) as coming from a stack config. */
export function withConfigSource<T extends object>(args: T, source: ConfigSource): T {
    Object.defineProperty(args, CONFIG_SOURCE, { value: source, enumerable: false });
    return args;
}

export function configSourceOf(args: unknown): ConfigSource | undefined {
    return typeof args === "object" && args !== null ? (args as { [CONFIG_SOURCE]?: ConfigSource })[CONFIG_SOURCE] : undefined;
}

export interface ValidatedStackArgs {
    /** The settings, when there is no problem. */
    readonly settings?: StackSettings;
    readonly problems: readonly Problem[];
    /** Valid but probably unintended settings, each naming its key. */
    readonly warnings: readonly Problem[];
    readonly secretValues: readonly string[];
    /** True when the arguments came from a stack config (problems name config keys). */
    readonly fromConfig: boolean;
}

/** The whole-stack component's one validation of its arguments (every problem at once). */
export function validateStackArgs(args: unknown): ValidatedStackArgs {
    const source = configSourceOf(args);
    const given = (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>;
    const problems: Problem[] = [...(source?.problems ?? [])];
    const warnings: Problem[] = [];
    for (const key of Object.keys(given)) {
        if (!(SECTIONS as string[]).includes(key)) {
            const guess = closest(key, SECTIONS);
            problems.push({
                path: `args.${key}`,
                message: `is not a section of the stack${guess ? `; did you mean ${guess}?` : ""} (sections: ${SECTIONS.join(", ")})`,
            });
        }
    }
    const sections = Object.fromEntries(SECTIONS.map((s) => [s, given[s]])) as Partial<Record<Section, unknown>>;
    const settings = parseStackSettings(sections, problems, warnings, source?.hidden);
    const redact = source?.redact ?? ((p: Problem) => p);
    const name = (ps: Problem[]) => (source ? tidyProblems(ps.map(redact)) : asArgumentProblems(ps.map(redact)));
    const out = name(problems);
    return {
        settings: out.length === 0 ? settings : undefined,
        problems: out,
        warnings: name(warnings),
        secretValues: source?.secretValues ?? [],
        fromConfig: source !== undefined,
    };
}
