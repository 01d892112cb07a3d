import {defaultModelId, type DownloadProgress} from '../adapters/embedder.js';
import type {Catalog} from '../db/catalog.js';
import {formatBytes} from '../core/format.js';
import {modelSetting} from './tag.js';

/** The model a command uses: `--model` when given, else the one this library was tagged with, else the default. */
export function chooseModel(flag: string | undefined, catalog: Catalog): string {
	return flag ?? catalog.setting(modelSetting) ?? defaultModelId;
}

/**
 * Reports a first-use model download on stderr: one self-updating line per file on a terminal, a line every few
 * seconds otherwise.
 */
export function downloadReporter(stderr: NodeJS.WriteStream): (progress: DownloadProgress) => void {
	let last = 0;
	return progress => {
		const now = performance.now();
		if (progress.done) {
			if (stderr.isTTY) {
				stderr.write('\n');
			}

			return;
		}

		const percent = progress.total ? Math.floor((progress.loaded / progress.total) * 100) : 0;
		const line = `downloading model file ${progress.file}: ${percent}% of ${formatBytes(progress.total)}`;
		if (stderr.isTTY) {
			stderr.write(`\r${line.padEnd(Math.min(79, line.length + 2))}`);
		} else if (now - last > 3000) {
			last = now;
			stderr.write(`${line}\n`);
		}
	};
}
