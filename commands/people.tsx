import type {CommandContext} from '../source/command.js';
import {safeJson, sanitize} from '../source/core/sanitize.js';
import {FaceStore, hasFaceTables} from '../source/db/faces.js';
import {listPeople} from '../source/faces/people.js';
import {findLibrary, openForRead, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './people.spec.js';

const shown = 30;

/** `curate people`. */
export async function run({input, flags: options, stdout, cwd}: CommandContext): Promise<number> {
	if (input.length > 0) {
		throw new UserError(`unexpected arguments: ${input.join(' ')} (to name faces: curate people name cN|fN NAME)`);
	}

	const library = findLibrary({library: options.library as string | undefined, cwd});
	const catalog = openForRead(library);
	try {
		if (!hasFaceTables(catalog)) {
			stdout.write(options.json ? safeJson({faces: 0, people: [], groups: [], suggestions: []}) + '\n' : 'No faces yet: curate faces finds them.\n');
			return 0;
		}

		const listing = listPeople(new FaceStore(catalog));
		if (options.json) {
			stdout.write(safeJson(listing) + '\n');
			return 0;
		}

		if (listing.faces === 0) {
			stdout.write('No faces yet: curate faces finds them.\n');
			return 0;
		}

		const limit = options.all ? Infinity : shown;
		const lines: string[] = [];
		lines.push(listing.people.length > 0 ? 'People:' : 'No one named yet: curate people name cN NAME names a group.');
		for (const person of listing.people) {
			lines.push(`  ${sanitize(person.name)}  ${person.faces} ${person.faces === 1 ? 'face' : 'faces'} in ${person.photos} ${person.photos === 1 ? 'photo' : 'photos'}`);
		}

		lines.push(`Unnamed groups (faces whose similarity to the group reaches ${listing.threshold.toFixed(2)}): ${listing.groups.length}`);
		for (const group of listing.groups.slice(0, limit)) {
			const ids = group.faces.slice(0, 6).map(id => `f${id}`).join(' ') + (group.faces.length > 6 ? ' …' : '');
			lines.push(`  ${`c${group.cluster}`.padEnd(5)} ${String(group.faces.length).padStart(3)} ${group.faces.length === 1 ? 'face ' : 'faces'}  ${ids}  e.g. ${sanitize(group.example ?? '(no present photo)')}`);
		}

		if (listing.groups.length > limit) {
			lines.push(`  … and ${listing.groups.length - limit} more (--all lists every group)`);
		}

		if (listing.suggestions.length > 0) {
			lines.push(`Suggested names (not applied; confirm one with curate people name fN NAME):`);
			for (const suggestion of listing.suggestions.slice(0, limit)) {
				lines.push(`  f${suggestion.face}  ${sanitize(suggestion.person)}  confidence ${suggestion.confidence.toFixed(2)}  ${sanitize(suggestion.path ?? '')}`);
			}

			if (listing.suggestions.length > limit) {
				lines.push(`  … and ${listing.suggestions.length - limit} more (--all lists every suggestion)`);
			}
		} else {
			lines.push(`Names are suggested once a person has ${listing.minLabelledFaces} named faces.`);
		}

		stdout.write(lines.join('\n') + '\n');
		return 0;
	} finally {
		catalog.close();
	}
}
