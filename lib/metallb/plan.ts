import { checkMetallb } from "../config/checks";
import { parseValues, tidyProblems } from "../config/load";
import { Problem } from "../config/problems";
import { AddressPlanInput, addressPlanSchema, BgpBackend } from "../config/schema";
import { AddressPlan } from "./objects";

export type PlanResult = { readonly ok: true; readonly plan: AddressPlan } | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Validates a component's address plan with the same schema and checks as the stack config
 * (overlaps, references, BGP peer rules, backend support), reporting paths as `args.…`, and fills
 * in the defaults.
 */
export function parseAddressPlan(input: AddressPlanInput, opts: { bgpBackend?: BgpBackend; passwordPeers?: readonly string[] } = {}): PlanResult {
    const problems: Problem[] = [];
    const values = input as unknown as Record<string, unknown>;
    const plan = parseValues(addressPlanSchema, "args.", values, problems);
    const raw = {
        ...values,
        bgpBackend: opts.bgpBackend,
        bgpPasswords: Object.fromEntries((opts.passwordPeers ?? []).map((p) => [p, "set"])),
    };
    // Passwords reach the component as Pulumi secrets; only their peer names are checked here.
    const checks = checkMetallb(raw).map((p) => {
        const path = p.path.replace(/^metallb:/, "args.");
        // The config hint (`pulumi config set --secret …`) does not apply to a component's arguments.
        const message = path.endsWith(".password")
            ? "BGP passwords must not be given inline; pass them in args.bgpPasswords (Pulumi secrets, stored in basic-auth Secrets)"
            : p.message.replace(/metallb:/g, "args.");
        return { path, message };
    });
    problems.push(...checks);
    return problems.length === 0 && plan ? { ok: true, plan } : { ok: false, problems: tidyProblems(problems) };
}
