import * as pulumi from "@pulumi/pulumi";
import type { AddressPoolsArgs, AlertSettingsArgs, DashboardFeaturesArgs, MetalLbArgs, MonitoringStackArgs } from "../../components";
import { dashboardFeatures } from "../dashboard/panels";
import { bgpAdvertisedPools } from "../metallb/selection";
import { InstalledMonitoring } from "../monitoring/schema";
import { StackConfig } from "./load";

/**
 * Maps the parsed stack config to the components' arguments: the only place that knows both the
 * config's shape and the components'. Secrets arrive here already as secret Outputs.
 */

/** Where a Helm chart goes and which one: the same four settings for MetalLB and kube-prometheus-stack. */
function chartArgs(c: { namespace: string; releaseName: string; chartVersion: string; chartRepository: string }) {
    return { namespace: c.namespace, releaseName: c.releaseName, chartVersion: c.chartVersion, chartRepository: c.chartRepository };
}

export function metalLbArgs(c: StackConfig): MetalLbArgs {
    const m = c.metallb;
    return {
        ...chartArgs(m),
        bgpBackend: m.bgpBackend,
        // monitoring:metricsTls: the chart serves the metrics with the Secret the ServiceMonitors verify.
        metricsTlsSecret: c.monitoring.metricsTls?.secretName,
    };
}

export function addressPoolsArgs(c: StackConfig, namespace: pulumi.Input<string>): AddressPoolsArgs {
    const m = c.metallb;
    return {
        namespace,
        pools: m.pools.map((p) => ({ ...p, addresses: [...p.addresses] })),
        l2Advertisements: m.l2Advertisements,
        bgp: m.bgp,
        bgpBackend: m.bgpBackend,
        bgpPasswords: m.bgpPasswords,
    };
}

export function monitoringStackArgs(mon: InstalledMonitoring, alerts: StackConfig["alerts"]): MonitoringStackArgs {
    const g = mon.grafana;
    return {
        ...chartArgs(mon),
        nodeExporterNamespace: mon.nodeExporterNamespace,
        networkPolicies: mon.networkPolicies,
        prometheus: mon.prometheus,
        alertmanager: mon.alertmanager,
        grafana: {
            resources: g.resources,
            persistence: g.persistence,
            adminPassword: g.adminPassword,
            serviceType: g.service.type,
            pool: g.service.pool,
            address: g.service.address,
            loadBalancerSourceRanges: g.service.loadBalancerSourceRanges,
            ingress: g.ingress,
        },
        receivers: mon.receivers,
        controlPlane: mon.controlPlane,
        remoteWrite: mon.remoteWrite.map((t) => ({ ...t })),
        externalLabels: { ...mon.externalLabels },
        clusterLabel: alerts.clusterLabel,
    };
}

export function dashboardFeaturesOf(c: StackConfig): DashboardFeaturesArgs {
    return { ...dashboardFeatures(c.metallb), bgpBackend: c.metallb.bgpBackend };
}

export function alertSettingsArgs(c: StackConfig): AlertSettingsArgs {
    return { ...c.alerts, excludePools: [...c.alerts.excludePools], for: { ...c.alerts.for }, selectors: { ...c.alerts.selectors } };
}

export function bgpPoolsOf(c: StackConfig): string[] {
    return bgpAdvertisedPools(c.metallb.bgp.advertisements, c.metallb.pools);
}
