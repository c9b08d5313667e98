/**
 * Offline policy check: runs the program under the mock runtime with a stack's config and applies
 * the CrossGuard policy pack (policy/) to every resource it declares, without the Pulumi CLI.
 * `pulumi preview --policy-pack policy [--policy-pack-config <file>]` does the same during a real
 * preview; `--config` takes the same file (e.g. `{ "metallb-namespace-privileged":
 * { "metallbNamespace": "lb" } }`, see policy/config.example.json).
 *
 *   npm run policy -- --stack prod [--stack-file <path>] [--config <policy config JSON>]
 *
 * The namespaces come from the stack's config (metallb:namespace) unless --config names them.
 *
 * Exit codes: 0 every enabled policy checked at least one resource and no mandatory policy failed;
 * 1 mandatory violations, or an enabled policy checked nothing; 2 bad arguments or config.
 */
import * as fs from "fs";
import * as path from "path";
import { POLICIES } from "../policy/policies";
import { checkResources, PolicyPackConfig, resolvePolicies, verdict } from "../policy/run";
import { redactSecrets } from "./render/outputs";
import { readStackFile } from "./render/stackFile";
import { CommandIo, fail, parseFlags, ROOT, runAsProcess, runProgram } from "./offline";
import { METALLB_DEFAULTS } from "../lib/metallb/schema";

const USAGE = "npm run policy -- --stack <name> [--stack-file <Pulumi.<name>.yaml>] [--config <policy config JSON>]";

function readConfig(file: string | undefined): PolicyPackConfig {
    if (file === undefined) {
        return {};
    }
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
            throw new Error("expected a JSON object keyed by policy name");
        }
        return parsed as PolicyPackConfig;
    } catch (err) {
        return fail(`--config ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

/**
 * The namespaces the pack checks, from the stack's own config (metallb:namespace, default
 * metallb-system): every policy with a `metallbNamespace` setting gets it unless --config sets one.
 */
export function withStackNamespaces(config: PolicyPackConfig, stackConfig: Readonly<Record<string, string>>): PolicyPackConfig {
    const metallbNamespace = stackConfig["metallb:namespace"] ?? METALLB_DEFAULTS.namespace;
    const out: PolicyPackConfig = { ...config };
    for (const policy of POLICIES) {
        const props = (policy.configSchema?.properties ?? {}) as Record<string, unknown>;
        if (!("metallbNamespace" in props)) {
            continue;
        }
        const entry = out[policy.name];
        if (entry === undefined || typeof entry === "string") {
            out[policy.name] = { ...(entry === undefined ? {} : { enforcementLevel: entry }), metallbNamespace };
        } else if (typeof entry === "object" && entry !== null && !("metallbNamespace" in entry)) {
            out[policy.name] = { ...(entry as object), metallbNamespace };
        }
    }
    return out;
}

/** The command (`npm run policy -- <argv>`), writing through `io`. */
export async function policyCheck(argv: string[], io: CommandIo): Promise<void> {
    const args = parseFlags(argv, ["stack", "stack-file", "config"], USAGE);
    if (!args.stack) {
        fail(`--stack is required\nusage: ${USAGE}`);
    }
    const stackPath = args["stack-file"] ? path.resolve(args["stack-file"]) : path.join(ROOT, `Pulumi.${args.stack}.yaml`);
    const stackConfig = fs.existsSync(stackPath) ? readStackFile(fs.readFileSync(stackPath, "utf8"), "metallb-observability", stackPath).config : {};
    let policies: ReturnType<typeof resolvePolicies>;
    try {
        policies = resolvePolicies(POLICIES, withStackNamespaces(readConfig(args.config), stackConfig));
    } catch (err) {
        return fail(err instanceof Error ? err.message : String(err));
    }
    if (policies.every((p) => p.enforcementLevel === "disabled")) {
        fail(`stack "${args.stack}": nothing checked: every policy is disabled; this is not a pass`, 1);
    }
    const recorded = await runProgram(args.stack, args["stack-file"]);
    const resources = recorded.map((r) => ({ type: r.type, name: r.name, props: redactSecrets(r.inputs) as Record<string, unknown> }));
    const report = await checkResources(policies, resources);
    const summary = `stack "${args.stack}": ${resources.length} resources, ${policies.filter((p) => p.enforcementLevel !== "disabled").length} enabled policies`;
    io.out(`${summary}\n${report.lines.join("\n")}\n`);
    const { ok, line } = verdict(args.stack, report, resources.length);
    if (!ok) {
        fail(line, 1);
    }
    io.out(`${line}\n`);
}

if (require.main === module) {
    runAsProcess(policyCheck);
}
