/** Validators built from the upstream schemas copied under tests/fixtures/upstream. */
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

export const UPSTREAM = path.resolve(__dirname, "../fixtures/upstream");

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

interface Crd {
    spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
}

const crdValidators = new Map<string, ValidateFunction>();

/**
 * CRD patterns use Go's RE2 syntax; the only construct JavaScript lacks here is the inline
 * case-insensitive flag "(?i)", which is dropped (our values are lower-case anyway).
 */
function jsPatterns(schema: unknown): unknown {
    if (Array.isArray(schema)) {
        return schema.map(jsPatterns);
    }
    if (typeof schema === "object" && schema !== null) {
        return Object.fromEntries(
            Object.entries(schema).map(([k, v]) => [k, k === "pattern" && typeof v === "string" ? v.replace("(?i)", "") : jsPatterns(v)]),
        );
    }
    return schema;
}

/** Registers every CRD in the folder; key `<group>/<version>:<Kind>`. */
function loadCrds(folder: string): void {
    for (const file of fs.readdirSync(path.join(UPSTREAM, folder)).filter((f) => f.endsWith(".yaml") && f.includes("_"))) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(UPSTREAM, folder, file), "utf8"))) {
            const crd = doc.toJS() as Crd | null;
            if (!crd?.spec?.versions) {
                continue;
            }
            for (const v of crd.spec.versions) {
                crdValidators.set(`${crd.spec.group}/${v.name}:${crd.spec.names.kind}`, ajv.compile(jsPatterns(v.schema.openAPIV3Schema) as object));
            }
        }
    }
}
loadCrds("metallb-0.16.1");
loadCrds("kube-prometheus-stack");

/** Errors of a manifest against its CRD schema (empty when valid); throws for unknown kinds. */
export function crdErrors(manifest: { apiVersion: string; kind: string }): string[] {
    const validate = crdValidators.get(`${manifest.apiVersion}:${manifest.kind}`);
    if (!validate) {
        throw new Error(`no CRD schema for ${manifest.apiVersion} ${manifest.kind}`);
    }
    return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

export function readJson<T = unknown>(relative: string): T {
    return JSON.parse(fs.readFileSync(path.join(UPSTREAM, relative), "utf8")) as T;
}

/** Compiles a draft-07 JSON Schema (its `$schema` URL spelling varies, so it is not used). */
export function jsonSchemaValidator(schema: object): ValidateFunction {
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    return ajv.compile(rest);
}
