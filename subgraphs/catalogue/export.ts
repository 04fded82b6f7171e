import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { EntityManager } from '../../lib/orm';
import { marcXmlToIso2709 } from './marc/write';
import type { MarcFlavour } from './record-data';

export type ExportFormat = 'marcxml' | 'iso2709';

const PAGE = 500;

/** Waits for the stream to drain when it asks to, so a large export keeps memory flat. */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Streams a member's whole catalogue, by control number, as a MARCXML collection or UTF-8 ISO 2709,
 * from the stored original records; reading the export back yields the same catalogue.
 */
export async function exportRecords(em: EntityManager, format: ExportFormat, out: Writable): Promise<number> {
  const schema = em.config.get('schema');
  const connection = em.getConnection();
  if (format === 'marcxml') {
    await write(out, '<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n');
  }
  let after = '';
  let count = 0;
  for (;;) {
    const rows = await connection.execute<Array<{ control_number: string; flavour: MarcFlavour; marc_xml: string }>>(
      `select control_number, flavour, marc_xml from "${schema}".catalogue_record
        where control_number > ? order by control_number limit ${PAGE}`,
      [after],
    );
    for (const row of rows) {
      if (format === 'marcxml') await write(out, `${row.marc_xml.replace(/^<\?xml[^>]*\?>\s*/, '')}\n`);
      else await write(out, marcXmlToIso2709(row.marc_xml, row.flavour));
    }
    count += rows.length;
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.control_number;
  }
  if (format === 'marcxml') await write(out, '</collection>\n');
  return count;
}
