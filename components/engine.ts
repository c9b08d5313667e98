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

/** Sees the transforms each resource is given (tests: what the mock runtime cannot apply). */
export type TransformObserver = (resource: string, transforms: readonly pulumi.ResourceTransform[]) => void;

let observer: TransformObserver | undefined;

/** Installs (or, with undefined, removes) the observer of the transforms components attach. */
export function observeTransforms(o: TransformObserver | undefined): void {
    observer = o;
}

/**
 * The transforms to give a resource: all of them where the engine applies transforms, none under
 * the mock runtime. The observer sees them either way, so a test under mocks checks what a real
 * `pulumi up` attaches, and runs each transform on the object shape the chart renders.
 */
export function transformsFor(resource: string, transforms: pulumi.ResourceTransform[]): pulumi.ResourceTransform[] {
    observer?.(resource, transforms);
    return engineSupportsTransforms() ? transforms : [];
}
