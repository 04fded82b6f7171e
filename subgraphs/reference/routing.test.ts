import { routeEnquiry, routesToSection } from './routing';

describe('routeEnquiry', () => {
  const topics = [
    { memberId: 'b', bbkPrefix: '63.3' },
    { memberId: 'a', bbkPrefix: '63.3(2Рос-4Кем)' },
    { memberId: 'c', bbkPrefix: '84' },
  ];
  const section = ['s2', 's1', 'a'];
  const ask = (preferredMemberId: string | null, topic: string | null) => ({ preferredMemberId, topic });

  it('sends the chosen library its enquiry, whatever the topic and the section', () => {
    expect(routeEnquiry(ask('x', '26.8'), topics, section)).toEqual(['x']);
    expect(routesToSection(ask('x', '26.8'), topics)).toBe(false);
  });

  it('else sends it to the libraries that declared its topic, not to the section', () => {
    expect(routeEnquiry(ask(null, '63.3 (2рос-4кем)'), topics, section)).toEqual(['a', 'b']);
    expect(routesToSection(ask(null, '63.3 (2рос-4кем)'), topics)).toBe(false);
  });

  it('else, for a topic nobody declared, to the reference section’s members, each once and in order', () => {
    expect(routesToSection(ask(null, '26.8'), topics)).toBe(true);
    expect(routeEnquiry(ask(null, '26.8'), topics, section)).toEqual(['a', 's1', 's2']);
    expect(routeEnquiry(ask(null, '26.8'), topics, ['s1', 's1'])).toEqual(['s1']);
  });

  it('else to the network queue: no section known, or no topic to route by', () => {
    expect(routeEnquiry(ask(null, '26.8'), topics, [])).toEqual([]);
    expect(routeEnquiry(ask(null, '26.8'), topics)).toEqual([]);
    expect(routeEnquiry(ask(null, null), topics, section)).toEqual([]);
    expect(routeEnquiry(ask(null, '  '), topics, section)).toEqual([]);
    expect(routesToSection(ask(null, null), topics)).toBe(false);
    expect(routesToSection(ask(null, ' '), topics)).toBe(false);
  });
});
