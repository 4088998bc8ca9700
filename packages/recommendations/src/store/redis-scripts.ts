/**
 * The Lua scripts of the Valkey/Redis store. Each runs atomically on the server: no other
 * command runs between its steps, and a client that dies mid-way leaves either all or none of
 * a script's writes. They need Redis >= 6.2 or any Valkey (XAUTOCLAIM, XTRIM MINID, ZADD GT).
 *
 * The co-view keys of APPLY_ENTRY are computed inside the script (they depend on the reader's
 * history), which a standalone server or a primary/replica pair allows; Redis Cluster would not.
 */

/**
 * Appends the new events of a batch to the log.
 * KEYS[1]: the stream; KEYS[2..n+1]: each event's dedupe key.
 * ARGV[1]: dedupe TTL (ms); ARGV[2]: the backlog bound (entries); then 5 fields per event:
 * id, user, book, kind, occurred-at ms.
 * Returns the 1-based positions of the events that were new; an error when the backlog is full.
 */
export const APPEND_EVENTS = `
local stream = KEYS[1]
if redis.call('XLEN', stream) >= tonumber(ARGV[2]) then
  return redis.error_reply('BACKLOG the event log holds ' .. ARGV[2] .. ' entries not yet trimmed')
end
local appended = {}
for i = 2, #KEYS do
  local f = 3 + (i - 2) * 5
  if redis.call('SET', KEYS[i], '1', 'NX', 'PX', ARGV[1]) then
    redis.call('XADD', stream, '*', 'id', ARGV[f], 'u', ARGV[f + 1], 'b', ARGV[f + 2], 'k', ARGV[f + 3], 't', ARGV[f + 4])
    appended[#appended + 1] = i - 1
  end
end
return appended
`;

/**
 * Applies one log entry to the read models and acknowledges it, in one step: the XACK comes
 * first and only the consumer whose XACK removed the entry from the group's pending list
 * applies it. So an entry is applied exactly once even when a consumer that read it is thought
 * dead, its entries are claimed by another, and it then wakes up and applies them too.
 * KEYS[1]: the stream; KEYS[2]: views:<user>.
 * ARGV: group, entry id, book id, occurred-at ms, kind, maxRecentViews, recentViewsTtlMs,
 * maxCoViews, the co-views key prefix, the co-views text key prefix (READER_HISTORY's copies of
 * each co-views set as text: every set this changes has its copy deleted here, in the same step).
 * Returns 1 when applied, 0 when another consumer already had.
 *
 * Trimming each co-view set by rank after each increment keeps it bounded but makes the top
 * approximate: once a book's set holds maxCoViews pairs counted twice or more, a new pair
 * (count 1) is trimmed at once, so a pair can get in only while the set has room or pairs
 * counted once (among equal counts the lowest member, as text, goes first).
 */
export const APPLY_ENTRY = `
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
if ARGV[5] ~= '1' then
  return 1
end
local views = KEYS[2]
local book = ARGV[3]
local maxCoViews = tonumber(ARGV[8])
local prefix = ARGV[9]
if not redis.call('ZSCORE', views, book) then
  -- A first view of this book by this reader: one more reader for each pair with the books of
  -- their (capped) history. A re-view counts nothing, so counts are distinct readers.
  local others = redis.call('ZRANGE', views, 0, -1)
  for _, other in ipairs(others) do
    local otherKey = prefix .. other
    redis.call('ZINCRBY', otherKey, 1, book)
    redis.call('ZREMRANGEBYRANK', otherKey, 0, -(maxCoViews + 1))
    redis.call('ZINCRBY', prefix .. book, 1, other)
  end
  if #others > 0 then
    redis.call('ZREMRANGEBYRANK', prefix .. book, 0, -(maxCoViews + 1))
    local stale = { ARGV[10] .. book }
    for _, other in ipairs(others) do
      stale[#stale + 1] = ARGV[10] .. other
    end
    redis.call('DEL', unpack(stale))
  end
end
-- GT: a late event never moves a book back in the history.
redis.call('ZADD', views, 'GT', ARGV[4], book)
redis.call('ZREMRANGEBYRANK', views, 0, -(tonumber(ARGV[6]) + 1))
redis.call('PEXPIRE', views, ARGV[7])
return 1
`;

/**
 * Trims the log of entries the group has acknowledged, never one it has not: below its lowest
 * pending entry, or, when nothing is pending, below its last delivered entry (everything before
 * that was delivered and acknowledged). Undelivered entries come after the last delivered one,
 * so they are never trimmed either. With no group yet (no consumer has started), nothing.
 * MINID ~ trims whole internal nodes only: a few acknowledged entries may stay until the next
 * round, and trimming costs little.
 * KEYS[1]: the stream; ARGV[1]: the group. Returns the number of entries trimmed.
 */
export const TRIM_ACKNOWLEDGED = `
local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
if groups.err then
  return 0
end
local lastDelivered
for _, group in ipairs(groups) do
  local name, last
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then last = group[i + 1] end
  end
  if name == ARGV[1] then lastDelivered = last end
end
if not lastDelivered then
  return 0
end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
local keepFrom = lastDelivered
if pending[1] > 0 then
  keepFrom = pending[2]
end
return redis.call('XTRIM', KEYS[1], 'MINID', '~', keepFrom)
`;

/**
 * Forgets consumers of the group that hold no pending entry and have not read for ARGV[2] ms:
 * each replica start makes a new consumer (hostname-pid), so without this the group's list
 * would grow with every restart. Deleting one that is in fact alive is harmless: it holds
 * nothing, and its next XREADGROUP makes it again.
 * KEYS[1]: the stream; ARGV[1]: the group; ARGV[2]: idle ms; ARGV[3]: the caller's own name.
 * Returns the number of consumers deleted.
 */
export const DELETE_IDLE_CONSUMERS = `
local consumers = redis.pcall('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if consumers.err then
  return 0
end
local deleted = 0
for _, consumer in ipairs(consumers) do
  local name, pending, idle
  for i = 1, #consumer, 2 do
    if consumer[i] == 'name' then name = consumer[i + 1] end
    if consumer[i] == 'pending' then pending = consumer[i + 1] end
    if consumer[i] == 'idle' then idle = consumer[i + 1] end
  end
  if name and name ~= ARGV[3] and pending == 0 and idle and idle > tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], name)
    deleted = deleted + 1
  end
end
return deleted
`;

/**
 * A reader's recent views and, for each, its most co-viewed books, in one round trip.
 * KEYS[1]: views:<user>. ARGV: how many views, how many co-views each (0: none read), the
 * co-views key prefix, the co-views text key prefix, the texts' TTL (ms).
 * Returns ONE string: every list as its pair count then its pairs, all joined by ',' —
 * `V,book,ms,…(V pairs),C1,book,count,…(C1 pairs),C2,…` — the views first, then one list per
 * view. One bulk string instead of 1 + V lists of bulk strings: the client's parsing of ~860
 * strings a call was a known reader's Recommend's largest cost (issue #27). Members are book ids
 * (digits) and scores numbers as Redis formats them, so ',' never occurs inside one.
 *
 * Each co-views list is read from its text copy (`<count>|C,book,count,…`, one MGET for all
 * views) and made from the sorted set only when there is none for this count: formatting 20
 * scores for each of 20 sets made the script cost ~250 us of the server's time, the copies ~30.
 * APPLY_ENTRY deletes the copy of every set it changes, so a copy is always the set's top as
 * it is now. The TTL only bounds the memory of copies of books no one reads any more.
 */
export const READER_HISTORY = `
local views = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local perBook = tonumber(ARGV[2])
local out = { tostring(#views / 2) }
for i = 1, #views do
  out[#out + 1] = views[i]
end
if #views == 0 then
  return out[1]
end
if perBook == 0 then
  for i = 1, #views, 2 do
    out[#out + 1] = '0'
  end
  return table.concat(out, ',')
end
local texts = {}
for i = 1, #views, 2 do
  texts[#texts + 1] = ARGV[4] .. views[i]
end
local copies = redis.call('MGET', unpack(texts))
local tag = ARGV[2] .. '|'
for k = 1, #texts do
  local copy = copies[k]
  if copy and string.sub(copy, 1, #tag) == tag then
    out[#out + 1] = string.sub(copy, #tag + 1)
  else
    local coViews = redis.call('ZREVRANGE', ARGV[3] .. views[2 * k - 1], 0, perBook - 1, 'WITHSCORES')
    local list = tostring(#coViews / 2)
    if #coViews > 0 then
      list = list .. ',' .. table.concat(coViews, ',')
    end
    -- A copy that cannot be written (say, Valkey out of memory) costs only its next read.
    redis.pcall('SET', texts[k], tag .. list, 'PX', ARGV[5])
    out[#out + 1] = list
  end
end
return table.concat(out, ',')
`;
