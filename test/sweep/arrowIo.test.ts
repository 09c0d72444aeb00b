import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { tableFromIPC } from 'apache-arrow';
import { readArrowTable, tableToArrowBytes, writeArrowTable, writeCsvTable } from '../../src/sweep/arrowIo.js';

test('Arrow export keeps numbers as Float64 (even integral ones), strings dictionary-encoded, lists as List<Float64>, nulls', () => {
  const t = aq.from([
    { name: 'a', fraction: 1, seed: null, ok: true, pc: [0.5, NaN] },
    { name: 'b', fraction: 0.5, seed: 3, ok: false, pc: Float64Array.from([1, 2, 3]) },
  ]);
  const arrow = tableFromIPC(tableToArrowBytes(t));
  assert.deepEqual(arrow.schema.fields.map((f) => `${f.name}:${String(f.type)}`), ['name:Dictionary<Int32, Utf8>', 'fraction:Float64', 'seed:Float64', 'ok:Bool', 'pc:List<Float64>']);
  const dir = mkdtempSync(join(tmpdir(), 'dr-arrow-'));
  try {
    const path = join(dir, 't.arrow');
    writeArrowTable(path, t);
    const back = readArrowTable(path).objects() as any[];
    assert.equal(back[0].seed, null);
    assert.deepEqual(back.map((r) => r.name), ['a', 'b']);
    assert.equal(back[1].seed, 3);
    assert.deepEqual(Array.from(back[1].pc), [1, 2, 3]);
    assert.ok(Number.isNaN(back[0].pc[1]));
    assert.deepEqual(readdirSync(dir), ['t.arrow']);
    writeCsvTable(join(dir, 't.csv'), t);
    const csv = readFileSync(join(dir, 't.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'name,fraction,seed,ok,pc');
    assert.equal(csv[2], 'b,0.5,3,false,1;2;3');
    assert.throws(() => readArrowTable(join(dir, 't.csv')), /not a readable Arrow IPC file/);
    assert.throws(() => readArrowTable(join(dir, 'none.arrow')), /none\.arrow: cannot read \(no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Arrow export rejects columns mixing kinds', () => {
  assert.throws(() => tableToArrowBytes(aq.from([{ x: 1 }, { x: 'a' }])), /column 'x' mixes value kinds/);
});
