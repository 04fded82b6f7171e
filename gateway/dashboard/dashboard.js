/* The coordinators' dashboard: the network statistics of the public GraphQL API as charts and tables.
   Plain JavaScript and the bundled Chart.js (served beside this file), so it works without a CDN. */
'use strict';

const QUERY = `query Dashboard($filter: StatisticsFilter) {
  networkStatistics(filter: $filter) {
    period { from to }
    members { total byRegion { key count } byType { key count } byLegalForm { key count } byStatus { key count } joinedPerYear { year count } }
    sections { total active bySection { section { id name } memberOrganisations coordinators observers } }
    events {
      totals { events participants organisations talks }
      byYearAndKind { year kind events participants organisations talks }
      bySection { section { id name } events }
    }
    catalogue {
      computedAt complete records addedInPeriod uniqueTitles heldByOneLibrary heldBySeveralLibraries
      byMaterialType { key count } byLanguage { key count } byDecade { key count } byBbkClass { key count }
      additionsPerMonth { month count }
      byLibrary { member { code name } status records titles uniqueTitles lastImportAt lastImportStatus }
      mostWidelyHeld { title authors year isbn libraries heldBy { code } }
    }
    reported { byYear { year reportingMembers registeredUsers visits loans eventsHeld staff } }
  }
}`;

const LABELS = {
  REGIONAL: 'областная',
  MUNICIPAL_CENTRAL: 'ЦБС / центральная',
  MUNICIPAL_BRANCH: 'филиал',
  UNIVERSITY: 'вузовская',
  COLLEGE: 'колледжа',
  SCHOOL: 'школьная',
  SPECIAL: 'специальная',
  OTHER: 'другая',
  BOOK: 'книги',
  SERIAL: 'сериальные',
  ARTICLE: 'статьи',
  E_RESOURCE: 'электронные',
  AUDIO: 'аудио',
  MAP: 'карты',
  MUSIC: 'ноты',
  VISUAL: 'изобразительные',
  MIXED: 'смешанные',
  CONFERENCE: 'конференции',
  CONFERENCE_SESSION: 'сессии',
  WEBINAR: 'вебинары',
  ONLINE_CONFERENCE: 'онлайн-конференции',
  SEMINAR: 'семинары',
  TRAINING: 'обучение',
  MEETING: 'заседания',
};
const label = (key) => LABELS[key] ?? key;
const COLORS = [
  '#1f4e79',
  '#2e86ab',
  '#f6ae2d',
  '#f26419',
  '#86bbd8',
  '#33658a',
  '#758e4f',
  '#c1666b',
  '#9a8c98',
  '#4a4e69',
];
const charts = {};
window.dashboardCharts = charts;

// A coordinator's key, kept for this browser tab only; it unlocks reported figures and CSV exports.
const KEY_STORAGE = 'kbg-api-key';
const apiKey = () => sessionStorage.getItem(KEY_STORAGE) ?? '';
const authHeaders = () => (apiKey() ? { authorization: `Bearer ${apiKey()}` } : {});

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

function chart(id, type, labels, datasets, options = {}) {
  charts[id]?.destroy();
  const canvas = document.getElementById(id);
  charts[id] = new Chart(canvas, {
    type,
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        backgroundColor: type === 'pie' || type === 'doughnut' ? COLORS : COLORS[i % COLORS.length],
        borderColor: type === 'line' ? COLORS[i % COLORS.length] : undefined,
        ...d,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      plugins: { legend: { display: datasets.length > 1 || type === 'pie' } },
      ...options,
    },
  });
}

const counts = (id, type, list, name) =>
  chart(
    id,
    type,
    list.map((c) => label(c.key)),
    [{ label: name, data: list.map((c) => c.count) }],
  );

function table(id, header, rows) {
  const el = document.getElementById(id);
  el.replaceChildren();
  const head = el.createTHead().insertRow();
  for (const h of header) head.appendChild(Object.assign(document.createElement('th'), { textContent: h }));
  const body = el.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      td.textContent = cell ?? '—';
      if (typeof cell === 'number') td.className = 'n';
    }
  }
}

const number = (n) => (n ?? 0).toLocaleString('ru-RU');
const when = (iso) => (iso ? new Date(iso).toLocaleString('ru-RU', { timeZone: 'Asia/Novokuznetsk' }) : '—');

function render(s) {
  const cards = [
    ['Участников', s.members.total],
    ['Записей в каталогах', s.catalogue.records],
    ['Уникальных названий', s.catalogue.uniqueTitles],
    ['Названий у нескольких библиотек', s.catalogue.heldBySeveralLibraries],
    ['Мероприятий', s.events.totals.events],
    ['Участников мероприятий', s.events.totals.participants],
    ['Организаций на мероприятиях', s.events.totals.organisations],
    ['Докладов', s.events.totals.talks],
  ];
  document.getElementById('cards').replaceChildren(
    ...cards.map(([title, value]) => {
      const card = document.createElement('div');
      card.className = 'card';
      card.dataset.figure = title;
      card.innerHTML = `<b>${number(value)}</b>`;
      card.append(title);
      return card;
    }),
  );

  counts('members-by-region', 'pie', s.members.byRegion, 'Участников');
  counts('members-by-type', 'bar', s.members.byType, 'Участников');
  counts('members-by-legal-form', 'bar', s.members.byLegalForm, 'Участников');
  chart(
    'members-joined-per-year',
    'line',
    s.members.joinedPerYear.map((y) => String(y.year)),
    [{ label: 'Вступили', data: s.members.joinedPerYear.map((y) => y.count) }],
  );

  const libraries = s.catalogue.byLibrary.filter((l) => l.status === 'OK');
  chart(
    'catalogue-by-library',
    'bar',
    libraries.map((l) => l.member.code),
    [
      { label: 'Записей', data: libraries.map((l) => l.records) },
      { label: 'Уникальных названий', data: libraries.map((l) => l.uniqueTitles) },
    ],
  );
  chart(
    'catalogue-additions-per-month',
    'line',
    s.catalogue.additionsPerMonth.map((m) => m.month),
    [{ label: 'Поступило записей', data: s.catalogue.additionsPerMonth.map((m) => m.count) }],
  );
  chart(
    'catalogue-holders',
    'pie',
    ['у одной библиотеки', 'у нескольких'],
    [{ label: 'Названий', data: [s.catalogue.heldByOneLibrary, s.catalogue.heldBySeveralLibraries] }],
  );
  counts('catalogue-by-material-type', 'pie', s.catalogue.byMaterialType, 'Записей');
  counts('catalogue-by-decade', 'bar', s.catalogue.byDecade, 'Записей');
  counts('catalogue-by-bbk-class', 'bar', s.catalogue.byBbkClass, 'Записей');
  counts('catalogue-by-language', 'bar', s.catalogue.byLanguage, 'Записей');
  table(
    'libraries',
    ['Библиотека', 'Узел', 'Записей', 'Названий', 'Только у неё', 'Последний импорт', 'Итог импорта'],
    s.catalogue.byLibrary.map((l) => [
      `${l.member.name} (${l.member.code})`,
      l.status,
      l.records,
      l.titles,
      l.uniqueTitles,
      when(l.lastImportAt),
      l.lastImportStatus,
    ]),
  );
  table(
    'widely-held',
    ['Название', 'Авторы', 'Год', 'ISBN', 'Библиотек', 'Где есть'],
    s.catalogue.mostWidelyHeld.map((t) => [
      t.title,
      t.authors.join('; '),
      t.year,
      t.isbn,
      t.libraries,
      t.heldBy.map((m) => m.code).join(', '),
    ]),
  );

  chart(
    'sections',
    'bar',
    s.sections.bySection.map((r) => r.section.name),
    [{ label: 'Организаций', data: s.sections.bySection.map((r) => r.memberOrganisations) }],
    { indexAxis: 'y' },
  );
  const years = [...new Set(s.events.byYearAndKind.map((r) => r.year))].sort((a, b) => a - b);
  const kinds = [...new Set(s.events.byYearAndKind.map((r) => r.kind))];
  const perYear = (kind, field) =>
    years.map((y) =>
      s.events.byYearAndKind
        .filter((r) => r.year === y && (!kind || r.kind === kind))
        .reduce((sum, r) => sum + r[field], 0),
    );
  chart(
    'events-per-year',
    'bar',
    years.map(String),
    kinds.map((k) => ({ label: label(k), data: perYear(k, 'events') })),
    {
      scales: { x: { stacked: true }, y: { stacked: true } },
    },
  );
  chart('participants-per-year', 'line', years.map(String), [
    { label: 'Участников', data: perYear(null, 'participants') },
    { label: 'Организаций', data: perYear(null, 'organisations') },
  ]);
  chart(
    'events-by-section',
    'bar',
    s.events.bySection.map((r) => r.section.name),
    [{ label: 'Мероприятий', data: s.events.bySection.map((r) => r.events) }],
    { indexAxis: 'y' },
  );

  const restricted = !s.reported;
  document.getElementById('reported-note').hidden = !restricted;
  const reported = s.reported?.byYear ?? [];
  chart(
    'reported-per-year',
    'line',
    reported.map((r) => String(r.year)),
    [
      { label: 'Посещения', data: reported.map((r) => r.visits) },
      { label: 'Книговыдача', data: reported.map((r) => r.loans) },
    ],
  );
  table(
    'reported',
    ['Год', 'Представили', 'Пользователи', 'Посещения', 'Книговыдача', 'Мероприятия', 'Сотрудники'],
    reported.map((r) => [r.year, r.reportingMembers, r.registeredUsers, r.visits, r.loans, r.eventsHeld, r.staff]),
  );
}

function currentFilter() {
  const params = new URLSearchParams(location.search);
  const filter = {};
  for (const name of ['from', 'to']) if (params.get(name)) filter[name] = params.get(name);
  if (params.get('region')) filter.regions = [params.get('region')];
  if (params.get('type')) filter.types = [params.get('type')];
  return { params, filter };
}

// CSV needs the key in a header, so a link downloads through fetch rather than by navigation.
async function download(event) {
  event.preventDefault();
  const link = event.currentTarget;
  const response = await fetch(link.href, { headers: authHeaders() });
  if (!response.ok) {
    document.getElementById('exports-note').hidden = false;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  Object.assign(document.createElement('a'), { href: url, download: link.dataset.file }).click();
  URL.revokeObjectURL(url);
}

async function exportsList(params) {
  const { tables } = await (await fetch('/statistics')).json();
  const query = new URLSearchParams(params);
  query.delete('key');
  const search = query.toString();
  document.getElementById('exports-note').hidden = !!apiKey();
  document.getElementById('exports').replaceChildren(
    ...tables.map((t) => {
      const li = document.createElement('li');
      const a = Object.assign(document.createElement('a'), {
        href: `${t.csv}${search ? `?${search}` : ''}`,
        textContent: `${t.name}.csv`,
      });
      a.dataset.file = `${t.name}.csv`;
      a.addEventListener('click', download);
      li.append(a, ` — ${t.description}`);
      return li;
    }),
  );
}

async function main() {
  const { params, filter } = currentFilter();
  const form = document.getElementById('filter');
  for (const name of ['from', 'to']) form.elements[name].value = params.get(name) ?? '';
  form.elements.key.value = apiKey();
  form.addEventListener('submit', () => {
    // The key stays in this tab's storage, never in the URL the form submits.
    sessionStorage.setItem(KEY_STORAGE, form.elements.key.value.trim());
    form.elements.key.disabled = true;
  });
  const status = document.getElementById('status');
  const [all, answer] = await Promise.all([
    graphql('{ networkStatistics { members { byRegion { key } byType { key } } } }'),
    graphql(QUERY, { filter }),
  ]);
  for (const [select, list] of [
    [form.elements.region, all.data?.networkStatistics?.members.byRegion ?? []],
    [form.elements.type, all.data?.networkStatistics?.members.byType ?? []],
  ]) {
    for (const { key } of list) select.append(new Option(label(key), key, false, params.get(select.name) === key));
  }
  const problems = document.getElementById('problems');
  // Figures this caller may not see are explained on the page, not listed as problems.
  const shown = (answer.errors ?? []).filter((e) => !['FORBIDDEN', 'UNAUTHENTICATED'].includes(e.extensions?.code));
  problems.replaceChildren(
    ...shown.map((e) => Object.assign(document.createElement('li'), { textContent: e.message })),
  );
  const statistics = answer.data?.networkStatistics;
  window.dashboardData = statistics ?? null;
  if (!statistics) {
    status.textContent = 'Нет данных: см. сообщения ниже.';
  } else {
    render(statistics);
    const c = statistics.catalogue;
    status.textContent = `Каталоги посчитаны ${when(c.computedAt)}${c.complete ? '' : ' — не все узлы ответили'}.`;
  }
  await exportsList(params);
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.getElementById('status').textContent = `Ошибка: ${error.message}`;
  document.body.dataset.ready = 'error';
});
