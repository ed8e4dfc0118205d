/* cb-normalize.c: the text normalisation the matcher compares (see cb-matcher.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A name is folded (lower case, accents and ligatures folded, apostrophes dropped,
 * "&" and "+" read as "and", every other non-alphanumeric character a space), cut into
 * words, runs of single letters joined ("L.L.C." → "llc", "A B C" → "abc"), then each word
 * goes through a table of abbreviations ("const" → "construction", "bros" → "brothers").
 * For vendors, legal forms ("Inc", "LLC", "Co", "Corp", "Ltd"…) and "the" are dropped, as
 * is an "and" left dangling at the end ("Smith & Co" → "smith"), unless nothing would be
 * left. The tables are built once, thread-safely.
 */

#define G_LOG_DOMAIN "cb-normalize"

#include "config.h"

#include <string.h>

#include "cb-matcher.h"

typedef struct
{
  const char *from;
  const char *to;      /* "" drops the word */
} Abbreviation;

/* Every kind. */
static const Abbreviation common_abbreviations[] = {
  { "assoc", "associates" }, { "assocs", "associates" }, { "assn", "association" },
  { "bldg", "building" }, { "bldgs", "building" }, { "buildings", "building" },
  { "bro", "brothers" }, { "bros", "brothers" },
  { "centre", "center" }, { "ctr", "center" }, { "cntr", "center" },
  { "const", "construction" }, { "constr", "construction" }, { "constn", "construction" },
  { "constrn", "construction" }, { "cnstr", "construction" }, { "cnst", "construction" },
  { "contr", "contractor" }, { "contrs", "contractor" }, { "contractors", "contractor" },
  { "dept", "department" },
  { "elec", "electric" }, { "elect", "electric" }, { "electrical", "electric" },
  { "engr", "engineering" }, { "engg", "engineering" }, { "engineers", "engineering" },
  { "equip", "equipment" }, { "eqpt", "equipment" }, { "eqp", "equipment" },
  { "excav", "excavation" }, { "excavating", "excavation" },
  { "gen", "general" }, { "genl", "general" },
  { "intl", "international" }, { "natl", "national" },
  { "labour", "labor" },
  { "matl", "material" }, { "matls", "material" }, { "mtl", "material" },
  { "mtls", "material" }, { "materials", "material" },
  { "mech", "mechanical" },
  { "mfg", "manufacturing" },
  { "mgmt", "management" }, { "mgt", "management" },
  { "misc", "miscellaneous" },
  { "plbg", "plumbing" }, { "plmb", "plumbing" },
  { "svc", "services" }, { "svcs", "services" }, { "srvc", "services" },
  { "srvcs", "services" }, { "serv", "services" }, { "service", "services" },
  { "sply", "supply" }, { "supp", "supply" }, { "supplies", "supply" },
  { "sys", "systems" }, { "system", "systems" },
};

/* Vendors only: legal forms and articles, dropped. */
static const Abbreviation vendor_abbreviations[] = {
  { "the", "" },
  { "inc", "" }, { "incorporated", "" },
  { "llc", "" }, { "lc", "" }, { "pllc", "" },
  { "ltd", "" }, { "limited", "" },
  { "corp", "" }, { "corporation", "" },
  { "co", "" }, { "company", "" },
  { "lp", "" }, { "llp", "" }, { "plc", "" }, { "pc", "" },
  { "gmbh", "" }, { "pty", "" }, { "sa", "" }, { "sarl", "" }, { "srl", "" }, { "bv", "" },
  { "nv", "" },
};

/* Cost codes, cost types and projects: the words of cost accounting. */
static const Abbreviation cost_abbreviations[] = {
  { "lab", "labor" },
  { "mat", "material" },
  { "eq", "equipment" },
  { "sub", "subcontract" }, { "subs", "subcontract" }, { "subcontractor", "subcontract" },
  { "subcontractors", "subcontract" }, { "subcontracts", "subcontract" },
  { "oth", "other" },
  { "conc", "concrete" },
  { "demo", "demolition" },
  { "cond", "conditions" }, { "conds", "conditions" },
};

static GHashTable *
build_table (const Abbreviation *first,
             gsize               n_first,
             const Abbreviation *second,
             gsize               n_second)
{
  GHashTable *table = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < n_first; i++)
    g_hash_table_insert (table, (gpointer) first[i].from, (gpointer) first[i].to);
  for (gsize i = 0; i < n_second; i++)
    g_hash_table_insert (table, (gpointer) second[i].from, (gpointer) second[i].to);
  return table;
}

static GHashTable *
table_for_kind (CbMatchKind kind)
{
  static GHashTable *vendor_table;
  static GHashTable *cost_table;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      vendor_table = build_table (common_abbreviations, G_N_ELEMENTS (common_abbreviations),
                                  vendor_abbreviations, G_N_ELEMENTS (vendor_abbreviations));
      cost_table = build_table (common_abbreviations, G_N_ELEMENTS (common_abbreviations),
                                cost_abbreviations, G_N_ELEMENTS (cost_abbreviations));
      g_once_init_leave (&initialised, 1);
    }
  return kind == CB_MATCH_VENDORS ? vendor_table : cost_table;
}

static void
append_folded_unichar (GString  *out,
                       gunichar  c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  switch (c)
    {
    case 0x2018: case 0x2019: case 0x02BC: case 0x2032:   /* apostrophes: joined */
      return;
    case 0x00DF: case 0x1E9E:
      g_string_append (out, "ss");
      return;
    case 0x00C6: case 0x00E6:
      g_string_append (out, "ae");
      return;
    case 0x0152: case 0x0153:
      g_string_append (out, "oe");
      return;
    case 0x00D8: case 0x00F8:
      g_string_append_c (out, 'o');
      return;
    case 0x0141: case 0x0142:
      g_string_append_c (out, 'l');
      return;
    case 0x0110: case 0x0111: case 0x00D0: case 0x00F0:
      g_string_append_c (out, 'd');
      return;
    case 0x00DE: case 0x00FE:
      g_string_append (out, "th");
      return;
    case 0x0131:
      g_string_append_c (out, 'i');
      return;
    default:
      break;
    }

  n = g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed));
  for (gsize i = 0; i < n; i++)
    {
      gunichar d = decomposed[i];

      if (g_unichar_ismark (d))
        continue;
      if (d < 0x80)
        {
          if (g_ascii_isalnum (d))
            g_string_append_c (out, g_ascii_tolower (d));
          else if (d == '&' || d == '+')
            g_string_append (out, " and ");
          else
            g_string_append_c (out, ' ');
        }
      else if (g_unichar_isalnum (d))
        g_string_append_unichar (out, g_unichar_tolower (d));
      else
        g_string_append_c (out, ' ');
    }
}

/* Lower case, accents folded, everything but letters and digits a space. */
static GString *
fold (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  out = g_string_sized_new (strlen (text) + 8);
  for (const char *p = text; *p != '\0'; )
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          if (g_ascii_isalnum (b))
            g_string_append_c (out, g_ascii_tolower (b));
          else if (b == '&' || b == '+')
            g_string_append (out, " and ");
          else if (b != '\'' && b != '`')
            g_string_append_c (out, ' ');
          p++;
        }
      else
        {
          append_folded_unichar (out, g_utf8_get_char (p));
          p = g_utf8_next_char (p);
        }
    }
  return out;
}

#define MAX_WORDS 128   /* words past this are ignored: no name is that long */

char *
cb_match_normalize (CbMatchKind  kind,
                    const char  *text)
{
  g_autoptr(GString) folded = NULL;
  const char *words[MAX_WORDS];
  const char *kept[MAX_WORDS];
  guint n_words = 0, n_kept = 0;
  GHashTable *table;
  GString *out;
  char *p;

  if (text == NULL)
    return NULL;

  /* Cut into words in place; a run of single letters becomes one word ("l l c" → "llc",
   * "a b c supply" → "abc supply"), written over the run, which is longer. */
  folded = fold (text);
  p = folded->str;
  while (*p != '\0' && n_words < MAX_WORDS)
    {
      char *start, *end;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && *p != ' ')
        p++;
      end = p;
      if (end - start == 1 && g_ascii_isalpha (*start))
        {
          char *w = start + 1;

          while (*p == ' ' && g_ascii_isalpha (p[1]) && (p[2] == ' ' || p[2] == '\0'))
            {
              *w++ = p[1];
              p += 2;
            }
          end = w;
        }
      if (*p != '\0')
        p++;
      *end = '\0';
      words[n_words++] = start;
    }

  /* Abbreviations; dropped words are "". */
  table = table_for_kind (kind);
  for (guint i = 0; i < n_words; i++)
    {
      const char *to = g_hash_table_lookup (table, words[i]);

      if (to == NULL)
        to = words[i];
      if (*to != '\0')
        kept[n_kept++] = to;
    }
  /* "Smith & Co" leaves a dangling "and". */
  while (n_kept > 1 && n_kept < n_words && g_str_equal (kept[n_kept - 1], "and"))
    n_kept--;
  if (n_kept == 0 && n_words > 0)
    {
      /* Only legal forms ("The Company"): keep them rather than match on nothing. */
      for (guint i = 0; i < n_words; i++)
        kept[i] = words[i];
      n_kept = n_words;
    }

  out = g_string_sized_new (folded->len);
  for (guint i = 0; i < n_kept; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, kept[i]);
    }
  return g_string_free (out, FALSE);
}

char *
cb_match_normalize_code (const char *code)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (code == NULL)
    return NULL;
  if (!g_utf8_validate (code, -1, NULL))
    code = valid = g_utf8_make_valid (code, -1);

  out = g_string_sized_new (strlen (code));
  for (const char *p = code; *p != '\0'; )
    {
      guchar b = (guchar) *p;

      if (b < 0x80)
        {
          if (!g_ascii_isspace (b) && b != '.' && b != '-' && b != '_' && b != '/')
            g_string_append_c (out, g_ascii_tolower (b));
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char (p);

          /* Unicode dashes and spaces are separators too. */
          if (!g_unichar_isspace (c) && !(c >= 0x2010 && c <= 0x2015) && c != 0x2212)
            g_string_append_unichar (out, g_unichar_tolower (c));
          p = g_utf8_next_char (p);
        }
    }
  return g_string_free (out, FALSE);
}
