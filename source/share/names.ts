/**
 * File names of shared copies: safe ASCII (letters, digits, `-`, `_`, `.`), unique in a share by their position
 * prefix, so the server matches a requested name exactly and never has to interpret one (issue 20).
 */

/** What a shared copy's name may hold: the server may refuse any other name without a lookup. */
export const itemNamePattern = /^[\w-]+(?:\.[\w-]+)*\.jpg$/;

/** `0007-beach-at-dawn.jpg` from position 6 of `n` and a master's path (`…/Beach at Dawn.HEIC`). */
export function itemName(position: number, count: number, masterPath: string): string {
	const base = masterPath.split('/').at(-1)!.replace(/\.[^.]*$/, '');
	const slug = base
		.normalize('NFKD')
		.replaceAll(/[\u0300-\u036F]/g, '')
		.toLowerCase()
		.replaceAll(/[^a-z\d]+/g, '-')
		.replaceAll(/^-+|-+$/g, '')
		.slice(0, 48)
		.replace(/-+$/, '');
	const number = String(position + 1).padStart(Math.max(3, String(count).length), '0');
	return `${number}${slug ? `-${slug}` : ''}.jpg`;
}

/** Width and height of a baseline or progressive JPEG from its SOF marker; undefined when there is none. */
export function jpegSize(data: Uint8Array): {width: number; height: number} | undefined {
	if (data[0] !== 0xFF || data[1] !== 0xD8) {
		return undefined;
	}

	let offset = 2;
	while (offset + 9 < data.length) {
		if (data[offset] !== 0xFF) {
			return undefined;
		}

		const marker = data[offset + 1]!;
		if (marker === 0xFF) {
			offset++;
			continue;
		}

		const length = (data[offset + 2]! << 8) | data[offset + 3]!;
		// SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
		if (marker >= 0xC0 && marker <= 0xCF && marker !== 0xC4 && marker !== 0xC8 && marker !== 0xCC) {
			return {height: (data[offset + 5]! << 8) | data[offset + 6]!, width: (data[offset + 7]! << 8) | data[offset + 8]!};
		}

		offset += 2 + length;
	}

	return undefined;
}
