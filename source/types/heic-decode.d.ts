declare module 'heic-decode' {
	type ImageData = {width: number; height: number; data: Uint8ClampedArray};
	type Lazy = {width: number; height: number; decode(): Promise<ImageData>};
	function decode(options: {buffer: Uint8Array | ArrayBuffer}): Promise<ImageData>;
	namespace decode {
		function all(options: {buffer: Uint8Array | ArrayBuffer}): Promise<Lazy[] & {dispose(): void}>;
	}
	export default decode;
}
