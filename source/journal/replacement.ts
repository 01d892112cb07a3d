import {randomBytes} from 'node:crypto';
import path from 'node:path';
import type {Operation} from '../core/journal.js';

/** New bytes coming into the library: copied (the source stays) or moved in (the source goes once verified). */
export type Incoming = {readonly kind: 'copy' | 'move-in'; readonly source: string; readonly sha256: string; readonly size: number};

/** A short, unused temporary name beside `relative`: it fits beside a 255-byte name, which `NAME.curate-partial` would not. */
function stagingPath(relative: string): string {
	const dir = path.posix.dirname(relative);
	const name = `.curate-incoming-${randomBytes(4).toString('hex')}`;
	return dir === '.' ? name : `${dir}/${name}`;
}

/**
 * The operations that put `incoming` bytes at library path `target`, where the file `current` may stand (restore's
 * damaged file, watch's damaged import), keeping that file: the new bytes land under a temporary name and are verified,
 * the current file goes to the trash, then the new one is renamed into its place. Each step has its own path, so one
 * undo moves the new file to the trash and brings the old one back, and a failure at any step rolls all of it back.
 * The journal checks the later steps when they run, since an earlier step of the batch frees or fills their paths.
 */
export function replacementOperations(incoming: Incoming, target: string, current?: {readonly sha256: string; readonly size: number}): Operation[] {
	const staging = stagingPath(target);
	return [
		{...incoming, to: staging},
		...(current ? [{kind: 'trash', path: target, sha256: current.sha256, size: current.size} as const] : []),
		{kind: 'move', from: staging, to: target, sha256: incoming.sha256, size: incoming.size},
	];
}
