/**
 * The real `curate serve` as a child process, for end-to-end tests of serve and share: start it, start it on a
 * scanned library of made-up trip photos, and visit it with curl as a user would.
 */
import assert from 'node:assert/strict';
import {type ChildProcess, execFile, spawn} from 'node:child_process';
import path from 'node:path';
import {promisify} from 'node:util';
import {endExiftool} from '../../source/adapters/exif.js';
import {cliEntry, runCli, tsxLoader} from '../helpers/cli.js';
import {type GeoPhoto, makeGeoPhotos} from '../helpers/geo-photos.js';
import {tempDir} from '../helpers/temp.js';

/** A running `curate serve`. */
export type ServeProcess = {
	/** The address it printed, `http://127.0.0.1:PORT`. */
	readonly url: string;
	readonly child: ChildProcess;
	/** Everything it printed so far. */
	readonly output: () => {stdout: string; stderr: string};
	/** Sends Ctrl-C (SIGINT) and waits for it to end. */
	readonly stop: () => Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}>;
};

/** Starts `curate serve ARGS` in `cwd`; rejects with its output if it ends or prints no address within `timeoutMs`. */
export async function startServe(args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<ServeProcess> {
	const child = spawn(process.execPath, ['--import', tsxLoader, cliEntry, 'serve', ...args], {cwd, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', chunk => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', chunk => {
		stderr += chunk;
	});
	const ended = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.on('close', (code, signal) => {
			resolve({code, signal});
		});
	});
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`curate serve printed no address in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
		}, timeoutMs);
		const look = () => {
			const match = /serving shares on (http:\/\/[^\s;]+)/.exec(stdout);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!);
			}
		};

		child.stdout.on('data', look);
		void ended.then(({code}) => {
			clearTimeout(timer);
			reject(new Error(`curate serve ended (exit ${code}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
		});
	});
	return {
		url,
		child,
		output: () => ({stdout, stderr}),
		async stop() {
			child.kill('SIGINT');
			const result = await ended;
			return {...result, stdout, stderr};
		},
	};
}

/** A scanned library of `photos` (made with their GPS) in a fresh folder, and a `curate serve` on it (any free port). */
export async function serveGeoLibrary(photos: readonly GeoPhoto[], prefix = 'curate-serve-'): Promise<{root: string; serve: ServeProcess}> {
	const root = path.join(tempDir(prefix), 'library');
	await makeGeoPhotos(root, photos);
	// This process's exiftool is done with the library: the CLI runs its own.
	await endExiftool();
	const scanned = await runCli(['scan', root]);
	assert.equal(scanned.code, 0, scanned.stderr);
	return {root, serve: await startServe(['--port', '0'], root)};
}

/** Stops a server started by the test (if it started) and checks it ended as Ctrl-C ends it: exit 0. */
export async function stopServe(serve: ServeProcess | undefined): Promise<void> {
	const stopped = await serve?.stop();
	assert.equal(stopped?.code, 0, stopped?.stderr);
}

/** The link `curate share` printed, on the port this test's server listens on (port 0: any free one). */
export const onServer = (link: string, serve: ServeProcess) => `${serve.url}${new URL(link).pathname}`;

const run = promisify(execFile);

/** curl, as a user would run it; `--path-as-is` sends `..` as typed. Returns the status and the body. */
export async function curl(url: string, options: {output?: string; pathAsIs?: boolean} = {}): Promise<{status: number; body: string}> {
	const args = ['-sS', '-o', options.output ?? '-', '-w', '\n%{http_code}', ...(options.pathAsIs ? ['--path-as-is'] : []), url];
	const {stdout} = await run('curl', args, {maxBuffer: 64 * 1024 * 1024});
	const cut = stdout.lastIndexOf('\n');
	return {status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut)};
}
