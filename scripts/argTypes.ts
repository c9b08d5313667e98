/**
 * Prints the components' argument interfaces (components/argTypes.ts) from their zod schemas
 * (components/schemas/): one definition per setting. A schema says a setting's name, its type, its
 * validation and its doc (`.describe()`); the interface TypeScript consumers compile against, and
 * that Pulumi's schema analyzer turns into the package schema of every other language, is printed
 * from it. `npm run gen:args` writes the file; tests/repo/argTypes.test.ts fails when it is stale,
 * and each schema module asserts that its schema's `z.input` is the printed interface.
 *
 * The printer follows `z.input` (what a caller writes): a field is optional when zod's input makes
 * it so (`optional`, `default`, `prefault`), a pipe or transform shows its input side, `input(x)`
 * is `pulumi.Input<x>`, a TypeScript string enum (`enumOf`) is named as the enum, and every object
 * is an interface named with `argsType` (an unnamed object is an error: its fields' docs would be
 * lost to the other languages).
 */
import { z } from "zod";
import { argsTypeOf, inputInner } from "../lib/util/schema";

type Schema = z.core.$ZodType;

/** A module of TypeScript string enums the interfaces may name, as the generated file imports it. */
export interface EnumModule {
    /** Import path, relative to the generated file. */
    readonly from: string;
    /** The module's exports (its enums are the objects whose values are all strings). */
    readonly exports: Record<string, unknown>;
}

interface Def {
    type: string;
    shape?: Record<string, Schema>;
    element?: Schema;
    keyType?: Schema;
    valueType?: Schema;
    innerType?: Schema;
    in?: Schema;
    options?: Schema[];
    entries?: Record<string, string | number>;
    values?: unknown[];
}

const def = (s: Schema): Def => s._zod.def as unknown as Def;

/**
 * The field's doc: the first `.describe()` text on it, on the optional/default wrappers it sits in,
 * or on the schema an `input(…)` wraps (a setting the stack config and a component share is described
 * once, where it is defined).
 */
function fieldDoc(s: Schema): string | undefined {
    for (let cur: Schema | undefined = s; cur; ) {
        const doc = z.globalRegistry.get(cur as z.ZodType)?.description;
        if (doc !== undefined) {
            return doc;
        }
        const d = def(cur);
        cur = ["optional", "default", "prefault", "nonoptional", "readonly"].includes(d.type) ? d.innerType : inputInner(cur);
    }
    return undefined;
}

function jsDoc(doc: string | undefined, indent: string): string {
    if (doc === undefined) {
        return "";
    }
    const lines = doc.split("\n");
    if (lines.length === 1) {
        return `${indent}/** ${doc} */\n`;
    }
    return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

/** A type printer: each schema's TypeScript input type, the named objects it met (in order) and what they import. */
function typePrinter(enumModules: readonly EnumModule[]) {
    const enums = new Map<object, { name: string; from: string }>();
    for (const m of enumModules) {
        for (const [name, value] of Object.entries(m.exports)) {
            if (value && typeof value === "object" && Object.values(value).every((v) => typeof v === "string")) {
                enums.set(value, { name, from: m.from });
            }
        }
    }
    const used = new Map<string, Set<string>>();
    const seenTypes = new Map<string, Schema>();
    const queue: Schema[] = [];
    let usesPulumi = false;

    const enumName = (entries: object): string | undefined => {
        const e = enums.get(entries) ?? [...enums.entries()].find(([obj]) => JSON.stringify(obj) === JSON.stringify(entries))?.[1];
        if (e) {
            if (!used.has(e.from)) {
                used.set(e.from, new Set());
            }
            used.get(e.from)!.add(e.name);
        }
        return e?.name;
    };

    const print = (s: Schema, where: string): string => {
        const inner = inputInner(s);
        if (inner) {
            usesPulumi = true;
            return `pulumi.Input<${print(inner, where)}>`;
        }
        const d = def(s);
        const name = argsTypeOf(s);
        if (name && d.type === "object") {
            const seen = seenTypes.get(name.name);
            if (seen === undefined) {
                seenTypes.set(name.name, s);
                queue.push(s);
            } else if (seen._zod.def !== s._zod.def) {
                throw new Error(`${where}: two different schemas are named ${name.name}`);
            }
            return name.name;
        }
        switch (d.type) {
            case "string":
            case "number":
            case "boolean":
            case "any":
            case "unknown":
                return d.type;
            case "enum": {
                const e = enumName(d.entries!);
                return (
                    e ??
                    Object.values(d.entries!)
                        .map((v) => JSON.stringify(v))
                        .join(" | ")
                );
            }
            case "literal":
                return d.values!.map((v) => JSON.stringify(v)).join(" | ");
            case "array": {
                const el = print(d.element!, `${where}[]`);
                return /[ |]/.test(el) && !el.startsWith("{") ? `(${el})[]` : `${el}[]`;
            }
            case "record":
                return `{ [key: string]: ${print(d.valueType!, `${where}{}`)} }`;
            case "optional":
            case "default":
            case "prefault":
            case "readonly":
                return print(d.innerType!, where);
            case "pipe":
                return print(d.in!, where);
            case "union":
                return d.options!.map((o) => print(o, where)).join(" | ");
            case "object":
                throw new Error(`${where}: an object argument needs a name (argsType), or its fields' docs never reach the package schema`);
            default:
                throw new Error(`${where}: no TypeScript type is printed for a zod ${d.type}`);
        }
    };

    return {
        print,
        queue,
        imports: () => [
            ...(usesPulumi ? [`import type * as pulumi from "@pulumi/pulumi";\n`] : []),
            ...[...used.entries()].map(([from, names]) => `import type { ${[...names].sort().join(", ")} } from "${from}";\n`),
        ],
    };
}

/** An object schema's fields: name, whether a caller may leave it out, its printed type and its doc. */
function fieldsOf(s: Schema, print: (s: Schema, where: string) => string): { key: string; optional: boolean; type: string; doc?: string }[] {
    const { name } = argsTypeOf(s)!;
    return Object.entries(def(s).shape!).map(([key, field]) => ({
        key,
        optional: field._zod.optin !== undefined,
        type: print(field, `${name}.${key}`),
        doc: fieldDoc(field),
    }));
}

function named(root: Schema): string {
    const name = argsTypeOf(root)?.name;
    if (!name) {
        throw new Error("every root schema is named with argsType");
    }
    return name;
}

/** `components/argTypes.ts` for the named root schemas (objects named with `argsType`). */
export function argTypesSource(roots: readonly Schema[], enumModules: readonly EnumModule[], header: string): string {
    const { print, queue, imports } = typePrinter(enumModules);
    for (const root of roots) {
        print(root, named(root));
    }
    const bodies: string[] = [];
    while (queue.length > 0) {
        const s = queue.shift()!;
        const { name, doc } = argsTypeOf(s)!;
        const fields = fieldsOf(s, print).map((f) => `${jsDoc(f.doc, "    ")}    ${f.key}${f.optional ? "?" : ""}: ${f.type};\n`);
        bodies.push(`${jsDoc(doc, "")}export interface ${name} {\n${fields.join("")}}\n`);
    }
    return `${header}${imports().join("")}\n${bodies.join("\n")}`;
}

/**
 * A component's arguments as the reference table of docs/components.md: each input, its type (as
 * TypeScript writes it; `Input<…>` where another resource's output may feed it) and its doc.
 */
export function argTableMarkdown(root: Schema, enumModules: readonly EnumModule[]): string {
    const { print } = typePrinter(enumModules);
    const cell = (text: string) => text.replace(/\n/g, " ").replace(/\|/g, "\\|");
    const rows = fieldsOf(root, print).map(
        (f) => `| \`${f.key}\` | \`${cell(f.type.replace(/pulumi\./g, ""))}\`${f.optional ? "" : ", required"} | ${cell(f.doc ?? "")} |`,
    );
    return ["| Input | Type | |", "|---|---|---|", ...rows].join("\n");
}

/** Where the printed interfaces go. */
export const ARG_TYPES_FILE = "components/argTypes.ts";

const HEADER = `/*
 * Generated by \`npm run gen:args\` (scripts/argTypes.ts) from the argument schemas in
 * components/schemas/ and the lib/ schemas they reuse: edit those, not this file.
 * tests/repo/argTypes.test.ts fails when it is stale.
 *
 * These interfaces are what TypeScript consumers compile against and what Pulumi's schema analyzer
 * builds the package schema of the other languages from (their JSDoc becomes the descriptions).
 */
`;

function schemas(): typeof import("../components/schemas") {
    // Loaded here, not at the top: the printer itself needs none of the components.
    // biome-ignore lint/style/noCommonJs: the schemas load only when a file is printed
    return require("../components/schemas") as typeof import("../components/schemas");
}

/** The contents components/argTypes.ts must have. */
export function expectedArgTypes(): string {
    const { ARG_SCHEMAS, ARG_ENUM_MODULES } = schemas();
    return argTypesSource(ARG_SCHEMAS, ARG_ENUM_MODULES, HEADER);
}

/** The reference whose argument tables are printed from the schemas. */
export const ARG_DOCS_FILE = "docs/components.md";
const TABLE = /(<!-- args:(\w+) \(printed by npm run gen:args\) -->\n)(?:(?!<!-- )[\s\S])*?(\n<!-- \/args -->)/g;

/** The component arguments a reference prints tables of (`<!-- args:<Name> (printed by npm run gen:args) -->` … `<!-- /args -->`). */
export function argTablesIn(markdown: string): string[] {
    return [...markdown.matchAll(TABLE)].map((m) => m[2]);
}

/** `markdown` with each printed table as the schemas print it now. */
export function withArgTables(markdown: string): string {
    const { ARG_SCHEMAS, ARG_ENUM_MODULES } = schemas();
    const byName = new Map(ARG_SCHEMAS.map((s) => [named(s), s]));
    return markdown.replace(TABLE, (_all, open: string, name: string, close: string) => {
        const schema = byName.get(name);
        if (!schema) {
            throw new Error(`${ARG_DOCS_FILE}: no component arguments named ${name} (known: ${[...byName.keys()].join(", ")})`);
        }
        return `${open}${argTableMarkdown(schema, ARG_ENUM_MODULES)}${close}`;
    });
}
