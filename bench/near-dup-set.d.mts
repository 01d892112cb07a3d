/** Types for near-dup-set.mjs, a plain script that tests and benchmarks import (typechecked with `npm run typecheck`). */
export const VARIANT_KINDS: readonly string[];
export const NEGATIVE_KINDS: readonly string[];
/** Builds the labelled set into outDir and resolves to the labels it also writes to outDir/labels.json. */
export function buildNearDupSet(outDir: string, options?: {corpusDir?: string; maxSources?: number; [option: string]: unknown}): Promise<unknown>;
