/**
 * The parts' argument schemas, in the order their interfaces are printed (scripts/argTypes.ts
 * prints components/argTypes.ts from them), and the enum modules those interfaces import.
 */
import * as dashboardEnums from "../../lib/dashboard/enums";
import * as metallbEnums from "../../lib/metallb/enums";
import * as monitoringEnums from "../../lib/monitoring/enums";
import * as utilEnums from "../../lib/util/enums";
import { addressPoolsArgs } from "./addressPools";
import { metalLbDashboardArgs } from "./dashboard";
import { metalLbArgs } from "./metallb";
import { metalLbMonitoringArgs } from "./metallbMonitoring";
import { monitoringStackArgs } from "./monitoringStack";
import { smokeTestArgs } from "./smokeTest";

export const ARG_SCHEMAS = [metalLbArgs, addressPoolsArgs, monitoringStackArgs, metalLbMonitoringArgs, metalLbDashboardArgs, smokeTestArgs] as const;

/** Enum modules, with their import paths as components/argTypes.ts writes them. */
export const ARG_ENUM_MODULES = [
    { from: "../lib/metallb/enums", exports: metallbEnums },
    { from: "../lib/monitoring/enums", exports: monitoringEnums },
    { from: "../lib/dashboard/enums", exports: dashboardEnums },
    { from: "../lib/util/enums", exports: utilEnums },
];
