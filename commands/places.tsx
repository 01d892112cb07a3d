import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {PlaceStore} from '../source/db/places.js';
import {openJournal} from '../source/journal/journal.js';
import {findLibrary, openForWrite, UserError} from '../source/library.js';
import {locateCatalog} from '../source/places/locate.js';

export {description, usage, examples, flags} from './places.spec.js';

/** `curate places`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')}`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const progress = (label: string) => (done: number, total: number) => {
		if (stderr.isTTY && !options.json) {
			stderr.write(`\r${label} ${done}/${total}${done === total ? '\n' : ''}`);
		}
	};

	const write = Boolean(options.write);
	const opened = write ? await openJournal(library) : (({catalog, release}) => ({catalog, journal: undefined, close: () => {
		catalog.close();
		release();
	}}))(openForWrite(library));
	try {
		const located = await locateCatalog(opened.catalog, {onProgress: ({done, total}) => progress('locating')(done, total)});
		const written = opened.journal ? await (await import('../source/places/place-writes.js')).writePlaces(opened.journal, {command: 'places --write', onProgress: progress('planning sidecars')}) : undefined;
		const store = new PlaceStore(opened.catalog);
		const counts = store.counts();
		const countries = store.countries();
		if (options.json) {
			stdout.write(safeJson({located: located.located, total: counts.located, offsets: located.offsets, seconds: Math.round(located.seconds * 100) / 100, countries, ...(written ? {written} : {})}) + '\n');
			return 0;
		}

		const lines = [
			located.located === 0
				? `All ${counts.located} photos with GPS already have a place.`
				: `Located ${located.located} ${located.located === 1 ? 'photo' : 'photos'} in ${located.seconds.toFixed(1)} s (${located.offsets} local times from GPS); ${counts.located} with a place in all.`,
		];
		for (const row of countries.slice(0, 10)) {
			lines.push(`  ${sanitize(row.country ?? 'at sea')}  ${row.count}`);
		}

		if (countries.length > 10) {
			lines.push(`  … and ${countries.length - 10} more countries (--json lists all)`);
		}

		if (written) {
			lines.push(written.batch === null ? `Every sidecar already holds its place (${written.unchanged}).` : `Wrote ${written.written} ${written.written === 1 ? 'sidecar' : 'sidecars'} (batch ${written.batch}: \`curate undo ${written.batch}\` takes it back).`);
		}

		stdout.write(lines.join('\n') + '\n');
		return 0;
	} finally {
		opened.close();
	}
}
