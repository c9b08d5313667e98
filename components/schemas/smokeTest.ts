import { z } from "zod";
import { isIpAddress } from "../../lib/metallb/addresses";
import { sourceRanges } from "../../lib/metallb/schema";
import { argsType, assertType, Equals, input, k8sLabelName, k8sName } from "../../lib/util/schema";
import type { SmokeTestArgs } from "../argTypes";

/** SmokeTest's arguments: the one definition of each; components/argTypes.ts is printed from it. */
export const smokeTestArgs = argsType(
    "SmokeTestArgs",
    undefined,
    z.strictObject({
        namespace: k8sLabelName.optional().describe("Namespace created for the echo workload. Default `metallb-smoke-test`."),
        pool: input(k8sName).optional().describe("IPAddressPool to take the address from (`metallb.io/address-pool`); unset lets MetalLB choose."),
        address: input(z.string().refine(isIpAddress, { error: "is not an IP address" }))
            .optional()
            .describe("A fixed address from a pool (`metallb.io/loadBalancerIPs`)."),
        replicas: z.number().int().min(1).max(10).optional().describe("Echo replicas (default 2, so an L2 failover can be observed)."),
        loadBalancerSourceRanges: sourceRanges.describe(
            "Client networks allowed to reach the Service (`spec.loadBalancerSourceRanges`, enforced by\nkube-proxy), as CIDRs: the network you test from, e.g. your office or lab LAN `192.168.1.0/24`.",
        ),
    }),
);
assertType<Equals<z.input<typeof smokeTestArgs>, SmokeTestArgs>>();
