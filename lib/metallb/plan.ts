import { z } from "zod";
import { issuesToProblems, Problem } from "../util/problems";
import { AddressPlan, addressPlanArgsShape, BgpBackend, checkAddressPlan, checkBackendSupport, checkPasswordPeers, planParsed } from "./schema";

/**
 * The address plan as the AddressPools component takes it: pools, L2 and BGP advertisements, checked
 * like the stack config (overlaps, references, BGP peer rules). Backend rules apply only when the
 * backend is known: without one nothing backend-specific is assumed (neither native nor frr-k8s).
 */
export function addressPlanArgsSchema(opts: { bgpBackend?: BgpBackend; passwordPeers?: readonly string[] } = {}) {
    return z.strictObject(addressPlanArgsShape).superRefine(
        (plan, ctx) => {
            checkAddressPlan(plan, ctx);
            if (opts.bgpBackend !== undefined) {
                checkBackendSupport(plan, opts.bgpBackend, ctx);
            }
            checkPasswordPeers(plan, opts.passwordPeers ?? [], ["bgpPasswords"], ctx);
        },
        { when: (payload) => planParsed(payload) },
    );
}
export type AddressPlanArgs = z.input<ReturnType<typeof addressPlanArgsSchema>>;

/** What an unknown argument key probably meant. */
export const ARG_HINTS: Readonly<Record<string, string>> = {
    password: "BGP passwords must not be given inline; pass them in args.bgpPasswords (Pulumi secrets, stored in basic-auth Secrets)",
};

export type PlanResult = { readonly ok: true; readonly plan: AddressPlan } | { readonly ok: false; readonly problems: readonly Problem[] };

/** Parses an address plan given to a component, reporting problems as `args.…`. */
export function parseAddressPlan(input: AddressPlanArgs, opts: { bgpBackend?: BgpBackend; passwordPeers?: readonly string[] } = {}): PlanResult {
    const schema = addressPlanArgsSchema(opts);
    const r = schema.safeParse(input, { reportInput: true });
    return r.success ? { ok: true, plan: r.data } : { ok: false, problems: issuesToProblems(r.error.issues, { schema, root: "args.", hints: ARG_HINTS }) };
}
