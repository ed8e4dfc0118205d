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
 *   otherwise                 name similarity × 100, less 15 when both have a code and the
 *                             codes differ (cost codes, cost types and projects only:
 *                             vendor codes are rarely shared between systems)
 *   vendors, same tax ID      at least 95 + 5 × similarity when the names are at least 50%
 *                             alike (or a name is missing: 95), else 90 ("name differs")
 *   vendors, same e-mail      at least 80 + 15 × similarity
 *   vendors, e-mail domain    +5, never past 94 by this alone; generic mail providers
 *                             (gmail.com…) do not count
 *   vendors, tax IDs differ   −30 (both known): never AUTO
 *
 * Two candidates with the best score equal: ambiguous, never AUTO. In
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
  return g_utf8_strdown (trimmed, -1);
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
  guint out = 0;

  if (array->len < 2)
    return;
  qsort (array->data, array->len, sizeof (guint32), compare_guint32);
  for (guint i = 1; i < array->len; i++)
    if (g_array_index (array, guint32, i) != g_array_index (array, guint32, out))
      g_array_index (array, guint32, ++out) = g_array_index (array, guint32, i);
  g_array_set_size (array, out + 1);
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

static void
chain_collect (GHashTable    *index,
               const guint32 *next,
               const char    *key,
               GArray        *out)
{
  gpointer head;

  if (key == NULL || !g_hash_table_lookup_extended (index, key, NULL, &head))
    return;
  for (guint32 i = GPOINTER_TO_UINT (head); i != NO_LINK; i = next[i])
    g_array_append_val (out, i);
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
  g_auto(GStrv) words = NULL;

  memset (probe, 0, sizeof *probe);
  prepare_fields (self->kind, item, &probe->fields);
  probe->tokens = g_array_new (FALSE, FALSE, sizeof (guint32));
  if (probe->fields.name == NULL)
    return;

  words = g_strsplit (probe->fields.name, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      guint32 id = GPOINTER_TO_UINT (g_hash_table_lookup (self->token_ids, words[i]));
      gboolean repeated = FALSE;

      for (guint j = 0; j < i && !repeated; j++)
        repeated = g_str_equal (words[i], words[j]);
      if (repeated || is_stop_word (words[i]))
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
}

/* Candidates: every right record sharing a code, name, tax ID, e-mail or a word that is
 * not too common. Sorted, unique. */
static void
collect_candidates (CbMatcher   *self,
                    const Probe *probe,
                    GArray      *out)
{
  guint used = 0;
  guint32 rarest = NO_LINK;
  guint rarest_df = G_MAXUINT;

  g_array_set_size (out, 0);
  chain_collect (self->by_code, self->next_code, probe->fields.code, out);
  chain_collect (self->by_name, self->next_name, probe->fields.name, out);
  chain_collect (self->by_tax, self->next_tax, probe->fields.tax, out);
  chain_collect (self->by_email, self->next_email, probe->fields.email, out);

  for (guint i = 0; i < probe->tokens->len; i++)
    {
      guint32 id = g_array_index (probe->tokens, guint32, i);
      guint32 start = self->posting_start[id];
      guint df = self->posting_start[id + 1] - start;

      if (df <= self->cap)
        {
          g_array_append_vals (out, self->postings + start, df);
          used++;
        }
      else if (df < rarest_df)
        {
          rarest = id;
          rarest_df = df;
        }
    }
  /* Only common words ("Johnson Electric"): the rarest of them, within reason. */
  if (used == 0 && rarest != NO_LINK && rarest_df <= 8 * self->cap)
    g_array_append_vals (out, self->postings + self->posting_start[rarest], rarest_df);

  sort_unique (out);
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
        e->name_pct = MIN (99, (int) lround (100 * name_similarity (self, probe, entry)));
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
      score = MAX (e->name_pct, 0);
      if (e->code_conflict)
        score = score > 15 ? score - 15 : 0;
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
          gboolean        ambiguous)
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

static void
match_one (CbMatcher               *self,
           const CbMatchItem       *left,
           const CbMatchThresholds *thresholds,
           GArray                  *candidates,
           CbMatchResult           *result)
{
  Probe probe;
  Evidence best = { 0, };
  guint32 best_index = NO_LINK;
  gboolean tie = FALSE;

  memset (result, 0, sizeof *result);
  result->candidate = -1;
  result->zone = CB_MATCH_ZONE_NONE;

  probe_init (self, left, &probe);
  collect_candidates (self, &probe, candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      guint32 index = g_array_index (candidates, guint32, i);
      Evidence e;

      evaluate (self, &probe, index, &e);
      if (e.score == 0)
        continue;
      if (best_index == NO_LINK || e.score > best.score)
        {
          best = e;
          best_index = index;
          tie = FALSE;
        }
      else if (e.score == best.score)
        tie = TRUE;   /* candidates are in index order: the first one stays */
    }
  probe_clear (&probe);

  if (best_index == NO_LINK)
    return;
  result->score = best.score;
  result->ambiguous = tie;
  result->zone = zone_for (best.score, tie, thresholds);
  if (result->zone == CB_MATCH_ZONE_NONE)
    return;
  result->candidate = (int) best_index;
  result->reason = describe (&best, tie);
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
          const char *p = entry->fields.name;

          while (*p != '\0')
            {
              const char *end = strchr (p, ' ');
              g_autofree char *word = g_strndup (p, end ? (gsize) (end - p) : strlen (p));
              guint32 id = GPOINTER_TO_UINT (g_hash_table_lookup (self->token_ids, word));

              p = end ? end + 1 : p + strlen (p);
              if (is_stop_word (word))
                continue;
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
  g_autoptr(GArray) candidates = NULL;
  CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;

  g_return_if_fail (self != NULL);
  g_return_if_fail (left != NULL);
  g_return_if_fail (result != NULL);

  candidates = g_array_new (FALSE, FALSE, sizeof (guint32));
  match_one (self, left, thresholds ? thresholds : &defaults, candidates, result);
}

GArray *
cb_matcher_match_all (CbMatcher               *self,
                      const CbMatchItem       *left,
                      guint                    n_left,
                      const CbMatchThresholds *thresholds)
{
  g_autoptr(GArray) candidates = NULL;
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
  candidates = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 256);
  best = g_new0 (guint, MAX (self->n, 1));
  count = g_new0 (guint, MAX (self->n, 1));

  for (guint i = 0; i < n_left; i++)
    {
      CbMatchResult *result = &g_array_index (results, CbMatchResult, i);

      match_one (self, &left[i], thresholds, candidates, result);
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
  g_autoptr(GArray) candidates = NULL;
  g_autoptr(GArray) scored = NULL;
  CbMatchThresholds defaults = CB_MATCH_THRESHOLDS_DEFAULT;
  GArray *results;
  Probe probe;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (left != NULL, NULL);

  results = g_array_new (FALSE, TRUE, sizeof (CbMatchResult));
  g_array_set_clear_func (results, (GDestroyNotify) cb_match_result_clear);

  candidates = g_array_new (FALSE, FALSE, sizeof (guint32));
  scored = g_array_new (FALSE, FALSE, sizeof (Scored));
  probe_init (self, left, &probe);
  collect_candidates (self, &probe, candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      Scored s;

      s.index = g_array_index (candidates, guint32, i);
      evaluate (self, &probe, s.index, &s.evidence);
      if (s.evidence.score > 0)
        g_array_append_val (scored, s);
    }
  probe_clear (&probe);
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
      result.reason = describe (&s->evidence, tie);
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
