import {Catalog} from '../../source/db/catalog.js';
import {libraryAt} from '../../source/library.js';
import {scanLibrary} from '../../source/scan/scan.js';
import {sampleLibrary} from './sample-library.js';

/** Scans `root` into its catalog in-process (faster than the CLI for setting up a test). */
export async function scanRoot(root: string): Promise<void> {
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	try {
		await scanLibrary(libraryAt(root), catalog, {});
	} finally {
		catalog.close();
	}
}

/** A private, scanned copy of the sample library. */
export async function scannedSampleLibrary(): Promise<Awaited<ReturnType<typeof sampleLibrary>>> {
	const sample = await sampleLibrary();
	await scanRoot(sample.root);
	return sample;
}

/** Opens a library's catalog, runs `use` (awaiting it when it is async), closes it. */
export function withCatalog<T>(root: string, use: (catalog: Catalog) => T): T {
	const catalog = Catalog.open(libraryAt(root).catalogPath);
	let result: T;
	try {
		result = use(catalog);
	} catch (error) {
		catalog.close();
		throw error;
	}

	if (result instanceof Promise) {
		return result.finally(() => {
			catalog.close();
		}) as T;
	}

	catalog.close();
	return result;
}
