import fs from 'node:fs';
import {configPath} from '../config.js';
import {type Library, UserError} from '../library.js';

/** How sidecars are named: `photo.jpg.xmp` (digiKam, darktable) or `photo.xmp` (Lightroom). */
export type SidecarNaming = 'ext' | 'lightroom';

/** The journal's settings from `.curate/config.json` (`{"journal": {"retentionDays": 30, "sidecar": "ext"}}`). */
export type JournalSettings = {readonly retentionDays: number; readonly sidecar: SidecarNaming};

/** Defaults: trash kept 30 days, sidecars named as digiKam and darktable do. */
export const defaultJournalSettings: JournalSettings = {retentionDays: 30, sidecar: 'ext'};

/**
 * Reads the `journal` section of the library's config. Kept apart from `config.ts`'s keeper rules so each feature
 * parses its own section; a wrong value is an error, not a silent default, because it decides what gets deleted.
 */
export function loadJournalSettings(library: Library): JournalSettings {
	const file = configPath(library);
	if (!fs.existsSync(file)) {
		return defaultJournalSettings;
	}

	let section: unknown;
	try {
		section = (JSON.parse(fs.readFileSync(file, 'utf8')) as {journal?: unknown})?.journal;
	} catch (error) {
		throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	if (section === undefined) {
		return defaultJournalSettings;
	}

	const {retentionDays = defaultJournalSettings.retentionDays, sidecar = defaultJournalSettings.sidecar} = section as {retentionDays?: unknown; sidecar?: unknown};
	if (typeof retentionDays !== 'number' || !Number.isFinite(retentionDays) || retentionDays < 0) {
		throw new UserError(`${file}: journal.retentionDays must be a number of days (0 or more)`);
	}

	if (sidecar !== 'ext' && sidecar !== 'lightroom') {
		throw new UserError(`${file}: journal.sidecar must be "ext" (photo.jpg.xmp) or "lightroom" (photo.xmp)`);
	}

	return {retentionDays, sidecar};
}
