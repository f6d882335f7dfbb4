import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { looksBinary } from '../engine/files/fileTraits';

/** Beyond this size a file is not read at all (generated data, dumps, media). */
export const HARD_SIZE_LIMIT = 25 * 1024 * 1024;

export type ReadSkip = 'binary' | 'invalid-utf8' | 'unreadable' | 'huge';

/** Reads a file once as text, or says why it was not: binary, not UTF-8, unreadable or huge. */
export function readSourceFile(file: string, size: number): { text: string } | { skip: ReadSkip; detail?: string } {
  if (size > HARD_SIZE_LIMIT) return { skip: 'huge', detail: `${Math.round(size / 1024 / 1024)} MB` };
  let bytes: Buffer;
  try {
    bytes = readBytes(file, size);
  } catch (error) {
    return { skip: 'unreadable', detail: (error as NodeJS.ErrnoException).code };
  }
  if (looksBinary(bytes)) return { skip: 'binary' };
  if (!isUtf8(bytes)) return { skip: 'invalid-utf8' };
  // Drop a byte-order mark, which would otherwise shift every column by one.
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { text: bytes.toString('utf8', start) };
}

/** Files below this size are read into one buffer kept for the next file. */
const REUSED_BYTES = 1024 * 1024;
let reused: Buffer | undefined;

/**
 * A file's bytes. Most files are small and only decoded, so they are read into one reused
 * buffer instead of a new one each (a scan of 4,000 files otherwise allocates, and collects,
 * their whole size again); `size` (from the walk) says how much to expect. The result is valid
 * until the next call.
 */
function readBytes(file: string, size: number): Buffer {
  if (size >= REUSED_BYTES) return fs.readFileSync(file);
  reused ??= Buffer.allocUnsafe(REUSED_BYTES);
  const descriptor = fs.openSync(file, 'r');
  // One byte more than expected, so that a file that grew since the walk is noticed.
  const wanted = Math.min(size + 1, REUSED_BYTES);
  let length = 0;
  try {
    while (length < wanted) {
      const read = fs.readSync(descriptor, reused, length, wanted - length, null);
      length += read;
      // A regular file gives all it has: no need to ask again to learn that it ends.
      if (read === 0 || length === size) break;
    }
  } finally {
    fs.closeSync(descriptor);
  }
  return length > size ? fs.readFileSync(file) : reused.subarray(0, length);
}
