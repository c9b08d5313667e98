/** Validators built from the upstream schemas (reference files, see ./reference.ts) and our own fixtures. */
import Ajv, { ValidateFunction } from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

import { METALLB_CRD_FILES, PROMETHEUS_OPERATOR_CRD_FILES, readReference, readReferenceJson } from "./reference";

/** Our own test data (not upstream files). */
const FIXTURES = path.resolve(__dirname, "../fixtures");

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

interface Crd {
    spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
}

/** Each CRD version's schema, compiled on first use (a worker may need only some of the ten). */
const crdSchemas = new Map<string, object>();
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

/** Registers every CRD in the files; key `<group>/<version>:<Kind>`. */
function loadCrds(files: readonly string[]): void {
    for (const file of files) {
        for (const doc of parseAllDocuments(readReference(file))) {
            const crd = doc.toJS() as Crd | null;
            if (!crd?.spec?.versions) {
                continue;
            }
            for (const v of crd.spec.versions) {
                crdSchemas.set(`${crd.spec.group}/${v.name}:${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
            }
        }
    }
}
loadCrds(METALLB_CRD_FILES);
loadCrds(PROMETHEUS_OPERATOR_CRD_FILES);

/** Errors of a manifest against its CRD schema (empty when valid); throws for unknown kinds. */
export function crdErrors(manifest: { apiVersion: string; kind: string }): string[] {
    const key = `${manifest.apiVersion}:${manifest.kind}`;
    const schema = crdSchemas.get(key);
    if (!schema) {
        throw new Error(`no CRD schema for ${manifest.apiVersion} ${manifest.kind}`);
    }
    let validate = crdValidators.get(key);
    if (!validate) {
        validate = ajv.compile(jsPatterns(schema) as object);
        crdValidators.set(key, validate);
    }
    return validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** An upstream reference JSON file (e.g. `grafana/dashboard.jsonschema.json`). */
export const readJson = readReferenceJson;

/** MetalLB's and frr-k8s's metrics: our hand transcription from their Go source (tests/fixtures/metrics-catalog.json). */
export function metricsCatalog<T = unknown>(): T {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, "metrics-catalog.json"), "utf8")) as T;
}

/** Compiles a draft-07 JSON Schema (its `$schema` URL spelling varies, so it is not used). */
export function jsonSchemaValidator(schema: object): ValidateFunction {
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    return ajv.compile(rest);
}
