import * as assert from "assert";
import { parseStackConfig, RawConfig, StackConfig } from "../../../lib/config/load";
import { ConfigError, Problem } from "../../../lib/util/problems";

/** Stack-config test helpers over a base config (the smallest valid stack of a test file). */
export function stackConfigHelpers(base: Record<string, unknown>) {
    const raw = (values: Record<string, unknown>, secretKeys: string[] = []): RawConfig => ({
        values: { ...base, ...values },
        secretKeys: new Set(secretKeys),
    });
    /** Every problem of a config that must be refused. */
    const problems = (values: Record<string, unknown>, secretKeys: string[] = []): Problem[] => {
        try {
            parseStackConfig(raw(values, secretKeys));
        } catch (err) {
            assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
            return [...err.problems];
        }
        assert.fail("expected the configuration to be refused");
    };
    /** Asserts one problem at `path` whose message matches, and returns it. */
    const expectProblem = (values: Record<string, unknown>, path: string, message: RegExp, secretKeys: string[] = []): Problem => {
        const found = problems(values, secretKeys);
        const hit = found.find((p) => p.path === path && message.test(p.message));
        assert.ok(hit, `no problem at ${path} matching ${message}; got:\n${found.map((p) => `${p.path}: ${p.message}`).join("\n")}`);
        return hit;
    };
    const ok = (values: Record<string, unknown>, secretKeys: string[] = []): StackConfig => parseStackConfig(raw(values, secretKeys));
    return { raw, problems, expectProblem, ok };
}
