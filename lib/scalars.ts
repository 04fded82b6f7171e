import { GraphQLLocalDate } from 'graphql-scalars';

/** Calendar date without time zone, `YYYY-MM-DD` (joined dates, section founding dates). */
export const LocalDate = GraphQLLocalDate;
