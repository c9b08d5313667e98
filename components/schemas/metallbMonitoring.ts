import { z } from "zod";
import { BgpBackend } from "../../lib/metallb/enums";
import { poolNamesInput } from "../../lib/metallb/schema";
import { metricsTlsSettings, serviceAccountRef } from "../../lib/monitoring/schema";
import { alertSettingsSchema } from "../../lib/rules/settings";
import { argsType, assertType, enumOf, Equals, input, k8sLabelName, promDuration } from "../../lib/util/schema";
import type { MetalLbMonitoringArgs } from "../argTypes";

const podSelector = input(z.record(z.string().min(1), z.string()).refine((m) => Object.keys(m).length > 0, { error: "needs at least one label" }));

/** MetalLbMonitoring's arguments: the one definition of each; components/argTypes.ts is printed from it. */
export const metalLbMonitoringArgs = argsType(
    "MetalLbMonitoringArgs",
    undefined,
    z.strictObject({
        namespace: input(k8sLabelName).describe("Namespace MetalLB runs in (`MetalLb.namespace`); Services, ServiceMonitors and the PrometheusRule go there."),
        releaseName: input(k8sLabelName)
            .optional()
            .describe("MetalLB's Helm release name (`MetalLb.releaseName`, default `metallb`): names the Services and DaemonSets."),
        bgpBackend: enumOf<BgpBackend>(BgpBackend).describe(
            "BGP backend MetalLB uses (`MetalLb.bgpBackend`); `frr-k8s` adds the frr-k8s pods' monitoring and alerts.",
        ),
        controllerSelector: podSelector
            .optional()
            .describe("Controller pod labels (default: what the chart sets for `releaseName`; pass `MetalLb.controllerSelector`)."),
        speakerSelector: podSelector.optional().describe("Speaker pod labels (default as above; pass `MetalLb.speakerSelector`)."),
        frrK8sSelector: podSelector
            .optional()
            .describe("frr-k8s pod labels, frr-k8s backend only: refused with `native` (default as above; pass `MetalLb.frrK8sSelector`)."),
        selectorLabels: input(
            z.record(z.string().min(1), input(z.string())).refine((m) => Object.keys(m).length > 0, {
                error: "needs at least one label: Prometheus selects ServiceMonitors and rules by them (e.g. {release: <kube-prometheus-stack release>})",
            }),
        ).describe("Labels Prometheus selects ServiceMonitors and PrometheusRules by (`MonitoringStack.selectorLabels`); at least one."),
        prometheusServiceAccount: input(serviceAccountRef).describe(
            "Prometheus' service account (`MonitoringStack.prometheusServiceAccount`): granted `get` on `/metrics`, which MetalLB authorises each scrape with.",
        ),
        tls: input(metricsTlsSettings)
            .optional()
            .describe("Verify MetalLB's metrics certificates with this CA (e.g. a cert-manager Certificate's Secret); default: accept its self-signed ones."),
        scrapeInterval: promDuration.optional().describe("Scrape interval of the MetalLB targets; default Prometheus' own."),
        alerts: input(alertSettingsSchema)
            .optional()
            .describe("Alert thresholds, durations and selectors, any subset at any depth (defaults: DEFAULT_ALERT_SETTINGS)."),
        bgpPools: poolNamesInput.optional().describe('Pools announced over BGP (`AddressPools.bgpPools`; enables the "announcing nothing" alert for them).'),
        reservedPools: poolNamesInput
            .optional()
            .describe("Pools reserved by design (`AddressPools.reservedPools`, autoAssign false): never alerted on as exhausted."),
    }),
);
assertType<Equals<z.input<typeof metalLbMonitoringArgs>, MetalLbMonitoringArgs>>();
