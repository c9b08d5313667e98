import { MONITORING_SECRET_STRINGS } from "../monitoring/schema";
import { SECRET_KEYS, SECTION_SCHEMAS, StackSettings, isUnder } from "../stack/settings";
import { validateStackArgs, withConfigSource } from "../stack/source";
import { closest, ConfigError, keysAt, Problem } from "../util/problems";
import { credentialInText, urlHostname } from "../util/credentials";
import { configPath, matchesPattern, plaintextSecretProblems, SECRET_CAPABLE, secretLeaves, stringLeaves } from "./secrets";
import type { MetalLbObservabilityArgs } from "../../components/metallbObservability";

export { SECRET_KEYS };

/**
 * The stack program's config loader: reads the stack config and hands its sections to the
 * whole-stack component (components/metallbObservability.ts), which validates them with the
 * sections' schemas (lib/stack). The loader keeps only what is about the stack file itself: secret
 * flags, the file's positions, unknown namespaces and did-you-mean. Only index.ts and the scripts
 * import lib/config.
 */

/**
 * The stack configuration as handed to the program: fully-qualified keys (`metallb:pools`) with
 * values already decoded from their JSON form, and the keys Pulumi holds as secrets.
 */
export interface RawConfig {
    readonly values: Readonly<Record<string, unknown>>;
    readonly secretKeys: ReadonlySet<string>;
    /**
     * Config paths of the `secure:` leaves of the stack file, when the config comes from one. With
     * it every leaf of a secret key is checked on its own; without it only the top-level flag.
     */
    readonly secureLeaves?: ReadonlySet<string>;
    /** The keys the stack file itself sets (with `secureLeaves`); other keys are checked by the runtime's flag. */
    readonly stackFileKeys?: ReadonlySet<string>;
}

/** Typed, validated configuration of a stack. Every secret is a secret `Output`. */
export interface StackConfig extends StackSettings {
    /** Valid but probably unintended settings, each naming its key; the whole-stack component logs them at preview. */
    readonly warnings: readonly Problem[];
    /**
     * Plain text of the secrets held by settings outside SECRET_KEYS (SECRET_CAPABLE): every resource
     * input and stack output that contains one must be a secret (lib/util/keepSecrets.ts).
     */
    readonly secretValues: readonly string[];
}

const SCHEMAS = SECTION_SCHEMAS;

/** The whole-stack component's arguments, one section per config namespace. */
export type StackArgs = MetalLbObservabilityArgs;

/** Configuration namespaces this program owns; keys of other namespaces (providers) are left alone. */
export const NAMESPACES = Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[];

/** Secret keys holding one string (not a structure): never decoded as JSON numbers. */
const STRING_SECRET_KEYS: ReadonlySet<string> = new Set(MONITORING_SECRET_STRINGS.map((k) => `monitoring:${k}`));

/** The project's own name: `pulumi config set pools ...` without a namespace lands there. */
const PROJECT = "metallb-observability";

/** Gathers the `ns:` keys of the raw config into one object keyed by the short key. */
export function section(raw: RawConfig, ns: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw.values)) {
        if (key.startsWith(`${ns}:`)) {
            out[key.slice(ns.length + 1)] = value;
        }
    }
    return out;
}

/**
 * Keys in a namespace that looks like a misspelling of ours (`alert:`, `Metallb:`, `monitor:`, or
 * the project's own name): refused with a suggestion. Provider namespaces are not looked at.
 */
export function misspeltNamespaces(keys: readonly string[]): Problem[] {
    const out: Problem[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const ns = key.slice(0, colon);
        const short = key.slice(colon + 1);
        if (colon < 0 || (NAMESPACES as string[]).includes(ns)) {
            continue;
        }
        const owner = NAMESPACES.find((n) => keysAt(SCHEMAS[n], []).includes(short));
        const guess = ns === PROJECT ? (owner ?? closest(ns, NAMESPACES)) : closest(ns, NAMESPACES);
        if (guess) {
            out.push({
                path: key,
                message: `unknown config namespace "${ns}"; did you mean ${guess}:${short}? (this program reads ${NAMESPACES.map((n) => `${n}:`).join(", ")})`,
            });
        }
    }
    return out;
}

/**
 * The stack config as the whole-stack component's arguments: one section per namespace, tagged with
 * what only the loader knows (lib/stack/source.ts): its findings about the stack file itself
 * (misspelt namespaces, plaintext secrets, secrets where none can stay secret), which values are
 * secrets, and how to keep them out of messages. The sections are validated once, by the component.
 */
export function stackArgs(raw: RawConfig): StackArgs {
    const problems: Problem[] = [...misspeltNamespaces(Object.keys(raw.values))];
    problems.push(...plaintextSecretProblems(raw.values, raw.secretKeys, raw.secureLeaves, SECRET_KEYS, raw.stackFileKeys));
    const own = Object.fromEntries(Object.entries(raw.values).filter(([k]) => NAMESPACES.some((ns) => k.startsWith(`${ns}:`))));
    const secrets = secretLeaves(own, raw.secretKeys, raw.secureLeaves, raw.stackFileKeys);
    const secretPaths = new Set(secrets.map((s) => s.path));
    problems.push(...secretPlacementProblems(own, secrets));
    const sections = Object.fromEntries(NAMESPACES.map((ns) => [ns, section(raw, ns)])) as StackArgs;
    return withConfigSource(sections, {
        problems,
        hidden: (p) => [...secretPaths].some((s) => isUnder(s, p) || isUnder(p, s)),
        // Last line of defence: no message shows a secret's value or a credential, whatever check wrote it.
        redact: redactor(own, secrets),
        secretValues: secrets.filter((s) => !SECRET_KEYS.some((k) => isUnder(s.path, k)) && typeof s.value === "string").map((s) => s.value as string),
    });
}

/**
 * Validates the whole stack configuration the way the whole-stack component does, and returns it
 * typed, or throws a ConfigError that lists every problem found (key path, what is wrong, what
 * would be valid). For the offline tools and the tests; the program hands `stackArgs` to the component.
 */
export function parseStackConfig(raw: RawConfig): StackConfig {
    const r = validateStackArgs(stackArgs(raw));
    if (!r.settings) {
        throw new ConfigError([...r.problems]);
    }
    return { ...r.settings, warnings: r.warnings, secretValues: r.secretValues };
}

/**
 * Secrets outside the designated keys, and credentials outside secrets: a secret may sit only in a
 * SECRET_CAPABLE setting (it flows as a secret from there); a credential in a URL of a plain setting
 * is refused with the command that encrypts it. Neither message shows the value.
 */
function secretPlacementProblems(own: Record<string, unknown>, secrets: readonly { path: string; value: unknown }[]): Problem[] {
    const out: Problem[] = [];
    const designated = (p: string) => SECRET_KEYS.some((k) => isUnder(p, k));
    const capable = (p: string) => SECRET_CAPABLE.some((pattern) => matchesPattern(p, pattern));
    const secretPaths = new Set(secrets.map((s) => s.path));
    for (const s of secrets) {
        if (designated(s.path) || (capable(s.path) && typeof s.value === "string")) {
            continue;
        }
        out.push({
            path: s.path,
            message: `holds a secret (an encrypted value, or part of one), but this setting decides what is created (a name, namespace, address or structure) and cannot stay secret: set it in plain text, and encrypt only the values that may be secrets, one by one (pulumi config set --secret --path; see "Secrets" in docs/configuration.md)`,
        });
    }
    for (const [key, value] of Object.entries(own)) {
        if (designated(key)) {
            continue;
        }
        for (const leaf of stringLeaves(value)) {
            const p = configPath(key, leaf.at);
            const what = secretPaths.has(p) ? undefined : credentialInText(leaf.value);
            if (what) {
                out.push({
                    path: p,
                    message: capable(p)
                        ? `holds ${what} in plain text (it would sit in git, the state and the logs); encrypt it with: pulumi config set --secret --path '${p}' <value>`
                        : `holds ${what}; this setting cannot hold a secret: remove the credential`,
                });
            }
        }
    }
    return out;
}

/** A problem with every secret value and every credential-bearing string of the config replaced by [secret]. */
function redactor(own: Record<string, unknown>, secrets: readonly { value: unknown }[]): (p: Problem) => Problem {
    const hide = new Set<string>();
    for (const s of secrets) {
        for (const leaf of typeof s.value === "string" ? [s.value] : stringLeaves(s.value).map((l) => l.value)) {
            // The value, and the host of a URL (messages about a URL name its host).
            for (const part of [leaf, urlHostname(leaf) ?? ""]) {
                if (part.length >= 3) {
                    hide.add(part);
                }
            }
        }
    }
    for (const value of Object.values(own)) {
        for (const leaf of stringLeaves(value)) {
            if (credentialInText(leaf.value)) {
                hide.add(leaf.value);
                for (const m of leaf.value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)) {
                    hide.add(m[0]);
                }
            }
        }
    }
    const longestFirst = [...hide].sort((a, b) => b.length - a.length);
    return (p) => ({ path: p.path, message: longestFirst.reduce((m, v) => m.split(v).join("[secret]"), p.message) });
}

/**
 * Decodes a config value as Pulumi hands it to the program (always a string): structured values
 * and booleans/numbers arrive as JSON, plain strings as they are. Secret strings stay strings.
 */
export function decodeConfigValue(text: string, key?: string): unknown {
    if (key !== undefined && STRING_SECRET_KEYS.has(key)) {
        return text;
    }
    const t = text.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false" || /^-?\d+(\.\d+)?$/.test(t)) {
        try {
            return JSON.parse(t);
        } catch {
            return text;
        }
    }
    return text;
}
