/* cb-matcher.c: see cb-matcher.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The right side is indexed once and never changes afterwards, so every match is a read:
 * concurrent calls need no lock. Each right record keeps its loose code, normalised name,
 * tax ID (digits only), e-mail (lower case) and the sorted IDs of its name's words. The
 * indexes: hash chains by loose code, normalised name, tax ID and e-mail, and an inverted
 * index word → records. A word's weight is its rarity on the right side,
 * log (1 + N / records with it), so "construction" counts far less than "kelbrook"; words
 * found in more than `cap` records are not used to find candidates (they still count in
 * the score).
 *
 * Name similarity works on the two sets of words ("and", "of", "the" left out), each word
 * weighted: the mean of Dice, 2 × weight (shared) / (weight (left) + weight (right)), and
 * containment, weight (shared) / the smaller of the two weights. It is shown as "name N%
 * alike" (100% only when the normalised names are identical).
 *
 * The score (0–100), in order:
 *   same code                 95 + 5 × name similarity when the names share a word or a
 *                             side has no name, else 85 ("name differs")
 *   otherwise                 100 when the normalised names are identical, else 90% of
 *                             the name similarity (a name alone is AUTO only when
 *                             identical); less 25 when both have a code and the codes
 *                             differ (cost codes, cost types and projects only: vendor
 *                             codes are rarely shared between systems)
 *   vendors, same tax ID      at least 95 + 5 × similarity when the names are at least 50%
 *                             alike (or a name is missing: 95), else 90 ("name differs")
 *   vendors, same e-mail      at least 80 + 15 × similarity
 *   vendors, e-mail domain    +5, never past 94 by this alone; generic mail providers
 *                             (gmail.com…) do not count
 *   vendors, tax IDs differ   −30 (both known): never AUTO
 *
 * Two candidates with the best score equal: ambiguous, never AUTO. The best candidate is
 * also never AUTO when another candidate has the same code, tax ID or e-mail and it has
 * not ("another candidate has the same tax ID"): the evidence disagrees. In
 * cb_matcher_match_all(), two left records whose best candidate is the same right record
 * both keep it as a suggestion, but only the better one may be AUTO, and neither if their
 * scores are equal; the others' reasons end with "another record matches it better" (or
 * "equally").
 */

#define G_LOG_DOMAIN "cb-matcher"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-matcher.h"

#define NO_LINK G_MAXUINT32

typedef struct
{
  char       *code;        /* loose; NULL when none */
  char       *name;        /* normalised; NULL when none */
  char       *tax;         /* digits only; NULL when none or a placeholder */
  char       *email;       /* lower case; NULL when none */
  const char *domain;      /* inside email; NULL when none or a generic provider */
} Fields;

typedef struct
{
  Fields   fields;
  guint32  tokens_start;
  guint32  n_tokens;
  float    weight;         /* sum of its words' weights */
} Entry;

/* A left record, prepared. */
typedef struct
{
  Fields   fields;
  GArray  *tokens;         /* guint32 IDs of known words, sorted, unique */
  GArray  *pairs;          /* guint64 keys of adjacent known words */
  float    weight;         /* known and unknown words */
} Probe;

typedef struct
{
  guint    score;
  int      name_pct;       /* -1 when a side has no name */
  guint    code_same : 1;
  guint    code_conflict : 1;
  guint    tax_same : 1;
  guint    tax_conflict : 1;
  guint    email_same : 1;
  guint    domain_same : 1;
} Evidence;

typedef struct
{
  guint32  index;
  Evidence evidence;
} Scored;

/* Two adjacent words of a right record's name, in either order. */
typedef struct
{
  guint64  key;
  guint32  index;
} Pair;

struct _CbMatcher
{
  CbMatchKind   kind;
  guint         n;
  Entry        *entries;
  GStringChunk *strings;

  GHashTable   *token_ids;       /* word → ID + 1 */
  guint         n_words;
  float        *word_weight;
  float         unknown_weight;
  guint32      *token_list;      /* each entry's word IDs, flat */
  guint32      *posting_start;   /* n_words + 1 */
  guint32      *postings;        /* entries per word */
  Pair         *pairs;           /* sorted by key */
  guint         n_pairs;
  guint         cap;

  GHashTable   *by_code;         /* key → first entry */
  GHashTable   *by_name;
  GHashTable   *by_tax;
  GHashTable   *by_email;
  guint32      *next_code;
  guint32      *next_name;
  guint32      *next_tax;
  guint32      *next_email;
};

static const char * const generic_domains[] = {
  "aol.com", "att.net", "bellsouth.net", "btinternet.com", "charter.net", "comcast.net",
  "cox.net", "earthlink.net", "fastmail.com", "gmail.com", "gmx.com", "gmx.net",
  "googlemail.com", "hotmail.co.uk", "hotmail.com", "icloud.com", "live.com", "mac.com",
  "mail.com", "me.com", "msn.com", "outlook.com", "proton.me", "protonmail.com",
  "sbcglobal.net", "verizon.net", "web.de", "yahoo.ca", "yahoo.co.uk", "yahoo.com",
  "ymail.com", "zoho.com",
};

static int
compare_str (const void *a,
             const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_generic_domain (const char *domain)
{
  return bsearch (&domain, generic_domains, G_N_ELEMENTS (generic_domains),
                  sizeof (generic_domains[0]), compare_str) != NULL;
}

static char *
normalize_tax_id (const char *tax_id)
{
  char digits[64];
  gsize n = 0;
  gboolean all_same = TRUE;

  if (tax_id == NULL)
    return NULL;
  for (const char *p = tax_id; *p != '\0' && n < sizeof digits - 1; p++)
    if (g_ascii_isdigit (*p))
      {
        if (n > 0 && *p != digits[0])
          all_same = FALSE;
        digits[n++] = *p;
      }
  /* Too short, or a placeholder such as 000000000. */
  if (n < 5 || all_same)
    return NULL;
  digits[n] = '\0';
  return g_strdup (digits);
}

static char *
normalize_email (const char *email)
{
  g_autofree char *trimmed = NULL;
  const char *at;

  if (email == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (email));
  if (g_ascii_strncasecmp (trimmed, "mailto:", 7) == 0)
    memmove (trimmed, trimmed + 7, strlen (trimmed + 7) + 1);
  at = strchr (trimmed, '@');
  if (at == NULL || at == trimmed || at[1] == '\0' || strchr (at + 1, '@') != NULL ||
      !g_utf8_validate (trimmed, -1, NULL))
    return NULL;
  for (const char *p = trimmed; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return g_utf8_strdown (trimmed, -1);
  return g_ascii_strdown (trimmed, -1);
}

static char *
empty_to_null (char *text)
{
  if (text != NULL && *text == '\0')
    {
      g_free (text);
      return NULL;
    }
  return text;
}

/* Fills @fields with newly allocated strings (or NULL). */
static void
prepare_fields (CbMatchKind        kind,
                const CbMatchItem *item,
                Fields            *fields)
{
  fields->code = empty_to_null (cb_match_normalize_code (item->code));
  fields->name = empty_to_null (cb_match_normalize (kind, item->name));
  fields->tax = NULL;
  fields->email = NULL;
  fields->domain = NULL;
  if (kind == CB_MATCH_VENDORS)
    {
      fields->tax = normalize_tax_id (item->tax_id);
      fields->email = normalize_email (item->email);
      if (fields->email != NULL)
        {
          const char *domain = strchr (fields->email, '@') + 1;

          if (!is_generic_domain (domain))
            fields->domain = domain;
        }
    }
}

static int
compare_guint32 (const void *a,
                 const void *b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static void
sort_unique (GArray *array)
{
  guint32 *v = (guint32 *) (gpointer) array->data;
  guint out = 0;

  if (array->len < 2)
    return;
  if (array->len <= 16)
    {
      /* Names have a few words: insertion sort beats qsort's set-up. */
      for (guint i = 1; i < array->len; i++)
        {
          guint32 x = v[i];
          guint j = i;

          for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
          v[j] = x;
        }
    }
  else
    qsort (v, array->len, sizeof (guint32), compare_guint32);
  for (guint i = 1; i < array->len; i++)
    if (g_array_index (array, guint32, i) != g_array_index (array, guint32, out))
      g_array_index (array, guint32, ++out) = g_array_index (array, guint32, i);
  g_array_set_size (array, out + 1);
}

static guint64
pair_key (guint32 a,
          guint32 b)
{
  return a < b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;
}

/* Stable LSD radix sort by key, 16 bits at a time: pairs arrive in index order and stay
 * so within a key. Much faster than qsort for a few hundred thousand pairs. */
static void
sort_pairs (Pair  *pairs,
            guint  n)
{
  g_autofree Pair *tmp = g_new (Pair, MAX (n, 1));
  g_autofree guint *count = g_new (guint, 65536);
  Pair *from = pairs, *to = tmp;

  for (guint shift = 0; shift < 64; shift += 16)
    {
      guint sum = 0;

      memset (count, 0, sizeof (guint) * 65536);
      for (guint i = 0; i < n; i++)
        count[(from[i].key >> shift) & 0xffff]++;
      for (guint d = 0; d < 65536; d++)
        {
          guint c = count[d];

          count[d] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        to[count[(from[i].key >> shift) & 0xffff]++] = from[i];
      from = to;
      to = from == pairs ? tmp : pairs;
    }
  /* Four passes: the result is back in @pairs. */
  g_assert (from == pairs);
}

/* The first pair with @key, or n_pairs. */
static guint
pairs_lower_bound (CbMatcher *self,
                   guint64    key)
{
  guint lo = 0, hi = self->n_pairs;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->pairs[mid].key < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
chain_insert (GHashTable *index,
              guint32    *next,
              const char *key,
              guint32     i)
{
  gpointer head;

  if (key == NULL)
    return;
  if (g_hash_table_lookup_extended (index, key, NULL, &head))
    next[i] = GPOINTER_TO_UINT (head);
  else
    next[i] = NO_LINK;
  g_hash_table_insert (index, (gpointer) key, GUINT_TO_POINTER (i));
}

/* Words that say nothing about identity: left out of the word sets. */
static gboolean
is_stop_word (const char *word)
{
  return strcmp (word, "and") == 0 || strcmp (word, "of") == 0 || strcmp (word, "the") == 0;
}

static void
probe_init (CbMatcher         *self,
            const CbMatchItem *item,
            Probe             *probe)
{
  g_autofree char *copy = NULL;
  const char *words[128];
  guint n_words = 0;
  guint32 previous = NO_LINK;

  memset (probe, 0, sizeof *probe);
  prepare_fields (self->kind, item, &probe->fields);
  probe->tokens = g_array_new (FALSE, FALSE, sizeof (guint32));
  probe->pairs = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (probe->fields.name == NULL)
    return;

  copy = g_strdup (probe->fields.name);
  for (char *w = copy; w != NULL && n_words < G_N_ELEMENTS (words); )
    {
      char *space = strchr (w, ' ');

      if (space != NULL)
        *space = '\0';
      words[n_words++] = w;
      w = space != NULL ? space + 1 : NULL;
    }
  for (guint i = 0; i < n_words; i++)
    {
      guint32 id = GPOINTER_TO_UINT (g_hash_table_lookup (self->token_ids, words[i]));
      gboolean repeated = FALSE;

      for (guint j = 0; j < i && !repeated; j++)
        repeated = g_str_equal (words[i], words[j]);
      if (is_stop_word (words[i]))
        continue;
      if (id != 0 && previous != NO_LINK && previous != id - 1)
        {
          guint64 key = pair_key (previous, id - 1);

          g_array_append_val (probe->pairs, key);
        }
      previous = id != 0 ? id - 1 : NO_LINK;
      if (repeated)
        continue;
      if (id == 0)
        probe->weight += self->unknown_weight;
      else
        {
          id--;
          g_array_append_val (probe->tokens, id);
          probe->weight += self->word_weight[id];
        }
    }
  sort_unique (probe->tokens);
}

static void
probe_clear (Probe *probe)
{
  g_free (probe->fields.code);
  g_free (probe->fields.name);
  g_free (probe->fields.tax);
  g_free (probe->fields.email);
  g_clear_pointer (&probe->tokens, g_array_unref);
  g_clear_pointer (&probe->pairs, g_array_unref);
}

/* Per-call scratch space, so concurrent calls share nothing. */
typedef struct
{
  guint32 *seen;          /* per right record: the generation that last added it */
  guint32  generation;
  GArray  *candidates;    /* guint32 */
} Workspace;

static void
workspace_init (CbMatcher *self,
                Workspace *ws)
{
  ws->seen = g_new0 (guint32, MAX (self->n, 1));
  ws->generation = 0;
  ws->candidates = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 256);
}

static void
workspace_clear (Workspace *ws)
{
  g_clear_pointer (&ws->seen, g_free);
  g_clear_pointer (&ws->candidates, g_array_unref);
}

/* Starts a new left record. */
static void
workspace_reset (CbMatcher *self,
                 Workspace *ws)
{
  if (++ws->generation == 0)
    {
      memset (ws->seen, 0, sizeof (guint32) * MAX (self->n, 1));
      ws->generation = 1;
    }
  g_array_set_size (ws->candidates, 0);
}

static inline void
add_candidate (Workspace *ws,
               guint32    index)
{
  if (ws->seen[index] != ws->generation)
    {
      ws->seen[index] = ws->generation;
      g_array_append_val (ws->candidates, index);
    }
}

static void
add_chain (Workspace     *ws,
           GHashTable    *index,
           const guint32 *next,
           const char    *key)
{
  gpointer head;

  if (key == NULL || !g_hash_table_lookup_extended (index, key, NULL, &head))
    return;
  for (guint32 i = GPOINTER_TO_UINT (head); i != NO_LINK; i = next[i])
    add_candidate (ws, i);
}

/* Stage 1: every right record sharing the code, the normalised name, the tax ID or the
 * e-mail. Only these can score above WORDS_ONLY_MAX. */
#define WORDS_ONLY_MAX 94

static void
collect_identified (CbMatcher   *self,
                    const Probe *probe,
                    Workspace   *ws)
{
  add_chain (ws, self->by_code, self->next_code, probe->fields.code);
  add_chain (ws, self->by_name, self->next_name, probe->fields.name);
  add_chain (ws, self->by_tax, self->next_tax, probe->fields.tax);
  add_chain (ws, self->by_email, self->next_email, probe->fields.email);
}

/* Stage 2: records sharing a word that is not too common, or two adjacent words. A
 * record found only here has no identifier in common, so it scores at most 89 for its
 * name (90% of at most 99%) plus 5 for an e-mail domain: WORDS_ONLY_MAX. */
static void
collect_by_words (CbMatcher   *self,
                  const Probe *probe,
                  Workspace   *ws)
{
  guint used = 0;
  guint32 rarest = NO_LINK;
  guint rarest_df = G_MAXUINT;

  for (guint i = 0; i < probe->tokens->len; i++)
    {
      guint32 id = g_array_index (probe->tokens, guint32, i);
      guint32 start = self->posting_start[id];
      guint df = self->posting_start[id + 1] - start;

      if (df <= self->cap)
        {
          for (guint k = 0; k < df; k++)
            add_candidate (ws, self->postings[start + k]);
          used++;
        }
      else if (df < rarest_df)
        {
          rarest = id;
          rarest_df = df;
        }
    }
  /* Two common words side by side are often rare together ("johnson electric"). */
  for (guint i = 0; i < probe->pairs->len; i++)
    {
      guint64 key = g_array_index (probe->pairs, guint64, i);
      guint first = pairs_lower_bound (self, key);
      guint last = first;

      while (last < self->n_pairs && self->pairs[last].key == key)
        last++;
      if (last > first && last - first <= self->cap)
        {
          for (guint k = first; k < last; k++)
            add_candidate (ws, self->pairs[k].index);
          used++;
        }
    }
  /* Only common words, never side by side: the rarest of them, within reason. */
  if (used == 0 && rarest != NO_LINK && rarest_df <= 4 * self->cap)
    for (guint k = 0; k < rarest_df; k++)
      add_candidate (ws, self->postings[self->posting_start[rarest] + k]);
}

static double
name_similarity (CbMatcher   *self,
                 const Probe *probe,
                 const Entry *entry)
{
  const guint32 *a = (const guint32 *) (gpointer) probe->tokens->data;
  const guint32 *b = self->token_list + entry->tokens_start;
  guint na = probe->tokens->len, nb = entry->n_tokens;
  guint i = 0, j = 0;
  double shared = 0;
  double total = (double) probe->weight + (double) entry->weight;

  while (i < na && j < nb)
    {
      if (a[i] < b[j])
        i++;
      else if (a[i] > b[j])
        j++;
      else
        {
          shared += self->word_weight[a[i]];
          i++;
          j++;
        }
    }
  if (shared == 0)
    return 0;
  /* Half Dice, half containment: "Summit Roofing" is most of "Summit Roofing & Sheet
   * Metal", though Dice alone would call them barely alike. */
  return shared / total + shared / MIN (probe->weight, entry->weight) / 2;
}

static guint
scale (guint base,
       guint span,
       int   pct)
{
  return base + (span * (guint) pct + 50) / 100;
}

static void
evaluate (CbMatcher   *self,
          const Probe *probe,
          guint32      index,
          Evidence    *e)
{
  const Entry *entry = &self->entries[index];
  const Fields *l = &probe->fields;
  const Fields *r = &entry->fields;
  guint score;

  memset (e, 0, sizeof *e);
  e->name_pct = -1;
  if (l->name != NULL && r->name != NULL)
    {
      if (strcmp (l->name, r->name) == 0)
        e->name_pct = 100;
      else
        e->name_pct = MIN (99, (int) (100 * name_similarity (self, probe, entry) + 0.5));
    }
  if (l->code != NULL && r->code != NULL)
    {
      e->code_same = strcmp (l->code, r->code) == 0;
      e->code_conflict = !e->code_same && self->kind != CB_MATCH_VENDORS;
    }

  if (e->code_same)
    {
      /* The code is the identity; a name that shares a word confirms it. */
      if (e->name_pct < 0)
        score = 95;
      else if (e->name_pct > 0)
        score = scale (95, 5, e->name_pct);
      else
        score = 85;
    }
  else
    {
      /* A name alone is AUTO only when identical once normalised. */
      if (e->name_pct == 100)
        score = 100;
      else
        score = (guint) MAX (e->name_pct, 0) * 9 / 10;
      if (e->code_conflict)
        score = score > 25 ? score - 25 : 0;
    }

  if (self->kind == CB_MATCH_VENDORS)
    {
      if (l->tax != NULL && r->tax != NULL)
        {
          e->tax_same = strcmp (l->tax, r->tax) == 0;
          e->tax_conflict = !e->tax_same;
        }
      if (l->email != NULL && r->email != NULL)
        e->email_same = strcmp (l->email, r->email) == 0;
      if (!e->email_same && l->domain != NULL && r->domain != NULL)
        e->domain_same = strcmp (l->domain, r->domain) == 0;

      if (e->tax_same)
        {
          guint base;

          if (e->name_pct < 0)
            base = 95;
          else if (e->name_pct >= 50)
            base = scale (95, 5, e->name_pct);
          else
            base = 90;
          score = MAX (score, base);
        }
      if (e->email_same)
        score = MAX (score, scale (80, 15, MAX (e->name_pct, 0)));
      if (e->domain_same)
        score = MIN (score + 5, MAX (score, 94));
      if (e->tax_conflict)
        score = score > 30 ? score - 30 : 0;
    }

  e->score = MIN (score, 100);
}

static void
append_part (GString    *reason,
             const char *part)
{
  if (reason->len > 0)
    /* Translators: separates the parts of a match reason, as in "same code, name 92% alike" */
    g_string_append (reason, _(", "));
  g_string_append (reason, part);
}

static char *
describe (const Evidence *e,
          gboolean        ambiguous,
          const char     *contested)
{
  GString *reason = g_string_new (NULL);
  gboolean strong = e->code_same || e->tax_same || e->email_same;

  if (e->code_same)
    append_part (reason, _("same code"));
  if (e->tax_same)
    append_part (reason, _("same tax ID"));
  if (e->email_same)
    append_part (reason, _("same e-mail"));
  if (e->name_pct == 100)
    append_part (reason, _("same name"));
  else if (e->name_pct >= 0 && (e->name_pct == 0 || (strong && e->name_pct < 50)))
    append_part (reason, _("name differs"));
  else if (e->name_pct >= 0)
    {
      /* Translators: how alike two names are, e.g. "name 92% alike" */
      g_autofree char *part = g_strdup_printf (_("name %d%% alike"), e->name_pct);

      append_part (reason, part);
    }
  if (e->code_conflict)
    append_part (reason, _("different code"));
  if (e->tax_conflict)
    append_part (reason, _("different tax ID"));
  if (e->domain_same)
    append_part (reason, _("same e-mail domain"));
  if (ambiguous)
    append_part (reason, _("another candidate scores the same"));
  if (contested != NULL)
    append_part (reason, contested);
  return g_string_free (reason, FALSE);
}

static CbMatchZone
zone_for (guint                    score,
          gboolean                 ambiguous,
          const CbMatchThresholds *thresholds)
{
  if (score >= thresholds->auto_min && !ambiguous)
    return CB_MATCH_ZONE_AUTO;
  if (score >= thresholds->suggest_min || (ambiguous && score >= thresholds->auto_min))
    return CB_MATCH_ZONE_SUGGEST;
  return CB_MATCH_ZONE_NONE;
}

typedef struct
{
  Evidence best;
  guint32  best_index;
  gboolean tie;
  gboolean any_code, any_tax, any_email;
} Best;

static void
consider (CbMatcher   *self,
          const Probe *probe,
          Workspace   *ws,
          guint        from,
          Best        *b)
{
  for (guint i = from; i < ws->candidates->len; i++)
    {
      guint32 index = g_array_index (ws->candidates, guint32, i);
      Evidence e;

      evaluate (self, probe, index, &e);
      if (e.score == 0)
        continue;
      b->any_code |= e.code_same;
      b->any_tax |= e.tax_same;
      b->any_email |= e.email_same;
      if (b->best_index == NO_LINK || e.score > b->best.score)
        {
          b->best = e;
          b->best_index = index;
          b->tie = FALSE;
        }
      else if (e.score == b->best.score)
        {
          /* The lowest index stands for the tie, whatever the order found. */
          b->tie = TRUE;
          if (index < b->best_index)
            {
              b->best = e;
              b->best_index = index;
            }
        }
    }
}

static void
match_one (CbMatcher               *self,
           const CbMatchItem       *left,
           const CbMatchThresholds *thresholds,
           Workspace               *ws,
           CbMatchResult           *result)
{
  Probe probe;
  Best b = { .best_index = NO_LINK };
  const char *contested = NULL;
  guint n_identified;

  memset (result, 0, sizeof *result);
  result->candidate = -1;
  result->zone = CB_MATCH_ZONE_NONE;

  probe_init (self, left, &probe);
  workspace_reset (self, ws);
  collect_identified (self, &probe, ws);
  n_identified = ws->candidates->len;
  consider (self, &probe, ws, 0, &b);
  /* Words can only find weaker candidates than a good identified one: skip them then. */
  if (b.best_index == NO_LINK || b.best.score <= WORDS_ONLY_MAX)
    {
      collect_by_words (self, &probe, ws);
      consider (self, &probe, ws, n_identified, &b);
    }
  probe_clear (&probe);

  if (b.best_index == NO_LINK)
    return;
  /* Another candidate holds an identifier this one lacks: a person decides. */
  if (b.any_tax && !b.best.tax_same)
    contested = _("another candidate has the same tax ID");
  else if (b.any_email && !b.best.email_same)
    contested = _("another candidate has the same e-mail");
  else if (b.any_code && !b.best.code_same)
    contested = _("another candidate has the same code");
  result->score = b.best.score;
  result->ambiguous = b.tie;
  result->zone = zone_for (b.best.score, b.tie || contested != NULL, thresholds);
  if (result->zone == CB_MATCH_ZONE_NONE)
    return;
  result->candidate = (int) b.best_index;
  result->reason = describe (&b.best, b.tie, contested);
}

static int
compare_scored (const void *a,
                const void *b)
{
  const Scored *x = a;
  const Scored *y = b;

  if (x->evidence.score != y->evidence.score)
    return x->evidence.score > y->evidence.score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

CbMatcher *
cb_matcher_new (CbMatchKind        kind,
                const CbMatchItem *right,
                guint              n_right)
{
  CbMatcher *self;
  g_autoptr(GArray) token_list = NULL;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autofree guint32 *fill = NULL;
  guint32 *df;

  g_return_val_if_fail (right != NULL || n_right == 0, NULL);

  self = g_new0 (CbMatcher, 1);
  self->kind = kind;
  self->n = n_right;
  self->entries = g_new0 (Entry, MAX (n_right, 1));
  self->strings = g_string_chunk_new (64 * 1024);
  self->token_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_tax = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_email = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_code = g_new (guint32, MAX (n_right, 1));
  self->next_name = g_new (guint32, MAX (n_right, 1));
  self->next_tax = g_new (guint32, MAX (n_right, 1));
  self->next_email = g_new (guint32, MAX (n_right, 1));

  token_list = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n_right * 3 + 1);
  words = g_array_new (FALSE, FALSE, sizeof (guint32));
  pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  for (guint32 i = 0; i < n_right; i++)
    {
      Entry *entry = &self->entries[i];
      Fields fields;

      prepare_fields (kind, &right[i], &fields);
      entry->fields.code = fields.code ? g_string_chunk_insert (self->strings, fields.code) : NULL;
      entry->fields.name = fields.name ? g_string_chunk_insert (self->strings, fields.name) : NULL;
      entry->fields.tax = fields.tax ? g_string_chunk_insert (self->strings, fields.tax) : NULL;
      entry->fields.email = fields.email ? g_string_chunk_insert (self->strings, fields.email) : NULL;
      if (fields.domain != NULL)
        entry->fields.domain = entry->fields.email + (fields.domain - fields.email);
      g_free (fields.code);
      g_free (fields.name);
      g_free (fields.tax);
      g_free (fields.email);

      chain_insert (self->by_code, self->next_code, entry->fields.code, i);
      chain_insert (self->by_name, self->next_name, entry->fields.name, i);
      chain_insert (self->by_tax, self->next_tax, entry->fields.tax, i);
      chain_insert (self->by_email, self->next_email, entry->fields.email, i);

      g_array_set_size (words, 0);
      if (entry->fields.name != NULL)
        {
          char word[256];
          const char *p = entry->fields.name;

          while (*p != '\0')
            {
              const char *end = strchr (p, ' ');
              gsize len = end ? (gsize) (end - p) : strlen (p);
              guint32 id;

              /* Longer words are cut: still a word, and still rare. */
              len = MIN (len, sizeof word - 1);
              memcpy (word, p, len);
              word[len] = '\0';
              id = GPOINTER_TO_UINT (g_hash_table_lookup (self->token_ids, word));
              p = end ? end + 1 : p + strlen (p);
              if (is_stop_word (word))
                continue;
              if (id != 0 && words->len > 0 &&
                  g_array_index (words, guint32, words->len - 1) != id - 1)
                {
                  Pair pair = { pair_key (g_array_index (words, guint32, words->len - 1),
                                          id - 1), i };

                  g_array_append_val (pairs, pair);
                }
              if (id == 0)
                {
                  char *stored = g_string_chunk_insert (self->strings, word);

                  id = ++self->n_words;
                  g_hash_table_insert (self->token_ids, stored, GUINT_TO_POINTER (id));
                }
              id--;
              g_array_append_val (words, id);
            }
          sort_unique (words);
        }
      entry->tokens_start = token_list->len;
      entry->n_tokens = words->len;
      g_array_append_vals (token_list, words->data, words->len);
    }

  /* Word weights and the inverted index (CSR). */
  self->token_list = (guint32 *) (gpointer) g_array_free (g_steal_pointer (&token_list), FALSE);
  df = g_new0 (guint32, self->n_words + 1);
  for (guint32 i = 0; i < n_right; i++)
    for (guint32 k = 0; k < self->entries[i].n_tokens; k++)
      df[self->token_list[self->entries[i].tokens_start + k]]++;

  self->word_weight = g_new (float, self->n_words + 1);
  self->unknown_weight = logf (1.0f + (float) MAX (n_right, 1));
  self->posting_start = g_new (guint32, self->n_words + 1);
  self->posting_start[0] = 0;
  for (guint32 w = 0; w < self->n_words; w++)
    {
      self->word_weight[w] = logf (1.0f + (float) n_right / (float) df[w]);
      self->posting_start[w + 1] = self->posting_start[w] + df[w];
    }
  g_free (df);

  self->postings = g_new (guint32, self->posting_start[self->n_words] + 1);
  fill = g_memdup2 (self->posting_start, sizeof (guint32) * (self->n_words + 1));
  for (guint32 i = 0; i < n_right; i++)
    {
      Entry *entry = &self->entries[i];

      entry->weight = 0;
      for (guint32 k = 0; k < entry->n_tokens; k++)
        {
          guint32 w = self->token_list[entry->tokens_start + k];

          self->postings[fill[w]++] = i;
          entry->weight += self->word_weight[w];
        }
    }

  sort_pairs ((Pair *) (gpointer) pairs->data, pairs->len);
  self->n_pairs = pairs->len;
  self->pairs = (Pair *) (gpointer) g_array_free (g_steal_pointer (&pairs), FALSE);

  self->cap = MAX (64, n_right / 500);
  return self;
}

void
cb_matcher_free (CbMatcher *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->token_ids);
  g_hash_table_unref (self->by_code);
  g_hash_table_unref (self->by_name);
  g_hash_table_unref (self->by_tax);
  g_hash_table_unref (self->by_email);
  g_free (self->next_code);
  g_free (self->next_name);
  g_free (self->next_tax);
  g_free (self->next_email);
  g_free (self->token_list);
  g_free (self->word_weight);
  g_free (self->posting_start);
  g_free (self->postings);
  g_free (self->pairs);
  g_free (self->entries);
  g_string_chunk_free (self->strings);
  g_free (self);
}

void
cb_matcher_match (CbMatcher               *self,
                  const CbMatchItem       *left,
                  const CbMatchThresholds *thresholds,
                  CbMatchResult           *result)
{
  CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;
  Workspace ws;

  g_return_if_fail (self != NULL);
  g_return_if_fail (left != NULL);
  g_return_if_fail (result != NULL);

  workspace_init (self, &ws);
  match_one (self, left, thresholds ? thresholds : &defaults, &ws, result);
  workspace_clear (&ws);
}

GArray *
cb_matcher_match_all (CbMatcher               *self,
                      const CbMatchItem       *left,
                      guint                    n_left,
                      const CbMatchThresholds *thresholds)
{
  Workspace ws;
  g_autofree guint *best = NULL;    /* per right record: best left score pointing at it */
  g_autofree guint *count = NULL;   /* … and how many left records have that score */
  CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;
  GArray *results;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (left != NULL || n_left == 0, NULL);

  if (thresholds == NULL)
    thresholds = &defaults;
  results = g_array_sized_new (FALSE, TRUE, sizeof (CbMatchResult), n_left);
  g_array_set_clear_func (results, (GDestroyNotify) cb_match_result_clear);
  g_array_set_size (results, n_left);
  workspace_init (self, &ws);
  best = g_new0 (guint, MAX (self->n, 1));
  count = g_new0 (guint, MAX (self->n, 1));

  for (guint i = 0; i < n_left; i++)
    {
      CbMatchResult *result = &g_array_index (results, CbMatchResult, i);

      match_one (self, &left[i], thresholds, &ws, result);
      if (result->candidate >= 0)
        {
          guint c = (guint) result->candidate;

          if (result->score > best[c])
            {
              best[c] = result->score;
              count[c] = 1;
            }
          else if (result->score == best[c])
            count[c]++;
        }
    }

  workspace_clear (&ws);

  /* Two left records after one right record: only a clear winner may be AUTO. */
  for (guint i = 0; i < n_left; i++)
    {
      CbMatchResult *result = &g_array_index (results, CbMatchResult, i);
      const char *note = NULL;
      char *reason;

      if (result->candidate < 0)
        continue;
      if (result->score < best[result->candidate])
        note = _("another record matches it better");
      else if (count[result->candidate] > 1)
        note = _("another record matches it equally");
      if (note == NULL)
        continue;
      if (result->zone == CB_MATCH_ZONE_AUTO)
        result->zone = CB_MATCH_ZONE_SUGGEST;
      reason = g_strconcat (result->reason, _(", "), note, NULL);
      g_free (result->reason);
      result->reason = reason;
    }
  return results;
}

GArray *
cb_matcher_rank (CbMatcher         *self,
                 const CbMatchItem *left,
                 guint              max)
{
  g_autoptr(GArray) scored = NULL;
  Workspace ws;
  CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;
  GArray *results;
  Probe probe;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (left != NULL, NULL);

  results = g_array_new (FALSE, TRUE, sizeof (CbMatchResult));
  g_array_set_clear_func (results, (GDestroyNotify) cb_match_result_clear);

  scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  probe_init (self, left, &probe);
  workspace_init (self, &ws);
  workspace_reset (self, &ws);
  collect_identified (self, &probe, &ws);
  collect_by_words (self, &probe, &ws);
  for (guint i = 0; i < ws.candidates->len; i++)
    {
      Scored s;

      s.index = g_array_index (ws.candidates, guint32, i);
      evaluate (self, &probe, s.index, &s.evidence);
      if (s.evidence.score > 0)
        g_array_append_val (scored, s);
    }
  probe_clear (&probe);
  workspace_clear (&ws);
  if (scored->len > 1)
    qsort (scored->data, scored->len, sizeof (Scored), compare_scored);

  for (guint i = 0; i < scored->len && i < max; i++)
    {
      const Scored *s = &g_array_index (scored, Scored, i);
      CbMatchResult result = { 0, };
      gboolean tie;

      tie = (i > 0 && g_array_index (scored, Scored, i - 1).evidence.score == s->evidence.score) ||
            (i + 1 < scored->len &&
             g_array_index (scored, Scored, i + 1).evidence.score == s->evidence.score);
      result.candidate = (int) s->index;
      result.score = s->evidence.score;
      result.ambiguous = tie;
      result.zone = zone_for (s->evidence.score, tie, &defaults);
      result.reason = describe (&s->evidence, tie, NULL);
      g_array_append_val (results, result);
    }
  return results;
}

void
cb_match_result_clear (CbMatchResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->reason, g_free);
}
