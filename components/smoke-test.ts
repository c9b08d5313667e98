/**
 * `metallb-observability/smoke-test`: the SmokeTest component, kept out of the main entry point
 * because it is built on @pulumi/kubernetesx, an optional peer dependency that consumers who do not
 * use the smoke test never install.
 */
export type { SmokeTestArgs } from "./argTypes";
export { SmokeTest, ECHO_IMAGE, ECHO_ARGS, ECHO_PORT } from "./smokeTest";
