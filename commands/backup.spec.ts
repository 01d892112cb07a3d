// `curate backup`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Mirror photos, XMP sidecars and a catalog snapshot to another disk, verified by SHA-256';
export const usage = 'curate backup --to DIR [--prune] [--dry-run] [--json]';
export const examples = ['curate backup --to /volumeUSB1/usbshare/photos', 'curate backup --to ~/mnt/b2-photos --dry-run', 'curate backup --to /mnt/backup --prune'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	to: {type: 'string', description: 'Backup folder (another disk or a mounted remote)'},
	prune: {type: 'boolean', default: false, description: 'Move files the library no longer has into DIR/.curate-backup/<time>/pruned/ (never deleted)'},
	dryRun: {type: 'boolean', default: false, description: 'Show what would be copied, write nothing'},
};
