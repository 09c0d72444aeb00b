import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { downloadVerified, verifyChecksum, sha256Hex, DownloadError } from '../../src/datasets/download.js';

const payload = Buffer.from('hello dataset');
// Reference digests from coreutils: printf 'hello dataset' | sha256sum / md5sum
const SHA = '3bb2160599763ef088cfd933402ab02a91ce6f581be33cb9628f07c1aaa90c81';

test('sha256 and md5 verification (raw and of gunzipped content)', () => {
  const sha = sha256Hex(payload);
  assert.equal(sha, SHA);
  assert.equal(verifyChecksum(payload, { sha256: sha }, 'x'), sha);
  assert.equal(verifyChecksum(gzipSync(payload), { sha256: sha, of: 'gunzipped' }, 'x'), sha);
  assert.equal(verifyChecksum(Buffer.from('abc'), { md5: '900150983cd24fb0d6963f7d28e17f72' }, 'x'), '900150983cd24fb0d6963f7d28e17f72');
  assert.throws(() => verifyChecksum(payload, { sha256: SHA.replace(/^3/, 'f') }, 'file.gz'), /file\.gz: sha256 mismatch/);
});

test('downloads from 127.0.0.1, writes atomically only when the checksum matches', async () => {
  const server = createServer((req, res) => res.end(payload));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/f.bin`;
  const dir = mkdtempSync(join(tmpdir(), 'dl-'));
  try {
    await downloadVerified(url, join(dir, 'ok.bin'), { sha256: sha256Hex(payload) });
    assert.deepEqual(readFileSync(join(dir, 'ok.bin')), payload);
    await assert.rejects(downloadVerified(url, join(dir, 'bad.bin'), { md5: '0'.repeat(32) }), DownloadError);
    assert.equal(existsSync(join(dir, 'bad.bin')), false);
  } finally {
    server.close();
  }
  await assert.rejects(downloadVerified('http://127.0.0.1:9/x', join(dir, 'y'), { md5: '0'.repeat(32) }), /cannot download http:\/\/127\.0\.0\.1:9\/x .*offline/);
});
