import * as pulumi from "@pulumi/pulumi";
import { AddressPools, MetalLb, SmokeTest } from "./components";
import { loadStackConfig } from "./lib/config/runtime";

// Read and validate the whole stack config before anything is declared.
const config = loadStackConfig();
const lb = config.metallb;

const metallb = new MetalLb("metallb", {
    namespace: lb.namespace,
    releaseName: lb.releaseName,
    chartVersion: lb.chartVersion,
    chartRepository: lb.chartRepository,
    bgpBackend: lb.bgpBackend,
});

const addressPools = new AddressPools("address-pools", {
    namespace: lb.namespace,
    waitFor: metallb.ready,
    pools: lb.pools,
    l2Advertisements: lb.l2Advertisements,
    bgp: lb.bgp,
    bgpPasswords: Object.fromEntries(Object.entries(lb.bgpPasswords).map(([peer, pw]) => [peer, pulumi.secret(pw)])),
});

const smokeTest = lb.smokeTest.enabled
    ? new SmokeTest("smoke-test", { pool: lb.smokeTest.pool, address: lb.smokeTest.address, waitFor: [addressPools] })
    : undefined;

export const metallbNamespace = metallb.namespace;
export const metallbRelease = metallb.releaseName;
export const bgpBackend = metallb.bgpBackend;
export const addressPoolNames = addressPools.poolNames;
/** Address MetalLB gave the smoke-test Service (when metallb:smokeTest.enabled). */
export const smokeTestAddress = smokeTest?.address;
