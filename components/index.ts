export { AddressPools, AddressPoolsArgs } from "./addressPools";
export { MetalLb, MetalLbArgs } from "./metallb";
export { MetalLbMonitoring, MetalLbMonitoringArgs, ServiceAccountRef } from "./metallbMonitoring";
export { MonitoringStack, MonitoringStackArgs } from "./monitoringStack";
export { SmokeTest, SmokeTestArgs } from "./smokeTest";
