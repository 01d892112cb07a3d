import type {CommandContext} from '../source/command.js';
import {sanitize} from '../source/core/sanitize.js';
import {faceStoreOf, hasFaceTables} from '../source/db/faces.js';
import {applyFaceDecisions} from '../source/faces/decisions.js';
import {checkName, namedTarget} from '../source/faces/people.js';
import {openJournal} from '../source/journal/journal.js';
import {findLibrary, UserError} from '../source/library.js';

export {description, usage, examples, flags} from './people-name.spec.js';

/** `curate people name`. */
export async function run({input, flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	if (input.length !== 2) {
		throw new UserError('usage: curate people name cN|fN NAME (quote a name with spaces)');
	}

	const person = checkName(input[1]!);
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const {journal, catalog, close} = await openJournal(library);
	try {
		for (const line of journal.recovered) {
			stderr.write(`curate: ${sanitize(line)}\n`);
		}

		if (!hasFaceTables(catalog)) {
			throw new UserError('no faces yet: curate faces finds them');
		}

		const ids = namedTarget(faceStoreOf(catalog), input[0]!);
		const result = await applyFaceDecisions(journal, [{action: 'name', faceIds: ids, person}], {command: `people name ${input[0]!}`});
		const faces = `${ids.length} ${ids.length === 1 ? 'face' : 'faces'}`;
		const sidecars = result.sidecarsWritten === 0 ? '' : `, ${result.sidecarsWritten} ${result.sidecarsWritten === 1 ? 'sidecar' : 'sidecars'} written`;
		stdout.write(
			result.batchId === null
				? `${faces} already named ${sanitize(person)}.\n`
				: `Named ${faces} ${sanitize(person)}${sidecars} (batch ${result.batchId}: \`curate undo ${result.batchId}\` takes it back).\n`,
		);
		return 0;
	} finally {
		close();
	}
}
