/**
 * The part of the WebAssembly API that the search kernel uses (source/ai/dot-wasm.ts). Node has it globally, but
 * @types/node 20 leaves its types to lib.dom, which this project does not load.
 */
declare namespace WebAssembly {
	type Exports = Record<string, unknown>;
	class Memory {
		constructor(descriptor: {initial: number; maximum?: number; shared?: boolean});
		readonly buffer: ArrayBuffer | SharedArrayBuffer;
	}
	class Module {
		constructor(bytes: Uint8Array);
	}
	class Instance {
		constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
		readonly exports: Exports;
	}
	function validate(bytes: Uint8Array): boolean;
}
