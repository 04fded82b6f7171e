import { registerEnumType } from 'type-graphql';

export enum LegalForm {
  STATE_BUDGETARY_INSTITUTION = 'STATE_BUDGETARY_INSTITUTION',
  MUNICIPAL_BUDGETARY_INSTITUTION = 'MUNICIPAL_BUDGETARY_INSTITUTION',
  STATE_AUTONOMOUS_INSTITUTION = 'STATE_AUTONOMOUS_INSTITUTION',
  MUNICIPAL_AUTONOMOUS_INSTITUTION = 'MUNICIPAL_AUTONOMOUS_INSTITUTION',
  STATE_GOVERNMENT_INSTITUTION = 'STATE_GOVERNMENT_INSTITUTION',
  MUNICIPAL_GOVERNMENT_INSTITUTION = 'MUNICIPAL_GOVERNMENT_INSTITUTION',
  FEDERAL_EDUCATIONAL_INSTITUTION = 'FEDERAL_EDUCATIONAL_INSTITUTION',
  PRIVATE_INSTITUTION = 'PRIVATE_INSTITUTION',
  NON_PROFIT_ORGANISATION = 'NON_PROFIT_ORGANISATION',
  OTHER = 'OTHER',
}

registerEnumType(LegalForm, {
  name: 'LegalForm',
  description: 'Organisational and legal form of a member organisation under Russian law.',
  valuesConfig: {
    STATE_BUDGETARY_INSTITUTION: { description: 'Государственное бюджетное учреждение (ГБУ / ГБУК).' },
    MUNICIPAL_BUDGETARY_INSTITUTION: { description: 'Муниципальное бюджетное учреждение (МБУ / МБУК).' },
    STATE_AUTONOMOUS_INSTITUTION: { description: 'Государственное автономное учреждение (ГАУ).' },
    MUNICIPAL_AUTONOMOUS_INSTITUTION: { description: 'Муниципальное автономное учреждение (МАУ).' },
    STATE_GOVERNMENT_INSTITUTION: { description: 'Государственное казённое учреждение (ГКУ).' },
    MUNICIPAL_GOVERNMENT_INSTITUTION: { description: 'Муниципальное казённое учреждение (МКУ).' },
    FEDERAL_EDUCATIONAL_INSTITUTION: {
      description: 'Федеральное государственное образовательное учреждение (ФГБОУ ВО and similar).',
    },
    PRIVATE_INSTITUTION: { description: 'Частное учреждение.' },
    NON_PROFIT_ORGANISATION: { description: 'Некоммерческая организация (НКО, АНО, partnership).' },
    OTHER: { description: 'Any other legal form.' },
  },
});

export enum LibraryType {
  REGIONAL = 'REGIONAL',
  MUNICIPAL_CENTRAL = 'MUNICIPAL_CENTRAL',
  MUNICIPAL_BRANCH = 'MUNICIPAL_BRANCH',
  UNIVERSITY = 'UNIVERSITY',
  COLLEGE = 'COLLEGE',
  SCHOOL = 'SCHOOL',
  SPECIAL = 'SPECIAL',
  OTHER = 'OTHER',
}

registerEnumType(LibraryType, {
  name: 'LibraryType',
  description: 'Kind of library a member organisation runs.',
  valuesConfig: {
    REGIONAL: { description: 'Regional (oblast) universal scientific library.' },
    MUNICIPAL_CENTRAL: { description: 'Central library of a municipal library system (ЦБС / МИБС).' },
    MUNICIPAL_BRANCH: { description: 'Branch of a municipal library system.' },
    UNIVERSITY: { description: 'Library of a university or institute.' },
    COLLEGE: { description: 'Library of a college or technical school.' },
    SCHOOL: { description: 'School library.' },
    SPECIAL: { description: 'Special or corporate library (research institute, enterprise, museum).' },
    OTHER: { description: 'Any other kind of library.' },
  },
});

export enum MemberStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  LEFT = 'LEFT',
}

registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Membership status in the partnership.',
  valuesConfig: {
    ACTIVE: { description: 'A member in good standing.' },
    SUSPENDED: { description: 'Membership temporarily suspended.' },
    LEFT: { description: 'The organisation has left the partnership; its history is kept.' },
  },
});

export enum CatalogueNodeStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
}

registerEnumType(CatalogueNodeStatus, {
  name: 'CatalogueNodeStatus',
  description: 'Whether the network should route catalogue requests to a registered node.',
  valuesConfig: {
    ACTIVE: { description: 'The node is part of the network and receives requests.' },
    SUSPENDED: { description: 'The node stays registered but receives no requests.' },
  },
});
