import fs from 'node:fs';
import {existingSidecar} from '../core/sidecar-names.js';

const isFile = (file: string) => {
	try {
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
};

/**
 * The XMP sidecar of a photo on disk (absolute path in, absolute path out), or undefined when it has none. Scan reads
 * this one and `edit`, review merges and tag review write this one, so they always agree (issue 13).
 */
export function findSidecar(photo: string): string | undefined {
	return existingSidecar(photo, isFile);
}
