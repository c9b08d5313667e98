import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ARG_SCHEMAS } from "../../components/schemas";
import { argsType, argsTypeOf, input } from "../../lib/util/schema";
import { ARG_DOCS_FILE, ARG_TYPES_FILE, argTablesIn, argTypesSource, expectedArgTypes, withArgTables } from "../../scripts/argTypes";

/**
 * One definition per setting: the components' argument interfaces (what TypeScript consumers
 * compile against and the package schema is built from) are printed from their schemas. Whether
 * the printed types are the schemas' input types is checked by the compiler (each schema module
 * asserts `z.input<schema>` equals its interface); whether the committed file is the printout, here.
 */
describe("argument interfaces printed from the schemas", () => {
    it("components/argTypes.ts is what the schemas print (after a schema change: npm run gen:args)", () => {
        const committed = fs.readFileSync(path.join(__dirname, "../..", ARG_TYPES_FILE), "utf8");
        assert.ok(committed === expectedArgTypes(), `${ARG_TYPES_FILE} is stale: run npm run gen:args and commit the result`);
    });

    it("docs/components.md shows every component's arguments as the schemas print them", () => {
        const docs = fs.readFileSync(path.join(__dirname, "../..", ARG_DOCS_FILE), "utf8");
        assert.deepStrictEqual(argTablesIn(docs).sort(), ARG_SCHEMAS.map((s) => String(argsTypeOf(s)?.name)).sort(), "a printed table per component");
        assert.ok(docs === withArgTables(docs), `${ARG_DOCS_FILE}'s argument tables are stale: run npm run gen:args and commit the result`);
    });

    it("prints what a caller may write: optional and defaulted fields with ?, Inputs, named objects, docs", () => {
        const inner = argsType("InnerArgs", "An inner type.", z.strictObject({ size: z.number().describe("How big.") }));
        const root = argsType(
            "RootArgs",
            undefined,
            z.strictObject({
                name: z.string().describe("Its name."),
                replicas: z.number().default(2),
                url: input(z.url()).optional(),
                inner: inner.optional().describe("Nested."),
                pools: input(z.array(input(z.string()))),
            }),
        );
        const text = argTypesSource([root], [], "");
        assert.strictEqual(
            text,
            `import type * as pulumi from "@pulumi/pulumi";

export interface RootArgs {
    /** Its name. */
    name: string;
    replicas?: number;
    url?: pulumi.Input<string>;
    /** Nested. */
    inner?: InnerArgs;
    pools: pulumi.Input<pulumi.Input<string>[]>;
}

/** An inner type. */
export interface InnerArgs {
    /** How big. */
    size: number;
}
`,
        );
    });

    it("refuses an object without a name: its fields' docs would never reach the other languages", () => {
        const root = argsType("RootArgs", undefined, z.strictObject({ tls: z.strictObject({ secretName: z.string() }).optional() }));
        assert.throws(() => argTypesSource([root], [], ""), /RootArgs\.tls: an object argument needs a name/);
    });
});
