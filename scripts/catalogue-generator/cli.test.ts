import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateRecords, main } from '../generate-catalogue';

describe('generate-catalogue command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'generate-catalogue-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file the options describe and returns a one-line summary', async () => {
    const out = path.join(dir, 'kemsu.mrc');
    const argv = ['--member', 'kemsu', '--records', '250', '--flavour', 'MARC21', '--encoding', 'CP1251'];
    const summary = await main([...argv, '--seed', '42', '--shared', '0.5', '--deleted', '0.1', '--out', out]);
    const data = readFileSync(out);
    const expected = Buffer.concat([
      ...generateRecords({
        member: 'kemsu',
        records: 250,
        flavour: 'MARC21',
        encoding: 'CP1251',
        seed: 42,
        shared: 0.5,
        deleted: 0.1,
      }),
    ]);
    expect(data.equals(expected)).toBe(true);
    expect(summary).not.toContain('\n');
    expect(summary).toContain(`kemsu: 250 records (MARC21, CP1251, seed 42;`);
    expect(summary).toContain(`${data.length} bytes`);
  });

  it('defaults to RUSMARC in UTF-8 with 30% shared editions', async () => {
    const out = path.join(dir, 'kemrsl.iso');
    await main(['--member', 'kemrsl', '--records', '20', '--out', out]);
    const expected = Buffer.concat([
      ...generateRecords({
        member: 'kemrsl',
        records: 20,
        flavour: 'RUSMARC',
        encoding: 'UTF-8',
        seed: 1,
        shared: 0.3,
      }),
    ]);
    expect(readFileSync(out).equals(expected)).toBe(true);
  });

  it('rejects invalid values', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const out = path.join(dir, 'x.iso');
      await expect(main(['--member', 'a', '--records', '1.5', '--out', out])).rejects.toThrow(/Not an integer/);
      await expect(main(['--member', 'a', '--records', '5', '--shared', '2', '--out', out])).rejects.toThrow(/0 to 1/);
      await expect(main(['--member', 'a', '--records', '5', '--encoding', 'KOI8-R', '--out', out])).rejects.toThrow(
        /Allowed choices are UTF-8, CP1251/,
      );
      await expect(main(['--records', '5', '--out', out])).rejects.toThrow(/--member/);
    } finally {
      stderr.mockRestore();
    }
  });
});
