import { z } from "zod";
import { BgpBackend } from "../../lib/metallb/enums";
import { addressPlanArgsShape, checkAddressPlan, checkBackendSupport, checkPasswordPeers, planParsed } from "../../lib/metallb/schema";
import { argsType, assertType, credentialInput, enumOf, Equals, input, isEventual, k8sLabelName } from "../../lib/util/schema";
import type { AddressPoolsArgs } from "../argTypes";

const PLAN_KEYS = new Set(["pools", "l2Advertisements", "bgp", "bgpBackend", "bgpPasswords"]);

/** AddressPools' arguments: the one definition of each; components/argTypes.ts is printed from it. */
export const addressPoolsArgs = argsType(
    "AddressPoolsArgs",
    undefined,
    z
        .strictObject({
            namespace: input(k8sLabelName).describe("Namespace MetalLB runs in (`MetalLb.namespace`): its webhook rejects MetalLB objects anywhere else."),
            ...addressPlanArgsShape,
            bgpBackend: input(enumOf<BgpBackend>(BgpBackend))
                .optional()
                .describe(
                    "MetalLB's BGP backend (`MetalLb.bgpBackend`), to refuse what it does not support (BFD, VRFs...\nwith `native`) before MetalLB's webhook would (when it is an Output: when it resolves), and\nfor `features`. Unset: no backend-specific checks at all.",
                ),
            bgpPasswords: z
                .record(z.string(), credentialInput)
                .optional()
                .describe(
                    "BGP session passwords by peer name. Stored in `kubernetes.io/basic-auth` Secrets referenced\nby the peers' `passwordSecret`; always handled as Pulumi secrets.",
                ),
        })
        .superRefine(
            (a, ctx) => {
                checkAddressPlan(a, ctx);
                // Without a backend nothing backend-specific is assumed (neither native nor frr-k8s rules);
                // one known only at deployment is checked when it resolves (components/addressPools.ts).
                if (a.bgpBackend !== undefined && !isEventual(a.bgpBackend)) {
                    checkBackendSupport(a, a.bgpBackend as BgpBackend, ctx);
                }
                checkPasswordPeers(a, Object.keys(a.bgpPasswords ?? {}), ["bgpPasswords"], ctx);
            },
            { when: (payload) => planParsed(payload, PLAN_KEYS) },
        ),
);
assertType<Equals<z.input<typeof addressPoolsArgs>, AddressPoolsArgs>>();
