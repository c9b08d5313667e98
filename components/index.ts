/**
 * Public entry point of the package (`import { ... } from "metallb-observability"`): the
 * components, their argument types and the enums and types those arguments use. SmokeTest lives
 * in `metallb-observability/smoke-test` (it needs the optional peer @pulumi/kubernetesx).
 */
export {
    AddressPools,
    AddressPoolsArgs,
    BfdProfileArgs,
    BgpAdvertisementArgs,
    BgpArgs,
    BgpPeerArgs,
    CommunityArgs,
    L2AdvertisementArgs,
    LabelSelectorArgs,
    PoolArgs,
    SelectorExpressionArgs,
    ServiceAllocationArgs,
} from "./addressPools";
export { DashboardDelivery, DashboardFeaturesArgs, GrafanaTargetArgs, MetalLbDashboard, MetalLbDashboardArgs } from "./dashboard";
export { MetalLb, MetalLbArgs } from "./metallb";
export { MetalLbObservability, MetalLbObservabilityArgs } from "./metallbObservability";
export { AlertDurationsArgs, AlertSelectorsArgs, AlertSettingsArgs, MetalLbMonitoring, MetalLbMonitoringArgs, MetricsTlsArgs } from "./metallbMonitoring";
export {
    AlertmanagerArgs,
    ControlPlaneArgs,
    GrafanaArgs,
    HeartbeatReceiverArgs,
    MonitoringStack,
    MonitoringStackArgs,
    PagerDutyReceiverArgs,
    PrometheusArgs,
    ReceiversArgs,
    RemoteWriteArgs,
    ResourceListArgs,
    ResourcesArgs,
    ServiceAccountRef,
    SlackReceiverArgs,
    StorageArgs,
} from "./monitoringStack";

// Enums and types from zod-free modules: the package's declarations never load zod's, whose
// `.d.cts` files need esModuleInterop (which Pulumi's pre-2026 TypeScript template does not set).
export { BgpBackend, DynamicAsn } from "../lib/metallb/enums";
export { GrafanaServiceType, RemoteWriteAuth } from "../lib/monitoring/enums";
export { SelectorOperator } from "../lib/util/enums";
export type { PodSelector } from "../lib/metallb/labels";
export { DEFAULT_ALERT_SETTINGS } from "./alertDefaults";
export type { AlertSettings } from "./alertDefaults";
export { JOBS as SCRAPE_JOBS } from "../lib/metrics";
