import { registerEnumType } from 'type-graphql';

export enum EventKind {
  CONFERENCE = 'CONFERENCE',
  CONFERENCE_SESSION = 'CONFERENCE_SESSION',
  WEBINAR = 'WEBINAR',
  ONLINE_CONFERENCE = 'ONLINE_CONFERENCE',
  SEMINAR = 'SEMINAR',
  TRAINING = 'TRAINING',
  MEETING = 'MEETING',
}

registerEnumType(EventKind, {
  name: 'EventKind',
  description: 'What sort of event it is.',
  valuesConfig: {
    CONFERENCE: { description: 'Conference (научно-практическая конференция), usually over one or more days.' },
    CONFERENCE_SESSION: { description: 'A session or section of a conference (секция, круглый стол).' },
    WEBINAR: { description: 'Webinar (вебинар): a talk or lesson broadcast online.' },
    ONLINE_CONFERENCE: { description: 'Conference held entirely online (онлайн-конференция).' },
    SEMINAR: { description: 'Seminar (семинар, семинар-практикум).' },
    TRAINING: { description: 'Training or professional development course (обучение, курсы повышения квалификации).' },
    MEETING: { description: 'Meeting of members or of a section (заседание, совещание, общее собрание).' },
  },
});

export enum EventFormat {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
  HYBRID = 'HYBRID',
}

registerEnumType(EventFormat, {
  name: 'EventFormat',
  description: 'How participants attend.',
  valuesConfig: {
    IN_PERSON: { description: 'At a venue only (очно); needs a venue address.' },
    ONLINE: { description: 'Online only (дистанционно); needs an online URL.' },
    HYBRID: { description: 'At a venue and online at once (смешанный формат); needs both.' },
  },
});

export enum EventTiming {
  UPCOMING = 'UPCOMING',
  PAST = 'PAST',
}

registerEnumType(EventTiming, {
  name: 'EventTiming',
  description: 'Where an event lies relative to now.',
  valuesConfig: {
    UPCOMING: { description: 'Not over yet (ends now or later, so running events count); soonest first.' },
    PAST: { description: 'Already over (ended before now); most recent first.' },
  },
});

export enum EventCountsSource {
  REGISTRATIONS = 'REGISTRATIONS',
  REPORTED = 'REPORTED',
}

registerEnumType(EventCountsSource, {
  name: 'EventCountsSource',
  description: 'Where an event’s participant, organisation and talk counts come from.',
  valuesConfig: {
    REGISTRATIONS: { description: 'Computed from the registered participants and the recorded talks.' },
    REPORTED: {
      description:
        'Figures reported for the event (e.g. a past event known only in totals); a figure not reported is computed.',
    },
  },
});

/** Internal: which kind of organiser an `event_organiser` row points at (not part of the schema). */
export enum OrganiserKind {
  MEMBER = 'MEMBER',
  SECTION = 'SECTION',
}
