import { z } from "zod";
import { metallbChartFields } from "../../lib/metallb/schema";
import { argsType, assertType, Equals, input, k8sName } from "../../lib/util/schema";
import type { MetalLbArgs } from "../argTypes";

/** MetalLb's arguments: the one definition of each (name, type, validation, doc); components/argTypes.ts is printed from it. */
export const metalLbArgs = argsType(
    "MetalLbArgs",
    undefined,
    z.strictObject({
        namespace: metallbChartFields.namespace.optional(),
        createNamespace: z.boolean().optional().describe("Create the namespace (default true). Set false when it is managed elsewhere."),
        releaseName: metallbChartFields.releaseName.optional(),
        chartVersion: input(metallbChartFields.chartVersion).optional(),
        chartRepository: input(metallbChartFields.chartRepository).optional(),
        bgpBackend: metallbChartFields.bgpBackend
            .optional()
            .describe("BGP backend: `native` (speaker only; right for L2-only clusters) or `frr-k8s`. Default `native`."),
        metricsTlsSecret: k8sName
            .optional()
            .describe(
                "kubernetes.io/tls Secret in the namespace that controller, speakers and frr-k8s serve their\nmetrics with (default: self-signed). Pass the same as MetalLbMonitoring's `tls.secretName`.",
            ),
        values: z.record(z.string(), z.any()).optional().describe("Extra chart values, deep-merged over the component's (lists replace)."),
        waitForWebhook: z
            .boolean()
            .optional()
            .describe(
                "Hold the chart's dependents until MetalLB's admission webhook has its CA bundle and accepts\nconnections (default true: wait annotations and a readiness probe on the webhook port).\nThis uses a Pulumi transform, so it is skipped under the mock runtime (tests, offline render).",
            ),
    }),
);
assertType<Equals<z.input<typeof metalLbArgs>, MetalLbArgs>>();
