/**
 * Text from files (names, EXIF strings) can hold terminal escape sequences. Everything shown on a terminal passes
 * through here, so a file named `\x1b]0;pwned\x07.jpg` prints as harmless visible text.
 */

// C0 controls, DEL, C1 controls (U+0080–U+009F, which include the 8-bit CSI and OSC), bidi overrides, embeddings,
// isolates and marks (U+061C, U+200E/F) that can make a name read differently from what it is, and the Unicode line
// and paragraph separators, which some terminals break lines on.
const unsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** Replaces control characters with visible escapes (`\e`, `\n`, `\x07`, `\u202e`). */
export function sanitize(text: string): string {
	return text.replace(unsafe, character => {
		const code = character.codePointAt(0)!;
		switch (code) {
			case 0x1b: {
				return String.raw`\e`;
			}

			case 0x0a: {
				return String.raw`\n`;
			}

			case 0x0d: {
				return String.raw`\r`;
			}

			case 0x09: {
				return String.raw`\t`;
			}

			default: {
				return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
			}
		}
	});
}

/** Shortens text to `width` columns by cutting the middle, where paths carry the least information. */
export function middleEllipsis(text: string, width: number): string {
	const characters = [...text];
	if (characters.length <= width) {
		return text;
	}

	if (width <= 1) {
		return '…'.slice(0, width);
	}

	const keep = width - 1;
	const head = Math.ceil(keep / 2);
	return characters.slice(0, head).join('') + '…' + characters.slice(characters.length - (keep - head)).join('');
}

/**
 * JSON for stdout. JSON.stringify already escapes C0 controls; this also escapes C1 controls and bidi overrides, so
 * piping `--json` to a terminal is safe too. The result is still valid JSON with the same value.
 */
export function safeJson(value: unknown, indent?: number): string {
	return escapeJsonText(JSON.stringify(value, undefined, indent));
}

/**
 * Escapes, in JSON text, what JSON.stringify leaves raw (C1 controls, bidi characters, line separators) as `\uXXXX`.
 * These can only stand inside JSON strings, where the escape means the same character, so the value is unchanged.
 */
export function escapeJsonText(json: string): string {
	return json.replace(/[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
