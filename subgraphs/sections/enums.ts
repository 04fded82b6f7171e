import { registerEnumType } from 'type-graphql';

// The values sort alphabetically in the order the lists show them (coordinator first), which the
// membership lists rely on when they order by role in SQL.
export enum SectionMemberRole {
  COORDINATOR = 'COORDINATOR',
  MEMBER = 'MEMBER',
  OBSERVER = 'OBSERVER',
}

registerEnumType(SectionMemberRole, {
  name: 'SectionMemberRole',
  description: 'What part a member organisation plays in a section.',
  valuesConfig: {
    COORDINATOR: { description: 'The organisation that coordinates the section’s work (организация-координатор).' },
    MEMBER: { description: 'A full participant of the section.' },
    OBSERVER: { description: 'Follows the section’s work without taking part in its decisions.' },
  },
});
