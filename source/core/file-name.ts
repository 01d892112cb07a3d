/**
 * File names that must fit: the longest name most file systems take is 255 bytes (ext4, Btrfs, ZFS, XFS; APFS and
 * NTFS count 255 UTF-16 units, which 255 bytes of UTF-8 never exceed). A photo may already have a name that long, so
 * any name Curate derives from another (a collision suffix, an export's `-1`, a sidecar's `.xmp`) is cut to fit,
 * whole characters only, keeping what follows the cut (suffix and extension) whole.
 */

/** The longest file name, in bytes of UTF-8. */
export const maxNameBytes = 255;

/** The size of `text` in bytes of UTF-8 (a lone surrogate counts as the three bytes of U+FFFD, as it is written). */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (const character of text) {
		const code = character.codePointAt(0)!;
		bytes += code < 0x80 ? 1 : code < 0x8_00 ? 2 : code < 0x1_00_00 ? 3 : 4;
	}

	return bytes;
}

/** `text` cut to at most `bytes` bytes of UTF-8, whole characters only: never half of a multi-byte character or pair. */
export function fitBytes(text: string, bytes: number): string {
	let used = 0;
	let end = 0;
	for (const character of text) {
		const size = utf8Bytes(character);
		if (used + size > bytes) {
			return text.slice(0, end);
		}

		used += size;
		end += character.length;
	}

	return text;
}

/**
 * The name `stem + tail` made to fit in `maxNameBytes - reserved` bytes: `tail` (a suffix such as ` (1)` and the
 * extension) is kept whole and the stem is cut, whole characters only. `reserved` keeps room for what a companion
 * adds to the same stem (an `.xmp` sidecar after the extension).
 */
export function fitName(stem: string, tail: string, reserved = 0): string {
	return `${fitBytes(stem, maxNameBytes - reserved - utf8Bytes(tail))}${tail}`;
}

/** A folder name cut to fit (whole characters), without the trailing dots and spaces file systems drop or refuse. */
export function fitFolderName(name: string): string {
	const fitted = fitBytes(name, maxNameBytes);
	return fitted === name ? name : fitted.replace(/[\s.]+$/, '');
}

/** A file name cut to fit: its stem is cut (whole characters) and its extension kept. */
export function fitFileName(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot <= 0 ? fitBytes(name, maxNameBytes) : fitName(name.slice(0, dot), name.slice(dot));
}
