export { AddressPools, AddressPoolsArgs } from "./addressPools";
export { MetalLb, MetalLbArgs } from "./metallb";
export { SmokeTest, SmokeTestArgs } from "./smokeTest";
