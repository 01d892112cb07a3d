import fs from 'node:fs';
import {configPath} from '../config.js';
import {UserError} from '../errors.js';
import type {Library} from '../library.js';

/** How long a target's snapshots are kept, and how old its last backup may be before `curate status` warns. */
export type TargetSettings = {
	/** restic's `--keep-within`: every snapshot this recent is kept (`30d`, `6m`, `1y2m`). */
	readonly keepWithin: string;
	/** restic's `--keep-last`: never fewer snapshots than this. */
	readonly keepLast: number;
	/** `curate status` warns when the last successful backup is older than this many days. */
	readonly maxAgeDays: number;
};

/** Defaults: every snapshot of the last 30 days and never fewer than 2; a warning after 7 days without a backup. */
export const defaultTargetSettings: TargetSettings = {keepWithin: '30d', keepLast: 2, maxAgeDays: 7};

const durationPattern = /^(\d+y)?(\d+m)?(\d+d)?(\d+h)?$/;

function parseSection(section: unknown, where: string, base: TargetSettings): TargetSettings {
	if (section === undefined) {
		return base;
	}

	if (typeof section !== 'object' || section === null || Array.isArray(section)) {
		throw new UserError(`${where} must be an object such as {"keepWithin": "30d", "keepLast": 2, "maxAgeDays": 7}`);
	}

	const {keepWithin = base.keepWithin, keepLast = base.keepLast, maxAgeDays = base.maxAgeDays} = section as Record<string, unknown>;
	if (typeof keepWithin !== 'string' || keepWithin === '' || !durationPattern.test(keepWithin)) {
		throw new UserError(`${where}.keepWithin must be a duration as restic takes it: years, months, days, hours, e.g. "30d" or "1y6m"`);
	}

	if (typeof keepLast !== 'number' || !Number.isInteger(keepLast) || keepLast < 1) {
		throw new UserError(`${where}.keepLast must be a whole number of snapshots, 1 or more`);
	}

	if (typeof maxAgeDays !== 'number' || !(maxAgeDays > 0)) {
		throw new UserError(`${where}.maxAgeDays must be a number of days above 0`);
	}

	return {keepWithin, keepLast, maxAgeDays};
}

/**
 * A target's settings from the `backup` section of `.curate/config.json`: library-wide defaults, overridden per target
 * by its location (`restic:REPO` or the mirror folder's absolute path):
 * `{"backup": {"keepWithin": "30d", "keepLast": 2, "maxAgeDays": 7, "targets": {"restic:/mnt/usb/repo": {"keepWithin": "90d"}}}}`.
 * A wrong value is an error, never a silent default: retention decides which snapshots are deleted.
 */
export function loadTargetSettings(library: Library, location: string): TargetSettings {
	const file = configPath(library);
	if (!fs.existsSync(file)) {
		return defaultTargetSettings;
	}

	let section: unknown;
	try {
		section = (JSON.parse(fs.readFileSync(file, 'utf8')) as {backup?: unknown})?.backup;
	} catch (error) {
		throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	const library_ = parseSection(section, `${file}: backup`, defaultTargetSettings);
	const targets = (section as {targets?: unknown} | undefined)?.targets;
	if (targets === undefined) {
		return library_;
	}

	if (typeof targets !== 'object' || targets === null || Array.isArray(targets)) {
		throw new UserError(`${file}: backup.targets must map a target ("restic:REPO" or a folder) to its settings`);
	}

	return parseSection((targets as Record<string, unknown>)[location], `${file}: backup.targets["${location}"]`, library_);
}
