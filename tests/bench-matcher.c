/* bench-matcher.c: speed and quality of the matcher on generated data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run on demand with `meson test -C build --benchmark bench-matcher` (or the binary
 * directly). Prints figures; asserts nothing about time, because machines are shared.
 *
 *   1. Vendors, 50,000 × 50,000: the Intacct side is generated (surnames, coined brand
 *      names, places and trades, legal forms, tax IDs, e-mails); 70% of the job side are
 *      the same vendors written differently (case, punctuation, "Inc" or "Incorporated",
 *      "Bros." or "Brothers", tax ID with or without a dash or missing, some renamed with
 *      the same tax ID), 30% are new vendors. Prints index build time, match time,
 *      matches/s, the zone counts, and how many AUTO and SUGGEST results are right.
 *   2. Cost codes, 100,000 × 100,000: codes written "03-300-110" on one side and
 *      "03 300 110" on the other, names with abbreviations.
 *
 * Environment: CB_BENCH_VENDORS (default 50000), CB_BENCH_CODES (default 100000),
 * CB_BENCH_SEED (default 42); CB_BENCH_VERBOSE prints a few AUTO results that picked
 * another record than the one the job-side record was made from. Everything runs on one
 * thread.
 */

#define G_LOG_DOMAIN "cb-bench"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cb-matcher.h"

static const char * const surnames[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
  "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
  "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
  "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
  "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
  "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
  "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
  "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
  "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
  "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
  "O'Brien", "Müller", "Peña", "Nowak", "Kowalski", "Schmidt", "Dubois", "Rossi", "Andersen",
};

static const char * const places[] = {
  "Riverside", "Summit", "Valley", "Coastal", "Northwind", "Granite", "Harbor", "Lakeside",
  "Mountain", "Prairie", "Cascade", "Redwood", "Pioneer", "Frontier", "Heritage", "Liberty",
  "Eagle", "Keystone", "Bayside", "Tri-County", "Metro", "Capitol", "Sierra", "Desert",
  "Pacific", "Atlantic", "Midwest", "Southern", "Northern", "Golden State", "Bluegrass",
  "Lone Star", "Great Lakes", "Blue Ridge", "Pine Ridge", "Oak Hill", "Cedar Creek",
  "Silver Lake", "Iron Horse", "Red Rock",
};

static const char * const trades[] = {
  "Concrete", "Construction", "Electric", "Plumbing", "Mechanical", "Roofing", "Drywall",
  "Masonry", "Steel", "Paving", "Excavation", "Landscaping", "Glass", "Painting", "Flooring",
  "Insulation", "Fire Protection", "HVAC", "Demolition", "Surveying", "Engineering",
  "Supply", "Lumber", "Equipment Rental", "Trucking", "Welding", "Fencing", "Tile",
  "Waterproofing", "Elevator", "Scaffolding", "Millwork", "Doors & Hardware", "Signage",
  "Environmental", "Geotechnical", "Crane Service", "Sheet Metal", "Asphalt", "Framing",
};

static const char * const kinds[] = {
  "", "", "", "Services", "Contractors", "Group", "Solutions", "Systems", "Builders",
  "Supply", "& Sons", "Brothers", "Partners", "Enterprises", "Industries",
};

static const char * const forms[] = { "", "", "Inc", "Inc.", "LLC", "Co.", "Corp", "Ltd" };

static const char * const syllables[] = {
  "kel", "bro", "ok", "zan", "tri", "vor", "ax", "lum", "ber", "ton", "mar", "quin", "ster",
  "dal", "fen", "gro", "hal", "ist", "jor", "kra", "lin", "mo", "nex", "or", "pra", "rin",
  "sol", "tek", "ul", "ven", "wex", "yar", "zel", "ca", "dor", "el",
};

typedef struct
{
  GPtrArray *strings;    /* owns every string below */
  GArray    *items;      /* CbMatchItem */
  GArray    *truth;      /* int: right index each left item was made from, or -1 */
} Side;

static void
side_init (Side *side)
{
  side->strings = g_ptr_array_new_with_free_func (g_free);
  side->items = g_array_new (FALSE, TRUE, sizeof (CbMatchItem));
  side->truth = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
side_clear (Side *side)
{
  g_ptr_array_unref (side->strings);
  g_array_unref (side->items);
  g_array_unref (side->truth);
}

static const char *
keep (Side *side,
      char *text)
{
  if (text != NULL)
    g_ptr_array_add (side->strings, text);
  return text;
}

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
coined_word (GRand *rand)
{
  g_autofree char *word = g_strconcat (PICK (rand, syllables), PICK (rand, syllables),
                                       g_rand_boolean (rand) ? PICK (rand, syllables) : "",
                                       NULL);

  word[0] = g_ascii_toupper (word[0]);
  return g_steal_pointer (&word);
}

static char *
vendor_name (GRand *rand)
{
  g_autofree char *first = NULL;
  const char *trade = PICK (rand, trades);
  const char *kind = PICK (rand, kinds);
  const char *form = PICK (rand, forms);

  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      first = g_strdup (PICK (rand, surnames));
      break;
    case 1:
      first = g_strdup_printf ("%s & %s", PICK (rand, surnames), PICK (rand, surnames));
      break;
    case 2:
      first = g_strdup (PICK (rand, places));
      break;
    default:
      first = coined_word (rand);
      break;
    }
  return g_strjoin (" ", first, trade, kind, form, NULL);
}

static char *
replace_word (const char *text,
              const char *from,
              const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

/* The same vendor, as a job system would have typed it. */
static char *
rewrite_name (GRand      *rand,
              const char *name)
{
  static const char * const swaps[][2] = {
    { " Inc.", " Incorporated" }, { " Inc", ", Inc." }, { " LLC", " L.L.C." },
    { " Co.", " Company" }, { " Corp", " Corporation" }, { " Ltd", " Limited" },
    { "Construction", "Const." }, { "Brothers", "Bros." }, { "Electric", "Elec" },
    { "Mechanical", "Mech." }, { "Services", "Svcs" }, { " & ", " and " },
    { "Equipment", "Equip." }, { "Supply", "Supplies" },
  };
  char *out = g_strdup (name);

  for (guint i = 0; i < G_N_ELEMENTS (swaps); i++)
    if (g_rand_int_range (rand, 0, 3) == 0 && strstr (out, swaps[i][0]) != NULL)
      {
        char *next = replace_word (out, swaps[i][0], swaps[i][1]);

        g_free (out);
        out = next;
      }
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      {
        char *upper = g_utf8_strup (out, -1);

        g_free (out);
        out = upper;
      }
      break;
    case 1:
      {
        char *padded = g_strdup_printf ("  %s ", out);

        g_free (out);
        out = padded;
      }
      break;
    default:
      break;
    }
  return out;
}

static char *
slug (const char *name)
{
  GString *s = g_string_new (NULL);

  for (const char *p = name; *p != '\0' && s->len < 20; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

static void
generate_vendors (GRand *rand,
                  guint  n,
                  Side  *right,
                  Side  *left)
{
  guint n_same = n * 7 / 10;
  g_autofree guint *order = g_new (guint, n);

  /* Each known vendor appears once on the job side: a shuffled order. */
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }

  for (guint i = 0; i < n; i++)
    {
      CbMatchItem item = { 0, };
      g_autofree char *domain = NULL;
      const char *name = keep (right, vendor_name (rand));
      int no_truth = -1;

      domain = slug (name);
      item.code = keep (right, g_strdup_printf ("V%06u", i + 1));
      item.name = name;
      if (g_rand_int_range (rand, 0, 10) < 8)
        item.tax_id = keep (right, g_strdup_printf ("%02d-%07d", g_rand_int_range (rand, 10, 99),
                                                    g_rand_int_range (rand, 0, 10000000)));
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          item.email = keep (right, g_strdup_printf ("ap@%s.com", domain));
          break;
        case 1:
          item.email = keep (right, g_strdup_printf ("%s%u@gmail.com", domain, i));
          break;
        default:
          break;
        }
      g_array_append_val (right->items, item);
      g_array_append_val (right->truth, no_truth);
    }

  for (guint i = 0; i < n; i++)
    {
      CbMatchItem item = { 0, };
      int truth = -1;

      if (i < n_same)
        {
          /* A known vendor, typed differently. */
          guint r = order[i];
          const CbMatchItem *src = &g_array_index (right->items, CbMatchItem, r);

          truth = (int) r;
          item.code = keep (left, g_strdup_printf ("JV%05u", i));
          if (g_rand_int_range (rand, 0, 100) < 4)
            item.name = keep (left, vendor_name (rand));    /* renamed since */
          else
            item.name = keep (left, rewrite_name (rand, src->name));
          if (src->tax_id != NULL && g_rand_int_range (rand, 0, 10) < 7)
            {
              if (g_rand_boolean (rand))
                item.tax_id = keep (left, replace_word (src->tax_id, "-", ""));
              else
                item.tax_id = src->tax_id;
            }
          if (src->email != NULL && g_rand_boolean (rand))
            item.email = keep (left, g_ascii_strup (src->email, -1));
        }
      else
        {
          item.code = keep (left, g_strdup_printf ("JV%05u", i));
          item.name = keep (left, vendor_name (rand));
          if (g_rand_int_range (rand, 0, 10) < 6)
            item.tax_id = keep (left, g_strdup_printf ("%02d%07d",
                                                       g_rand_int_range (rand, 10, 99),
                                                       g_rand_int_range (rand, 0, 10000000)));
        }
      g_array_append_val (left->items, item);
      g_array_append_val (left->truth, truth);
    }
}

static const char * const code_words[] = {
  "Concrete", "Forming", "Reinforcing", "Cast-in-Place", "Precast", "Masonry", "Unit",
  "Structural", "Steel", "Metal", "Decking", "Framing", "Rough", "Finish", "Carpentry",
  "Millwork", "Waterproofing", "Insulation", "Roofing", "Flashing", "Doors", "Windows",
  "Hardware", "Glazing", "Drywall", "Plaster", "Tile", "Flooring", "Painting", "Coatings",
  "Specialties", "Equipment", "Furnishings", "Elevators", "Fire", "Suppression", "Plumbing",
  "Fixtures", "HVAC", "Ductwork", "Controls", "Electrical", "Lighting", "Wiring",
  "Communications", "Earthwork", "Excavation", "Grading", "Paving", "Utilities", "Site",
  "Landscaping", "Demolition", "General", "Conditions", "Supervision", "Temporary",
  "Facilities", "Cleanup", "Testing", "Labor", "Material", "Subcontract", "Allowance",
};

static void
generate_codes (GRand *rand,
                guint  n,
                Side  *right,
                Side  *left)
{
  g_autofree guint *order = g_new (guint, n);

  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
  for (guint i = 0; i < n; i++)
    {
      CbMatchItem item = { 0, };
      guint division = i % 50, section = (i / 50) % 1000, detail = i / 50000;
      int no_truth = -1;

      item.code = keep (right, g_strdup_printf ("%02u-%03u-%03u", division, section, detail));
      item.name = keep (right, g_strdup_printf ("%s %s %s", PICK (rand, code_words),
                                                PICK (rand, code_words),
                                                PICK (rand, code_words)));
      g_array_append_val (right->items, item);
      g_array_append_val (right->truth, no_truth);
    }
  for (guint i = 0; i < n; i++)
    {
      CbMatchItem item = { 0, };
      int truth = -1;

      if (g_rand_int_range (rand, 0, 10) < 8)
        {
          /* The same code, spaced differently; the name sometimes abbreviated. */
          guint r = order[i];
          const CbMatchItem *src = &g_array_index (right->items, CbMatchItem, r);

          truth = (int) r;
          item.code = keep (left, replace_word (src->code, "-", " "));
          item.name = keep (left, g_rand_boolean (rand) ? g_ascii_strup (src->name, -1)
                                                        : replace_word (src->name, "Electrical",
                                                                        "Elec."));
        }
      else
        {
          item.code = keep (left, g_strdup_printf ("%02u.%03u.%03u", 50 + i % 40, i % 1000,
                                                   i / 1000));
          item.name = keep (left, g_strdup_printf ("%s %s", PICK (rand, code_words),
                                                   PICK (rand, code_words)));
        }
      g_array_append_val (left->items, item);
      g_array_append_val (left->truth, truth);
    }
}

static void
run (const char  *title,
     CbMatchKind  kind,
     Side        *right,
     Side        *left)
{
  g_autoptr(CbMatcher) matcher = NULL;
  g_autoptr(GArray) results = NULL;
  guint zones[3] = { 0, };
  guint auto_right = 0, auto_wrong = 0, auto_same_name = 0, suggest_right = 0, suggest_wrong = 0;
  guint known = 0, known_missed = 0, ambiguous = 0;
  gint64 t0, t1, t2;
  double build_s, match_s;
  guint verbose = g_getenv ("CB_BENCH_VERBOSE") ? 10 : 0;

  t0 = g_get_monotonic_time ();
  matcher = cb_matcher_new (kind, (CbMatchItem *) (gpointer) right->items->data,
                            right->items->len);
  t1 = g_get_monotonic_time ();
  results = cb_matcher_match_all (matcher, (CbMatchItem *) (gpointer) left->items->data,
                                  left->items->len, NULL);
  t2 = g_get_monotonic_time ();

  for (guint i = 0; i < results->len; i++)
    {
      const CbMatchResult *r = &g_array_index (results, CbMatchResult, i);
      int truth = g_array_index (left->truth, int, i);

      zones[r->zone]++;
      ambiguous += r->ambiguous;
      if (truth >= 0)
        {
          known++;
          if (r->zone == CB_MATCH_ZONE_NONE)
            known_missed++;
        }
      if (r->zone == CB_MATCH_ZONE_AUTO)
        {
          /* Right means the record it was made from, or one with an identical
           * normalised name and code (a true duplicate on the Intacct side). */
          const CbMatchItem *l = &g_array_index (left->items, CbMatchItem, i);
          const CbMatchItem *c = &g_array_index (right->items, CbMatchItem, r->candidate);
          g_autofree char *ln = cb_match_normalize (kind, l->name);
          g_autofree char *cn = cb_match_normalize (kind, c->name);

          if (r->candidate == truth)
            auto_right++;
          else if (g_strcmp0 (ln, cn) == 0)
            auto_same_name++;   /* the generator made two vendors with one name */
          else if (auto_wrong++ < verbose)
            {
              printf ("  AUTO other: %s | %s | %s  →  %s | %s | %s  (%u, %s)\n", l->name,
                      l->tax_id, l->email, c->name, c->tax_id, c->email, r->score, r->reason);
            }
        }
      else if (r->zone == CB_MATCH_ZONE_SUGGEST)
        {
          if (r->candidate == truth)
            suggest_right++;
          else
            suggest_wrong++;
        }
    }

  build_s = (t1 - t0) / 1e6;
  match_s = (t2 - t1) / 1e6;
  printf ("%s: %u × %u\n", title, left->items->len, right->items->len);
  printf ("  index build      %.3f s\n", build_s);
  printf ("  match            %.3f s  (%.0f matches/s)\n", match_s,
          left->items->len / MAX (match_s, 1e-9));
  printf ("  total            %.3f s\n", build_s + match_s);
  printf ("  zones            AUTO %u, SUGGEST %u, NONE %u (ambiguous %u)\n",
          zones[CB_MATCH_ZONE_AUTO], zones[CB_MATCH_ZONE_SUGGEST], zones[CB_MATCH_ZONE_NONE],
          ambiguous);
  printf ("  AUTO             %u right, %u to another record with the identical name "
          "(generated twice), %u wrong\n", auto_right, auto_same_name, auto_wrong);
  printf ("  SUGGEST          %u the generated counterpart, %u another record\n",
          suggest_right, suggest_wrong);
  printf ("  known records    %u, of which %u in NONE\n", known, known_missed);
  fflush (stdout);
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &n, NULL))
    return fallback;
  return (guint) n;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (env_uint ("CB_BENCH_SEED", 42));
  guint n_vendors = env_uint ("CB_BENCH_VENDORS", 50000);
  guint n_codes = env_uint ("CB_BENCH_CODES", 100000);
  Side right, left;

  side_init (&right);
  side_init (&left);
  generate_vendors (rand, n_vendors, &right, &left);
  run ("Vendors", CB_MATCH_VENDORS, &right, &left);
  side_clear (&right);
  side_clear (&left);

  side_init (&right);
  side_init (&left);
  generate_codes (rand, n_codes, &right, &left);
  run ("Cost codes", CB_MATCH_COST_CODES, &right, &left);
  side_clear (&right);
  side_clear (&left);
  return 0;
}
