import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { InstalledMonitoring } from "../lib/monitoring/schema";
import type { AlertSettings } from "../lib/rules/settings";
import { StackSettings } from "../lib/stack/settings";
import { validateStackArgs } from "../lib/stack/source";
import { keepSecrets } from "../lib/util/keepSecrets";
import { formatProblems } from "../lib/util/problems";
import { AddressPools } from "./addressPools";
import { componentType, validatedArgs } from "./args";
import { DashboardDelivery, MetalLbDashboard } from "./dashboard";
import { MetalLb } from "./metallb";
import { MetalLbMonitoring } from "./metallbMonitoring";
import { MonitoringStack } from "./monitoringStack";
import { addressPoolsArgs } from "./schemas/addressPools";
import { metalLbDashboardArgs } from "./schemas/dashboard";
import { metalLbArgs } from "./schemas/metallb";
import { metalLbMonitoringArgs } from "./schemas/metallbMonitoring";
import { monitoringStackArgs } from "./schemas/monitoringStack";
import { smokeTestArgs } from "./schemas/smokeTest";
import type { SmokeTest as SmokeTestClass } from "./smokeTest";

/**
 * The whole stack's settings, one section per concern. Each section takes exactly the keys of the
 * stack config namespace of the same name (docs/configuration.md): a stack program passes its
 * `metallb:`, `monitoring:`, `alerts:` and `dashboard:` config as they are. Unset sections take
 * their defaults (the MetalLB section needs at least `pools`). Credentials (`metallb.bgpPasswords`,
 * `monitoring.grafanaAdminPassword`, ...) may be plain strings or Outputs; they are handled as secrets.
 */
export interface MetalLbObservabilityArgs {
    /**
     * MetalLB: chart (`chartVersion`, `chartRepository`, `namespace`, `releaseName`), `bgpBackend`,
     * the address plan (`pools`, `l2Advertisements`, `bgp`), `bgpPasswords` (secrets),
     * `poolPrefixLimit` and the `smokeTest` echo Service. Keys of the `metallb:` stack config.
     */
    // biome-ignore lint/suspicious/noExplicitAny: a stack-config section (an object of its keys): the schema analyzer maps `any` to the package schema's Any
    metallb?: { [key: string]: any };
    /**
     * Monitoring: install kube-prometheus-stack (`install`, default true, with `prometheus`,
     * `alertmanager`, `grafana`, `receivers`, `remoteWrite`, ... and their secrets) or use the one
     * in `existing`; `metricsTls`. Keys of the `monitoring:` stack config.
     */
    // biome-ignore lint/suspicious/noExplicitAny: a stack-config section (an object of its keys): the schema analyzer maps `any` to the package schema's Any
    monitoring?: { [key: string]: any };
    /**
     * Alert thresholds, durations, selectors, `clusterLabel`, `excludePools` and `runbookBaseUrl`,
     * shared by the rules, the dashboard and Alertmanager. Keys of the `alerts:` stack config.
     */
    // biome-ignore lint/suspicious/noExplicitAny: a stack-config section (an object of its keys): the schema analyzer maps `any` to the package schema's Any
    alerts?: { [key: string]: any };
    /** Dashboard delivery (`delivery`: configmap, grafana-api or none), `uid`, `folder`, `folderUid`. Keys of the `dashboard:` stack config. */
    // biome-ignore lint/suspicious/noExplicitAny: a stack-config section (an object of its keys): the schema analyzer maps `any` to the package schema's Any
    dashboard?: { [key: string]: any };
}

const TYPE = componentType("MetalLbObservability", "metallb-observability:stack:MetalLbObservability");

/**
 * Names the parts had as the stack's own top-level resources before the whole-stack component
 * (0.1.0): each part is aliased to its old name at the stack's root, and the children follow
 * (Pulumi derives a child's alias from its parent's when the child's name starts with the
 * parent's), so an existing stack moves into the component without replacing anything.
 */
const PART_NAMES_BEFORE = {
    metallb: "metallb",
    addressPools: "address-pools",
    monitoring: "monitoring",
    metallbMonitoring: "metallb-monitoring",
    dashboard: "metallb-dashboard",
    smokeTest: "smoke-test",
} as const;

/**
 * MetalLB with its whole monitoring stack: MetalLb, AddressPools, MonitoringStack (or an existing
 * kube-prometheus-stack), MetalLbMonitoring, MetalLbDashboard and, when enabled, SmokeTest, wired
 * as they must be: reserved and BGP pools from the address plan reach the rules and the dashboard,
 * one set of alert settings reaches the rules, the dashboard and Alertmanager, and the dashboard
 * goes to the Grafana the stack installs (or the existing one). The arguments are validated once,
 * all problems in one message, before anything is created.
 */
export class MetalLbObservability extends pulumi.ComponentResource {
    /** Namespace MetalLB runs in. */
    public readonly metallbNamespace: pulumi.Output<string>;
    /** MetalLB's Helm release name. */
    public readonly metallbRelease: pulumi.Output<string>;
    /** MetalLB's BGP backend (`native` or `frr-k8s`). */
    public readonly bgpBackend: pulumi.Output<string>;
    /** Names of the IPAddressPools. */
    public readonly addressPoolNames: pulumi.Output<string[]>;
    /** Pools reserved by design (`autoAssign: false`): left out of the pool alerts and panels. */
    public readonly reservedPools: pulumi.Output<string[]>;
    /** Names of the alerts the PrometheusRule defines. */
    public readonly alertNames: pulumi.Output<string[]>;
    /** Labels the Prometheus selects ServiceMonitors and rules by. */
    public readonly monitoringSelectorLabels: pulumi.Output<{ [key: string]: string }>;
    /** Prometheus' in-cluster URL. */
    public readonly prometheusUrl: pulumi.Output<string>;
    /** Alertmanager's in-cluster URL (unset for an existing stack that names none). */
    public readonly alertmanagerUrl: pulumi.Output<string | undefined>;
    /** Grafana's URL (in-cluster, its ingress or its LoadBalancer address); unset when unknown. */
    public readonly grafanaUrl: pulumi.Output<string | undefined>;
    /** The installed Grafana's admin password (secret); unset with an existing stack. */
    public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
    /** The dashboard's uid; unset with `dashboard.delivery: none`. */
    public readonly dashboardUid: pulumi.Output<string | undefined>;
    /** The dashboard's URL in Grafana, when Grafana's URL is known. */
    public readonly dashboardUrl: pulumi.Output<string | undefined>;
    /** Address MetalLB gave the smoke-test Service (with `metallb.smokeTest.enabled`). */
    public readonly smokeTestAddress: pulumi.Output<string | undefined>;

    constructor(name: string, args: MetalLbObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = validateStackArgs(args);
        if (!checked.settings) {
            throw new pulumi.RunError(
                formatProblems(checked.problems, checked.fromConfig ? "stack configuration" : `arguments of MetalLbObservability "${name}"`),
            );
        }
        for (const w of checked.warnings) {
            pulumi.log.warn(`${w.path}: ${w.message}`);
        }
        const s: StackSettings = checked.settings;
        // Secrets in settings that may hold one outside the credential keys (e.g. an encrypted Grafana
        // URL) stay secrets in every child's inputs and in the outputs.
        const keep = keepSecrets(checked.secretValues);
        super(TYPE.type, name, {}, TYPE.opts({ ...opts, transformations: [...(opts?.transformations ?? []), ...keep.opts.transformations] }));
        const part = (key: keyof typeof PART_NAMES_BEFORE, dependsOn: pulumi.Resource[] = []): pulumi.ComponentResourceOptions => ({
            parent: this,
            dependsOn,
            aliases: [{ name: PART_NAMES_BEFORE[key], parent: pulumi.rootStackResource }],
        });
        const { metallb: lb, monitoring: mon, alerts, dashboard } = s;

        // Each part takes its arguments as built here from the validated settings (validated once).
        const metallb = new MetalLb(
            `${name}-metallb`,
            validatedArgs(metalLbArgs, {
                namespace: lb.namespace,
                releaseName: lb.releaseName,
                chartVersion: lb.chartVersion,
                chartRepository: lb.chartRepository,
                bgpBackend: lb.bgpBackend,
                // monitoring.metricsTls: the chart serves the metrics with the Secret the ServiceMonitors verify.
                metricsTlsSecret: mon.metricsTls?.secretName,
            }),
            part("metallb"),
        );
        const addressPools = new AddressPools(
            `${name}-address-pools`,
            validatedArgs(addressPoolsArgs, {
                namespace: metallb.namespace,
                pools: lb.pools.map((p) => ({ ...p, addresses: [...p.addresses] })),
                l2Advertisements: lb.l2Advertisements,
                bgp: lb.bgp,
                bgpBackend: lb.bgpBackend,
                bgpPasswords: lb.bgpPasswords,
            }),
            part("addressPools", [metallb]),
        );

        const target = monitoringTarget(
            mon.install
                ? // Grafana's LoadBalancer Service (when asked for) takes its address from a MetalLB pool.
                  new MonitoringStack(
                      `${name}-monitoring`,
                      validatedArgs(monitoringStackArgs, monitoringStackSettings(mon, alerts)),
                      part("monitoring", [addressPools]),
                  )
                : undefined,
            s,
        );
        const waitForStack = target.stack ? [target.stack] : [];

        const metallbMonitoring = new MetalLbMonitoring(
            `${name}-metallb-monitoring`,
            validatedArgs(metalLbMonitoringArgs, {
                namespace: metallb.namespace,
                releaseName: metallb.releaseName,
                bgpBackend: metallb.bgpBackend,
                controllerSelector: metallb.controllerSelector,
                speakerSelector: metallb.speakerSelector,
                frrK8sSelector: metallb.frrK8sSelector,
                selectorLabels: target.selectorLabels,
                prometheusServiceAccount: target.prometheusServiceAccount,
                tls: mon.metricsTls,
                alerts: { ...alerts, excludePools: [...alerts.excludePools], for: { ...alerts.for }, selectors: { ...alerts.selectors } },
                // What the address plan says, from the part that owns it.
                bgpPools: addressPools.bgpPools,
                reservedPools: addressPools.reservedPools,
            }),
            part("metallbMonitoring", [metallb, ...waitForStack]),
        );

        // The dashboard goes to Grafana's sidecar as a ConfigMap, or (existing Grafana only) through
        // its API with a service-account token; the settings' checks guarantee the URL and the token.
        const common = {
            metallbNamespace: metallb.namespace,
            features: addressPools.features,
            warningPercent: alerts.poolUsageWarningPercent,
            criticalPercent: alerts.poolUsageCriticalPercent,
            uid: dashboard.uid,
            clusterLabel: alerts.clusterLabel,
            runbookBaseUrl: alerts.runbookBaseUrl,
            selectors: { ...alerts.selectors },
            excludePools: addressPools.reservedPools.apply((reserved) => [...alerts.excludePools, ...reserved]),
        };
        let metallbDashboard: MetalLbDashboard | undefined;
        if (dashboard.delivery === "configmap") {
            metallbDashboard = new MetalLbDashboard(
                `${name}-metallb-dashboard`,
                validatedArgs(metalLbDashboardArgs, { ...common, delivery: DashboardDelivery.ConfigMap, configMapNamespace: mon.namespace }),
                part("dashboard", waitForStack),
            );
        } else if (dashboard.delivery === "grafana-api" && target.grafanaUrl !== undefined && target.grafanaAuth !== undefined) {
            metallbDashboard = new MetalLbDashboard(
                `${name}-metallb-dashboard`,
                validatedArgs(metalLbDashboardArgs, {
                    ...common,
                    delivery: DashboardDelivery.GrafanaApi,
                    grafana: { url: target.grafanaUrl, auth: target.grafanaAuth, folder: dashboard.folder },
                    folderUid: dashboard.folderUid,
                }),
                part("dashboard", waitForStack),
            );
        }

        let smokeTest: SmokeTestClass | undefined;
        if (lb.smokeTest.enabled) {
            // Loaded only when enabled: it needs the optional peer @pulumi/kubernetesx.
            const { SmokeTest } = loadSmokeTest();
            smokeTest = new SmokeTest(
                `${name}-smoke-test`,
                // The schema requires the source ranges with enabled: the empty list is never reached.
                validatedArgs(smokeTestArgs, {
                    pool: lb.smokeTest.pool,
                    address: lb.smokeTest.address,
                    loadBalancerSourceRanges: lb.smokeTest.loadBalancerSourceRanges ?? [],
                }),
                part("smokeTest", [addressPools]),
            );
        }

        const out = <T>(v: pulumi.Input<T> | undefined): pulumi.Output<T | undefined> => pulumi.output(keep.output(v)) as pulumi.Output<T | undefined>;
        this.metallbNamespace = metallb.namespace;
        this.metallbRelease = metallb.releaseName;
        this.bgpBackend = pulumi.output(metallb.bgpBackend as string);
        this.addressPoolNames = addressPools.poolNames;
        this.reservedPools = addressPools.reservedPools;
        this.alertNames = metallbMonitoring.alertNames;
        this.monitoringSelectorLabels = out(target.selectorLabels) as pulumi.Output<{ [key: string]: string }>;
        this.prometheusUrl = out(target.prometheusUrl) as pulumi.Output<string>;
        this.alertmanagerUrl = out(target.alertmanagerUrl);
        this.grafanaUrl = out(target.grafanaUrl);
        this.grafanaAdminPassword = pulumi.output(target.grafanaAdminPassword);
        this.dashboardUid = pulumi.output(metallbDashboard?.uid);
        this.dashboardUrl = out(metallbDashboard?.url);
        this.smokeTestAddress = pulumi.output(smokeTest?.address);

        this.registerOutputs({
            metallbNamespace: this.metallbNamespace,
            metallbRelease: this.metallbRelease,
            bgpBackend: this.bgpBackend,
            addressPoolNames: this.addressPoolNames,
            reservedPools: this.reservedPools,
            alertNames: this.alertNames,
            monitoringSelectorLabels: this.monitoringSelectorLabels,
            prometheusUrl: this.prometheusUrl,
            alertmanagerUrl: this.alertmanagerUrl,
            grafanaUrl: this.grafanaUrl,
            grafanaAdminPassword: this.grafanaAdminPassword,
            dashboardUid: this.dashboardUid,
            dashboardUrl: this.dashboardUrl,
            smokeTestAddress: this.smokeTestAddress,
        });
    }
}

function loadSmokeTest(): typeof import("./smokeTest") {
    try {
        // biome-ignore lint/style/noCommonJs: loaded on first use, not when the package is imported
        return require("./smokeTest") as typeof import("./smokeTest");
    } catch (err) {
        const missing = err instanceof Error && /@pulumi\/kubernetesx/.test(err.message);
        throw new pulumi.RunError(
            missing
                ? "metallb.smokeTest.enabled needs the optional peer dependency @pulumi/kubernetesx: npm install @pulumi/kubernetesx@0.1.6 (or disable the smoke test)"
                : String(err),
        );
    }
}

/** The MonitoringStack's arguments from the monitoring section and the alert settings. */
function monitoringStackSettings(mon: InstalledMonitoring, alerts: AlertSettings): z.output<typeof monitoringStackArgs> {
    const g = mon.grafana;
    return {
        namespace: mon.namespace,
        releaseName: mon.releaseName,
        chartVersion: mon.chartVersion,
        chartRepository: mon.chartRepository,
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
        // One cluster label for the rules, the dashboard and Alertmanager's grouping.
        clusterLabel: alerts.clusterLabel,
    };
}

/** What the MetalLB monitoring and the dashboard plug into: the stack installed here, or one installed elsewhere. */
function monitoringTarget(stack: MonitoringStack | undefined, s: StackSettings) {
    if (stack) {
        return {
            stack,
            selectorLabels: stack.selectorLabels,
            prometheusServiceAccount: stack.prometheusServiceAccount,
            prometheusUrl: stack.prometheusUrl,
            alertmanagerUrl: stack.alertmanagerUrl as pulumi.Input<string> | undefined,
            grafanaUrl: stack.grafanaUrl as pulumi.Input<string> | undefined,
            // The installed Grafana gets the dashboard from a ConfigMap; never its admin login.
            grafanaAuth: undefined as pulumi.Input<string> | undefined,
            grafanaAdminPassword: stack.grafanaAdminPassword as pulumi.Output<string> | undefined,
        };
    }
    const mon = s.monitoring;
    if (mon.install) {
        throw new Error("unreachable: an installed monitoring stack without its component");
    }
    return {
        stack: undefined,
        selectorLabels: mon.existing.selectorLabels,
        prometheusServiceAccount: mon.existing.prometheusServiceAccount,
        prometheusUrl: mon.existing.prometheusUrl as pulumi.Input<string>,
        alertmanagerUrl: mon.existing.alertmanagerUrl as pulumi.Input<string> | undefined,
        grafanaUrl: mon.existing.grafanaUrl as pulumi.Input<string> | undefined,
        grafanaAuth: mon.grafanaAuth as pulumi.Input<string> | undefined,
        grafanaAdminPassword: undefined as pulumi.Output<string> | undefined,
    };
}
