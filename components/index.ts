/**
 * Public entry point of the package (`import { ... } from "metallb-observability"`): the
 * components, their argument types and the few types those arguments use.
 */
export { AddressPools, AddressPoolsArgs } from "./addressPools";
export { MetalLbDashboard, MetalLbDashboardArgs } from "./dashboard";
export { MetalLb, MetalLbArgs } from "./metallb";
export { MetalLbMonitoring, MetalLbMonitoringArgs, ServiceAccountRef } from "./metallbMonitoring";
export { MonitoringStack, MonitoringStackArgs } from "./monitoringStack";
export { SmokeTest, SmokeTestArgs } from "./smokeTest";

export type { AddressPlanInput, BgpBackend, PoolInput, LabelSelector } from "../lib/config/schema";
export type { DashboardFeatures } from "../lib/dashboard/panels";
export type { PodSelector } from "../lib/metallb/labels";
export type { MetricsTls } from "../lib/monitoring/scrape";
export { DEFAULT_ALERT_SETTINGS } from "../lib/rules/types";
export type { AlertSettings } from "../lib/rules/types";
export { JOBS as SCRAPE_JOBS } from "../lib/metrics";
