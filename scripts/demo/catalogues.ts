/**
 * The demo catalogue nodes: the regional library runs its own node; three small libraries without
 * IT staff share one node hosted by the partnership, each in its own schema.
 */
export const DEMO_CATALOGUE_NODES: Array<{
  name: string;
  members: string[];
  /** How each library exports: flavour and encoding of its generated catalogue. */
  exports: Record<string, { flavour: 'RUSMARC' | 'MARC21'; encoding: 'UTF-8' | 'CP1251' }>;
}> = [
  { name: 'kemrsl', members: ['kemrsl'], exports: { kemrsl: { flavour: 'RUSMARC', encoding: 'CP1251' } } },
  {
    name: 'hosted',
    members: ['tyazhin-mkuk', 'lnk-branch5', 'kem-lyceum23'],
    exports: {
      'tyazhin-mkuk': { flavour: 'RUSMARC', encoding: 'CP1251' },
      'lnk-branch5': { flavour: 'RUSMARC', encoding: 'UTF-8' },
      'kem-lyceum23': { flavour: 'MARC21', encoding: 'UTF-8' },
    },
  },
];
