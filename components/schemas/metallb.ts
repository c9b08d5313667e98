import { z } from "zod";
import { BgpBackend } from "../../lib/metallb/enums";
import { metallbChartVersion } from "../../lib/metallb/schema";
import { argsType, assertType, chartRepositoryUrl, enumOf, Equals, input, k8sLabelName, k8sName } from "../../lib/util/schema";
import type { MetalLbArgs } from "../argTypes";

/** MetalLb's arguments: the one definition of each (name, type, validation, doc); components/argTypes.ts is printed from it. */
export const metalLbArgs = argsType(
    "MetalLbArgs",
    undefined,
    z.strictObject({
        namespace: k8sLabelName
            .optional()
            .describe(
                "Namespace to install into; created with the privileged Pod Security labels unless\n`createNamespace` is false. Default `metallb-system`.",
            ),
        createNamespace: z.boolean().optional().describe("Create the namespace (default true). Set false when it is managed elsewhere."),
        releaseName: k8sLabelName.optional().describe("Helm release name; part of the pods' `app.kubernetes.io/instance` label. Default `metallb`."),
        chartVersion: input(metallbChartVersion).optional().describe("Exact chart version, 0.16.1 or later (default 0.16.1; never 0.16.0)."),
        chartRepository: input(chartRepositoryUrl).optional().describe("Chart repository (default https://metallb.github.io/metallb)."),
        bgpBackend: enumOf<BgpBackend>(BgpBackend)
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
