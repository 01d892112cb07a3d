import {crc32} from 'node:zlib';
import sharp from 'sharp';

/** Multi-frame files whose first frame is `still` (scaled to `width`): what a GIF maker or a phone's "loop" writes. */
export async function animationsOf(still: Buffer, frames: number, width = 480): Promise<{gif: Buffer; webp: Buffer; tiff: Buffer; apng: Buffer}> {
	// Each later frame a little brighter, as in a short clip: the first frame is the photo itself.
	const pictures = await Promise.all(Array.from({length: frames}, async (_, index) => sharp(still).rotate().resize(width).modulate({brightness: 1 + (index * 0.04)}).png().toBuffer()));
	// sharp joins two or more frames only; one frame is an ordinary still in the same format.
	const joined = () => (pictures.length > 1 ? sharp(pictures, {join: {animated: true}}) : sharp(pictures[0]));
	return {
		gif: await joined().gif().toBuffer(),
		webp: await joined().webp({quality: 90}).toBuffer(),
		tiff: await joined().tiff().toBuffer(),
		apng: apng(pictures),
	};
}

function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

function chunksOf(png: Buffer): Array<{type: string; data: Buffer}> {
	const chunks: Array<{type: string; data: Buffer}> = [];
	for (let offset = 8; offset + 12 <= png.length;) {
		const length = png.readUInt32BE(offset);
		chunks.push({type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length)});
		offset += 12 + length;
	}

	return chunks;
}

/** An animated PNG (APNG) of same-sized PNG frames, built chunk by chunk: no library here writes one. */
function apng(frames: readonly Buffer[]): Buffer {
	const first = chunksOf(frames[0]!);
	const header = first.find(entry => entry.type === 'IHDR')!.data;
	const width = header.readUInt32BE(0);
	const height = header.readUInt32BE(4);
	let sequence = 0;
	const control = () => {
		const data = Buffer.alloc(26);
		data.writeUInt32BE(sequence++, 0);
		data.writeUInt32BE(width, 4);
		data.writeUInt32BE(height, 8);
		data.writeUInt16BE(1, 20);
		data.writeUInt16BE(10, 22);
		return chunk('fcTL', data);
	};

	const animation = Buffer.alloc(8);
	animation.writeUInt32BE(frames.length, 0);
	const parts = [frames[0]!.subarray(0, 8), chunk('IHDR', header), chunk('acTL', animation), control()];
	for (const entry of first.filter(entry => entry.type === 'IDAT')) {
		parts.push(chunk('IDAT', entry.data));
	}

	for (const frame of frames.slice(1)) {
		parts.push(control());
		const data = Buffer.concat(chunksOf(frame).filter(entry => entry.type === 'IDAT').map(entry => entry.data));
		const number = Buffer.alloc(4);
		number.writeUInt32BE(sequence++, 0);
		parts.push(chunk('fdAT', Buffer.concat([number, data])));
	}

	parts.push(chunk('IEND', Buffer.alloc(0)));
	return Buffer.concat(parts);
}
