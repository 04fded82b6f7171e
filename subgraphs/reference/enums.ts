import { registerEnumType } from 'type-graphql';

export enum EnquiryStatus {
  NEW = 'NEW',
  ASSIGNED = 'ASSIGNED',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
  REJECTED = 'REJECTED',
}

registerEnumType(EnquiryStatus, {
  name: 'EnquiryStatus',
  description: 'Where an enquiry of the virtual reference desk stands.',
  valuesConfig: {
    NEW: { description: 'Asked, waiting in a library’s queue or the network’s for a library to take it.' },
    ASSIGNED: { description: 'A library has taken it and is working on the answer.' },
    ANSWERED: { description: 'The library has answered; the reader may still reply.' },
    CLOSED: { description: 'Done: answered and closed by the reader or the library.' },
    REJECTED: { description: 'Not answered, with a reason (out of scope, abusive, a duplicate).' },
  },
});

export enum MessageAuthor {
  READER = 'READER',
  LIBRARIAN = 'LIBRARIAN',
  SYSTEM = 'SYSTEM',
}

registerEnumType(MessageAuthor, {
  name: 'EnquiryMessageAuthor',
  description: 'Who wrote a message of an enquiry’s conversation.',
  valuesConfig: {
    READER: { description: 'The reader who asked.' },
    LIBRARIAN: { description: 'A librarian of the library working on the enquiry.' },
    SYSTEM: { description: 'The desk itself: taken, passed on, answered, closed.' },
  },
});
