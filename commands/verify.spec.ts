// `curate verify`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, jsonFlag, libraryFlag} from '../source/command.js';

export const description = 'Re-read catalogued files and report damaged (bit rot), modified and missing ones';
export const usage = 'curate verify [--sample N%] [--rate MB/s] [--backup DIR] [--deep] [--json]';
export const examples = ['curate verify', 'curate verify --sample 10% --rate 40', 'curate verify --deep', 'curate verify --backup /volumeUSB1/usbshare/photos --json'];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	...jsonFlag,
	sample: {type: 'string', description: 'Read only N% of the files, never-verified and longest-unverified first (e.g. 10%)'},
	rate: {type: 'number', description: 'Read at most this many MB/s (spare a NAS that others are using)'},
	backup: {type: 'string', description: 'Verify a backup made by curate backup in DIR against the catalog'},
	deep: {type: 'boolean', description: 'Also decode in full the HEICs a scan fingerprinted from their thumbnail'},
};
