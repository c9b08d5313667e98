/**
 * Entry point of the multi-language package: the Pulumi CLI starts it when a Python, Go, .NET, Java
 * or YAML program uses a component of this package (`pulumi package add <this repository or path>`).
 *
 * The CLI runs a source-based plugin (PulumiPlugin.yaml, `runtime: nodejs`) by requiring its
 * directory, i.e. package.json `main` ("Plugin's are not able to set a non-standard entry point",
 * pulumi/pulumi v3.259.0 pkg/workspace/plugin.go); TypeScript consumers import the components
 * through `exports` instead, so they never load this file. `componentProviderHost` serves the
 * package schema and constructs the components (@pulumi/pulumi/provider/experimental).
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { providerOptions } from "./options";

void componentProviderHost(providerOptions());
