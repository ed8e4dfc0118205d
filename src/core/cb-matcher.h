/* cb-matcher.h: suggests which Intacct record each job-side record corresponds to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure computation (no store, no I/O), so it can run on any thread. The right side (the
 * Intacct candidates) is indexed once — by exact code, by normalised name, by tokens, and
 * for vendors by tax ID and e-mail — so matching a left record looks only at candidates
 * that share something with it, never at all pairs. 50,000 × 50,000 vendors run in about
 * a second on one core (bench-matcher).
 *
 * Scores are 0–100. The zones: score ≥ thresholds.auto_min → AUTO (mapped without asking,
 * marked automatic); ≥ suggest_min → SUGGEST (shown for a person to accept); else NONE
 * (the caller may propose "create in Intacct"). Two candidates with the best score equal
 * make the result ambiguous: never AUTO, at most SUGGEST, and the reason says so. Every
 * result with a candidate carries its reason in words ("same code", "name 92% alike",
 * "same tax ID"), translated.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CB_MATCH_COST_CODES,   /* job cost codes ↔ STANDARDTASK (code: STANDARDTASKID) */
  CB_MATCH_COST_TYPES,   /* job cost types ↔ STANDARDCOSTTYPE */
  CB_MATCH_VENDORS,      /* job vendors ↔ VENDOR (tax ID and e-mail count) */
  CB_MATCH_PROJECTS,     /* jobs (code: job number) ↔ PROJECT */
} CbMatchKind;

typedef struct
{
  const char *code;      /* cost code, job number, vendor code/ID; may be NULL */
  const char *name;      /* may be NULL */
  const char *tax_id;    /* vendors only; may be NULL */
  const char *email;     /* vendors only; may be NULL */
} CbMatchItem;

typedef struct
{
  guint auto_min;        /* default 95 */
  guint suggest_min;     /* default 60 */
} CbMatchThresholds;

#define CB_MATCH_THRESHOLDS_DEFAULT ((CbMatchThresholds) { 95, 60 })

typedef enum
{
  CB_MATCH_ZONE_AUTO,
  CB_MATCH_ZONE_SUGGEST,
  CB_MATCH_ZONE_NONE,
} CbMatchZone;

typedef struct
{
  int          candidate;   /* index into the right side, or -1 */
  guint        score;       /* 0–100 */
  CbMatchZone  zone;
  gboolean     ambiguous;   /* another candidate scored the same */
  char        *reason;      /* NULL when candidate is -1 */
} CbMatchResult;

typedef struct _CbMatcher CbMatcher;

/* Indexes @right (copied; the caller's strings may go). */
CbMatcher *cb_matcher_new    (CbMatchKind              kind,
                              const CbMatchItem       *right,
                              guint                    n_right);
void       cb_matcher_free   (CbMatcher               *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbMatcher, cb_matcher_free)

/* The best candidate for one left record. Fill @result; clear it with
 * cb_match_result_clear(). Thread-safe for concurrent calls on one matcher. */
void       cb_matcher_match  (CbMatcher               *self,
                              const CbMatchItem       *left,
                              const CbMatchThresholds *thresholds,
                              CbMatchResult           *result);
/* Every left record: an array of @n_left CbMatchResult (clear func set). */
GArray    *cb_matcher_match_all (CbMatcher               *self,
                                 const CbMatchItem       *left,
                                 guint                    n_left,
                                 const CbMatchThresholds *thresholds);
/* Up to @max candidates for a picker, best first (element-type CbMatchResult). */
GArray    *cb_matcher_rank   (CbMatcher               *self,
                              const CbMatchItem       *left,
                              guint                    max);
void       cb_match_result_clear (CbMatchResult *result);

/* Normalisation used by the matcher, exposed for tests and search: lower case, accents
 * folded, punctuation to spaces, spaces collapsed, common abbreviations expanded or
 * dropped per kind ("Inc", "LLC", "Co", "Corp", "&" → "and", "Const" → "construction"…). */
char      *cb_match_normalize (CbMatchKind  kind,
                               const char  *text);
/* A code compared loosely: case, spaces, dots and dashes ignored ("03 30 00" = "03-3000"). */
char      *cb_match_normalize_code (const char *code);

G_END_DECLS
