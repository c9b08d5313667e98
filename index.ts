import { MetalLbObservability } from "./components";
import { loadStackArgs } from "./lib/config/runtime";

// The stack config's sections are the whole-stack component's arguments; the component validates
// them (every problem at once, before anything is created) and wires the parts.
const stack = new MetalLbObservability("metallb-observability", loadStackArgs());

export const metallbNamespace = stack.metallbNamespace;
export const metallbRelease = stack.metallbRelease;
export const bgpBackend = stack.bgpBackend;
export const addressPoolNames = stack.addressPoolNames;
export const alertNames = stack.alertNames;
export const monitoringSelectorLabels = stack.monitoringSelectorLabels;
export const prometheusUrl = stack.prometheusUrl;
export const alertmanagerUrl = stack.alertmanagerUrl;
export const grafanaUrl = stack.grafanaUrl;
export const grafanaAdminPassword = stack.grafanaAdminPassword;
export const dashboardUid = stack.dashboardUid;
export const dashboardUrl = stack.dashboardUrl;
/** Address MetalLB gave the smoke-test Service (when metallb:smokeTest.enabled). */
export const smokeTestAddress = stack.smokeTestAddress;
