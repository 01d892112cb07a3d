// `curate verify`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Re-read catalogued files and report damaged (bit rot), modified and missing ones';
export const usage = 'curate verify [--sample N%] [--rate MB/s] [--backup DIR|restic:REPO [--read N%] [--password-file F]] [--deep] [--json]';
export const examples = ['curate verify', 'curate verify --sample 10% --rate 40', 'curate verify --deep', 'curate verify --backup /volumeUSB1/usbshare/photos --json', 'curate verify --backup restic:/volumeUSB1/photos-restic --read 10% --password-file ~/.restic-pass'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	sample: {type: 'string', description: 'Read only N% of the files, never-verified and longest-unverified first (e.g. 10%)'},
	rate: {type: 'number', description: 'Read at most this many MB/s (spare a NAS that others are using)'},
	backup: {type: 'string', description: 'Verify a backup made by curate backup (a folder, or restic:REPO) against the catalog'},
	read: {type: 'string', description: 'With a restic backup: restic check reads N% of the data, and N% of the files are compared, a different part each run'},
	passwordFile: {type: 'string', description: 'File holding the restic repository password (or RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND)'},
	deep: {type: 'boolean', description: 'Also decode in full the HEICs a scan fingerprinted from their thumbnail'},
};
