import * as assert from "assert";
import { goDurationMs } from "../../../lib/util/duration";
import { deepMerge } from "../../../lib/util/merge";
import { EXACT_VERSION } from "../../../lib/util/versions";

describe("goDurationMs", () => {
    it("reads Go durations as MetalLB's BGPPeer timers take them", () => {
        assert.strictEqual(goDurationMs("90s"), 90_000);
        assert.strictEqual(goDurationMs("1m30s"), 90_000);
        assert.strictEqual(goDurationMs("500ms"), 500);
        assert.strictEqual(goDurationMs("0"), 0);
    });
    it("rejects what is not one", () => {
        for (const bad of ["", "90", "1x", "s90", "1m 30s"]) {
            assert.strictEqual(goDurationMs(bad), undefined, bad);
        }
    });
});

describe("deepMerge", () => {
    it("merges maps key by key and replaces lists, like Helm values", () => {
        const base = { a: { b: 1, c: [1, 2] }, d: "x" };
        const merged = deepMerge(base, { a: { c: [3] }, e: true });
        assert.deepStrictEqual(merged, { a: { b: 1, c: [3] }, d: "x", e: true });
        assert.deepStrictEqual(base, { a: { b: 1, c: [1, 2] }, d: "x" }, "inputs untouched");
    });
});

describe("EXACT_VERSION", () => {
    it("accepts exact versions and refuses ranges", () => {
        for (const ok of ["0.16.1", "v88.5.3", "1.2.3-rc.1", "1.2.3+build.5"]) {
            assert.ok(EXACT_VERSION.test(ok), ok);
        }
        for (const range of ["^0.16.1", "~0.16", "0.16.x", ">=0.16.1", "*", "0.16"]) {
            assert.ok(!EXACT_VERSION.test(range), range);
        }
    });
});
