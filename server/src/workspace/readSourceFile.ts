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
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { skip: 'unreadable', detail: (error as NodeJS.ErrnoException).code };
  }
  if (looksBinary(bytes)) return { skip: 'binary' };
  if (!isUtf8(bytes)) return { skip: 'invalid-utf8' };
  // Drop a byte-order mark, which would otherwise shift every column by one.
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { text: bytes.toString('utf8', start) };
}
