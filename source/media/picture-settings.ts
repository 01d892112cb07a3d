import process from 'node:process';
import {cellModeFor} from './terminal-picture.js';

/**
 * How pictures are drawn on this terminal, for the review screens: whether colour may be used, the cell mode, and
 * the sentence their help shows.
 */
export function terminalPictures(stdout: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env) {
	const colour = !('NO_COLOR' in env) && (stdout.hasColors?.() ?? false);
	const mode = cellModeFor(env, colour);
	const note = mode === 'grey' ? 'Pictures: greyscale ASCII shades (NO_COLOR or no colour support).' : `Pictures: half-block cells in ${mode === 'truecolor' ? '24-bit' : '256'} colour.`;
	return {colour, mode, note};
}
