import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {PassThrough} from 'node:stream';
import {describe, test} from 'node:test';
import sharp from 'sharp';
import {PreviewCache} from '../../source/media/preview-cache.js';
import {graphicsProtocolFor, TerminalGraphics} from '../../source/media/terminal-graphics.js';
import {tempDir} from '../helpers/temp.js';

const linux = {isTTY: true, platform: 'linux'} as const;
const mac = {isTTY: true, platform: 'darwin'} as const;

describe('which terminals get graphics', () => {
	const cases: Array<[string, NodeJS.ProcessEnv, typeof linux | typeof mac | {isTTY: false; platform: 'linux'}, 'kitty' | 'iterm2' | undefined, RegExp?]> = [
		['kitty', {TERM: 'xterm-kitty'}, linux, 'kitty'],
		['kitty over SSH (TERM travels, KITTY_WINDOW_ID does not)', {TERM: 'xterm-kitty', SSH_CONNECTION: '1 2 3 4'}, linux, 'kitty'],
		['a kitty window', {TERM: 'xterm-256color', KITTY_WINDOW_ID: '1'}, linux, 'kitty'],
		['WezTerm', {TERM: 'xterm-256color', TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20240203-110809-5046fc22'}, linux, 'kitty'],
		['Konsole', {TERM: 'xterm-256color', KONSOLE_VERSION: '230804'}, linux, 'kitty'],
		['iTerm2 3.5 on macOS', {TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5.0'}, mac, 'iterm2'],
		['iTerm2 2 on macOS', {TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '2.9.1'}, mac, undefined],
		['iTerm2 with a KITTY_WINDOW_ID left over', {TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5.0', KITTY_WINDOW_ID: '3'}, mac, 'iterm2'],
		['VS Code 1.90', {TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.90.2'}, linux, 'iterm2'],
		['VS Code 1.79', {TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.79.0'}, linux, undefined],
		['Rio', {TERM_PROGRAM: 'rio', TERM_PROGRAM_VERSION: '0.2.1'}, linux, 'iterm2'],
		['a plain xterm', {TERM: 'xterm-256color'}, linux, undefined, /no graphics protocol/],
		['tmux inside kitty', {TERM: 'tmux-256color', TMUX: '/tmp/tmux-1000/default,1,0', KITTY_WINDOW_ID: '1'}, linux, undefined, /tmux/],
		['tmux with TERM=screen', {TERM: 'screen-256color', KITTY_WINDOW_ID: '1'}, linux, undefined, /tmux/],
		['kitty with NO_COLOR', {TERM: 'xterm-kitty', NO_COLOR: ''}, linux, undefined, /NO_COLOR/],
		['kitty, output not a terminal', {TERM: 'xterm-kitty'}, {isTTY: false, platform: 'linux'}, undefined, /not a terminal/],
	];
	for (const [name, env, terminal, expected, reason] of cases) {
		test(name, () => {
			const decision = graphicsProtocolFor(env, terminal);
			assert.equal(decision.protocol, expected);
			if (reason) {
				assert.match(decision.reason, reason);
			}
		});
	}
});

async function photo(dir: string, name: string, width = 2400, height = 1600): Promise<{absolute: string; sha256: string}> {
	const absolute = path.join(dir, name);
	// Real pixels with detail (a gradient and noise), encoded by sharp, so the preview path decodes a real JPEG.
	const noise = await sharp({create: {width, height, channels: 3, background: '#000', noise: {type: 'gaussian', mean: 128, sigma: 40}}}).jpeg().toBuffer();
	await sharp(noise).jpeg({quality: 90}).toFile(absolute);
	return {absolute, sha256: createHash('sha256').update(fs.readFileSync(absolute)).digest('hex')};
}

describe('preview cache', () => {
	test('renders a bounded JPEG from the original once, keyed by SHA-256, and reuses it', async () => {
		const dir = tempDir();
		const cache = new PreviewCache(path.join(dir, '.curate', 'previews'));
		const {absolute, sha256} = await photo(dir, 'big.jpg');
		const preview = await cache.ensure({absolute, sha256, format: 'jpeg', kind: 'image', orientation: 1});
		assert.equal(preview, path.join(dir, '.curate', 'previews', sha256.slice(0, 2), `${sha256}.jpg`));
		const meta = await sharp(preview).metadata();
		assert.equal(meta.format, 'jpeg');
		assert.equal(Math.max(meta.width!, meta.height!), 1200);
		assert.equal(meta.width! / meta.height!, 1.5);
		const written = fs.statSync(preview).mtimeMs;
		fs.rmSync(absolute);
		assert.equal(await cache.ensure({absolute, sha256, format: 'jpeg', kind: 'image', orientation: 1}), preview, 'served from the cache without the original');
		assert.equal(fs.statSync(preview).mtimeMs, written);
		assert.deepEqual(fs.readdirSync(path.dirname(preview)), [`${sha256}.jpg`], 'no temporary file left');
	});

	test('a small photo is not enlarged; a changed file, a video or a corrupt file is refused', async () => {
		const dir = tempDir();
		const cache = new PreviewCache(path.join(dir, 'previews'));
		const small = await photo(dir, 'small.jpg', 640, 480);
		const meta = await sharp(await cache.ensure({...small, format: 'jpeg', kind: 'image', orientation: null})).metadata();
		assert.deepEqual([meta.width, meta.height], [640, 480]);
		const other = await photo(dir, 'other.jpg', 300, 200);
		await assert.rejects(cache.ensure({absolute: other.absolute, sha256: small.sha256.replace(/^./, first => (first === '0' ? '1' : '0')), format: 'jpeg', kind: 'image', orientation: null}), /changed since the last scan/);
		await assert.rejects(cache.ensure({absolute: other.absolute, sha256: other.sha256, format: 'mov', kind: 'video', orientation: null}), /no preview for a video/);
		const corrupt = path.join(dir, 'corrupt.jpg');
		fs.writeFileSync(corrupt, fs.readFileSync(other.absolute).subarray(0, 2000));
		const sha256 = createHash('sha256').update(fs.readFileSync(corrupt)).digest('hex');
		await assert.rejects(cache.ensure({absolute: corrupt, sha256, format: 'jpeg', kind: 'image', orientation: null}));
		assert.equal(fs.existsSync(cache.pathFor(sha256)), false);
	});
});

describe('drawing outside Ink', () => {
	function capture() {
		const stream = new PassThrough();
		let written = '';
		stream.on('data', (chunk: Buffer) => {
			written += chunk.toString('latin1');
		});
		return {stream: stream as unknown as NodeJS.WriteStream, written: () => written};
	}

	test('iTerm2: the image goes to the box with the cursor saved and restored; hide erases it', async () => {
		const dir = tempDir();
		const {absolute, sha256} = await photo(dir, 'p.jpg', 800, 600);
		const out = capture();
		const graphics = new TerminalGraphics('iterm2', new PreviewCache(path.join(dir, 'previews')), dir, out.stream);
		// terminal-image reads the environment when it draws; VS Code 1.80+ takes iTerm2's inline images on Linux too.
		const saved = {program: process.env.TERM_PROGRAM, version: process.env.TERM_PROGRAM_VERSION};
		process.env.TERM_PROGRAM = 'vscode';
		process.env.TERM_PROGRAM_VERSION = '1.90.0';
		try {
			await graphics.show({path: path.basename(absolute), sha256, format: 'jpeg', kind: 'image', orientation: 1}, {row: 1, column: 1, columns: 79, rows: 17});
		} finally {
			for (const [name, value] of [['TERM_PROGRAM', saved.program], ['TERM_PROGRAM_VERSION', saved.version]] as const) {
				if (value === undefined) {
					delete process.env[name];
				} else {
					process.env[name] = value;
				}
			}
		}

		await new Promise(resolve => setImmediate(resolve));
		const text = out.written();
		assert.ok(text.startsWith('\u001B7\u001B[1;1H\u001B]1337;File='), JSON.stringify(text.slice(0, 40)));
		assert.match(text, /width=79;height=17/);
		assert.ok(text.endsWith('\u001B8'));
		graphics.hide();
		await new Promise(resolve => setImmediate(resolve));
		assert.ok(out.written().endsWith('\u001B[2J'));
	});

	test('leaving before the picture is ready draws nothing', async () => {
		const dir = tempDir();
		const {absolute, sha256} = await photo(dir, 'p.jpg', 800, 600);
		const out = capture();
		const graphics = new TerminalGraphics('kitty', new PreviewCache(path.join(dir, 'previews')), dir, out.stream);
		const showing = graphics.show({path: path.basename(absolute), sha256, format: 'jpeg', kind: 'image', orientation: 1}, {row: 1, column: 1, columns: 79, rows: 17});
		graphics.hide();
		await showing;
		await new Promise(resolve => setImmediate(resolve));
		assert.equal(out.written(), '');
	});
});
