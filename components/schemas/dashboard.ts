import { z } from "zod";
import { DashboardDelivery } from "../../lib/dashboard/enums";
import { dashboardFields } from "../../lib/dashboard/settings";
import { BgpBackend } from "../../lib/metallb/enums";
import { poolNamesInput } from "../../lib/metallb/schema";
import { labelName, selectorsSchema, usagePercent } from "../../lib/rules/settings";
import { argsType, assertType, credentialInput, enumOf, Equals, input, k8sLabelName } from "../../lib/util/schema";
import type { MetalLbDashboardArgs } from "../argTypes";

/** MetalLbDashboard's arguments: the one definition of each; components/argTypes.ts is printed from it. */
export const metalLbDashboardArgs = argsType(
    "MetalLbDashboardArgs",
    undefined,
    z.strictObject({
        metallbNamespace: input(k8sLabelName).describe("MetalLB's namespace (`MetalLb.namespace`); every query is scoped to it."),
        features: input(
            argsType(
                "DashboardFeaturesArgs",
                "What the MetalLB installation uses; the dashboard leaves out rows for the rest.",
                z.strictObject({
                    l2: z.boolean().describe("L2Advertisements are configured."),
                    bgp: z.boolean().describe("BGP peers are configured."),
                    bgpBackend: enumOf<BgpBackend>(BgpBackend).describe(
                        "BGP backend MetalLB uses (`MetalLb.bgpBackend`); the BGP panels read that backend's metrics.",
                    ),
                    bfd: z.boolean().describe("BFD profiles are configured (frr-k8s only)."),
                }),
            ),
        ).describe("What the installation uses (L2, BGP, backend, BFD; `AddressPools.features`); unused rows are left out."),
        warningPercent: input(usagePercent)
            .optional()
            .describe("Pool usage warning threshold in percent (default 80); the utilisation panels change colour there."),
        criticalPercent: input(usagePercent).optional().describe("Pool usage critical threshold in percent (default 95), above the warning one."),
        delivery: enumOf<DashboardDelivery>(DashboardDelivery)
            .optional()
            .describe(
                "`configmap` (default): a ConfigMap labelled `grafana_dashboard: \"1\"` for Grafana's sidecar\n(kube-prometheus-stack's Grafana watches every namespace); it survives Grafana restarts.\n`grafana-api`: a Folder and the Dashboard through the Grafana provider, for a Grafana elsewhere.",
            ),
        grafana: argsType(
            "GrafanaTargetArgs",
            "Grafana as reached from where `pulumi up` runs.",
            z.strictObject({
                url: input(z.url()).describe(
                    "Grafana's base URL as reached from where `pulumi up` runs: https, or http to a loopback address (a port-forward).",
                ),
                auth: credentialInput.describe('A Grafana service-account token (Editor role); never "user:password". Always handled as a secret.'),
                folder: dashboardFields.folder.optional(),
            }),
        )
            .optional()
            .describe("With grafana-api (required there, refused with configmap): where Grafana is and how to log in."),
        uid: dashboardFields.uid.optional(),
        folderUid: dashboardFields.folderUid.optional(),
        clusterLabel: input(labelName)
            .optional()
            .describe(
                "The rules' cluster label (`alerts:clusterLabel`) in a multi-cluster store: adds a `cluster`\nvariable and filters every query by it. Unset: single cluster, no variable.",
            ),
        runbookBaseUrl: input(z.url())
            .optional()
            .describe(
                "Base URL of the runbooks (`alerts:runbookBaseUrl`; default: this repository's `runbooks/`); the firing-alerts table links `<base>/<AlertName>.md`.",
            ),
        selectors: input(selectorsSchema)
            .optional()
            .describe(
                "Where the series are scraped (`alerts:selectors`, `MetalLbMonitoring`'s `alerts.selectors`): the panels read the same jobs as the rules.",
            ),
        excludePools: poolNamesInput
            .optional()
            .describe("Pools the pool panels leave out, as the alerts do: reserved (`AddressPools.reservedPools`) and `alerts:excludePools` ones."),
        configMapNamespace: input(k8sLabelName)
            .optional()
            .describe("With configmap: namespace the ConfigMap goes into (default `monitoring`; kube-prometheus-stack's sidecar watches all)."),
    }),
);
assertType<Equals<z.input<typeof metalLbDashboardArgs>, MetalLbDashboardArgs>>();
