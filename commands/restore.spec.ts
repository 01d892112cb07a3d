// `curate restore`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Copy the catalogued bytes of damaged or missing files back from a backup, verified and undoable';
export const usage = 'curate restore PATH…|--damaged|--missing --from BACKUP_DIR|restic:REPO [--snapshot ID] [--password-file F] [--to DIR] [--dry-run] [--json]';
export const examples = ['curate restore --damaged --from /volumeUSB1/usbshare/photos', 'curate restore 2021/IMG_0004.jpg --from /mnt/backup', 'curate restore --missing --from /mnt/backup --dry-run', 'curate restore --damaged --from restic:/volumeUSB1/photos-restic --password-file ~/.restic-pass', 'curate restore 2019 --from restic:sftp:nas2:/backups/photos --snapshot 4f2a9c1e --to /tmp/2019-as-it-was'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	from: {type: 'string', description: 'Backup folder made by curate backup, or restic:REPO'},
	snapshot: {type: 'string', description: 'restic snapshot to restore from (default: the newest holding the right bytes)'},
	passwordFile: {type: 'string', description: 'File holding the restic repository password (or RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND)'},
	to: {type: 'string', description: 'Restore into this folder instead, leaving the library untouched'},
	damaged: {type: 'boolean', default: false, description: 'Restore every file curate verify found damaged (bit rot)'},
	missing: {type: 'boolean', default: false, description: 'Restore every catalogued file missing from disk (not those in the trash)'},
	dryRun: {type: 'boolean', default: false, description: 'Show what would be restored, change nothing'},
};
