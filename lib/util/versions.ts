/**
 * An exact chart version ("0.16.1", "v88.5.3", "1.2.3-rc.1"); ranges such as ^, ~, x, * or >= do
 * not match. Dependency-free so the policy pack can share it.
 */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
