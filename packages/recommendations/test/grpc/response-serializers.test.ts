import { type ListBooksResponse, RecommendationServiceService, RecommendResponse } from '@bookstore/contracts';
import { recommendationServiceDefinition } from '../../src/grpc/response-serializers';

describe('the response serializers', () => {
  it('write the same bytes as the generated ones, message after message', () => {
    const responses: RecommendResponse[] = [
      {
        recommendations: [
          { id: 1, title: 'A long title '.repeat(20), becauseOfBookId: 0, becauseOfTitle: '' },
          { id: 2, title: 'B', becauseOfBookId: 0, becauseOfTitle: '' },
        ],
      },
      { recommendations: [] },
      { recommendations: [{ id: 3, title: 'C', becauseOfBookId: 0, becauseOfTitle: '' }] },
    ];
    const ours = responses.map((r) => Buffer.from(recommendationServiceDefinition.recommend.responseSerialize(r)));
    expect(ours).toEqual(responses.map((r) => RecommendationServiceService.recommend.responseSerialize(r)));
    expect(ours.map((b) => RecommendResponse.decode(b))).toEqual(responses);
    const book: ListBooksResponse = { book: { id: 7, title: 'T', author: 'A', category: 1 } };
    expect(recommendationServiceDefinition.listBooks.responseSerialize(book)).toEqual(
      RecommendationServiceService.listBooks.responseSerialize(book),
    );
  });

  it('start over after a message that fails to encode, so later responses stay whole', () => {
    const serialize = recommendationServiceDefinition.recommend.responseSerialize;
    const good: RecommendResponse = {
      recommendations: [{ id: 1, title: 'A', becauseOfBookId: 0, becauseOfTitle: '' }],
    };
    // Half-way through: the first book is written, the second's id is not an int32.
    const bad: RecommendResponse = {
      recommendations: [
        { id: 2, title: 'B', becauseOfBookId: 0, becauseOfTitle: '' },
        { id: 1.5, title: 'C', becauseOfBookId: 0, becauseOfTitle: '' },
      ],
    };
    expect(() => serialize(bad)).toThrow();
    expect(Buffer.from(serialize(good))).toEqual(RecommendationServiceService.recommend.responseSerialize(good));
  });
});
