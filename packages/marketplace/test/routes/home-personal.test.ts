import { startFakeRecommendations } from '../support/fake-recommendations';
import { html, withBookstore } from '../support/test-app';

/** The homepage as a person reads it: its h2 sections and each list's titles. */
function outline(body: string) {
  const main = html(body).querySelector('main');
  return {
    headings: main?.querySelectorAll('h2').map((h) => h.text) ?? [],
    lists: main?.querySelectorAll('ol').map((ol) => ol.querySelectorAll('li').map((li) => li.text.trim())) ?? [],
  };
}

describe('the homepage for a reader with history', () => {
  const t = withBookstore();

  beforeAll(async () => {
    // Reader 51 viewed The Moonstone and Styles; reader 50 has viewed The Moonstone.
    t.readerEvents.viewed(51, 101);
    t.readerEvents.viewed(51, 102);
    t.readerEvents.viewed(50, 101);
    expect(await t.readerEvents.flush(10_000)).toBe(0);
  });

  it('shows picks "Because you viewed «title»", then the random picks under their own heading', async () => {
    const response = await t.app.inject({ url: '/', cookies: { uid: '50' } });
    expect(response.statusCode).toBe(200);
    expect(html(response.body).querySelector('h1')?.text).toBe('Mystery books you may like');
    expect(outline(response.body)).toEqual({
      headings: ['Because you viewed «The Moonstone»', 'More books you may like'],
      lists: [['The Mysterious Affair at Styles'], ['The Murders in the Rue Morgue']],
    });
  });

  it('is unchanged for a reader without history, or without a cookie', async () => {
    for (const cookies of [{ uid: '52' }, undefined]) {
      expect(outline((await t.app.inject({ url: '/', cookies })).body)).toEqual({
        headings: [],
        lists: [['The Moonstone', 'The Mysterious Affair at Styles', 'The Murders in the Rue Morgue']],
      });
    }
  });

  it('never shows a reader’s personal picks for ?user=<their id>', async () => {
    const page = outline((await t.app.inject('/?user=50')).body);
    expect(page.headings).toEqual([]);
    expect(page.lists).toHaveLength(1);
  });

  it('answers the API with becauseOf for the cookie’s reader only', async () => {
    const mine = await t.app.inject({ url: '/api/v1/recommendations', cookies: { uid: '50' } });
    expect(mine.json()).toEqual({
      recommendations: [
        { id: 102, title: 'The Mysterious Affair at Styles', becauseOf: { id: 101, title: 'The Moonstone' } },
        { id: 103, title: 'The Murders in the Rue Morgue' },
      ],
    });
    const typed = await t.app.inject('/api/v1/recommendations?user=50');
    expect(typed.json<{ recommendations: object[] }>().recommendations).toEqual([
      { id: 101, title: 'The Moonstone' },
      { id: 102, title: 'The Mysterious Affair at Styles' },
      { id: 103, title: 'The Murders in the Rue Morgue' },
    ]);
  });
});

describe('picks for an id that is not the reader’s own cookie', () => {
  // A Recommendations that finds history for every id: as if a random id were some reader's.
  const t = withBookstore(() =>
    startFakeRecommendations({
      handlers: {
        recommend: (_call, callback) =>
          callback(null, {
            recommendations: [
              {
                id: 102,
                title: 'The Mysterious Affair at Styles',
                becauseOfBookId: 101,
                becauseOfTitle: 'The Moonstone',
              },
            ],
          }),
      },
    }),
  );

  it('never name the book they were picked for, on the homepage or in the API', async () => {
    for (const request of [{ url: '/' }, { url: '/?user=8' }, { url: '/?user=8', cookies: { uid: '9' } }]) {
      expect(outline((await t.app.inject(request)).body)).toEqual({
        headings: [],
        lists: [['The Mysterious Affair at Styles']],
      });
    }
    expect((await t.app.inject('/api/v1/recommendations?user=8')).json()).toEqual({
      recommendations: [{ id: 102, title: 'The Mysterious Affair at Styles' }],
    });
    // The reader's own cookie: named.
    const own = outline((await t.app.inject({ url: '/', cookies: { uid: '9' } })).body);
    expect(own.headings).toEqual(['Because you viewed «The Moonstone»']);
  });
});
