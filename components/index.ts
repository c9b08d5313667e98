/**
 * Public entry point of the package (`import { ... } from "metallb-observability"`): the
 * components, their argument types and the enums and types those arguments use. SmokeTest lives
 * in `metallb-observability/smoke-test` (it needs the optional peer @pulumi/kubernetesx).
 */
// The components' argument types, printed from their schemas (components/argTypes.ts).
export type {
    AddressPoolsArgs,
    AlertDurationsArgs,
    AlertmanagerArgs,
    AlertSelectorsArgs,
    AlertSettingsArgs,
    BfdProfileArgs,
    BgpAdvertisementArgs,
    BgpArgs,
    BgpPeerArgs,
    CommunityArgs,
    ControlPlaneArgs,
    DashboardFeaturesArgs,
    GrafanaArgs,
    GrafanaIngressArgs,
    GrafanaTargetArgs,
    HeartbeatReceiverArgs,
    L2AdvertisementArgs,
    LabelSelectorArgs,
    MetalLbArgs,
    MetalLbDashboardArgs,
    MetalLbMonitoringArgs,
    MetricsTlsArgs,
    MonitoringStackArgs,
    PagerDutyReceiverArgs,
    PoolArgs,
    PrometheusArgs,
    ReceiversArgs,
    RemoteWriteArgs,
    RemoteWriteQueueArgs,
    RemoteWriteTlsArgs,
    ResourceListArgs,
    ResourcesArgs,
    SecretKeyRefArgs,
    SelectorExpressionArgs,
    ServiceAccountRef,
    ServiceAllocationArgs,
    SlackReceiverArgs,
    StorageArgs,
} from "./argTypes";
export { AddressPools } from "./addressPools";
export { MetalLbDashboard } from "./dashboard";
export { MetalLb } from "./metallb";
export { MetalLbObservability, MetalLbObservabilityArgs } from "./metallbObservability";
export { MetalLbMonitoring } from "./metallbMonitoring";
export { MonitoringStack } from "./monitoringStack";

// Enums and types from zod-free modules: the package's declarations never load zod's, whose
// `.d.cts` files need esModuleInterop (which Pulumi's pre-2026 TypeScript template does not set).
export { BgpBackend, DynamicAsn } from "../lib/metallb/enums";
export { DashboardDelivery } from "../lib/dashboard/enums";
export { GrafanaServiceType, RemoteWriteAuth } from "../lib/monitoring/enums";
export { SelectorOperator } from "../lib/util/enums";
export type { PodSelector } from "../lib/metallb/labels";
export { DEFAULT_ALERT_SETTINGS } from "./alertDefaults";
export type { AlertSettings } from "./alertDefaults";
export { JOBS as SCRAPE_JOBS } from "../lib/metrics";
