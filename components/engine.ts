import * as pulumi from "@pulumi/pulumi";

/**
 * True when the engine running the program applies resource transforms. Pulumi's mock runtime
 * (unit tests and the offline render) does not: registering a transform there rejects with
 * "The Pulumi CLI does not support transforms" (pulumi/pulumi#17090, fixed only in SDKs that need
 * Node 22). Components skip their transforms there instead of hanging.
 */
export function engineSupportsTransforms(): boolean {
    const monitor = pulumi.runtime.getMonitor();
    return monitor?.constructor?.name !== "MockMonitor";
}
