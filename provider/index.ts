/**
 * Entry point of the multi-language package: the Pulumi CLI starts it when a Python, Go, .NET, Java
 * or YAML program uses a component of this package (`pulumi package add <this repository or path>`).
 *
 * The CLI runs a source-based plugin (PulumiPlugin.yaml, `runtime: nodejs`) by requiring its
 * directory, i.e. package.json `main` ("Plugin's are not able to set a non-standard entry point",
 * pulumi/pulumi v3.259.0 pkg/workspace/plugin.go); TypeScript consumers import the components
 * through `exports` instead, so they never load this file. The provider is Pulumi's
 * ComponentProvider (@pulumi/pulumi/provider/experimental, what `componentProviderHost` serves),
 * with the credentials marked secret in the schema it builds (provider/secrets.ts).
 */
import { main } from "@pulumi/pulumi/provider";
import { providerOptions } from "./options";
import { MetalLbObservabilityProvider } from "./secrets";

void main(new MetalLbObservabilityProvider(providerOptions()), process.argv.slice(2));
