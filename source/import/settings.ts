import fs from 'node:fs';
import {configPath} from '../config.js';
import {defaultEventGapMs} from '../core/events.js';
import {parseDuration} from '../core/duration.js';
import {defaultPattern, parsePattern, type UndatedPolicy} from '../core/pattern.js';
import {type Library, UserError} from '../library.js';
import {loadPlacementRules} from '../rules/rules-file.js';
import type {PlacementOptions} from './plan-import.js';

/**
 * Placement settings: flags first, then the `import` key of `.curate/config.json`
 * (`{"import": {"pattern": "{year}/{event}", "gap": "6h", "undated": "unknown"}}`), then the defaults.
 */
export function placementSettings(library: Library, flags: {readonly pattern?: string | undefined; readonly gap?: string | undefined; readonly undated?: string | undefined}): PlacementOptions & {readonly gapText: string} {
	let saved: {pattern?: unknown; gap?: unknown; undated?: unknown} = {};
	const file = configPath(library);
	if (fs.existsSync(file)) {
		try {
			saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as {import?: typeof saved}).import ?? {};
		} catch (error) {
			throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
		}
	}

	const text = (value: unknown, key: string) => {
		if (value !== undefined && typeof value !== 'string') {
			throw new UserError(`${file}: import.${key} must be a string`);
		}

		return value;
	};

	const patternText = flags.pattern ?? text(saved.pattern, 'pattern') ?? defaultPattern;
	const gapText = flags.gap ?? text(saved.gap, 'gap') ?? '6h';
	const undated = flags.undated ?? text(saved.undated, 'undated') ?? 'mtime';
	if (undated !== 'mtime' && undated !== 'unknown') {
		throw new UserError(`undated must be "mtime" or "unknown", not "${undated}"`);
	}

	try {
		const gapMs = gapText === '6h' ? defaultEventGapMs : parseDuration(gapText);
		if (gapMs <= 0) {
			throw new Error('the event gap must be longer than 0');
		}

		const pattern = parsePattern(patternText);
		// Rules from tags to folders (issue 17), with the taxonomy's aliases when there are rules to use them.
		const {rules, taxonomy} = loadPlacementRules(library);
		return {pattern, gapMs, gapText, undated: undated as UndatedPolicy, rules, taxonomy};
	} catch (error) {
		throw error instanceof UserError ? error : new UserError((error as Error).message);
	}
}
