import type {CommandContext} from '../source/command.js';
import {middleEllipsis, sanitize} from '../source/core/sanitize.js';
import {findLibrary} from '../source/library.js';
import {runCommand} from '../source/run/lifecycle.js';
import {serveLibrary} from '../source/serve/serve-library.js';
import {asked} from '../source/share/report.js';

export {description, usage, examples, flags} from './serve.spec.js';

/** `curate serve`: serves the shares until Ctrl-C, one line per request. */
export async function run({flags: options, stdout, stderr, cwd}: CommandContext): Promise<number> {
	const library = findLibrary({library: options.library as string | undefined, cwd});
	const log = (line: string) => {
		stdout.write(`${new Date().toISOString()} ${line}\n`);
	};

	return runCommand({name: 'serve', stdout, stderr, interrupt: {onStop: () => log('stopping…')}}, async ({signal}) => {
		const served = await serveLibrary(
			library,
			{bind: String(options.bind), port: Number(options.port), baseUrl: options.baseUrl as string | undefined, trustProxy: options.trustProxy as string | undefined},
			{
				onAccess(record) {
					const who = record.forwardedAddress ? `${record.forwardedAddress} via ${record.clientAddress}` : record.clientAddress;
					const share = record.shareId === null ? 'no share' : `share ${record.shareId}${record.recipientId === null ? '' : ` recipient ${record.recipientId}`}`;
					// What a visitor asked for is theirs to choose (up to 1000 characters): escaped, and cut to keep a line short.
					const what = middleEllipsis(sanitize(asked(record)), 60);
					log(`${sanitize(`${who} ${record.method} ${share} ${record.action}`)}${what ? ` ${what}` : ''} ${record.status}`);
				},
				onError(error) {
					stderr.write(`curate: serve: ${sanitize(error instanceof Error ? error.message : String(error))}\n`);
				},
			},
		);
		try {
			log(`serving shares on ${served.url}${served.publicUrl === served.url ? '' : ` (public address ${sanitize(served.publicUrl)})`}; Ctrl-C stops`);
			if (served.plainHttpOutside) {
				stderr.write('curate: serve: plain HTTP on an address other machines reach; put it behind an HTTPS reverse proxy (README: Serving shares)\n');
			}

			if (served.linksElsewhere) {
				stderr.write(`curate: serve: curate share prints links to http://127.0.0.1:8080; set share.baseUrl in .curate/config.json to ${served.url} (or the proxy's address)\n`);
			}

			await new Promise(resolve => {
				signal.addEventListener('abort', resolve, {once: true});
			});
		} finally {
			await served.close();
		}

		log('stopped');
		// Stopping is how a server ends, not an interruption of work: exit 0.
		return {json: {url: served.url}, text: () => [], interrupted: false};
	});
}
