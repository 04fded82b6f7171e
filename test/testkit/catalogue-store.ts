import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { closeServer, listen } from '../../lib/http';
import { Loaders } from '../../lib/loaders';
import { createLogger } from '../../lib/logger';
import { connectOrm, migrate, type Orm } from '../../lib/orm';
import { errorFormatter } from '../../lib/errors';
import type { TestDatabase } from './database';
import type { CatalogueContext } from '../../subgraphs/catalogue/context';
import { type CatalogueRecordData, emptyRecord } from '../../subgraphs/catalogue/record-data';
import { buildCatalogueSchema, catalogueEntities, migrations } from '../../subgraphs/catalogue/schema';

// Test support for the catalogue's own tests (storage, search, schema); the node server has its own.

/** A record with every field empty but the control number and title, overridden by `fields`. */
export function record(controlNumber: string, fields: Partial<CatalogueRecordData> = {}): CatalogueRecordData {
  return {
    ...emptyRecord(controlNumber),
    title: `Запись ${controlNumber}`,
    languages: ['rus'],
    materialType: 'BOOK',
    encoding: 'CP1251',
    marcXml: `<record xmlns="http://www.loc.gov/MARC21/slim"><controlfield tag="001">${controlNumber}</controlfield></record>`,
    ...fields,
  };
}

/** Hand-built records of a Kemerovo library: Russian and English, with the fields search looks at. */
export const FIXTURES: CatalogueRecordData[] = [
  record('RU/KEM/0001', {
    title: 'Библиотека и общество',
    otherTitleInfo: 'сборник статей',
    statementOfResponsibility: 'под ред. И. И. Иванова',
    authors: [{ name: 'Иванов, Иван Иванович', role: '340' }],
    place: 'Кемерово',
    publisher: 'Кузбассвузиздат',
    year: 2015,
    isbns: [{ raw: '978-5-7779-0234-4', isbn13: '9785777902344', qualifier: 'в пер.' }],
    subjects: ['Библиотечное дело -- Кемеровская область'],
    bbk: ['78.3'],
    udc: ['02:004'],
    physicalDescription: '215 с. : ил.',
    holdings: [
      {
        location: 'ЧЗ',
        shelfmark: '78.3/Б59',
        inventoryNumbers: ['1001', '1002'],
        copies: 2,
        availability: 'AVAILABLE',
      },
      { location: 'АБ', shelfmark: null, inventoryNumbers: [], copies: 3, availability: 'UNKNOWN' },
    ],
  }),
  record('RU/KEM/0002', {
    title: 'Краеведение Кузбасса',
    authors: [{ name: 'Петрова, Анна Сергеевна', role: null }],
    place: 'Новокузнецк',
    year: 1998,
    subjects: ['Библиотеки -- История -- Кузбасс'],
    bbk: ['63.3(2Рос-4Кем)'],
    udc: ['94(571.17)'],
    relations: [{ kind: 'SERIES', title: 'Кузбасская старина', volume: 'Вып. 3', controlNumber: null }],
  }),
  record('RU/KEM/0003', {
    title: 'Library science today',
    authors: [{ name: 'Smith, John', role: 'aut' }],
    place: 'New York',
    publisher: 'Plenum',
    year: 2003,
    languages: ['eng'],
    isbns: [{ raw: '0-306-40615-2', isbn13: '9780306406157', qualifier: 'pbk.' }],
    subjects: ['Libraries -- Automation'],
    bbk: ['Ч736.8'],
    udc: ['681.3'],
    flavour: 'MARC21',
    encoding: 'UTF-8',
    format: 'MARCXML',
  }),
  record('RU/KEM/0004', {
    title: 'Вестник Кемеровского государственного университета культуры и искусств',
    materialType: 'SERIAL',
    issn: '2078-1768',
    year: 1987,
    languages: ['rus', 'eng'],
    corporateAuthors: ['Кемеровский государственный институт культуры'],
    bbk: ['71', '78.0'],
    udc: ['008'],
  }),
  record('RU/KEM/0005', {
    title: 'Ёлка в лесу родилась',
    authors: [{ name: 'Кудашева, Раиса Адамовна', role: '070' }],
    year: 1989,
    isbns: [{ raw: '5-86203-014-Х', isbn13: '9785862030143', qualifier: null }],
    notes: ['Для дошкольного возраста'],
    bbk: ['84(2Рос=Рус)6'],
    materialType: 'SCORE',
  }),
];

/** One member's catalogue schema on the test database, migrated. */
export async function openCatalogue(db: TestDatabase, code: string): Promise<Orm> {
  const orm = await connectOrm({
    url: db.url,
    schema: db.schema(`catalogue_${code.replace(/-/g, '_')}`),
    entities: catalogueEntities,
    migrations,
  });
  await migrate(orm);
  return orm;
}

export interface TestCatalogueServer {
  url: string;
  stop(): Promise<void>;
}

/** Serves one member's catalogue schema over HTTP, the way the node does, on a free port. */
export async function startTestCatalogueServer(orm: Orm, code: string): Promise<TestCatalogueServer> {
  const logger = createLogger('catalogue-test', 'silent');
  const apollo = new ApolloServer<CatalogueContext>({
    schema: await buildCatalogueSchema(),
    formatError: errorFormatter(logger),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async () => {
        const em = orm.em.fork();
        // Served without the gateway's signature check: these tests are about the schema, as a coordinator.
        return { em, loaders: new Loaders(em), logger, member: { code }, identity: { role: 'COORDINATOR' as const } };
      },
    }),
  );
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await closeServer(server);
    },
  };
}
