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

export { BgpBackend, DynamicAsn } from "../lib/metallb/schema";
export { GrafanaServiceType, RemoteWriteAuth } from "../lib/monitoring/schema";
export { SelectorOperator } from "../lib/util/schema";
export type { PodSelector } from "../lib/metallb/labels";
export { DEFAULT_ALERT_SETTINGS } from "../lib/rules/settings";
export type { AlertSettings } from "../lib/rules/settings";
export { JOBS as SCRAPE_JOBS } from "../lib/metrics";
