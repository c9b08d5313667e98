import * as fs from "fs";
import * as path from "path";
import { ComponentProviderOptions } from "@pulumi/pulumi/provider/experimental";
import { AddressPools, MetalLb, MetalLbDashboard, MetalLbMonitoring, MetalLbObservability, MonitoringStack } from "../components";
// Its own entry point (metallb-observability/smoke-test): it needs @pulumi/kubernetesx, a
// devDependency, which `pulumi package add` installs with the repository (`npm install`).
import { SmokeTest } from "../components/smoke-test";

/** The components other Pulumi languages get, in the order the README documents them. */
export const COMPONENTS = [MetalLbObservability, MetalLb, AddressPools, MonitoringStack, MetalLbMonitoring, MetalLbDashboard, SmokeTest];

/**
 * The package root (package.json, PulumiPlugin.yaml): this file runs from provider/ (ts-node,
 * tests) and from bin/provider/ (the built package the CLI starts).
 */
export const PACKAGE_ROOT = findUp(__dirname, "PulumiPlugin.yaml");

/**
 * The directory Pulumi's component analyzer reads: its tsconfig.json and package.yaml, whose `main`
 * is this file's declarations in bin/ (bin/provider/options.d.ts); from their imports the analyzer
 * finds the component classes and builds the schema from their TypeScript types and doc comments,
 * so the declarations ship with the package (package.yaml says why not the sources).
 */
export const ANALYZER_DIR = path.join(PACKAGE_ROOT, "provider");

/**
 * Options for `componentProviderHost` / `ComponentProvider`: the package name is package.json's
 * (every type token is `<name>:index:<Class>`), the version package.json's.
 */
export function providerOptions(): ComponentProviderOptions & { version: string } {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string; version: string };
    return { name: pkg.name, version: pkg.version, dirname: ANALYZER_DIR, components: COMPONENTS };
}

function findUp(dir: string, file: string): string {
    for (let d = dir; ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, file))) {
            return d;
        }
        if (path.dirname(d) === d) {
            throw new Error(`${file} not found above ${dir}`);
        }
    }
}
