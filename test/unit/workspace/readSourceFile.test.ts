import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSourceFile } from '../../../server/src/workspace/readSourceFile';

/**
 * Files are read with the size the walk saw; small ones go through one reused buffer. Whatever
 * happened to the file since the walk, the text read is the file's whole text at reading time.
 */
describe('reading a file once as text', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-read-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const text = (read: ReturnType<typeof readSourceFile>) => {
    assert.ok('text' in read, JSON.stringify(read));
    return read.text;
  };

  it('gives the text of files small and large, empty, with non-ASCII text or a byte-order mark', () => {
    const small = 'const a = "ünïcode ✓";\n';
    assert.equal(text(readSourceFile(write('small.ts', small), Buffer.byteLength(small))), small);
    assert.equal(text(readSourceFile(write('empty.ts', ''), 0)), '');
    assert.equal(text(readSourceFile(write('bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\n')])), 9)), 'x = 1\n');
    const large = 'y'.repeat(3 * 1024 * 1024 + 7);
    assert.equal(text(readSourceFile(write('large.js', large), large.length)), large);
    // Large files get a buffer of their own; the small file after one is read whole.
    assert.equal(text(readSourceFile(write('after.ts', 'z'), 1)), 'z');
  });

  it('reads a file that grew or shrank since the walk whole, and one at the reuse limit', () => {
    const grown = 'a'.repeat(5000);
    assert.equal(text(readSourceFile(write('grown.ts', grown), 100)), grown);
    const nearLimit = 'b'.repeat(1024 * 1024 - 1);
    assert.equal(text(readSourceFile(write('near.ts', nearLimit), 10)), nearLimit);
    assert.equal(text(readSourceFile(write('shrunk.ts', 'short'), 4000)), 'short');
    // A text read earlier is not changed by later reads.
    const first = text(readSourceFile(write('one.ts', 'first file'), 10));
    text(readSourceFile(write('two.ts', 'second!!!!'), 10));
    assert.equal(first, 'first file');
  });

  it('says why a file was not read: binary, not UTF-8, missing, huge', () => {
    assert.deepEqual(readSourceFile(write('bin.dat', Buffer.from([1, 0, 2, 3])), 4), { skip: 'binary' });
    assert.deepEqual(readSourceFile(write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9])), 4), { skip: 'invalid-utf8' });
    assert.deepEqual(readSourceFile(path.join(folder, 'missing.ts'), 10), { skip: 'unreadable', detail: 'ENOENT' });
    assert.equal((readSourceFile(path.join(folder, 'missing.ts'), 30 * 1024 * 1024) as { skip: string }).skip, 'huge');
  });
});
