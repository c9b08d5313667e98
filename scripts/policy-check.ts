/**
 * Offline policy check: runs the program under the mock runtime with a stack's config and applies
 * the CrossGuard policy pack (policy/) to every resource it declares, without the Pulumi CLI.
 * `pulumi preview --policy-pack policy` does the same during a real preview.
 *
 *   npm run policy -- --stack prod
 */
import { POLICIES } from "../policy/policies";
import { violations } from "../policy/run";
import { redactSecrets } from "./render/outputs";
import { fail, parseFlags, runProgram } from "./offline";

const USAGE = "npm run policy -- --stack <name> [--stack-file <Pulumi.<name>.yaml>]";

async function main(): Promise<void> {
    const args = parseFlags(process.argv.slice(2), ["stack", "stack-file"], USAGE);
    if (!args.stack) {
        fail(`--stack is required\nusage: ${USAGE}`);
    }
    const resources = await runProgram(args.stack, args["stack-file"]);
    const found: string[] = [];
    for (const r of resources) {
        for (const policy of POLICIES) {
            for (const message of await violations(policy, { type: r.type, name: r.name, props: redactSecrets(r.inputs) as Record<string, unknown> })) {
                found.push(`[${policy.enforcementLevel}] ${policy.name}: ${r.type} ${r.name}: ${message}`);
            }
        }
    }
    if (found.length > 0) {
        fail(`${found.length} policy violation(s) in stack "${args.stack}":\n${found.join("\n")}`, 1);
    }
    process.stdout.write(`stack "${args.stack}": ${resources.length} resources pass ${POLICIES.length} policies\n`);
}

main().catch((err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err), 1));
