import type { Logger } from 'pino';

/** Distinct versions logged at most: replicas of a few catalogs, not a flood if one misbehaves. */
const MAX_LOGGED_VERSIONS = 16;

/**
 * Logs each catalog version Recommendations answers with the first time it is seen: the
 * Marketplace's record of which catalog it served from (it holds none of its own), and of a
 * rollout, or replicas of different catalogs, when a second one appears.
 */
export function createCatalogVersionLog(logger: Pick<Logger, 'info' | 'warn'>): (version: string) => void {
  const seen = new Set<string>();
  return (version) => {
    if (seen.has(version) || seen.size > MAX_LOGGED_VERSIONS) return;
    seen.add(version);
    if (seen.size > MAX_LOGGED_VERSIONS) {
      logger.warn({ versionsSeen: seen.size }, 'catalog versions: too many to log, no more logged');
      return;
    }
    logger.info({ catalogVersion: version, versionsSeen: seen.size }, 'catalog version seen');
  };
}
