import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {hashFile} from './hash-file.js';

/** A copy whose bytes did not come out as expected; nothing at the destination was touched. */
export class CopyError extends Error {
	override readonly name = 'CopyError';
}

/**
 * The temporary name a copy is written under, beside its destination (so the final rename stays in one folder). It is
 * short whatever the destination's name (a 255-byte name plus a prefix would not fit: ENAMETOOLONG) and carries the
 * writer's pid, so a later run can tell its own leftovers from a copy another live process is writing.
 */
export function temporaryName(destination: string): string {
	return path.join(path.dirname(destination), `${temporaryPrefix}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Every temporary name starts with this. */
export const temporaryPrefix = '.curate-tmp-';

/**
 * The pid that wrote a leftover temporary file, from its name: today's `.curate-tmp-PID-RANDOM`, or the older
 * `.NAME.curate-tmp-PID` (and the manifest's `manifest.json.tmp-PID`). Undefined when the name is not one of ours.
 */
export function temporaryOwner(name: string): number | undefined {
	const match = /^\.curate-tmp-(\d+)-[\da-f]+$/.exec(name) ?? /^\..+\.curate-tmp-(\d+)$/s.exec(name) ?? /^manifest\.json\.tmp-(\d+)$/.exec(name);
	return match ? Number(match[1]) : undefined;
}

/**
 * Copies `source` to a temporary file beside `destination`, hashing the bytes as they are read, fsyncs it, then reads
 * the written copy back and hashes it again. Returns the temporary path for the caller to rename into place once it
 * has moved any old destination aside. When `expected` is given, a source that no longer has that hash (changed or
 * rotted since the catalog recorded it) is refused, so a good copy is never replaced by a damaged one.
 */
export async function copyToTemporary(source: string, destination: string, expected?: string | null): Promise<{temporary: string; sha256: string; bytes: number}> {
	const temporary = temporaryName(destination);
	await fs.promises.mkdir(path.dirname(destination), {recursive: true});
	const hash = createHash('sha256');
	let bytes = 0;
	const input = await fs.promises.open(source, 'r');
	const output = await fs.promises.open(temporary, 'w');
	try {
		const buffer = Buffer.allocUnsafe(1024 * 1024);
		for (;;) {
			// eslint-disable-next-line no-await-in-loop
			const {bytesRead} = await input.read(buffer, 0, buffer.length, null);
			if (bytesRead === 0) {
				break;
			}

			const chunk = buffer.subarray(0, bytesRead);
			hash.update(chunk);
			bytes += bytesRead;
			// eslint-disable-next-line no-await-in-loop
			await output.write(chunk);
		}

		await output.sync();
	} catch (error) {
		await output.close().catch(() => {});
		await fs.promises.rm(temporary, {force: true});
		throw error;
	} finally {
		await input.close();
	}

	await output.close();
	const sha256 = hash.digest('hex');
	// The temporary file is Curate's own partial copy, never a photo, so it is removed when it is wrong.
	if (expected && sha256 !== expected) {
		await fs.promises.rm(temporary, {force: true});
		throw new CopyError('the file changed since the last scan (its SHA-256 differs from the catalog): not backed up; curate verify tells whether it was edited (then curate scan) or damaged (then curate restore)');
	}

	const written = await hashFile(temporary);
	if (written.sha256 !== sha256) {
		await fs.promises.rm(temporary, {force: true});
		throw new CopyError('the copy read back differs from what was written (target disk or mount problem)');
	}

	return {temporary, sha256, bytes};
}
