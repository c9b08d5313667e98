export { AddressPools, AddressPoolsArgs } from "./addressPools";
export { MetalLbDashboard, MetalLbDashboardArgs } from "./dashboard";
export { MetalLb, MetalLbArgs } from "./metallb";
export { MetalLbMonitoring, MetalLbMonitoringArgs, ServiceAccountRef } from "./metallbMonitoring";
export { MonitoringStack, MonitoringStackArgs } from "./monitoringStack";
export { SmokeTest, SmokeTestArgs } from "./smokeTest";
