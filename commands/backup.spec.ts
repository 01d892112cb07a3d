// `curate backup`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Back up photos, XMP sidecars and a catalog snapshot: mirrored to a folder, or as encrypted, versioned restic snapshots';
export const usage = 'curate backup --to DIR|restic:REPO [--password-file F] [--init] [--prune] [--dry-run] [--json]';
export const examples = ['curate backup --to /volumeUSB1/usbshare/photos', 'curate backup --to ~/mnt/b2-photos --dry-run', 'curate backup --to /mnt/backup --prune', 'curate backup --to restic:/volumeUSB1/photos-restic --password-file ~/.restic-pass --init', 'curate backup --to restic:sftp:nas2:/backups/photos', 'curate backup --to restic:rclone:b2:photos'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	to: {type: 'string', description: 'Backup folder (another disk or a mounted remote), or restic:REPO (a path, sftp:, s3:, b2:, rest:, rclone:)'},
	passwordFile: {type: 'string', description: 'File holding the restic repository password (or RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND; never a flag value)'},
	init: {type: 'boolean', default: false, description: 'Create the restic repository if there is none'},
	prune: {type: 'boolean', default: false, description: 'Move files the library no longer has into DIR/.curate-backup/<time>/pruned/ (never deleted)'},
	dryRun: {type: 'boolean', default: false, description: 'Show what would be copied, write nothing'},
};
