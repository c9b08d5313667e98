/**
 * One Pulumi mock runtime per test process (each setMocks call replaces the previous one). Test
 * files that build components import this module first; it records every registration.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockState } from "../../scripts/render/mockState";
import { redactSecrets } from "../../scripts/render/outputs";

export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider?: string;
    readonly custom?: boolean;
}

export const PROJECT = "metallb-observability";
export const STACK = "test";

const registrations: Registration[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom });
            return { id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs) };
        },
        call: (args) => args.inputs,
    },
    PROJECT,
    STACK,
    false,
);

/** Waits until every registration has reached the mock monitor. */
export async function settle(): Promise<void> {
    await (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/** Registrations of resources whose name starts with the prefix (a component's children). */
export async function registered(prefix: string): Promise<Registration[]> {
    await settle();
    return registrations.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`));
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Whether an output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** True when a registered input value arrived as a Pulumi secret. */
export function isSecretInput(value: unknown): boolean {
    return redactSecrets(value) === "[secret]";
}

/**
 * Captures the options every child is created with (parent, dependsOn, provider), through the
 * legacy `transformations` option: it runs client-side, so it works under mocks.
 */
export function captureOptions(): { opts: pulumi.ComponentResourceOptions; seen: pulumi.ResourceTransformationArgs[] } {
    const seen: pulumi.ResourceTransformationArgs[] = [];
    return {
        seen,
        opts: {
            transformations: [
                (a) => {
                    seen.push(a);
                    return undefined;
                },
            ],
        },
    };
}

/** URN of a resource, resolved. */
export function urnOf(r: pulumi.Resource): Promise<string> {
    return promiseOf(r.urn);
}

/** A stand-in for an install (a chart, a release) that components are told to wait for. */
export class FakeInstall extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:FakeInstall", name, {});
    }
}
