// `curate serve`'s help and flags, apart from its run function so `--help` and the command list load no engine.
import {type FlagSpec, libraryFlag} from '../source/command.js';

export const description = 'Serve the library\'s shares (curate share) over HTTP: a gallery per link, nothing else';
export const usage = 'curate serve [--bind 127.0.0.1] [--port 8080] [--base-url URL] [--trust-proxy ADDR]';
export const examples = [
	'curate serve                                   # http://127.0.0.1:8080, for a reverse proxy on the same box',
	'curate serve --base-url https://photos.example.org --trust-proxy 127.0.0.1',
];
export const flags: Record<string, FlagSpec> = {
	...libraryFlag,
	bind: {type: 'string', default: '127.0.0.1', description: 'Address to listen on (0.0.0.0 for every interface: plain HTTP, see the README for HTTPS)'},
	port: {type: 'number', default: 8080, description: 'Port to listen on (0: any free port)'},
	baseUrl: {type: 'string', description: 'The public address visitors use (https://… behind a reverse proxy): printed, and makes the session cookie Secure'},
	trustProxy: {type: 'string', description: 'IP address of the reverse proxy whose X-Forwarded-For is logged as the visitor\'s address (several: comma-separated)'},
};
