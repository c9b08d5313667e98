/**
 * A TypeScript stack of another team: MetalLB with its whole monitoring stack, from the package.
 * The README shows this program; `npm test` compiles it against the packed package with both of
 * Pulumi's TypeScript template tsconfigs (tests/examples/pack.test.ts).
 *
 *   npm install metallb-observability@github:metallb-observability/metallb-observability
 */
import * as pulumi from "@pulumi/pulumi";
import { MetalLbObservability } from "metallb-observability";

const stack = new MetalLbObservability("metallb-observability", {
    metallb: { pools: [{ name: "default", addresses: ["192.168.1.240-192.168.1.250"] }], l2Advertisements: [{ name: "default" }] },
    monitoring: { grafanaAdminPassword: new pulumi.Config().requireSecret("grafanaAdminPassword") },
    alerts: { poolUsageWarningPercent: 75 },
});
export const prometheusUrl = stack.prometheusUrl;
