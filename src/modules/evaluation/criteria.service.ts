/**
 * The criteria versions the platform knows: the one it ships (data/criteria, 26/2026) and those
 * imported later (`ocop criteria import FILE`, kept whole and immutable in the database). Forms are
 * read by version slug and set code; scoring goes through the pure rules in scoring.ts.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditContext, audit } from '../../platform/audit.ts';
import type { DB } from '../../platform/db/schema.ts';
import {
  BUILT_IN_VERSION,
  builtInCriteria,
  type CriteriaForm,
  type CriteriaVersion,
  findForm,
  parseCriteriaBundle,
} from './criteria.ts';
import { setNotFound, versionExists, versionInvalid, versionNotFound } from './errors.ts';
import { findImportedVersions, insertVersion } from './evaluation.queries.ts';
import { invalidSheets, type ScoreResult, type Sheet, scoreSheets, validateSheets } from './scoring.ts';

/** Differences between members' totals above this are flagged for discussion (points). */
export const SPREAD_LIMIT = 10;

export function createCriteriaService(db: Kysely<DB>) {
  let cache: Promise<CriteriaVersion[]> | undefined;

  async function loadAll(): Promise<CriteriaVersion[]> {
    const imported = await findImportedVersions(db);
    return [
      builtInCriteria(),
      ...imported.map((row) =>
        parseCriteriaBundle(typeof row.content === 'string' ? JSON.parse(row.content) : row.content),
      ),
    ];
  }

  const versions = () => {
    cache ??= loadAll().catch((error: unknown) => {
      cache = undefined;
      throw error;
    });
    return cache;
  };

  async function version(slug: string): Promise<CriteriaVersion> {
    const found = (await versions()).find((v) => v.slug === slug);
    if (!found) throw versionNotFound(slug);
    return found;
  }

  async function form(slug: string, set: string): Promise<CriteriaForm> {
    const v = await version(slug);
    const found = /^\d{1,2}$/.test(set) ? findForm(v, set) : undefined;
    if (!found) throw setNotFound(slug, set);
    return found;
  }

  return {
    versions,
    version,
    form,
    /** The version new evaluations and self-assessments use. */
    current: () => version(BUILT_IN_VERSION),

    /** Scores sheets on a form; 422 naming every fault when they do not fit it. */
    async score(slug: string, set: string, sheets: Sheet[]): Promise<ScoreResult> {
      const f = await form(slug, set);
      const faults = validateSheets(f, sheets);
      if (faults.length > 0) throw invalidSheets(faults);
      return scoreSheets(f, sheets, { spreadLimit: SPREAD_LIMIT });
    },

    /** Publishes a new version (validated whole first); a slug is never reused. */
    async importVersion(context: AuditContext, bundle: unknown): Promise<CriteriaVersion> {
      let parsed: CriteriaVersion;
      try {
        parsed = parseCriteriaBundle(bundle);
      } catch (error) {
        throw versionInvalid(
          String((error as Error).message)
            .split('\n- ')
            .slice(1),
        );
      }
      if ((await versions()).some((v) => v.slug === parsed.slug)) throw versionExists(parsed.slug);
      const content = JSON.stringify(bundle);
      await db.transaction().execute(async (trx) => {
        await insertVersion(trx, {
          slug: parsed.slug,
          title: parsed.title,
          content,
          sha256: createHash('sha256').update(content).digest('hex'),
          imported_by: context.actor.label ?? context.actor.id ?? null,
        }).catch((error: { code?: string }) => {
          if (error.code === '23505') throw versionExists(parsed.slug);
          throw error;
        });
        await audit(trx, context, {
          action: 'criteria_version.import',
          entityType: 'criteria_version',
          entityId: parsed.slug,
          after: { slug: parsed.slug, title: parsed.title, sets: parsed.sets.length },
        });
      });
      cache = undefined;
      return parsed;
    },
  };
}

export type CriteriaService = ReturnType<typeof createCriteriaService>;
