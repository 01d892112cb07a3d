import {BackupStore, type FileBackup} from '../db/backups.js';
import type {Catalog} from '../db/catalog.js';

/** The backups holding a file (library-relative path), newest first, for `curate show`. */
export function fileBackups(catalog: Catalog, relative: string): FileBackup[] {
	return new BackupStore(catalog).backupsOf(relative);
}
