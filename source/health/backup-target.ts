import path from 'node:path';
import {UserError} from '../errors.js';

/** Where a backup goes or comes from: a mirrored folder, or a restic repository (`restic:REPO`). */
export type BackupTargetSpec =
	| {readonly kind: 'mirror'; readonly dir: string; readonly location: string}
	| {readonly kind: 'restic'; readonly repo: string; readonly location: string};

/**
 * Reads `--to`/`--from`/`--backup`: `restic:REPO` is a restic repository as restic takes it (a path, `sftp:…`, `s3:…`,
 * `b2:…`, `rest:…`, `rclone:…`); anything else is a folder. A local restic path is made absolute so that one
 * repository has one location in the catalog's records whatever folder the command ran in.
 */
export function parseBackupTarget(text: string, cwd: string): BackupTargetSpec {
	if (text.startsWith('restic:')) {
		const repo = text.slice('restic:'.length);
		if (repo === '') {
			throw new UserError('restic: needs a repository, e.g. restic:/mnt/usb/photos-restic or restic:sftp:nas2:/backups/photos');
		}

		const remote = /^(sftp|s3|b2|rest|rclone|azure|gs|swift):/.test(repo);
		const resolved = remote ? repo : path.resolve(cwd, repo);
		return {kind: 'restic', repo: resolved, location: `restic:${resolved}`};
	}

	const dir = path.resolve(cwd, text);
	return {kind: 'mirror', dir, location: dir};
}
