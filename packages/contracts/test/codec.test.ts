import {
  BookCategory,
  ListBooksResponse,
  RECOMMENDATION_SERVICE_NAME,
  RecommendationServiceService,
  RecommendRequest,
} from '../src';

describe('the generated contract', () => {
  it('round-trips a request through the wire format', () => {
    const request = { userId: 42, category: BookCategory.BOOK_CATEGORY_SELF_HELP, maxResults: 3 };
    const bytes = RecommendRequest.encode(request).finish();
    expect(Buffer.from(bytes).toString('hex')).toBe('082a10031803');
    expect(RecommendRequest.decode(bytes)).toEqual(request);
  });

  it('keeps enum numbers it does not know, so servers can answer NOT_FOUND', () => {
    const bytes = RecommendRequest.encode({ userId: 1, category: 99 as BookCategory, maxResults: 1 }).finish();
    expect(RecommendRequest.decode(bytes).category).toBe(99);
  });

  it('encodes nested messages', () => {
    const message = {
      book: {
        id: 1,
        title: 'The Maltese Falcon',
        author: 'Dashiell Hammett',
        category: BookCategory.BOOK_CATEGORY_MYSTERY,
      },
    };
    expect(ListBooksResponse.decode(ListBooksResponse.encode(message).finish())).toEqual(message);
  });

  it('names the service and its methods as the proto does', () => {
    expect(RecommendationServiceService.recommend.path).toBe(`/${RECOMMENDATION_SERVICE_NAME}/Recommend`);
    expect(RecommendationServiceService.listBooks.path).toBe(`/${RECOMMENDATION_SERVICE_NAME}/ListBooks`);
    expect(RecommendationServiceService.listBooks.responseStream).toBe(true);
  });
});
