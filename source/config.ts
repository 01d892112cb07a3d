import fs from 'node:fs';
import path from 'node:path';
import {defaultKeeperConfig, type KeeperConfig, parseKeeperConfig} from './core/keeper.js';
import {type Library, UserError} from './library.js';

/** A library's settings, from `.curate/config.json` (every key optional). */
export type Config = {
	readonly keeper: KeeperConfig;
};

/** Path of a library's config file. */
export const configPath = (library: Library) => path.join(library.dir, 'config.json');

/**
 * Reads the library's config file. A missing file means defaults; a broken one is a clear error rather than a
 * silent fallback, because the keeper rules decide which copies go to the trash.
 */
export function loadConfig(library: Library): Config {
	const file = configPath(library);
	if (!fs.existsSync(file)) {
		return {keeper: defaultKeeperConfig};
	}

	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
	}

	try {
		const keeper = (raw as {keeper?: unknown})?.keeper;
		return {keeper: keeper === undefined ? defaultKeeperConfig : parseKeeperConfig(keeper)};
	} catch (error) {
		throw new UserError(`${file}: ${(error as Error).message}`);
	}
}
