/**
 * Full-resolution pictures for the review screen's large view through terminal-image (issue 5): the kitty graphics
 * protocol or iTerm2's inline images where the terminal has them. Ink lays text out by counting cells and cannot
 * measure these escapes, so the picture is drawn outside Ink's frame: Ink leaves the picture's rows blank, and this
 * module writes the image there with explicit cursor positioning (saved and restored around it) and erases it on
 * the way out.
 */
import path from 'node:path';
import process from 'node:process';
import type {GraphicsBox, GraphicsRequest, GraphicsSource} from './picture-types.js';
import type {PreviewCache} from './preview-cache.js';

/** The graphics protocols the large view can use. */
export type GraphicsProtocol = 'kitty' | 'iterm2';

/** What a terminal gets: a protocol or the half-block fallback, and why (shown in the help). */
export type GraphicsDecision = {readonly protocol: GraphicsProtocol | undefined; readonly reason: string};

function atLeast(version: string | undefined, minimum: readonly number[]): boolean {
	const parts = (version ?? '').split('.').map(part => Number.parseInt(part, 10));
	if (parts.length < minimum.length || parts.some(part => Number.isNaN(part))) {
		return false;
	}

	for (const [index, wanted] of minimum.entries()) {
		if (parts[index]! !== wanted) {
			return parts[index]! > wanted;
		}
	}

	return true;
}

/**
 * Which protocol terminal-image 4.0 will use on this terminal, from the same environment variables it reads
 * (it exports no detection of its own): kitty's protocol for kitty (`TERM=xterm-kitty` or `KITTY_WINDOW_ID`), WezTerm
 * and Konsole; iTerm2's for iTerm2 3+ (terminal-image only recognises it on macOS), Rio 0.1.13+ and VS Code 1.80+.
 * Curate adds three refusals: not a TTY; inside tmux or GNU screen, which do not pass graphics escapes through (and
 * keep the outer terminal's KITTY_WINDOW_ID, which would fool the detection); and NO_COLOR, which asks for no colour.
 */
export function graphicsProtocolFor(env: NodeJS.ProcessEnv, terminal: {readonly isTTY: boolean; readonly platform: NodeJS.Platform}): GraphicsDecision {
	const none = (reason: string): GraphicsDecision => ({protocol: undefined, reason});
	if (!terminal.isTTY) {
		return none('not a terminal');
	}

	if ('NO_COLOR' in env) {
		return none('NO_COLOR is set');
	}

	if (env.TMUX || env.STY || /^(screen|tmux)/.test(env.TERM ?? '') || env.TERM_PROGRAM === 'tmux') {
		return none('tmux and screen do not pass graphics through');
	}

	const program = env.TERM_PROGRAM;
	if (program !== 'iTerm.app' && (env.TERM === 'xterm-kitty' || env.KITTY_WINDOW_ID || program === 'WezTerm' || program === 'konsole' || env.KONSOLE_VERSION)) {
		return {protocol: 'kitty', reason: 'kitty graphics protocol'};
	}

	const iterm =
		(program === 'iTerm.app' && terminal.platform === 'darwin' && atLeast(env.TERM_PROGRAM_VERSION, [3]))
		|| (program === 'rio' && atLeast(env.TERM_PROGRAM_VERSION, [0, 1, 13]))
		|| (program === 'vscode' && atLeast(env.TERM_PROGRAM_VERSION, [1, 80, 0]));
	return iterm ? {protocol: 'iterm2', reason: 'iTerm2 inline images'} : none('the terminal announces no graphics protocol');
}

const saveCursor = '\u001B7';
const restoreCursor = '\u001B8';
const moveTo = (row: number, column: number) => `\u001B[${row};${column}H`;
/** kitty: delete every image placed on the visible screen. */
const kittyDeleteAll = '\u001B_Ga=d\u001B\\';
/** Erase the screen without moving the cursor, so Ink's relative cursor bookkeeping stays right. */
const eraseScreen = '\u001B[2J';
/** Ink writes at most one frame per 33 ms (maxFps 30): pictures are drawn after its frame is out. */
const afterInkFrame = 70;

/**
 * Pictures drawn over Ink's frame with kitty's or iTerm2's escapes (the large view, issue 5; the face grid, issue 19).
 * Ink cannot measure these escapes, so each picture is written at its cell with explicit cursor positioning, saved and
 * restored around it, after Ink's frame is out; `hide` erases them before Ink draws anything else. `generation` counts
 * shows and hides, so a show that a later one overtook draws nothing.
 */
export abstract class GraphicsOverlay {
	readonly name: string;
	protected drawn = false;
	protected generation = 0;

	constructor(
		protected readonly protocol: GraphicsProtocol,
		protected readonly stdout: NodeJS.WritableStream,
	) {
		this.name = protocol === 'kitty' ? 'kitty graphics protocol' : 'iTerm2 inline images';
	}

	hide = (): void => {
		this.generation++;
		if (this.drawn) {
			this.drawn = false;
			this.stdout.write(this.protocol === 'kitty' ? kittyDeleteAll + eraseScreen : eraseScreen);
		}
	};

	/** Waits until Ink's frame, written when the work that began at `started` did, is out. */
	protected async afterInkFrame(started: number): Promise<void> {
		const wait = afterInkFrame - (Date.now() - started);
		if (wait > 0) {
			await new Promise(resolve => setTimeout(resolve, wait));
		}
	}

	/** kitty keeps images over the text until told otherwise: deletes the ones drawn before. */
	protected deleteKittyImages(): void {
		if (this.drawn && this.protocol === 'kitty') {
			this.stdout.write(kittyDeleteAll);
		}
	}

	/** Draws `image` in the `columns` x `rows` cells from (`row`, `column`), 1-based. */
	protected async drawAt(image: Buffer, row: number, column: number, columns: number, rows: number): Promise<void> {
		// Loaded here, not at start-up: terminal-image brings a GIF renderer and an image library that took a second of
		// review's first screen under load (issue 15). Loaded before the cursor is saved, so nothing waits in between.
		const {default: terminalImage} = await import('terminal-image');
		this.stdout.write(saveCursor + moveTo(row, column));
		this.drawn = true;
		try {
			// For kitty, terminal-image writes the image itself (synchronously for PNG) and returns ''.
			this.stdout.write(await terminalImage.buffer(image, {width: columns, height: rows, preserveAspectRatio: true}));
		} finally {
			this.stdout.write(restoreCursor);
		}
	}
}

/** Pixels per cell assumed when sizing what is sent: generous, so the terminal only ever scales down. */
const cellPixels = {width: 12, height: 24};

/** A `GraphicsSource` that draws cached previews on the terminal with terminal-image. */
export class TerminalGraphics extends GraphicsOverlay implements GraphicsSource {
	constructor(
		protocol: GraphicsProtocol,
		private readonly previews: PreviewCache,
		/** The library root the requests' paths are relative to. */
		private readonly root: string,
		stdout: NodeJS.WriteStream = process.stdout,
	) {
		super(protocol, stdout);
	}

	show = async (request: GraphicsRequest, box: GraphicsBox): Promise<void> => {
		const generation = ++this.generation;
		const started = Date.now();
		const preview = await this.previews.ensure({...request, absolute: path.join(this.root, ...request.path.split('/'))});
		// Loaded at the first large view, not at start-up (issue 15).
		const {default: sharp} = await import('sharp');
		// kitty takes PNG only (terminal-image would convert other formats in pure JavaScript, slowly); iTerm2 takes JPEG.
		const bytes =
			this.protocol === 'kitty'
				? await sharp(preview).resize(box.columns * cellPixels.width, box.rows * cellPixels.height, {fit: 'inside', withoutEnlargement: true}).png({compressionLevel: 3}).toBuffer()
				: await sharp(preview).toBuffer();
		await this.afterInkFrame(started);
		if (generation !== this.generation) {
			return;
		}

		await this.drawAt(bytes, box.row, box.column, box.columns, box.rows);
	};
}
