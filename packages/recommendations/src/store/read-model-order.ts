/**
 * The order of a Redis sorted set, so the embedded store ranks, trims and ties exactly as the
 * Valkey one: by score, then by member as a byte string (members are decimal book ids, so book
 * 10 sorts before book 9 among equal scores).
 */
export function compareMembers(scoreA: number, memberA: number, scoreB: number, memberB: number): number {
  if (scoreA !== scoreB) return scoreA < scoreB ? -1 : 1;
  if (memberA === memberB) return 0;
  // As decimal strings compare, without making the strings (this runs for every pair a sort
  // compares): pad the shorter number with zeros to the longer's digits; a prefix sorts first.
  const digitsA = digits(memberA);
  const digitsB = digits(memberB);
  const paddedA = memberA * 10 ** Math.max(0, digitsB - digitsA);
  const paddedB = memberB * 10 ** Math.max(0, digitsA - digitsB);
  if (paddedA !== paddedB) return paddedA < paddedB ? -1 : 1;
  return digitsA < digitsB ? -1 : 1;
}

/** Decimal digits of a non-negative integer (book ids are 1 to 2^31 - 1). */
function digits(value: number): number {
  let count = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) count += 1;
  return count;
}

/** The members of `scores`, highest first (ZREVRANGE), at most `limit`. */
export function highestFirst(
  scores: ReadonlyMap<number, number>,
  limit: number,
): Array<[member: number, score: number]> {
  return [...scores]
    .sort(([memberA, scoreA], [memberB, scoreB]) => compareMembers(scoreB, memberB, scoreA, memberA))
    .slice(0, Math.max(0, limit));
}

/** Removes the lowest-ranked members (ZREMRANGEBYRANK 0 -(max+1)) until `scores` holds at most `max`. */
export function keepHighest(scores: Map<number, number>, max: number): void {
  if (scores.size <= max) return;
  if (scores.size === max + 1) {
    // The common case (one member just added): drop the lowest, no sort.
    let lowest: [number, number] | undefined;
    for (const entry of scores) {
      if (lowest === undefined || compareMembers(entry[1], entry[0], lowest[1], lowest[0]) < 0) lowest = entry;
    }
    if (lowest !== undefined) scores.delete(lowest[0]);
    return;
  }
  const ranked = highestFirst(scores, scores.size);
  for (const [member] of ranked.slice(max)) scores.delete(member);
}
