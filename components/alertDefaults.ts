import { DEFAULT_ALERT_SETTINGS as DEFAULTS } from "../lib/rules/settings";
import type { AlertSettingsArgs } from "./argTypes";

/**
 * Alert settings as the rules use them. Typed with the component argument interface (not the zod
 * schema's output type) so that the package's declarations never load zod's (see components/index.ts).
 */
export type AlertSettings = Readonly<AlertSettingsArgs>;

/** The alert settings every component uses where none are given (`alerts:` stack config unset). */
export const DEFAULT_ALERT_SETTINGS: AlertSettings = DEFAULTS;
