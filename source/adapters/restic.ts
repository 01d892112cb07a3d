/**
 * The only module that runs `restic` (issue 18). Curate drives restic rather than reinventing encrypted, deduplicated,
 * versioned storage: restic's own locks and atomic snapshots keep a repository usable whatever happens to a run.
 *
 * The password never passes through Curate's flags' values or its catalog: `--password-file F` is handed to restic as
 * the same flag, and RESTIC_PASSWORD_FILE / RESTIC_PASSWORD_COMMAND / RESTIC_PASSWORD reach it through the environment.
 * restic's stdin is never a terminal, so it can never sit waiting for a typed password.
 */
import {spawn, spawnSync} from 'node:child_process';
import {UserError} from '../errors.js';

/** The oldest restic Curate drives: `dump --archive tar`, `--files-from-raw` and `check --read-data-subset n/t`. */
export const minimumResticVersion = '0.14.0';

/** How to reach one repository. */
export type ResticRepository = {
	/** As restic takes it: a path, `sftp:…`, `s3:…`, `b2:…`, `rest:…`, `rclone:…`. */
	readonly repo: string;
	readonly passwordFile?: string;
	/** The restic binary: `CURATE_RESTIC` or `restic` on the PATH. */
	readonly binary?: string;
};

/** One snapshot as `restic snapshots --json` lists it. */
export type ResticSnapshot = {
	readonly id: string;
	readonly shortId: string;
	readonly time: string;
	readonly paths: readonly string[];
	readonly tags: readonly string[];
	readonly hostname: string;
};

/** restic's closing summary of a backup. */
export type ResticBackupSummary = {
	readonly snapshotId: string;
	readonly filesNew: number;
	readonly filesChanged: number;
	readonly filesUnmodified: number;
	readonly dataAdded: number;
	readonly totalBytesProcessed: number;
	readonly totalFilesProcessed: number;
};

/** A progress line of a running backup. */
export type ResticBackupStatus = {
	readonly percentDone: number;
	readonly filesDone: number;
	readonly totalFiles: number;
	readonly bytesDone: number;
	readonly totalBytes: number;
	readonly current?: string;
};

const binaryOf = (repository: ResticRepository) => repository.binary ?? process.env.CURATE_RESTIC ?? 'restic';

const compareVersions = (a: string, b: string) => {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	for (let index = 0; index < 3; index++) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) {
			return difference;
		}
	}

	return 0;
};

const installHint = 'install it (Debian, Ubuntu, most NAS shells: apt-get install restic; Synology and QNAP: the static binary from restic\'s releases, copied to /usr/local/bin)';

/** The installed restic's version; a clear error when it is missing or too old. */
export function resticVersion(binary = process.env.CURATE_RESTIC ?? 'restic'): string {
	const result = spawnSync(binary, ['version'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	if (result.error) {
		throw new UserError((result.error as NodeJS.ErrnoException).code === 'ENOENT'
			? `restic is not installed: ${installHint}`
			: `cannot run restic: ${result.error.message}`);
	}

	const version = /restic (\d+\.\d+\.\d+)/.exec(result.stdout)?.[1];
	if (!version) {
		throw new UserError(`cannot tell restic's version from "${result.stdout.trim().slice(0, 80)}"`);
	}

	if (compareVersions(version, minimumResticVersion) < 0) {
		throw new UserError(`restic ${version} is too old: Curate needs ${minimumResticVersion} or newer; ${installHint}`);
	}

	return version;
}

/** Whether restic has a password to use, from the flag or restic's own environment variables. */
export function checkPassword(repository: ResticRepository): void {
	if (repository.passwordFile !== undefined || process.env.RESTIC_PASSWORD_FILE || process.env.RESTIC_PASSWORD_COMMAND || process.env.RESTIC_PASSWORD) {
		return;
	}

	throw new UserError('restic needs the repository password: --password-file FILE, or RESTIC_PASSWORD_FILE or RESTIC_PASSWORD_COMMAND in the environment (never a flag value)');
}

/**
 * restic's last "Fatal: …" line, made into one line a user can act on. The causes users meet (wrong password, a
 * repository locked by another run, an unreachable remote, no repository yet, a full disk) get their own wording.
 */
export function resticFailure(repository: ResticRepository, stderr: string, code: number | null): UserError {
	const lines = stderr.split('\n').map(line => line.trim()).filter(Boolean);
	const fatal = [...lines].reverse().find(line => line.startsWith('Fatal:'))?.replace(/^Fatal:\s*/, '') ?? lines.at(-1) ?? `exit code ${code}`;
	const where = `restic repository ${repository.repo}`;
	if (/wrong password|no key found/i.test(fatal)) {
		return new UserError(`wrong password for the ${where} (check --password-file or RESTIC_PASSWORD_FILE)`);
	}

	if (/already locked|unable to create lock/i.test(stderr)) {
		return new UserError(`the ${where} is locked by another restic run; wait for it, or run \`restic -r ${repository.repo} unlock\` if that run is dead`);
	}

	if (/no space left on device/i.test(stderr)) {
		return new UserError(`the disk holding the ${where} is full`);
	}

	if (/unable to open config file|Is there a repository at the following location/i.test(stderr)) {
		if (/connection refused|no such host|timeout|i\/o timeout|network is unreachable|dial tcp/i.test(stderr)) {
			return new UserError(`cannot reach the ${where}: ${fatal}`);
		}

		return new UserError(`no restic repository at ${repository.repo} (create one with --init)`);
	}

	if (/connection refused|no such host|network is unreachable|dial tcp/i.test(stderr)) {
		return new UserError(`cannot reach the ${where}: ${fatal}`);
	}

	return new UserError(`restic failed on the ${where}: ${fatal}`);
}

type RunOptions = {
	readonly cwd?: string;
	readonly signal?: AbortSignal;
	/** Called with each stdout line as it arrives (restic's --json progress). */
	readonly onLine?: (line: string) => void;
	/** Exit codes that are not failures (backup's 3: some files could not be read, the snapshot was still saved). */
	readonly okCodes?: readonly number[];
	/** Keep stdout as a Buffer (dump). */
	readonly onData?: (chunk: Buffer) => void;
};

/** Runs `restic -r REPO ARGS…`, resolving with its stdout (unless streamed) and exit code; a failure throws one line. */
export async function runRestic(repository: ResticRepository, args: readonly string[], options: RunOptions = {}): Promise<{stdout: string; stderr: string; code: number}> {
	const fullArgs = ['--repo', repository.repo, ...(repository.passwordFile === undefined ? [] : ['--password-file', repository.passwordFile]), ...args];
	return new Promise((resolve, reject) => {
		const child = spawn(binaryOf(repository), fullArgs, {cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, RESTIC_PROGRESS_FPS: '2'}});
		let stdout = '';
		let stderr = '';
		let pending = '';
		const abort = () => {
			// restic finishes or abandons the snapshot atomically on SIGINT: nothing half-written is ever a snapshot.
			child.kill('SIGINT');
		};

		options.signal?.addEventListener('abort', abort, {once: true});
		child.stdout.on('data', (chunk: Buffer) => {
			if (options.onData) {
				options.onData(chunk);
				return;
			}

			const text = chunk.toString('utf8');
			if (options.onLine) {
				pending += text;
				const lines = pending.split('\n');
				pending = lines.pop() ?? '';
				for (const line of lines) {
					options.onLine(line);
				}
			} else {
				stdout += text;
			}
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
			if (stderr.length > 1_000_000) {
				stderr = stderr.slice(-100_000);
			}
		});
		child.on('error', error => {
			options.signal?.removeEventListener('abort', abort);
			reject((error as NodeJS.ErrnoException).code === 'ENOENT' ? new UserError(`restic is not installed: ${installHint}`) : error);
		});
		child.on('close', code => {
			options.signal?.removeEventListener('abort', abort);
			if (pending && options.onLine) {
				options.onLine(pending);
			}

			if (code === 0 || (code !== null && options.okCodes?.includes(code))) {
				resolve({stdout, stderr, code});
				return;
			}

			if (options.signal?.aborted) {
				reject(new DOMException('restic was interrupted', 'AbortError'));
				return;
			}

			reject(resticFailure(repository, stderr, code));
		});
	});
}

/** `restic init`. */
export async function initRepository(repository: ResticRepository): Promise<void> {
	await runRestic(repository, ['init']);
}

/** Whether the repository exists and opens with the password (a clear error for every other failure). */
export async function repositoryExists(repository: ResticRepository): Promise<boolean> {
	try {
		await runRestic(repository, ['cat', 'config']);
		return true;
	} catch (error) {
		if (error instanceof UserError && error.message.startsWith('no restic repository at')) {
			return false;
		}

		throw error;
	}
}

/** Snapshots carrying every tag in `tags`, oldest first. */
export async function listSnapshots(repository: ResticRepository, tags: readonly string[] = []): Promise<ResticSnapshot[]> {
	const {stdout} = await runRestic(repository, ['snapshots', '--json', ...(tags.length > 0 ? ['--tag', tags.join(',')] : [])]);
	const raw = JSON.parse(stdout || '[]') as Array<Record<string, any>>;
	return raw.map(snapshot => ({
		id: String(snapshot.id),
		shortId: String(snapshot.short_id ?? String(snapshot.id).slice(0, 8)),
		time: String(snapshot.time),
		paths: (snapshot.paths ?? []) as string[],
		tags: (snapshot.tags ?? []) as string[],
		hostname: String(snapshot.hostname ?? ''),
	})).sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * `restic backup --json` of `paths` from `cwd`, excluding the patterns in `excludeFile`, tagged. Exit code 3 (some
 * source files could not be read) still saves a snapshot; the unreadable files come back in `errors`.
 */
export async function backupPaths(
	repository: ResticRepository,
	paths: readonly string[],
	options: {readonly excludeFile: string; readonly tags: readonly string[]; readonly cwd: string; readonly time?: string; readonly signal?: AbortSignal; readonly onStatus?: (status: ResticBackupStatus) => void},
): Promise<{summary: ResticBackupSummary; errors: Array<{path: string; error: string}>}> {
	let summary: ResticBackupSummary | undefined;
	const errors: Array<{path: string; error: string}> = [];
	await runRestic(repository, [
		'backup', '--json', '--exclude-file', options.excludeFile,
		...options.tags.flatMap(tag => ['--tag', tag]),
		...(options.time ? ['--time', options.time] : []),
		'--', ...paths,
	], {
		cwd: options.cwd,
		signal: options.signal,
		okCodes: [3],
		onLine(line) {
			let message: Record<string, any>;
			try {
				message = JSON.parse(line) as Record<string, any>;
			} catch {
				return;
			}

			if (message.message_type === 'status') {
				options.onStatus?.({
					percentDone: Number(message.percent_done ?? 0),
					filesDone: Number(message.files_done ?? 0),
					totalFiles: Number(message.total_files ?? 0),
					bytesDone: Number(message.bytes_done ?? 0),
					totalBytes: Number(message.total_bytes ?? 0),
					current: Array.isArray(message.current_files) ? String(message.current_files[0] ?? '') || undefined : undefined,
				});
			} else if (message.message_type === 'error') {
				errors.push({path: String(message.item ?? ''), error: String(message.error?.message ?? message.error ?? 'error')});
			} else if (message.message_type === 'summary') {
				summary = {
					snapshotId: String(message.snapshot_id),
					filesNew: Number(message.files_new ?? 0),
					filesChanged: Number(message.files_changed ?? 0),
					filesUnmodified: Number(message.files_unmodified ?? 0),
					dataAdded: Number(message.data_added ?? 0),
					totalBytesProcessed: Number(message.total_bytes_processed ?? 0),
					totalFilesProcessed: Number(message.total_files_processed ?? 0),
				};
			}
		},
	});
	if (!summary?.snapshotId || summary.snapshotId === 'undefined') {
		throw new UserError(`restic saved no snapshot in ${repository.repo}`);
	}

	return {summary, errors};
}

/** The retention policy of one target, as restic's forget takes it. */
export type RetentionPolicy = {readonly keepWithin: string; readonly keepLast: number};

/**
 * `restic forget --keep-within … --keep-last …` over the snapshots carrying `tags`, then `restic prune` when any
 * went (so their data is freed); the ids removed and kept.
 */
export async function forgetSnapshots(repository: ResticRepository, policy: RetentionPolicy, tags: readonly string[], options: {readonly dryRun?: boolean; readonly prune?: boolean} = {}): Promise<{removed: string[]; kept: string[]}> {
	const {stdout} = await runRestic(repository, [
		'forget', '--json', '--group-by', 'tags', '--tag', tags.join(','),
		'--keep-within', policy.keepWithin, '--keep-last', String(policy.keepLast),
		...(options.dryRun ? ['--dry-run'] : []),
	]);
	const line = stdout.split('\n').find(text => text.trimStart().startsWith('[')) ?? '[]';
	const groups = JSON.parse(line) as Array<{keep?: Array<{id: string}> | null; remove?: Array<{id: string}> | null}>;
	const removed = groups.flatMap(group => (group.remove ?? []).map(snapshot => snapshot.id));
	if (options.prune && !options.dryRun && removed.length > 0) {
		await runRestic(repository, ['prune']);
	}

	return {removed, kept: groups.flatMap(group => (group.keep ?? []).map(snapshot => snapshot.id))};
}

/** `restic check`, reading `subset` (`n/t`) of the data; the problems it reported (none when the repository is sound). */
export async function checkRepository(repository: ResticRepository, subset?: string): Promise<{ok: boolean; problems: string[]}> {
	try {
		await runRestic(repository, ['check', ...(subset ? ['--read-data-subset', subset] : [])]);
		return {ok: true, problems: []};
	} catch (error) {
		if (error instanceof UserError && error.message.startsWith('restic failed')) {
			return {ok: false, problems: [error.message]};
		}

		throw error;
	}
}

/** Streams `restic dump --archive tar SNAPSHOT PATH` into `onData`. */
export async function dumpTar(repository: ResticRepository, snapshot: string, folder: string, onData: (chunk: Buffer) => void, signal?: AbortSignal): Promise<void> {
	await runRestic(repository, ['dump', '--archive', 'tar', snapshot, folder], {onData, signal});
}

/** Streams one file's bytes out of a snapshot (`restic dump SNAPSHOT FILE`). */
export async function dumpFile(repository: ResticRepository, snapshot: string, file: string, onData: (chunk: Buffer) => void): Promise<void> {
	await runRestic(repository, ['dump', snapshot, file], {onData});
}

/** `restic unlock`: removes only stale locks (of runs that died), never a live run's. */
export async function removeStaleLocks(repository: ResticRepository): Promise<void> {
	await runRestic(repository, ['unlock']);
}
